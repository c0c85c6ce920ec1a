import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import yazl from 'yazl';
import { parseVerificationString } from '../../../shared/documents';
import { parseCsv, writeCsv } from '../../../shared/domain/orgs';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { m0011Orgs } from '../../../electron/core/migrations/0011-orgs';
import { eligibleOrgs, eligibleOrgsSql } from '../../../electron/core/orgs/registry';
import { appRoot } from '../../../electron/core/paths';
import { signedInCore, tempCore, tempDir } from '../../support/temp';
import { completeDraft, MEMBERS } from './cases-fixtures';
import { closeAll, job, laptop, pair, type Laptop } from './exchange-helpers';
import { devicesFor, ISSUER, makeBin, ORG_A, ORG_B, receivedApplication, SURGEON, xlsxBase64 } from './orgs.fixture';

afterEach(closeAll);
const artifacts = path.join(appRoot(), 'test-results', 'orgs');
beforeAll(() => fs.mkdirSync(artifacts, { recursive: true }));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const pdfText = (base64: string, name: string): string => {
  const file = path.join(artifacts, name);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

describe('schema', () => {
  it('the migration creates the tables of the area and the eligibility index is used', () => {
    const core = tempCore();
    const v = core.db.pragma('user_version', { simple: true }) as number;
    expect(v).toBeGreaterThanOrEqual(m0011Orgs.version);
    for (const t of ['organizations', 'org_applications', 'org_conclusions', 'conformity_counters', 'org_updates', 'case_providers']) {
      expect(core.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t), t).toBeTruthy();
    }
    const plan = core.db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM org_conclusions INDEXED BY org_conclusions_eligible WHERE code = ? AND state = 'issued' AND overall_conform = 1 AND valid_from <= ? AND valid_to >= ?")
      .all('35.11', '2027-03-01', '2027-03-01') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('org_conclusions_eligible');
  });
});

describe('registry', () => {
  it('pages by key (issue 17): no organization lost or repeated while others are added between pages (before, after and tied with the page read)', async () => {
    const core = tempCore();
    const names = ['Әлем', 'Ақбұлақ', 'Аврора', 'Березка', 'Жұлдыз', 'Өркен', 'Үміт', 'Іргетас', 'Шипа', 'Ясень', 'Қуат', 'Ғылым', 'Ұлы дала', 'Бота'];
    let n = 10;
    const add = (name: string) => core.call('orgs.save', { bin: makeBin(n++), nameKk: `${name} ауруханасы`, nameRu: `Больница «${name}»`, region: 'astana', level: 'city' });
    const ids: string[] = [];
    for (const name of names) ids.push((await add(name)).id);
    for (const lang of ['kk', 'ru'] as const) {
      const before = (await core.call('orgs.list', { limit: 1000, lang })).items.map((o) => o.id);
      const seen: string[] = [];
      let page = await core.call('orgs.list', { limit: 3, lang });
      let turn = 0;
      for (;;) {
        seen.push(...page.items.map((o) => o.id));
        if (page.next === null) break;
        // Between pages: one sorting before the page just read, one after, one with the same name.
        await add(`Аа ${lang}${turn}`);
        await add(`Яя ${lang}${turn}`);
        const last = page.items.at(-1)!;
        await core.call('orgs.save', { bin: makeBin(n++), nameKk: last.nameKk, nameRu: last.nameRu, region: 'astana', level: 'city' });
        turn++;
        page = await core.call('orgs.list', { limit: 3, lang, after: page.next });
      }
      expect(new Set(seen).size, lang).toBe(seen.length);
      for (const id of before) expect(seen, lang).toContain(id);
      // In the list's order, each page after the previous one.
      const all = (await core.call('orgs.list', { limit: 1000, lang })).items.map((o) => o.id);
      const positions = seen.map((id) => all.indexOf(id));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
    // A cursor of the other language's order, or not a cursor at all, is refused.
    const ru = await core.call('orgs.list', { limit: 2, lang: 'ru' });
    await expect(core.call('orgs.list', { limit: 2, lang: 'kk', after: ru.next! })).rejects.toMatchObject({ code: 'api.invalid_argument' });
    await expect(core.call('orgs.list', { limit: 2, after: 'nonsense' })).rejects.toMatchObject({ code: 'api.invalid_argument' });
  });

  it('saves, validates, refuses a second BIN, searches with folding, deletes only what is unused', async () => {
    const core = tempCore();
    const a = await core.call('orgs.save', ORG_A);
    expect(a).toMatchObject({ bin: ORG_A.bin, region: 'astana', level: 'republican', duplicateBin: false });
    await expect(core.call('orgs.save', { ...ORG_B, bin: ORG_A.bin })).rejects.toMatchObject({ code: 'orgs.duplicate_bin' });
    await expect(core.call('orgs.save', { ...ORG_B, bin: '123456789012' })).rejects.toMatchObject({ code: 'orgs.invalid', params: { field: 'bin' } });
    await expect(core.call('orgs.save', { ...ORG_B, region: 'mars' })).rejects.toMatchObject({ code: 'orgs.invalid', params: { field: 'region', reason: 'unknown_region' } });
    const b = await core.call('orgs.save', ORG_B);
    // Kazakh letters typed on a Russian keyboard, Latin look-alikes, any case.
    expect((await core.call('orgs.list', { query: 'карагaнды' })).items.map((o) => o.id)).toEqual([b.id]);
    expect((await core.call('orgs.list', { query: 'ұлттық кардио' })).items.map((o) => o.id)).toEqual([a.id]);
    expect((await core.call('orgs.list', { query: ORG_B.bin.slice(0, 8) })).total).toBe(2);
    expect((await core.call('orgs.list', { region: 'karaganda' })).items.map((o) => o.id)).toEqual([b.id]);
    expect((await core.call('orgs.list', {})).items.map((o) => o.nameKk)).toEqual([ORG_A.nameKk, ORG_B.nameKk].sort(new Intl.Collator('kk').compare));
    const renamed = await core.call('orgs.save', { id: b.id, ...ORG_B, phone: '+7 7212 50 50 50' });
    expect(renamed.phone).toBe('+7 7212 50 50 50');
    await receivedApplication(core);
    await expect(core.call('orgs.delete', { id: a.id })).rejects.toMatchObject({ code: 'orgs.in_use' });
    expect(await core.call('orgs.delete', { id: b.id })).toEqual({ deleted: true });
  });

  it('imports CSV (with ;) — a wrong row imports nothing and every wrong row is reported; a dry run writes nothing; a re-import updates', async () => {
    const core = tempCore();
    const good = ['bin;name_kk;name_ru;region;level;phone', `${makeBin(1)};«Ана мен бала» ұлттық орталығы;Национальный центр «Мать и дитя»;astana;republican;+7 7172 11 22 33`, `${makeBin(2)};Облыстық аурухана;Областная больница;karaganda;regional;`];
    const bad = [...good, '123;X;Y;astana;city;', `${makeBin(3)};X;Y;atlantis;city;`];
    const refused = core.call('orgs.import', { fileName: 'orgs.csv', contentBase64: b64(bad.join('\n')) });
    await expect(refused).rejects.toMatchObject({ code: 'orgs.import_invalid', params: { count: 2, row: 4, column: 'bin', reason: 'bin_format' } });
    expect((await core.call('orgs.list', {})).total).toBe(0);
    const dry = await core.call('orgs.import', { fileName: 'orgs.csv', contentBase64: b64(bad.join('\n')), dryRun: true });
    expect(dry.errors.map((e) => [e.row, e.column, e.code])).toEqual([[4, 'bin', 'bin_format'], [5, 'region', 'unknown_region']]);
    expect(dry).toMatchObject({ rows: 4, created: 2 });
    const ok = await core.call('orgs.import', { fileName: 'ORGS.CSV', contentBase64: b64(good.join('\r\n')) });
    expect(ok).toMatchObject({ created: 2, updated: 0, unchanged: 0, errors: [] });
    const again = await core.call('orgs.import', { fileName: 'orgs.csv', contentBase64: b64(good.join('\n').replace('+7 7172 11 22 33', '+7 7172 99 99 99')) });
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect((await core.call('orgs.list', { query: '99 99 99' })).total).toBe(1);
    // Every write went through the Store (change_log).
    expect((core.db.prepare("SELECT count(*) AS n FROM change_log WHERE table_name = 'organizations'").get() as { n: number }).n).toBe(3);
  });

  it('imports XLSX (a BIN typed as a number keeps its leading zero) and refuses what is not a CSV or XLSX', async () => {
    const core = tempCore();
    const bin1 = makeBin(7);
    expect(bin1.startsWith('0')).toBe(true);
    const content = await xlsxBase64([
      ['bin', 'name_kk', 'name_ru', 'region', 'level', 'address'],
      [Number(bin1), 'Шымкент қалалық ауруханасы', 'Городская больница Шымкента', 'shymkent', 'city', 'Шымкент'],
    ]);
    expect(await core.call('orgs.import', { fileName: 'orgs.xlsx', contentBase64: content })).toMatchObject({ created: 1, errors: [] });
    expect((await core.call('orgs.list', {})).items[0]).toMatchObject({ bin: bin1, region: 'shymkent' });
    await expect(core.call('orgs.import', { fileName: 'orgs.xlsx', contentBase64: b64('not a zip') })).rejects.toMatchObject({ code: 'orgs.import_unreadable', params: { reason: 'xlsx' } });
    await expect(core.call('orgs.import', { fileName: 'orgs.pdf', contentBase64: b64('x') })).rejects.toMatchObject({ code: 'orgs.import_unreadable', params: { reason: 'extension' } });
    await expect(core.call('orgs.import', { fileName: 'orgs.csv', contentBase64: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') })).rejects.toMatchObject({ code: 'orgs.import_unreadable', params: { reason: 'utf8' } });
  });

  it('attacks: a zip of thousands of parts is refused before unpacking; a formula in a name is exported as text', async () => {
    const core = tempCore();
    const zip = new yazl.ZipFile();
    for (let i = 0; i < 2001; i++) zip.addBuffer(Buffer.from('x'), `xl/part${i}.xml`);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    await expect(core.call('orgs.import', { fileName: 'bomb.xlsx', contentBase64: Buffer.concat(chunks).toString('base64') })).rejects.toMatchObject({ code: 'orgs.import_too_large' });
    await core.call('orgs.save', { ...ORG_B, nameRu: '=HYPERLINK("http://example.org","x")', phone: '+7 7212 00 00 00' });
    const csv = Buffer.from((await core.call('orgs.export', { format: 'csv' })).contentBase64, 'base64').toString('utf8');
    const row = parseCsv(csv)[1]!;
    expect(row[2]).toBe('\'=HYPERLINK("http://example.org","x")');
    expect(row[6]).toBe('+7 7212 00 00 00');
  });

  it('exports CSV and XLSX that import back unchanged', async () => {
    const core = tempCore();
    await core.call('orgs.save', ORG_A);
    await core.call('orgs.save', { ...ORG_B, head: 'Ахметов Б.', email: 'info@kob.kz' });
    for (const format of ['csv', 'xlsx'] as const) {
      const f = await core.call('orgs.export', { format });
      expect(f.count).toBe(2);
      expect(f.fileName.endsWith(`.${format}`)).toBe(true);
      const other = tempCore();
      // The exported file has two more columns (email, head) than the import reads: they are refused by name.
      const r = await other.call('orgs.import', { fileName: f.fileName, contentBase64: f.contentBase64, dryRun: true });
      expect(r.errors.map((e) => e.code)).toEqual(['unknown_column', 'unknown_column']);
    }
    // Without the two extra columns, the export imports back as it was.
    const csv = Buffer.from((await core.call('orgs.export', { format: 'csv' })).contentBase64, 'base64').toString('utf8');
    const trimmed = writeCsv(parseCsv(csv).map((r) => r.slice(0, 7)));
    const back = tempCore();
    expect(await back.call('orgs.import', { fileName: 'x.csv', contentBase64: b64(trimmed) })).toMatchObject({ created: 2, errors: [] });
    expect((await back.call('orgs.list', {})).items.map((o) => [o.bin, o.nameKk, o.nameRu])).toEqual((await core.call('orgs.list', {})).items.map((o) => [o.bin, o.nameKk, o.nameRu]));
  });
});

describe('applications, assessment and the conclusion', () => {
  it('refuses a regular application outside 15 September - 15 October; takes a first-time one for the current year any day', async () => {
    const core = tempCore();
    const o = await core.call('orgs.save', ORG_A);
    const a = await core.call('conformity.saveApplication', { orgId: o.id, year: 2027, code: '35.11', firstTime: false, staff: [], devices: [], permits: [], plannedVolume: 10 });
    expect(a).toMatchObject({ status: 'draft', window: { from: '2026-09-15', to: '2026-10-15' }, firstTimeAllowed: true });
    await expect(core.call('conformity.receiveApplication', { id: a.id, receivedOn: '2026-10-16' })).rejects.toMatchObject({ code: 'conformity.outside_window' });
    const b = await core.call('conformity.saveApplication', { orgId: o.id, year: 2026, code: '02.93', firstTime: true, staff: [], devices: [], permits: [], plannedVolume: 99 });
    expect(b.plannedVolume).toBeNull(); // a first application leaves the volume empty
    const r = await core.call('conformity.receiveApplication', { id: b.id, receivedOn: '2026-03-03', today: undefined } as never).catch(() => null);
    expect(r).toBeNull(); // strict arguments: no stray fields
    const got = await core.call('conformity.receiveApplication', { id: b.id, receivedOn: '2026-03-03' });
    expect(got).toMatchObject({ status: 'received', receivedOn: '2026-03-03', assessmentDue: '2026-04-02' });
    expect((await core.call('conformity.getApplication', { id: b.id, today: '2026-03-30' })).daysLeft).toBe(3);
    await expect(core.call('conformity.saveApplication', { orgId: o.id, year: 2026, code: '02.93', firstTime: true, staff: [], devices: [], permits: [], plannedVolume: null })).rejects.toMatchObject({ code: 'conformity.duplicate_application' });
  });

  it('pre-assesses, needs decisions by hand and justified overrides, issues a numbered locked conclusion valid for its year, prints both forms', async () => {
    const core = tempCore();
    const { applicationId, orgId } = await receivedApplication(core, ORG_A, '00.50');
    let d = await core.call('conformity.getApplication', { id: applicationId });
    // 00.50: the cardiac surgeon is one of the alternatives; training and permit are checked.
    expect(d.assessment.items.find((i) => i.requirementId === 'p1')).toMatchObject({ status: 'not_met', reasons: [{ code: 'permit_missing' }] });
    expect(d.assessment.overall).toBe('not_met');
    await expect(core.call('conformity.issue', { applicationId, date: '2026-10-10', signer: { name: 'Омаров Д.', position: '' } })).rejects.toMatchObject({ code: 'conformity.issuer_missing' });
    await core.call('orgs.updateSettings', ISSUER);
    // An override without a justification is refused; with one it stands.
    const decisions = [{ requirementId: 'p1', decision: 'met' as const, justification: '' }];
    await core.call('conformity.saveAssessment', { applicationId, decisions, staffJustification: '', devicesJustification: '', note: '' });
    await expect(core.call('conformity.issue', { applicationId, date: '2026-10-10', signer: { name: 'Омаров Д.', position: 'Басшы' } })).rejects.toMatchObject({ code: 'conformity.unjustified', params: { count: 1 } });
    await core.call('conformity.saveAssessment', {
      applicationId,
      decisions: [{ requirementId: 'p1', decision: 'met', justification: 'Рұқсат № KZ-123, 2028 жылға дейін, түпнұсқасы тексерілді' }],
      staffJustification: '',
      devicesJustification: '',
      note: '',
    });
    d = await core.call('conformity.getApplication', { id: applicationId });
    expect(d.assessment).toMatchObject({ staff: 'met', devices: 'met', overall: 'met', open: { undecided: [], unjustified: [] } });
    await expect(core.call('conformity.issue', { applicationId, date: '2026-09-01', signer: { name: 'Омаров Д.', position: 'Басшы' } })).rejects.toMatchObject({ code: 'conformity.issue_before_receipt' });
    await expect(core.call('conformity.issue', { applicationId, date: '2026-10-10', signer: { name: ' ', position: 'Басшы' } })).rejects.toMatchObject({ code: 'conformity.signer_missing' });
    d = await core.call('conformity.issue', { applicationId, date: '2026-10-10', signer: { name: 'Омаров Д.', position: 'Департамент басшысы' } });
    expect(d).toMatchObject({ status: 'concluded', locked: true, conclusion: { state: 'issued', number: '1/2026', validFrom: '2027-01-01', validTo: '2027-12-31', overallConform: true } });
    // Locked: nothing changes any more.
    await expect(core.call('conformity.saveAssessment', { applicationId, decisions: [], staffJustification: '', devicesJustification: '', note: '' })).rejects.toMatchObject({ code: 'conformity.locked' });
    await expect(core.call('conformity.saveApplication', { id: applicationId, orgId, year: 2027, code: '00.50', firstTime: false, staff: [], devices: [], permits: [], plannedVolume: 1 })).rejects.toMatchObject({ code: 'conformity.locked' });
    await expect(core.call('conformity.deleteApplication', { id: applicationId })).rejects.toMatchObject({ code: 'conformity.locked' });

    const id = d.conclusion!.id;
    const kk = await core.call('conformity.renderConclusion', { id, lang: 'kk' });
    const t = pdfText(kk.pdfBase64, 'conclusion-kk.pdf');
    expect(t).toContain('сәйкестігіне/сәйкессіздігіне қорытынды');
    expect(t).toContain('№ 1/2026');
    expect(t).toContain(ORG_A.nameKk);
    expect(t).toContain('МЕДИЦИНАЛЫҚ ЖӘНЕ ФАРМАЦЕВТИКАЛЫҚ БАҚЫЛАУ');
    expect(t).toContain('Сәйкессіздікті негіздемелеу');
    expect(t).toContain('01.01.2027 бастап 31.12.2027 дейін');
    expect(t).toContain('Рұқсат № KZ-123');
    expect(t).toContain(`Тексеру коды: HTMP-CONCLUSION|1/2026|${kk.sha256}`);
    expect(parseVerificationString(kk.verification)).toEqual({ kind: 'conformity_conclusion', number: '1/2026', sha256: kk.sha256 });
    const ru = await core.call('conformity.renderConclusion', { id, lang: 'ru' });
    const tr = pdfText(ru.pdfBase64, 'conclusion-ru.pdf');
    expect(tr).toContain('Заключение о соответствии/несоответствии');
    expect(tr).toContain('Обоснование несоответствия');
    expect(tr).toContain('Действует с 01.01.2027 по 31.12.2027');
    expect(tr).toContain(ORG_A.nameRu);
    expect(ru.sha256).toBe(kk.sha256); // one statement, any language
    const both = await core.call('conformity.renderConclusion', { id, lang: 'both', layout: 'columns' });
    const tb = pdfText(both.pdfBase64, 'conclusion-both.pdf');
    expect(tb).toContain('Жалпы қорытынды');
    expect(tb).toContain('Общее заключение');
    expect(both.pages).toBeGreaterThanOrEqual(2);
    const fonts = execFileSync('pdffonts', [path.join(artifacts, 'conclusion-both.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans.*yes\s+yes\s+yes/);
    expect(await core.call('conformity.verify', { number: '1/2026', sha256: kk.sha256 })).toEqual({ matches: true, known: true });
    expect(await core.call('conformity.verify', { number: '1/2026', sha256: 'a'.repeat(64) })).toEqual({ matches: false, known: true });

    const app = await core.call('conformity.renderApplication', { id: applicationId, lang: 'kk' });
    const ta = pdfText(app.pdfBase64, 'application-kk.pdf');
    expect(ta).toContain('2027 жылға жоғары технологиялық медициналық қызметтерді');
    expect(ta).toContain('ЖТМК көрсетуге рұқсат беруді сұрайды');
    expect(ta).toContain('Кадрлар туралы мәліметтер');
    expect(ta).toContain(SURGEON.name);
    expect(ta).toContain(`HTMP-APPLICATION|${ORG_A.bin}/00.50/2027|`);
    const tar = pdfText((await core.call('conformity.renderApplication', { id: applicationId, lang: 'ru' })).pdfBase64, 'application-ru.pdf');
    expect(tar).toContain('Заявка на соответствие организаций здравоохранения');
    expect(tar).toContain('Сведения о медицинских изделиях');
    expect(tar).toContain('Планируемый объём ВТМП');
    const tab = pdfText((await core.call('conformity.renderApplication', { id: applicationId, lang: 'both', layout: 'sequential' })).pdfBase64, 'application-both.pdf');
    expect(tab).toContain('Кадрлар туралы мәліметтер');
    expect(tab).toContain('Сведения о кадрах');
  }, 60_000);

  it('a requirement to check by hand must be decided before issuing; a non-conformity needs its justification', async () => {
    const core = tempCore();
    await core.call('orgs.updateSettings', ISSUER);
    const { applicationId } = await receivedApplication(core, ORG_A, '55.5016');
    const d = await core.call('conformity.getApplication', { id: applicationId });
    expect(d.assessment.open.undecided.length).toBeGreaterThan(0);
    await expect(core.call('conformity.issue', { applicationId, date: '2026-10-01', signer: { name: 'Омаров Д.', position: '' } })).rejects.toMatchObject({ code: 'conformity.undecided' });
    const decisions = d.assessment.items.map((i) => ({ requirementId: i.requirementId, decision: i.status === 'manual' ? ('not_met' as const) : null, justification: i.status === 'manual' ? 'Құжаттар жоқ' : '' }));
    await core.call('conformity.saveAssessment', { applicationId, decisions, staffJustification: '', devicesJustification: '', note: '' });
    await expect(core.call('conformity.issue', { applicationId, date: '2026-10-01', signer: { name: 'Омаров Д.', position: '' } })).rejects.toMatchObject({ code: 'conformity.justification_missing', params: { part: 'staff' } });
    await core.call('conformity.saveAssessment', { applicationId, decisions, staffJustification: 'Урологтың өтілі жеткіліксіз', devicesJustification: 'Бұйымдар жоқ', note: 'Сәйкес келмейді' });
    const issued = await core.call('conformity.issue', { applicationId, date: '2026-10-01', signer: { name: 'Омаров Д.', position: '' } });
    expect(issued.conclusion).toMatchObject({ overallConform: false, number: '1/2026' });
    // A non-conforming conclusion gives no right to receive patients.
    expect((await core.call('orgs.eligible', { code: '55.5016', on: '2027-02-01' })).items).toEqual([]);
  });
});

/** Issues a met 35.11 conclusion for 2027 for an organization. */
async function conforming(core: ReturnType<typeof tempCore>, org = ORG_A): Promise<{ orgId: string; conclusionId: string; applicationId: string }> {
  await core.call('orgs.updateSettings', ISSUER);
  const { applicationId, orgId } = await receivedApplication(core, org, '35.11');
  const d = await core.call('conformity.issue', { applicationId, date: '2026-10-05', signer: { name: 'Омаров Д.', position: 'Басшы' } });
  return { orgId, conclusionId: d.conclusion!.id, applicationId };
}

describe('eligibility (point 31), the provider of a case, points 29 and 30', () => {
  it('lists the organizations with a valid conclusion for the code on the date', async () => {
    const core = tempCore();
    const { orgId } = await conforming(core);
    await core.call('orgs.save', ORG_B);
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01' })).items.map((e) => e.org.id)).toEqual([orgId]);
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01' })).items[0]!.conclusion).toMatchObject({ number: '1/2026', validFrom: '2027-01-01' });
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2026-12-31' })).items).toEqual([]);
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2028-01-01' })).items).toEqual([]);
    expect((await core.call('orgs.eligible', { code: '35.12', on: '2027-03-01' })).items).toEqual([]);
    // The in-memory index and the SQL give the same answer.
    for (const on of ['2026-12-31', '2027-01-01', '2027-12-31', '2028-01-01']) {
      expect(eligibleOrgs(core.context, '35.11', on, 'ru')).toEqual(eligibleOrgsSql(core.context, '35.11', on, 'ru'));
    }
  });

  it('the eligibility index follows writes: on this connection (a new conclusion) and by another one (the CLI next to the app)', async () => {
    const core = tempCore();
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01' })).items).toEqual([]);
    const { orgId } = await conforming(core);
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01' })).items.map((e) => e.org.id)).toEqual([orgId]);
    const other = await signedInCore(core.dataDir);
    try {
      const b = await other.call('orgs.save', ORG_B);
      const { applicationId } = await receivedApplication(other, ORG_B, '35.11');
      await other.call('conformity.issue', { applicationId, date: '2026-10-06', signer: { name: 'Омаров Д.', position: '' } });
      const names = (await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01', lang: 'ru' })).items.map((e) => e.org.id);
      expect(new Set(names)).toEqual(new Set([orgId, b.id]));
      // A rename on this connection, an update of point 29: read again, the same answer as the SQL.
      await core.call('orgs.save', { id: orgId, ...ORG_A, nameRu: 'АО «ННКЦ»' });
      const c = (await core.call('conformity.listConclusions', { orgId })).items[0]!;
      await core.call('conformity.addUpdate', { conclusionId: c.id, kind: 'device_fault', eventOn: '2027-02-01', subject: 'SN-0-0' });
      const now = await core.call('orgs.eligible', { code: '35.11', on: '2027-03-01', lang: 'ru' });
      expect(now.items.find((e) => e.org.id === orgId)).toMatchObject({ org: { nameRu: 'АО «ННКЦ»' }, openUpdates: 1 });
      expect(now.items).toEqual(eligibleOrgsSql(core.context, '35.11', '2027-03-01', 'ru'));
    } finally {
      other.close();
    }
  });

  it('the case chooses its provider from the registry, sees the eligible list for its decision date, is warned, and the protocol prints the registry names', async () => {
    // Conclusions issued in 2026 are valid from 2027; a decision may not be dated after today.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-02-10T06:00:00Z'));
    onTestFinished(() => void vi.useRealTimers());
    const core = tempCore();
    const { orgId } = await conforming(core);
    const b = await core.call('orgs.save', ORG_B);
    const saved = await core.call('cases.save', completeDraft({ htmpCode: '35.11', receivedAt: '2027-02-01T10:00' }));
    await core.call('cases.register', { id: saved.id });
    let p = await core.call('orgs.forCase', { caseId: saved.id });
    expect(p).toMatchObject({ code: '35.11', onSource: 'today', chosen: null, warning: null });
    await core.call('cases.decide', { caseId: saved.id, outcome: 'approved', reason: null, members: MEMBERS, date: '2027-02-03' });
    p = await core.call('orgs.setCaseProvider', { caseId: saved.id, orgId: b.id });
    expect(p).toMatchObject({ on: '2027-02-03', onSource: 'decision', warning: 'no_conclusion', chosen: { id: b.id }, chosenConclusion: null });
    expect(p.eligible.map((e) => e.org.id)).toEqual([orgId]);
    p = await core.call('orgs.setCaseProvider', { caseId: saved.id, orgId });
    expect(p).toMatchObject({ warning: null, chosenConclusion: { number: '1/2026' } });
    await expect(core.call('orgs.delete', { id: orgId })).rejects.toMatchObject({ code: 'orgs.in_use' });

    await core.call('protocols.issue', { caseId: saved.id });
    const pdf = await core.call('protocols.render', { caseId: saved.id, lang: 'both', layout: 'sequential' });
    const text = pdfText(pdf.pdfBase64, 'protocol-provider.pdf');
    expect(text).toContain(ORG_A.nameKk);
    expect(text).toContain(ORG_A.nameRu);
  });

  it('point 29: a specialist who left is an update due in 10 working days; its impact is shown; point 30: a reissue for the new code supersedes the old conclusion', async () => {
    const core = tempCore();
    const { orgId, conclusionId } = await conforming(core);
    // Tue 1 June 2027 + ten working days = Tue 15 June.
    const u = await core.call('conformity.addUpdate', { conclusionId, kind: 'staff_left', eventOn: '2027-06-01', subject: SURGEON.name });
    expect(u).toMatchObject({ point: 29, dueOn: '2027-06-15', doneOn: null });
    expect(u.impact!.find((i) => i.requirementId === 's1')!.status).toBe('not_met');
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-06-05' })).items[0]!.openUpdates).toBe(1);
    const done = await core.call('conformity.completeUpdate', { id: u.id, doneOn: '2027-06-05' });
    expect(done).toMatchObject({ doneOn: '2027-06-05', daysLeft: null, overdue: false });
    await expect(core.call('conformity.completeUpdate', { id: u.id, doneOn: '2027-06-06' })).rejects.toMatchObject({ code: 'conformity.already_done' });

    await expect(core.call('conformity.addUpdate', { conclusionId, kind: 'code_changed', eventOn: '2027-05-04', subject: '' })).rejects.toMatchObject({ code: 'conformity.reissue_needs_code' });
    const c = await core.call('conformity.addUpdate', { conclusionId, kind: 'code_changed', eventOn: '2027-05-04', subject: '', newCode: '35.12' });
    expect(c).toMatchObject({ point: 30, dueOn: '2027-06-03' });
    const overdue = (await core.call('conformity.listUpdates', { open: true, today: '2027-06-05' })).items.find((x) => x.id === c.id)!;
    expect(overdue).toMatchObject({ overdue: true, daysLeft: -2 });
    const r = await core.call('conformity.reissue', { updateId: c.id, date: '2027-05-20', signer: { name: 'Омаров Д.', position: 'Басшы' } });
    expect(r.conclusion).toMatchObject({ code: '35.12', number: '1/2027', supersedesId: conclusionId, validFrom: '2027-01-01', validTo: '2027-12-31' });
    expect(r.update).toMatchObject({ doneOn: '2027-05-20', newConclusionId: r.conclusion.id });
    expect((await core.call('orgs.eligible', { code: '35.11', on: '2027-06-01' })).items).toEqual([]);
    expect((await core.call('orgs.eligible', { code: '35.12', on: '2027-06-01' })).items.map((e) => e.org.id)).toEqual([orgId]);
    expect((await core.call('conformity.getConclusion', { id: conclusionId })).supersededBy).toMatchObject({ id: r.conclusion.id, number: '1/2027' });
    await expect(core.call('conformity.addUpdate', { conclusionId, kind: 'staff_left', eventOn: '2027-06-01', subject: 'x' })).rejects.toMatchObject({ code: 'conformity.superseded' });
    const text = pdfText((await core.call('conformity.renderConclusion', { id: r.conclusion.id, lang: 'ru' })).pdfBase64, 'reissue-ru.pdf');
    expect(text).toContain('Переоформление заключения № 1/2026');
    expect(text).toContain('35.12');
  });
});

describe('exchange', () => {
  async function send(from: Laptop, to: Laptop) {
    const file = path.join(tempDir(), 'b.htmp');
    await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
    return job(to, async (j) => {
      const opened = await openTrusted(to.ctx, file, { trustNew: false });
      try {
        return await importSync(to.ctx, opened, { dryRun: false, job: j });
      } finally {
        await opened.reader.close();
      }
    });
  }

  it('organizations, applications and conclusions travel by sync; an issued conclusion never changes by sync', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    await a.core.call('orgs.updateSettings', ISSUER);
    const { applicationId, orgId } = await receivedApplication(a.core, ORG_A, '35.11');
    const d = await a.core.call('conformity.issue', { applicationId, date: '2026-10-05', signer: { name: 'Омаров Д.', position: '' } });
    const res = await send(a, b);
    expect(res.conflicts).toBe(0);
    expect((await b.core.call('orgs.eligible', { code: '35.11', on: '2027-02-01' })).items.map((e) => e.org.id)).toEqual([orgId]);
    const onB = await b.core.call('conformity.getApplication', { id: applicationId });
    expect(onB.conclusion).toMatchObject({ number: '1/2026', sha256: d.conclusion!.sha256 });
    // The same organization entered on B too has the same id (derived from the BIN): one row.
    expect((await b.core.call('orgs.list', {})).total).toBe(1);

    // A change to the issued conclusion made behind the service's back on A is refused on B.
    a.ctx.store.update('org_conclusions', d.conclusion!.id, { note: 'changed later' });
    const res2 = await send(a, b);
    expect(res2).toMatchObject({ imported: 0, refused: 1 });
    expect((await b.core.call('conformity.getConclusion', { id: d.conclusion!.id })).note).toBe('');
  });

  it('a backup carries the area (its tables are user tables)', async () => {
    const core = tempCore();
    const names = core.store.tables().map((t) => t.name);
    for (const t of ['organizations', 'org_applications', 'org_conclusions', 'conformity_counters', 'org_updates', 'case_providers']) expect(names).toContain(t);
  });
});

describe('assessment of a file (nothing stored)', () => {
  it('answers each requirement with status and reasons; an unknown code is assessed by hand', async () => {
    const core = tempCore();
    const devices = await devicesFor(core, '35.11');
    const r = await core.call('conformity.assessFile', { file: { bin: ORG_A.bin, year: 2027, code: '35.11', staff: [{ ...SURGEON, years: 3 }], devices }, on: '2026-10-01' });
    expect(r).toMatchObject({ binValid: true, characteristics: true, staff: 'not_met', devices: 'met', overall: 'not_met' });
    expect(r.requirements[0]).toMatchObject({ id: 's1', kind: 'staff', status: 'not_met', reasons: [{ code: 'years_short', params: { years: 3, min: 5 } }] });
    expect(r.requirements[0]!.text).toContain('Кардиохирургия');
    expect((core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n).toBe(0);
    const u = await core.call('conformity.assessFile', { file: { bin: '1', year: 2027, code: '99.99', staff: [], devices: [] } });
    expect(u).toMatchObject({ binValid: false, characteristics: false, overall: 'manual' });
  });
});
