import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { shot } from './support';

// Long flows (registry, application, assessment, PDFs, a case) on a machine shared with others.
test.describe.configure({ timeout: 240_000 });

/** A valid BIN: registered 2004-05, legal entity, head office, serial n (the IIN check digit). */
function bin(n: number): string {
  for (let k = n * 10; ; k++) {
    const first = `040540${String(k).padStart(5, '0')}`;
    const sum = (w: number[]) => [...first].reduce((s, d, i) => s + Number(d) * w[i]!, 0) % 11;
    let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (c !== 10) return `${first}${c}`;
  }
}
const A = { bin: bin(1), kk: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ', ru: 'АО «Национальный научный кардиохирургический центр»' };
const B = { bin: bin(2), kk: 'Қарағанды облыстық көпбейінді ауруханасы', ru: 'Карагандинская областная многопрофильная больница' };
const CSV = [
  'bin;name_kk;name_ru;region;level;phone',
  `${A.bin};${A.kk};${A.ru};astana;republican;+7 7172 70 30 30`,
  `${B.bin};${B.kk};${B.ru};karaganda;regional;`,
].join('\n');

// The conformity year 2027 and a case decided in it: the world runs in February 2027 (dates after
// today are refused since issue 13).
test.use({ clockAt: '2027-02-10T10:00:00+05:00' });

const IIN = '900315300010';

/** A registered case for 00.50 with a draft approval dated in the conclusion's year. */
async function caseFor(app: WebApp): Promise<string> {
  await app.api('settings.update', TEST_COMMISSION);
  const saved = await app.api<{ id: string }>('cases.save', {
    patient: { iin: IIN, lastName: 'Сейткалиев', firstName: 'Ерлан', birthDate: '1990-03-15', sex: 'male' },
    receivedAt: '2027-02-01T10:00',
    channel: 'paper',
    htmpCode: '00.50',
    urgency: 'planned',
    inpatient: false,
    diagnosis: { icd10: 'I44.2', text: 'Атриовентрикулярная блокада полная' },
    documents: [
      { kind: 'identity', paper: true },
      { kind: 'referral', paper: true },
      { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'AV-блокада' },
      { kind: 'test_results', paper: true, items: [{ name: 'ЭКГ', date: '2027-01-20' }] },
    ],
  });
  await app.api('cases.register', { id: saved.id });
  await app.api('cases.decide', { caseId: saved.id, outcome: 'approved', reason: null, date: '2027-02-03', members: [{ name: 'Сапаров А.', role: 'chair' }, { name: 'Омарова Д.', role: 'secretary' }] });
  return saved.id;
}

/** Imports the registry file through the screen: checked first, then imported. */
async function importRegistry(page: Page, content: string, name = 'orgs.csv') {
  await page.getByTestId('orgs-import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
}

/** Fills a 00.50 application (one interventional arrhythmologist, the angiograph, the permit) and saves it. */
async function enterApplication(page: Page, orgLabel: RegExp) {
  await page.getByTestId('orgs-tab-applications').click();
  await page.getByTestId('application-new').click();
  await page.getByTestId('app-org').selectOption({ label: (await page.getByTestId('app-org').locator('option').filter({ hasText: orgLabel }).first().textContent())! });
  await page.getByTestId('app-code').selectOption('00.50');
  await page.getByTestId('app-year').fill('2027');
  await page.getByTestId('app-volume').fill('150');
  await expect(page.getByTestId('app-requirements')).toContainText('иондаушы сәулелеу көздерімен');
  await page.getByTestId('app-add-staff').click();
  await page.getByTestId('staff-req-0').selectOption('s1');
  await page.getByTestId('staff-name-0').fill('Әбдіхалықов Нұрлан');
  await page.getByTestId('staff-specialty-0').fill('Кардиология (интервенциялық аритмология) (ересектер)');
  await page.getByTestId('staff-years-0').fill('7');
  await page.getByTestId('staff-hours-0').fill('120');
  await page.getByTestId('staff-date-0').fill('2025-04-10');
  await page.getByTestId('app-add-device').click();
  await page.getByTestId('device-req-0').selectOption('d1');
  await expect(page.getByTestId('device-name-0')).toHaveValue('Гемодинамика жүйесі бар ангиографиялық қондырғы');
  await page.getByTestId('device-model-0').fill('Artis zee');
  await page.getByTestId('device-serial-0').fill('AZ-2019-77');
  await page.getByTestId('app-add-permit').click();
  await page.getByTestId('permit-number-0').fill('KZ-RAD-0042');
  await page.getByTestId('permit-until-0').fill('2028-12-31');
  await page.getByTestId('app-save').click();
  await expect(page.getByTestId('app-receive')).toBeVisible();
}

async function pdfOf(page: Page, testId: string, dir: string): Promise<string> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(`${testId}-save`).click();
  const d = await downloading;
  const file = path.join(dir, d.suggestedFilename());
  await d.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

test('kk: import the registry, enter an application, assess, issue the conclusion PDF, choose the organization on a case and see the warning', async ({ app }, info) => {
  const caseId = await caseFor(app);
  const page = await app.open();
  page.on('dialog', (d) => void d.accept());
  await page.getByTestId('lang-kk').click();
  await page.getByTestId('nav-orgs').click();
  await expect(page.getByTestId('nav-orgs')).toHaveText('ЖТМК көрсететін ұйымдар');

  // Registry: the file is checked, then imported; search folds Kazakh letters.
  await importRegistry(page, CSV);
  await expect(page.getByTestId('orgs-import-ok')).toContainText('жаңа — 2');
  await page.getByTestId('orgs-import-run').click();
  await expect(page.getByTestId('orgs-import-done')).toContainText('жаңа — 2');
  await expect(page.getByTestId('orgs-table')).toContainText(A.kk);
  await page.getByTestId('orgs-search').fill('карагaнды');
  await expect(page.getByTestId('orgs-count')).toHaveText('1 ұйым');
  await shot(page, 'kk-01-registry');

  // The issuing subdivision.
  await page.getByTestId('orgs-tab-settings').click();
  await page.getByTestId('issuer-issuerKk').fill('Астана қаласы бойынша медициналық және фармацевтикалық бақылау департаменті');
  await page.getByTestId('issuer-issuerRu').fill('Департамент медицинского и фармацевтического контроля по городу Астана');
  await page.getByTestId('issuer-signerName').fill('Омаров Д.');
  await page.getByTestId('issuer-signerPosition').fill('Департамент басшысы');
  await page.getByTestId('issuer-save').click();
  await expect(page.getByRole('status')).toHaveText('Сақталды.');

  // Application (app. 1).
  await enterApplication(page, /Ұлттық ғылыми/);
  await shot(page, 'kk-02-application');
  // Received outside the window: refused with the window's dates.
  await page.getByTestId('app-received-on').fill('2026-10-20');
  await page.getByTestId('app-receive-button').click();
  await expect(page.locator('[role=alert]').first()).toContainText('15.09.2026 – 15.10.2026');
  await page.getByTestId('app-received-on').fill('2026-10-01');
  await page.getByTestId('app-receive-button').click();
  await expect(page.getByTestId('app-received-info')).toContainText('31.10.2026');

  // Assessment and conclusion (app. 3).
  const assessment = page.getByTestId('assessment');
  await expect(assessment).toBeVisible();
  await expect(page.getByTestId('assess-overall')).toHaveText('Сәйкес келеді');
  await expect(page.getByTestId('assess-s1')).toContainText('Талапқа сәйкес: Әбдіхалықов Нұрлан.');
  // An override needs a justification before the conclusion can be issued.
  await page.getByTestId('decide-d1').selectOption('not_met');
  await expect(page.getByTestId('issue-button')).toBeDisabled();
  await page.getByTestId('justify-d1').fill('Ангиограф 2026 жылдың қазанынан бері жұмыс істемейді (тексеру актісі)');
  await page.getByTestId('decide-d1').selectOption('');
  await page.getByTestId('assess-save').click();
  await shot(page, 'kk-03-assessment');
  await page.getByTestId('issue-date').fill('2026-10-12');
  await page.getByTestId('issue-button').click();
  await expect(page.getByTestId('conclusion-issued')).toContainText('№ 1/2026');
  await expect(page.getByTestId('conclusion-issued')).toContainText('01.01.2027 – 31.12.2027');
  const dir = info.outputPath('pdf');
  fs.mkdirSync(dir, { recursive: true });
  await page.getByTestId('conclusion-lang').selectOption('kk');
  const text = await pdfOf(page, 'conclusion', dir);
  expect(text).toContain('сәйкестігіне/сәйкессіздігіне қорытынды');
  expect(text).toContain(A.kk);
  expect(text).toContain('HTMP-CONCLUSION|1/2026|');
  await page.getByTestId('application-lang').selectOption('kk');
  expect(await pdfOf(page, 'application', dir)).toContain('Кадрлар туралы мәліметтер');
  await shot(page, 'kk-04-issued');

  // The case: the organizations with a valid conclusion for 00.50 on the decision date; another one is warned about.
  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  const picker = page.getByTestId('provider-picker');
  await expect(picker).toBeVisible();
  await expect(page.getByTestId('provider-eligible')).toContainText(A.kk);
  await picker.locator('summary').click();
  await page.getByTestId('provider-search').fill('қарағанды');
  await page.getByTestId('provider-other').selectOption({ index: 1 });
  await page.getByTestId('provider-other-choose').click();
  await expect(page.getByTestId('provider-warning')).toContainText(`«${B.kk}» ұйымында 00.50 коды бойынша 03.02.2027 күні жарамды қорытынды жоқ`);
  await picker.scrollIntoViewIfNeeded();
  await shot(page, 'kk-05-case-warning');
  await page.getByTestId(`provider-choose-${A.bin}`).click();
  await expect(page.getByTestId('provider-warning')).toHaveCount(0);
  await expect(page.getByTestId('provider-conclusion')).toContainText('№ 1/2026');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-status', 'saved');
});

test('ru: a wrong row imports nothing; a first-time application for the current year; the conclusion in Russian; the case warns', async ({ app }, info) => {
  const caseId = await caseFor(app);
  await app.api('orgs.updateSettings', { issuerKk: 'Астана қаласы бойынша департамент', issuerRu: 'Департамент по городу Астана', signerName: 'Омаров Д.', signerPosition: 'Руководитель' });
  const page = await app.open();
  page.on('dialog', (d) => void d.accept());
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-orgs').click();
  await expect(page.getByTestId('nav-orgs')).toHaveText('Организации, оказывающие ВТМП');

  await importRegistry(page, `${CSV}\n123;Х;Х;astana;city;\n${bin(3)};Х;Х;mars;city;`);
  await expect(page.getByTestId('orgs-import-errors')).toHaveText('В файле 2 ошибки, ничего не будет импортировано.');
  await expect(page.getByTestId('orgs-import')).toContainText('БИН состоит из 12 цифр.');
  await expect(page.getByTestId('orgs-import')).toContainText('Такого региона нет.');
  await expect(page.getByTestId('orgs-import-run')).toHaveCount(0);
  await shot(page, 'ru-01-import-errors');
  await expect(page.getByTestId('orgs-count')).toHaveText('В реестре нет организаций.');
  await importRegistry(page, CSV);
  await page.getByTestId('orgs-import-run').click();
  await expect(page.getByTestId('orgs-count')).toHaveText('2 организации');

  // A new organization by hand: the BIN is checked when the field is left.
  await page.getByTestId('org-new').click();
  await page.getByTestId('org-bin').fill('040540000100');
  await page.getByTestId('org-nameKk').click();
  await expect(page.getByTestId('org-error-bin')).toHaveText('Контрольная цифра БИН не сходится: проверьте номер.');
  await shot(page, 'ru-02-org-form');

  // A first application for 00.50 by organization B, for the current year (point 24).
  await enterApplication(page, /Карагандинская/);
  await page.getByTestId('app-first').check();
  await expect(page.getByTestId('app-volume')).toBeDisabled();
  await page.getByTestId('app-year').fill('2027');
  await page.getByTestId('app-save').click();
  await page.getByTestId('app-received-on').fill('2027-01-15');
  await page.getByTestId('app-receive-button').click();
  await expect(page.getByTestId('app-received-info')).toContainText('Срок оценки: 14.02.2027');
  await expect(page.getByTestId('assess-overall')).toHaveText('Соответствует');
  await shot(page, 'ru-03-assessment');
  await page.getByTestId('issue-date').fill('2027-01-20');
  await page.getByTestId('issue-button').click();
  await expect(page.getByTestId('conclusion-issued')).toContainText('действует с 15.01.2027 по 31.12.2027');
  const dir = info.outputPath('pdf');
  fs.mkdirSync(dir, { recursive: true });
  await page.getByTestId('conclusion-lang').selectOption('ru');
  const text = await pdfOf(page, 'conclusion', dir);
  expect(text).toContain('Заключение о соответствии/несоответствии');
  expect(text).toContain(B.ru);
  expect(text).toContain('Действует с 15.01.2027 по 31.12.2027');
  await page.getByTestId('application-lang').selectOption('both');
  const both = await pdfOf(page, 'application', dir);
  expect(both).toContain('Сведения о кадрах');
  expect(both).toContain('Кадрлар туралы мәліметтер');

  // The case: B is eligible now; A (no conclusion) is warned about.
  await page.evaluate((id) => {
    window.location.hash = `#/cases/${id}`;
  }, caseId);
  await expect(page.getByTestId('provider-eligible')).toContainText(B.ru);
  await page.getByTestId('provider-picker').locator('summary').click();
  await page.getByTestId('provider-search').fill('кардиохирургический');
  await page.getByTestId('provider-other').selectOption({ index: 1 });
  await page.getByTestId('provider-other-choose').click();
  await expect(page.getByTestId('provider-warning')).toContainText(`у организации «${A.ru}» нет действующего заключения по коду 00.50 на 03.02.2027`);
  await page.getByTestId('provider-picker').scrollIntoViewIfNeeded();
  await shot(page, 'ru-04-case-warning');
});
