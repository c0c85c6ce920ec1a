import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json';
import { parseVerificationString, statementData, type ProtocolDoc } from '../../../shared/documents';
import { AppFailure } from '../../../shared/result';
import { appRoot } from '../../../electron/core/paths';
import { PdfError, PdfInvalidDocumentError } from '../../../electron/core/pdf';
import { docFromStatement, renderCaseProtocol } from '../../../electron/core/services/protocols';
import { isPackedStatement, packStatement, unpackStatement } from '../../../electron/core/statement-codec';
import { translateError } from '../../../electron/core/i18n';
import { tempCore, tempDir } from '../../support/temp';
import { CODE, COMMISSION, decidedCase, IIN, MEMBERS } from './protocols.fixture';

const artifacts = path.join(appRoot(), 'test-results', 'protocols');
beforeAll(() => fs.mkdirSync(artifacts, { recursive: true }));

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const pdfText = (file: string): string => run('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
const KAZAKH_LETTERS = [...'ӘҒҚҢӨҰҮҺІәғқңөұүһі'];

function writeTmp(name: string, base64: string): string {
  const file = path.join(tempDir('htmp-prot-'), name);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

describe('errors of the engine are AppFailures', () => {
  it('PdfError and PdfInvalidDocumentError extend AppFailure with code and params', () => {
    const e = new PdfInvalidDocumentError('members');
    expect(e).toBeInstanceOf(AppFailure);
    expect(e).toBeInstanceOf(PdfError);
    expect(e.toError()).toEqual({ code: 'pdf.invalid_document', params: { field: 'members' } });
  });
});

describe('protocol of a case', () => {
  it('issues (number, lock, stored statement) and renders kk / ru / both with every Kazakh letter, embedded fonts and a PNG artifact', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    expect((await core.call('protocols.forCase', { caseId: id })).canIssue).toBe(true);
    // Before the protocol is issued there is nothing to print.
    await expect(core.call('protocols.render', { caseId: id, lang: 'kk' })).rejects.toMatchObject({ code: 'protocols.not_issued' });

    const { issued, created } = await core.call('protocols.issue', { caseId: id, lang: 'both', layout: 'columns' });
    expect(created).toBe(true);
    expect(issued.number).toBe('1/2026');
    const detail = await core.call('cases.get', { id });
    expect(detail.currentDecision?.locked).toBe(true);
    expect(detail.status).toBe('approved');
    const state = await core.call('protocols.forCase', { caseId: id });
    expect(state).toMatchObject({ renderable: true, canIssue: false, issued: { number: '1/2026', sha256: issued.sha256 } });

    // Issuing again stores nothing new.
    expect((await core.call('protocols.issue', { caseId: id })).created).toBe(false);

    const texts: Record<string, string> = {};
    for (const [lang, layout] of [['kk'], ['ru'], ['both', 'columns'], ['both', 'sequential']] as const) {
      const r = await core.call('protocols.render', { caseId: id, lang, ...(layout ? { layout } : {}) });
      expect(r.sha256).toBe(issued.sha256);
      expect(r.verification).toBe(`HTMP-PROTOCOL|1/2026|${issued.sha256}`);
      expect(r.bytes).toBeLessThan(60_000);
      const tag = layout ? `${lang}-${layout}` : lang;
      expect(r.fileName).toBe(`protocol-1-2026-${layout ? `both-${layout}` : lang}.pdf`);
      const file = writeTmp(r.fileName, r.pdfBase64);
      expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      texts[tag] = pdfText(file);
      const fonts = run('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim() !== '');
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+yes\b/);
      run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(artifacts, `case-protocol-${tag}`)]);
      expect(fs.statSync(path.join(artifacts, `case-protocol-${tag}.png`)).size).toBeGreaterThan(5_000);
    }
    const kk = texts['kk']!;
    const ru = texts['ru']!;
    for (const letter of KAZAKH_LETTERS) expect(kk, letter).toContain(letter);
    for (const phrase of ['ХАТТАМА', '№ 1/2026', 'Жұмабекова Әйгерім Серікқызы', IIN, CODE, 'Шешім оң', COMMISSION.commissionNameKk, 'беттің 1-беті']) expect(kk).toContain(phrase);
    // The HTMP name from the Kazakh edition (order 90), the Russian one from the Russian edition (order 103).
    expect(kk).toContain('Бивентрикулярлық электрокардиостимуляторды');
    expect(kk).toContain('№ 90 бұйрық');
    for (const phrase of ['ПРОТОКОЛ', '№ 1/2026', 'Решение положительное', 'Имплантация бивентрикулярного', 'приказа от 01.10.2025 № 103', 'Стр. 1 из']) expect(ru).toContain(phrase);
    for (const phrase of ['ХАТТАМА', 'ПРОТОКОЛ']) expect(texts['both-columns']).toContain(phrase);
    for (const phrase of ['ХАТТАМА', 'ПРОТОКОЛ']) expect(texts['both-sequential']).toContain(phrase);
  });

  it('re-renders an issued protocol from the stored statement: same text and hash after the case data changed', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const { issued } = await core.call('protocols.issue', { caseId: id });
    const before = await core.call('protocols.render', { caseId: id, lang: 'ru' });

    // The issued case is locked: its data changes only once a correction is started.
    await expect(core.call('cases.save', { id, patient: { lastName: 'Исправленова' } })).rejects.toMatchObject({ code: 'cases.locked', params: { protocol: '1/2026' } });
    await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-13', correction: true });
    // The case is edited during the correction (name, diagnosis, provider), and so are the settings.
    await core.call('cases.save', { id, patient: { lastName: 'Исправленова' }, diagnosis: { text: 'Другой диагноз' }, providerOrg: 'Другая клиника' });
    await core.call('settings.update', { commissionNameRu: 'Переименованная комиссия' });
    expect((await core.call('cases.get', { id })).patient.lastName).toBe('Исправленова');

    const after = await core.call('protocols.render', { caseId: id, lang: 'ru' });
    expect(after.sha256).toBe(issued.sha256);
    expect(after.sha256).toBe(before.sha256);
    const text = pdfText(writeTmp('after.pdf', after.pdfBase64));
    expect(text).toContain('Жұмабекова');
    expect(text).not.toContain('Исправленова');
    expect(text).not.toContain('Другая клиника');
    expect(text).not.toContain('Переименованная комиссия');
    // The same text apart from the generation time in the footer.
    const strip = (s: string) => s.replace(/Сформировано: \S+ \S+/g, '');
    expect(strip(text)).toBe(strip(pdfText(writeTmp('before.pdf', before.pdfBase64))));

    // The stored statement is the canonical JSON the hash is taken of, stored packed (issue 17).
    const row = core.db.prepare('SELECT * FROM protocol_statements WHERE case_id = ?').get(id) as { statement: string; sha256: string; number: string };
    expect(isPackedStatement(row.statement)).toBe(true);
    const plain = unpackStatement(row.statement)!;
    expect(row.statement.length).toBeLessThan(Buffer.byteLength(plain) / 2);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(issued.sha256);
    const doc = docFromStatement(row);
    expect(canonicalJson(statementData(doc))).toBe(plain);
    // A statement stored unpacked (issued before the packed form, or synced so) reads the same.
    expect(docFromStatement({ ...row, statement: plain }, doc.generatedAt)).toEqual(doc);
    expect((doc as ProtocolDoc).patient.lastName).toBe('Жұмабекова');
  });

  it('writes the statement through the Store (change_log) and refuses a tampered statement', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const { issued } = await core.call('protocols.issue', { caseId: id });
    const log = core.db.prepare("SELECT op FROM change_log WHERE table_name = 'protocol_statements' AND record_id = ?").all(issued.id);
    expect(log).toEqual([{ op: 'insert' }]);
    const stored = core.db.prepare('SELECT statement FROM protocol_statements WHERE id = ?').pluck().get(issued.id) as string;
    const tamper = core.db.prepare('UPDATE protocol_statements SET statement = ? WHERE id = ?');
    // An altered text (packed again, or stored plain) and damaged packed bytes are all refused.
    for (const altered of [packStatement(unpackStatement(stored)!.replace('Жұмабекова', 'Иванова')), unpackStatement(stored)!.replace('Жұмабекова', 'Иванова'), `${stored.slice(0, 40)}AAAA${stored.slice(44)}`, 'z1:!!!']) {
      tamper.run(altered, issued.id);
      await expect(core.call('protocols.render', { caseId: id, lang: 'kk' })).rejects.toMatchObject({ code: 'protocols.statement_corrupt', params: { number: '1/2026' } });
      expect(await core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256 })).toEqual({ matches: false, known: true });
    }
    // Back as issued (packed or not), it verifies again.
    for (const same of [stored, unpackStatement(stored)!]) {
      tamper.run(same, issued.id);
      expect(await core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256 })).toMatchObject({ matches: true });
    }
  });

  it('verifies number + sha256 against the stored statements', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const r = await core.call('protocols.render', { caseId: id, lang: 'kk' }).catch((e: unknown) => e);
    expect(r).toMatchObject({ code: 'protocols.not_issued' });
    const { issued } = await core.call('protocols.issue', { caseId: id });
    const printed = await core.call('protocols.render', { caseId: id, lang: 'kk' });
    const parsed = parseVerificationString(printed.verification)!;
    expect(await core.call('protocols.verify', { number: parsed.number, sha256: parsed.sha256 })).toMatchObject({ matches: true, known: true });
    // A match shows what to compare with the paper: number, date, patient and outcome.
    const match = await core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256.toUpperCase() });
    expect(match).toMatchObject({ matches: true, known: true, protocol: { number: '1/2026', date: issued.date, outcome: issued.outcome, caseId: id } });
    expect(match.protocol!.patientName).not.toBe('');
    // Spaces a reader may type between groups of the code do not matter.
    expect(await core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256.replace(/(.{8})/g, '$1 ') })).toMatchObject({ matches: true });
    const other = issued.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await core.call('protocols.verify', { number: '1/2026', sha256: other })).toEqual({ matches: false, known: true });
    expect(await core.call('protocols.verify', { number: '2/2026', sha256: issued.sha256 })).toEqual({ matches: false, known: false });
    // A mistyped or cut-short code is said to be one, not "does not match" (issue 12, point 7).
    await expect(core.call('protocols.verify', { number: '1/2026', sha256: 'nonsense' })).rejects.toMatchObject({ code: 'protocols.bad_sha256', params: { length: 8 } });
    await expect(core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256.slice(0, 40) })).rejects.toMatchObject({ code: 'protocols.bad_sha256', params: { length: 40, context: 'incomplete' } });
    await expect(core.call('protocols.verify', { number: '1/2026', sha256: `${issued.sha256}00` })).rejects.toMatchObject({ code: 'protocols.bad_sha256', params: { length: 66, context: 'too_long' } });
    // ... and says it in words: "incomplete", not "the copies differ".
    const incomplete = (await core.call('protocols.verify', { number: '1/2026', sha256: issued.sha256.slice(0, 40) }).catch((e: unknown) => e)) as AppFailure;
    expect(translateError('ru', { code: incomplete.code, params: incomplete.params })).toContain('неполный');
    expect(translateError('ru', { code: incomplete.code, params: incomplete.params })).toContain('40 из 64');
    expect(translateError('kk', { code: incomplete.code, params: incomplete.params })).toContain('толық емес');
  });

  it('stores the statement of a decision issued through the cases area in the same transaction', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const detail = await core.call('cases.get', { id });
    await core.call('cases.issueProtocol', { decisionId: detail.draftDecision!.id });
    expect((await core.call('protocols.forCase', { caseId: id })).issued?.number).toBe('1/2026');
    const r = await renderCaseProtocol(core.context, id, { lang: 'kk' });
    expect(r.number).toBe('1/2026');
    expect((await core.call('protocols.forCase', { caseId: id })).issued?.sha256).toBe(r.sha256);
  });

  it('refuses clearly: no decision, commission not set up; nothing is issued then', async () => {
    const core = tempCore();
    const saved = await core.call('cases.save', { patient: { iin: IIN, lastName: 'А', firstName: 'Б' } });
    await expect(core.call('protocols.issue', { caseId: saved.id })).rejects.toMatchObject({ code: 'protocols.no_decision' });
    await expect(core.call('protocols.render', { caseId: saved.id, lang: 'kk' })).rejects.toMatchObject({ code: 'protocols.no_decision' });

    const id = await decidedCase(core);
    await core.call('settings.update', { commissionNameKk: '' });
    await expect(core.call('protocols.issue', { caseId: id })).rejects.toMatchObject({ code: 'cases.not_ready', params: { gap: 'commission_name_kk', count: 1 } });
    // The issue was rolled back as a whole: the decision is still a draft without a number.
    const detail = await core.call('cases.get', { id });
    expect(detail.draftDecision).not.toBeNull();
    expect(detail.decisions.every((d) => d.protocol === null)).toBe(true);
    const r = await core.dispatch('protocols.issue', { caseId: id });
    expect(r).toMatchObject({ ok: false, error: { code: 'cases.not_ready' } });
    // Rendering the register needs the letterhead in both languages too.
    await expect(core.call('protocols.registerPdf', { from: '2026-01-01', to: '2026-12-31', lang: 'ru' })).rejects.toMatchObject({ code: 'protocols.commission_missing' });
    const bad = await core.dispatch('protocols.render', { caseId: id, lang: 'en' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'api.invalid_argument' } });
  });

  it('answers shell.printPdf outside Electron with a translated refusal', async () => {
    const core = tempCore();
    const r = await core.dispatch('shell.printPdf', { pdfBase64: Buffer.from('%PDF-1.7 test').toString('base64') });
    expect(r).toMatchObject({ ok: false, error: { code: 'protocols.print_unavailable' } });
  });
});

describe('register of protocols and journal of refusals', () => {
  it('lists issued protocols of a period, marks corrections, and prints the register and the refusal journal extract', async () => {
    const core = tempCore();
    const a = await decidedCase(core, { date: '2026-03-12' });
    await core.call('protocols.issue', { caseId: a });
    const b = await decidedCase(core, { outcome: 'refused', reason: 'no_indications', date: '2026-03-13' });
    await core.call('protocols.issue', { caseId: b });
    const c = await decidedCase(core, { outcome: 'refused', reason: 'no_indications', date: '2026-03-14' });
    await core.call('protocols.issue', { caseId: c });
    // A correction of c: approved instead; the refusal 3/2026 is superseded.
    await expect(
      core.call('cases.decide', { caseId: c, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-03-20', correction: true, issue: true }),
    ).rejects.toMatchObject({ code: 'cases.not_ready', params: { gap: 'correction_note' } });
    await core.call('cases.decide', { caseId: c, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-03-20', correction: true, note: 'Показания подтверждены консилиумом' });
    await core.call('protocols.issue', { caseId: c });

    const { items } = await core.call('protocols.list', { from: '2026-03-01', to: '2026-03-31' });
    expect(items.map((i) => [i.number, i.outcome, i.superseded])).toEqual([
      ['1/2026', 'approved', false],
      ['2/2026', 'refused', false],
      ['3/2026', 'refused', true],
      ['4/2026', 'approved', false],
    ]);
    expect(items[1]).toMatchObject({ patientName: 'Жұмабекова Әйгерім Серікқызы', iin: IIN, code: CODE, reason: 'no_indications', section: 1, replaces: null, inpatient: false });
    expect(items[1]!.name.kk).toContain('Бивентрикулярлық');
    // The correction shows which protocol it replaces and why.
    expect(items[3]).toMatchObject({ replaces: '3/2026', note: 'Показания подтверждены консилиумом' });
    expect((await core.call('protocols.list', { from: '2026-03-13', to: '2026-03-13' })).items.map((i) => i.number)).toEqual(['2/2026']);

    const reg = await core.call('protocols.registerPdf', { from: '2026-03-01', to: '2026-03-31', lang: 'kk' });
    expect(reg.count).toBe(4);
    const regFile = writeTmp(reg.fileName, reg.pdfBase64);
    const regText = pdfText(regFile);
    for (const n of ['1/2026', '2/2026', '3/2026', '4/2026']) expect(regText).toContain(n);
    expect(regText).toContain('ХАТТАМАЛАР ТІЗІЛІМІ');
    expect(regText).toContain('№ 3/2026 хаттаманың орнына');
    expect(regText).toContain('Показания подтверждены консилиумом');
    run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', regFile, path.join(artifacts, 'register-kk')]);

    const journal = await core.call('protocols.refusalJournalPdf', { from: '2026-03-01', to: '2026-03-31', lang: 'ru' });
    expect(journal.count).toBe(1);
    const jText = pdfText(writeTmp(journal.fileName, journal.pdfBase64));
    expect(jText).toContain('2/2026');
    expect(jText).not.toContain('3/2026');
    expect(jText).toContain('нет показаний');

    await expect(core.call('protocols.registerPdf', { from: '2026-04-01', to: '2026-03-01', lang: 'kk' })).rejects.toMatchObject({ code: 'protocols.bad_period' });
    const empty = await core.call('protocols.registerPdf', { from: '2025-01-01', to: '2025-12-31', lang: 'ru' });
    expect(empty.count).toBe(0);
    expect(pdfText(writeTmp('empty.pdf', empty.pdfBase64))).toContain('Записей за период нет');
  });
});

describe('a refusal for a code the list does not carry', () => {
  it('is not issued: a wrong HTMP code is a mistake to correct, not a ground for refusal', async () => {
    const core = tempCore();
    const refused = await decidedCase(core, { outcome: 'refused', reason: 'no_indications', draft: { htmpCode: '99.999' } });
    await expect(core.call('protocols.issue', { caseId: refused })).rejects.toMatchObject({ code: 'cases.not_ready', params: { gap: 'htmp_code_unknown' } });
    const detail = await core.call('cases.get', { id: refused });
    expect(detail.decisions.map((d) => [d.state, d.protocol])).toEqual([['draft', null]]);
    expect(core.db.prepare('SELECT count(*) AS n FROM protocol_counters').get()).toEqual({ n: 0 });
  });
});
