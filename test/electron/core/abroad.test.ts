import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import routesJson from '../../../assets/abroad/routes.json';
import type { AbroadMethods } from '../../../shared/contract/abroad';
import { parseAbroadVerification } from '../../../shared/domain/abroad-documents';
import { hasKey, translateError } from '../../../electron/core/i18n';
import { m0009Abroad } from '../../../electron/core/migrations/0009-abroad';
import type { Core } from '../../../electron/core/core';
import { tempCore, tempDir } from '../../support/temp';
import { makeIin } from './cases-fixtures';
import { refusal } from '../../support/failures';

const CHILD_IIN = makeIin('2015-06-01', 'female');
const ADULT_IIN = makeIin('1985-02-10', 'male');

type CreateArgs = AbroadMethods['abroad.create']['args'];
const child = (over: Partial<CreateArgs> = {}): CreateArgs => ({
  patient: { iin: CHILD_IIN, lastName: 'Сейтқали', firstName: 'Әйгерім' },
  category: 'child',
  diseaseGroup: 'eye_malignant',
  startedOn: '2026-03-02',
  confirmations: { indications: true },
  ...over,
});

const pdfText = (file: string): string => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

describe('abroad: migration', () => {
  it('creates the area tables as STRICT user tables', () => {
    const core = tempCore();
    const tables = (core.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'abroad_%'").all() as { name: string; sql: string }[]).map((t) => [t.name, /STRICT/.test(t.sql)]);
    expect(tables.sort()).toEqual([['abroad_counters', true], ['abroad_files', true], ['abroad_letters', true], ['abroad_requests', true], ['abroad_steps', true]]);
    expect(core.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(m0009Abroad.version);
    expect(core.store.tables().map((t) => t.name)).toEqual(expect.arrayContaining(['abroad_requests', 'abroad_steps', 'abroad_files', 'abroad_letters', 'abroad_counters']));
  });
});

describe('abroad: requests', () => {
  it('creates a request that qualifies, numbered per year, with the route in force and its first step', async () => {
    const core = tempCore();
    const d = await core.call('abroad.create', child());
    expect(d.number).toBe('1/2026');
    expect(d.patient.birthDate).toBe('2015-06-01');
    expect(d.route).toMatchObject({ id: 'current', version: 1, totalWorkingDays: 44 });
    expect(d.currentStep).toBe(1);
    expect(d.steps[0]).toMatchObject({ n: 1, state: 'current', due: '2026-03-03' });
    expect(d.routeDue).toBe('2026-05-12');
    expect((await core.call('abroad.create', child({ diseaseGroup: 'skull_base' }))).number).toBe('2/2026');
    const log = core.db.prepare("SELECT count(*) AS n FROM change_log WHERE table_name LIKE 'abroad_%'").get() as { n: number };
    expect(log.n).toBeGreaterThanOrEqual(3);
  });

  it('refuses what does not qualify, with the reason, and writes nothing', async () => {
    const core = tempCore();
    const cases: [Partial<CreateArgs>, string, RegExp][] = [
      [{ diseaseGroup: 'cardiac_surgery' }, 'abroad.ineligible_group', /cardiac_surgery.*не входит в перечень/],
      [{ category: 'adult' }, 'abroad.ineligible_category', /категория «adult» не входит в перечень/],
      [{ patient: { iin: ADULT_IIN, lastName: 'А', firstName: 'Б' } }, 'abroad.ineligible_age', /возраст пациента на дату начала \(полных лет\) — 41.*от 0 до 18/],
      [{ diseaseGroup: 'transplantation', transplantKind: 'bone_marrow_related' }, 'abroad.ineligible_transplant', /родственная трансплантация костного мозга исключена/],
      [{ confirmations: { indications: false } }, 'abroad.ineligible_confirmation', /нет показаний/],
      [{ category: 'service_injury', patient: { iin: ADULT_IIN, lastName: 'А', firstName: 'Б' }, confirmations: { methods_exhausted: false } }, 'abroad.ineligible_confirmation', /не все разрешенные/],
    ];
    for (const [over, code, message] of cases) {
      const e = await refusal(core.call('abroad.create', child(over)));
      expect(e.code).toBe(code);
      expect(translateError('ru', e.toError())).toMatch(message);
      expect(hasKey('kk', `errors.${code}`)).toBe(true);
    }
    expect((await refusal(core.call('abroad.create', child({ patient: { iin: '123456789012', lastName: 'А', firstName: 'Б' } })))).code).toBe('abroad.invalid_iin');
    expect((await refusal(core.call('abroad.create', child({ patient: { iin: CHILD_IIN, lastName: 'А', firstName: 'Б', birthDate: '2015-06-02' } })))).code).toBe('abroad.iin_mismatch');
    expect((await refusal(core.call('abroad.create', child({ startedOn: '2099-01-01' })))).code).toBe('abroad.date_in_future');
    expect((await refusal(core.call('abroad.create', child({ startedOn: '2026-02-30' })))).code).toBe('abroad.invalid_date');
    // Input built to hurt: quotes and SQL in the group, an over-long category, a wrong type.
    expect((await refusal(core.call('abroad.create', child({ diseaseGroup: "x'); DROP TABLE abroad_requests;--" })))).code).toBe('abroad.ineligible_group');
    expect((await refusal(core.call('abroad.create', child({ category: 'c'.repeat(61) })))).code).toBe('api.invalid_argument');
    expect((await refusal(core.call('abroad.create', { ...child(), confirmations: { indications: 'yes' } } as never))).code).toBe('api.invalid_argument');
    expect((core.db.prepare('SELECT count(*) AS n FROM abroad_requests').get() as { n: number }).n).toBe(0);
    expect((core.db.prepare('SELECT count(*) AS n FROM abroad_counters').get() as { n: number }).n).toBe(0);
  });

  it('goes from eligibility to contract: steps in order, due dates, clinic, contract', async () => {
    const core = tempCore();
    const id = (await core.call('abroad.create', child({ confirmations: {} }))).id;
    // Not confirmed yet: the route does not move.
    expect((await refusal(core.call('abroad.advance', { id, step: 1, date: '2026-03-03' }))).code).toBe('abroad.confirmations_pending');
    await core.call('abroad.update', { id, confirmations: { indications: true } });
    expect((await refusal(core.call('abroad.advance', { id, step: 2, date: '2026-03-03' }))).code).toBe('abroad.step_not_current');
    expect((await refusal(core.call('abroad.advance', { id, step: 1, date: '2026-03-01' }))).code).toBe('abroad.date_before_start');
    expect((await refusal(core.call('abroad.advance', { id, step: 1, date: '2026-04-31' }))).code).toBe('abroad.invalid_date');
    expect((await refusal(core.call('abroad.advance', { id, step: 1, date: '2026-03-03', today: '2026-03-02' }))).code).toBe('abroad.date_in_future');
    const dates = ['2026-03-03', '2026-03-06', '2026-03-13', '2026-03-18', '2026-03-19', '2026-04-14', '2026-04-16', '2026-04-23', '2026-05-12'];
    for (const [i, date] of dates.entries()) {
      const step = i + 1;
      if (step === 8) expect((await refusal(core.call('abroad.advance', { id, step, date }))).code).toBe('abroad.clinic_required');
      const d = await core.call('abroad.advance', { id, step, date, ...(step === 8 ? { clinic: 'Universitätsklinikum Essen' } : {}) });
      expect(d.steps[i]).toMatchObject({ state: 'done', due: date, late: false });
    }
    const d = await core.call('abroad.get', { id, today: '2026-06-01' });
    expect(d.status).toBe('contracted');
    expect(d.contractDate).toBe('2026-05-12');
    expect(d.clinic).toBe('Universitätsklinikum Essen');
    expect(d.elapsedDays).toBe(44);
    expect((await refusal(core.call('abroad.advance', { id, step: 9, date: '2026-05-12' }))).code).toBe('abroad.route_done');
    // The last step can be reopened (a mistake), not an earlier one.
    expect((await refusal(core.call('abroad.reopenStep', { id, step: 8 }))).code).toBe('abroad.step_not_last_done');
    const reopened = await core.call('abroad.reopenStep', { id, step: 9 });
    expect(reopened.currentStep).toBe(9);
    expect(reopened.contractDate).toBeNull();
  });

  it('lists late requests: the current step past its due date on today', async () => {
    const core = tempCore();
    const a = (await core.call('abroad.create', child({ startedOn: '2026-03-02' }))).id;
    const b = (await core.call('abroad.create', child({ startedOn: '2026-03-16', diseaseGroup: 'keratoprosthesis' }))).id;
    await core.call('abroad.advance', { id: b, step: 1, date: '2026-03-17', today: '2026-03-18' });
    const late = await core.call('abroad.list', { late: true, today: '2026-03-18' });
    expect(late.items.map((i) => i.id)).toEqual([a]);
    expect(late.items[0]).toMatchObject({ currentStep: 1, due: '2026-03-03', late: true, lateDays: 10 });
    expect(late.items[0]!.holder?.ru).toBe('Медицинская организация (МО)');
    expect((await core.call('abroad.list', { today: '2026-03-18' })).items.map((i) => i.id)).toEqual([b, a]);
  });
});

describe('abroad: a request keeps its route version', () => {
  it('a new route version in force later does not change a running request; a request started after follows it', async () => {
    const core = tempCore();
    const before = (await core.call('abroad.create', child({ startedOn: '2026-05-04' }))).id;
    const next = JSON.parse(JSON.stringify(routesJson)) as { routes: Record<string, unknown>[] };
    next.routes[0]!.inForce = { from: null, to: '2026-06-30' };
    next.routes.push({ ...next.routes[1]!, id: 'current', version: 2, status: 'current', inForce: { from: '2026-07-01', to: null } });
    const ref = await core.call('abroad.routesReplace', { routes: next });
    expect(ref.source).toBe('local');
    const after = await core.call('abroad.create', child({ startedOn: '2026-07-06' }));
    expect(after.route).toMatchObject({ id: 'current', version: 2, totalWorkingDays: 37 });
    expect(after.steps).toHaveLength(7);
    const old = await core.call('abroad.get', { id: before });
    expect(old.route).toMatchObject({ id: 'current', version: 1, totalWorkingDays: 44 });
    expect(old.steps).toHaveLength(9);
    // Even with the local document gone, the request keeps its snapshot.
    await core.call('abroad.routesReset', {});
    expect((await core.call('abroad.get', { id: after.id })).route.version).toBe(2);
    expect((await refusal(core.call('abroad.routesReplace', { routes: { schema: 'nope' } }))).code).toBe('abroad.routes_invalid');
  });
});

describe('abroad: files and letters', () => {
  it('attaches files to a step through the file store and registers them for sync', async () => {
    const core = tempCore();
    const id = (await core.call('abroad.create', child())).id;
    const content = Buffer.from('%PDF-1.4 identity copy');
    const r = await core.call('abroad.attachFile', { requestId: id, step: 1, document: 'identity_copy', name: 'id.pdf', mime: 'application/pdf', contentBase64: content.toString('base64') });
    expect(r.detail.steps[0]!.files.map((f) => f.name)).toEqual(['id.pdf']);
    expect((core.db.prepare('SELECT count(*) AS n FROM stored_files WHERE sha256 = ?').get(r.file.sha256) as { n: number }).n).toBe(1);
    const back = await core.call('abroad.fileContent', { fileId: r.file.id });
    expect(Buffer.from(back.contentBase64, 'base64').equals(content)).toBe(true);
    expect((await refusal(core.call('abroad.attachFile', { requestId: id, step: 1, document: 'contract', name: 'x.pdf', mime: 'application/pdf', contentBase64: 'AAAA' }))).code).toBe('abroad.unknown_document');
    expect((await refusal(core.call('abroad.attachFile', { requestId: id, step: 1, document: 'other', name: 'x.pdf', mime: 'application/pdf', contentBase64: '!!!' }))).code).toBe('abroad.file_content_invalid');
    const removed = await core.call('abroad.removeFile', { requestId: id, fileId: r.file.id });
    expect(removed.steps[0]!.files).toEqual([]);
  });

  it('renders the petition in kk and ru with letterhead, QR verification and embedded fonts; stored as issued', async () => {
    const core = tempCore();
    const id = (await core.call('abroad.create', child({ diagnosis: { icd10: 'C69.2', text: 'Ретинобластома' } }))).id;
    expect((await refusal(core.call('abroad.renderDocument', { id, doc: 'petition', lang: 'ru' }))).code).toBe('abroad.step_not_reached');
    await core.call('abroad.attachFile', { requestId: id, step: 2, document: 'identity_copy', name: 'id.pdf', mime: 'application/pdf', contentBase64: Buffer.from('x').toString('base64') });
    await core.call('abroad.advance', { id, step: 1, date: '2026-03-03' });
    const dir = tempDir('htmp-abroad-pdf-');
    const ru = await core.call('abroad.renderDocument', { id, doc: 'petition', lang: 'ru' });
    expect(ru.created).toBe(true);
    const kk = await core.call('abroad.renderDocument', { id, doc: 'petition', lang: 'kk' });
    expect(kk.created).toBe(false);
    expect(kk.sha256).toBe(ru.sha256);
    expect(ru.number).toBe('1/2026-2');
    expect(parseAbroadVerification(ru.verification)).toEqual({ kind: 'abroad_petition', number: '1/2026-2', sha256: ru.sha256 });
    const ruFile = path.join(dir, 'petition-ru.pdf');
    const kkFile = path.join(dir, 'petition-kk.pdf');
    fs.writeFileSync(ruFile, Buffer.from(ru.pdfBase64, 'base64'));
    fs.writeFileSync(kkFile, Buffer.from(kk.pdfBase64, 'base64'));
    const ruText = pdfText(ruFile);
    expect(ruText).toContain('ХОДАТАЙСТВО');
    // The letterhead in the letter's language only (the Russian names in a Russian petition).
    expect(ruText).toContain('УПРАВЛЕНИЕ ЗДРАВООХРАНЕНИЯ КАРАГАНДИНСКОЙ ОБЛАСТИ');
    expect(ruText).not.toContain('ҚАРАҒАНДЫ ОБЛЫСЫНЫҢ ДЕНСАУЛЫҚ САҚТАУ БАСҚАРМАСЫ');
    expect(ruText).toContain('Злокачественные новообразования глаза');
    expect(ruText).toContain('дети в возрасте от 0 до 18 лет при наличии показаний');
    expect(ruText).toContain(CHILD_IIN);
    expect(ruText).toContain('Копия удостоверения личности — файлов: 1');
    expect(ruText).toContain(ru.verification.slice(0, 40));
    const kkText = pdfText(kkFile);
    expect(kkText).toContain('ӨТІНІШХАТ');
    expect(kkText).toContain('ҚАРАҒАНДЫ ОБЛЫСЫНЫҢ ДЕНСАУЛЫҚ САҚТАУ БАСҚАРМАСЫ');
    expect(kkText).not.toContain('УПРАВЛЕНИЕ ЗДРАВООХРАНЕНИЯ');
    expect(kkText).toContain('бейресми аудармасы');
    const fonts = execFileSync('pdffonts', [kkFile], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/DejaVu.*yes\s+yes\s+yes/);
    // Verification: the stored statement matches; a changed hash does not.
    expect(await core.call('abroad.verifyDocument', { number: ru.number, sha256: ru.sha256 })).toEqual({ matches: true, known: true });
    expect(await core.call('abroad.verifyDocument', { number: ru.number, sha256: '0'.repeat(64) })).toEqual({ matches: false, known: true });
    // The printed text stays as issued when the request changes later.
    await core.call('abroad.update', { id, diagnosis: { text: 'Другой' } });
    expect((await core.call('abroad.renderDocument', { id, doc: 'petition', lang: 'ru' })).sha256).toBe(ru.sha256);
    // A request with an issued letter cannot be deleted.
    expect((await refusal(core.call('abroad.delete', { id }))).code).toBe('abroad.letter_issued');
  });

  it('cover letters exist for the working body steps only; the petition needs the authority in Settings', async () => {
    const core = tempCore({ commission: false });
    const id = (await core.call('abroad.create', child())).id;
    await core.call('abroad.advance', { id, step: 1, date: '2026-03-03' });
    expect((await refusal(core.call('abroad.renderDocument', { id, doc: 'petition', lang: 'ru' }))).code).toBe('abroad.authority_missing');
    expect((await refusal(core.call('abroad.renderDocument', { id, doc: 'cover_letter', step: 4, lang: 'ru' }))).code).toBe('abroad.no_letter');
    for (const [step, date] of [[2, '2026-03-06'], [3, '2026-03-13']] as const) await core.call('abroad.advance', { id, step, date });
    const letter = await core.call('abroad.renderDocument', { id, doc: 'cover_letter', step: 3, lang: 'ru' });
    const file = path.join(tempDir('htmp-abroad-cl-'), 'l.pdf');
    fs.writeFileSync(file, Buffer.from(letter.pdfBase64, 'base64'));
    const text = pdfText(file);
    expect(text).toContain('СОПРОВОДИТЕЛЬНОЕ ПИСЬМО');
    expect(text).toContain('РАБОЧИЙ ОРГАН (РО) ПРИ АО «НАЦИОНАЛЬНЫЙ НАУЧНЫЙ ЦЕНТР МАТЕРИНСТВА И ДЕТСТВА»');
    expect(text).toContain('Главный внештатный специалист');
    expect(letter.verification.startsWith('HTMP-ABROAD-LETTER|1/2026-3|')).toBe(true);
  });
});

describe('abroad: yearly summary', () => {
  async function year(core: Core) {
    const a = (await core.call('abroad.create', child())).id;
    for (const [step, date] of [[1, '2026-03-05'], [2, '2026-03-10']] as const) await core.call('abroad.advance', { id: a, step, date });
    await core.call('abroad.create', child({ category: 'service_injury', diseaseGroup: 'trachea_stenosis', patient: { iin: ADULT_IIN, lastName: 'Ахметов', firstName: 'Ерлан' }, confirmations: { service_staff: true, severe_injury_on_duty: true, instruction: true, methods_exhausted: true } }));
  }

  it('counts by group and category, time per step and late steps', async () => {
    const core = tempCore();
    await year(core);
    const s = await core.call('abroad.summary', { year: 2026, today: '2026-03-20' });
    expect(s.total).toBe(2);
    expect(s.byGroup).toHaveLength(8);
    expect(s.byGroup.find((g) => g.group === 'eye_malignant')).toEqual({ group: 'eye_malignant', child: 1, service_injury: 0, total: 1 });
    expect(s.byGroup.find((g) => g.group === 'trachea_stenosis')).toMatchObject({ service_injury: 1 });
    const step1 = s.steps.find((x) => x.n === 1)!;
    expect(step1).toMatchObject({ norm: 1, completed: 1, meanDays: 3, maxDays: 3, late: 2 });
    expect(s.late.map((l) => [l.number, l.n, l.lateDays])).toEqual([['1/2026', 1, 2], ['2/2026', 1, 12], ['1/2026', 3, 4]]);
  });

  it('as PDF (with the chart) and as XLSX', async () => {
    const core = tempCore();
    await year(core);
    const pdf = await core.call('abroad.summaryPdf', { year: 2026, lang: 'ru', today: '2026-03-20' });
    const file = path.join(tempDir('htmp-abroad-sum-'), 's.pdf');
    fs.writeFileSync(file, Buffer.from(pdf.pdfBase64, 'base64'));
    const text = pdfText(file);
    expect(text).toContain('сводка за 2026 год');
    expect(text).toContain('Среднее время по шагам');
    expect(pdf.verification.startsWith('HTMP-ABROAD-SUMMARY|2026@2026-03-20|')).toBe(true);
    const x = await core.call('abroad.summaryXlsx', { year: 2026, lang: 'kk', today: '2026-03-20' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.xlsxBase64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Топтар бойынша', 'Қадамдар бойынша', 'Кешіктірулер', 'Маршрут']);
    const byGroup = wb.worksheets[0]!;
    expect(byGroup.getRow(4).values).toEqual([undefined, 'Ауру тобы', 'Балалар', 'Қызметтік жарақаттар', 'Барлығы']);
    expect(byGroup.getRow(13).values).toEqual([undefined, 'Барлығы', 1, 1, 2]);
  });
});
