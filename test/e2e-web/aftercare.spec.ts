import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { kzToday } from '../../shared/domain/kz-time';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { shot } from './support';

// What happens after a decision (ДСМ-238 points 36-42), the dashboard and the annual report, in
// Kazakh and Russian. Texts are taken from the locale files, so the checks follow the wording.
const root = path.resolve(import.meta.dirname, '..', '..');
type Tree = { [k: string]: string | Tree };
const L = (lang: 'kk' | 'ru', ns: string) => JSON.parse(fs.readFileSync(path.join(root, 'locales', lang, `${ns}.json`), 'utf8')) as Tree;
const get = (tree: Tree, key: string): string => key.split('.').reduce<string | Tree>((n, k) => (n as Tree)[k]!, tree) as string;

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
// Valid IINs (check digit per the IIN rules), women born 1966-2001.
const IINS = ['900215400013', '850720400017', '770101400014', '660512400016', '941211400011', '010303600018', '880808400010', '720202400014', '990919400017', '801111400010'];
const MEMBERS = [
  { name: 'Сейітқали Әлия Нұрланқызы', role: 'chair' },
  { name: 'Үмбетова Іңкәр Һадиқызы', role: 'secretary' },
];

interface Spec {
  n: number;
  lastName: string;
  receivedAt: string;
  outcome?: 'approved' | 'refused';
  reason?: 'no_indications' | 'incomplete_packet' | 'not_authentic';
  decided?: string;
  inpatient?: boolean;
  provider?: string;
  followUp?: Record<string, unknown>;
}

/** A registered case, decided and issued when asked, through the API the screens use. */
async function makeCase(app: WebApp, s: Spec): Promise<string> {
  const saved = await app.api<{ id: string }>('cases.save', {
    patient: { iin: IINS[s.n]!, lastName: s.lastName, firstName: 'Айгерім', primaryCareOrg: '№5 емхана, Қарағанды', insured: true },
    receivedAt: s.receivedAt,
    channel: s.inpatient ? 'email' : 'paper',
    htmpCode: '54.970.059',
    urgency: 'planned',
    inpatient: s.inpatient ?? false,
    diagnosis: { icd10: 'I25.1', text: 'ИБС' },
    providerOrg: s.provider ?? '«Ұлттық ғылыми кардиохирургия орталығы» АҚ',
    documents: [
      { kind: 'identity', paper: true },
      { kind: 'referral', paper: true },
      { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'ИБС' },
      { kind: 'test_results', paper: true, items: [{ name: 'ЭКГ', date: s.receivedAt.slice(0, 10) }] },
    ],
  });
  await app.api('cases.register', { id: saved.id });
  if (s.outcome) {
    await app.api('cases.decide', { caseId: saved.id, outcome: s.outcome, reason: s.reason ?? null, members: MEMBERS, date: s.decided ?? s.receivedAt.slice(0, 10), issue: true });
  }
  if (s.followUp) await app.api('cases.followUp', { caseId: saved.id, ...s.followUp });
  return saved.id;
}

async function openCase(page: Page, id: string) {
  await page.evaluate((caseId) => {
    window.location.hash = `#/cases/${caseId}`;
  }, id);
  await expect(page.getByTestId('case-title')).toBeVisible({ timeout: 15_000 });
}

// Documents and charts are made on a 2-core machine shared with other work: allow for it.
test.describe.configure({ timeout: 240_000 });

for (const lang of ['kk', 'ru'] as const) {
  test(`${lang}: an approved case walks through the Portal, the hospitalization date, informing, discharge and follow-up`, async ({ app }) => {
    const a = L(lang, 'aftercare');
    const c = L(lang, 'cases');
    await app.api('settings.update', TEST_COMMISSION);
    const id = await makeCase(app, { n: 0, lastName: 'Жұмабекова', receivedAt: '2026-03-05T10:00', outcome: 'approved', decided: '2026-03-06' });
    const today = kzToday();
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await openCase(page, id);
    const after = page.getByTestId('after-approval');
    await expect(after).toBeVisible();
    await expect(page.getByTestId('step-portal-state')).toHaveText(get(a, 'state.open'));
    await expect(page.getByTestId('step-hospitalization_date-state')).toHaveText(get(a, 'state.waiting'));

    // Point 36: registered on the Portal; point 38's two working days start.
    await page.getByTestId('portal-exported').click();
    await expect(page.getByTestId('portal-status')).toHaveText(get(c, 'ui.portal.exported'));
    await page.getByTestId('portal-uploaded').click();
    await expect(page.getByTestId('portal-status')).toHaveText(get(c, 'ui.portal.uploaded'));
    await expect(page.getByTestId('step-portal-state')).toHaveText(get(a, 'state.done'));
    await expect(page.getByTestId('step-hospitalization_date-state')).toHaveText(get(a, 'state.open'));
    const due = await app.api<{ due: string }>('calendar.deadline', { from: `${today}T12:00`, workingDays: 2 });
    await expect(page.getByTestId('step-hospitalization_date-due')).toContainText(due.due.split('-').reverse().join('.'));
    await after.scrollIntoViewIfNeeded();
    await shot(page, `${lang}-after-01-portal`);

    // Point 38: the date the providing organization set, and the day it set it.
    await page.getByTestId('hosp-date').fill(today);
    await page.getByTestId('hosp-set-on').fill(today);
    await page.getByTestId('hosp-save').click();
    await expect(page.getByTestId('hosp-saved')).toBeVisible();
    await expect(page.getByTestId('step-hospitalization_date-state')).toHaveText(get(a, 'state.done'));
    await expect(page.getByTestId('step-inform-state')).toHaveText(get(a, 'state.open'));

    // Point 39: informing before the date was set is refused with a calm message, then done by SMS.
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('inform-save').click();
    await expect(page.getByTestId('after-inform').getByRole('alert')).toHaveText(get(a, 'inform.channelMissing'));
    await page.getByTestId('inform-channel-sms').check();
    await page.getByTestId('inform-date').fill(yesterday);
    await page.getByTestId('inform-save').click();
    await expect(page.getByTestId('after-inform').getByRole('alert')).toContainText(get(a, 'errors.aftercare.date_order_informedOn').split('(')[0]!.trim());
    await page.getByTestId('inform-date').fill(today);
    await page.getByTestId('inform-save').click();
    await expect(page.getByTestId('informed-state')).toContainText(get(a, 'inform.channel.sms'));
    await expect(page.getByTestId('step-inform-state')).toHaveText(get(a, 'state.done'));

    // Point 41: the discharge summary with its plan and a scan.
    await page.getByTestId('discharge-received').fill(today);
    await page.getByTestId('discharge-recommendations').fill('Антикоагулянттар, кардиологтың бақылауы');
    await page.getByTestId('discharge-plan').fill('1, 3, 6 және 12 айдан кейін ЭхоКГ');
    await page.getByTestId('discharge-attach').setInputFiles({ name: 'epikriz.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect(page.getByTestId('discharge-files')).toContainText('epikriz.pdf');
    await page.getByTestId('discharge-save').click();
    await expect(page.getByTestId('discharge-saved')).toBeVisible();
    await expect(page.getByTestId('step-discharge-state')).toHaveText(get(a, 'state.done'));

    // Point 42: the operation starts the one-year follow-up.
    await page.getByTestId('fu-operationDate').fill(today);
    await page.getByTestId('fu-dischargeDate').fill(today);
    await page.getByTestId('fu-complications').selectOption('no');
    await page.getByTestId('fu-disability').selectOption('no');
    await page.getByTestId('followup-save').click();
    await expect(page.getByTestId('followup-saved')).toBeVisible();
    const oneYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
    await expect(page.getByTestId('step-follow_up-due')).toContainText(oneYear.split('-').reverse().join('.'));
    await expect(page.getByTestId('step-follow_up-state')).toHaveText(get(a, 'state.open'));

    // The timeline: every step, who did it (by law) and where it was entered.
    const timeline = page.getByTestId('timeline');
    await expect(timeline).toContainText(get(a, 'event.informed').replace('{{channel}}', get(a, 'inform.channel.sms')));
    await expect(timeline).toContainText(get(a, 'event.operation'));
    await expect(timeline).toContainText(get(a, 'recorded.here').split('{{at}}').at(-1)!.trim());
    // Received, registered, decision, three Portal statuses, date set, informed, operation, discharge,
    // discharge summary, complications, disability.
    await expect(page.getByTestId('timeline-event')).toHaveCount(13);
    await page.getByTestId('after-steps').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-after-02-steps`);
    await timeline.scrollIntoViewIfNeeded();
    await shot(page, `${lang}-after-03-timeline`);
  });
}

/** A small register: two months, approvals and refusals by each ground, a provider with an operation. */
async function seed(app: WebApp): Promise<void> {
  await app.api('settings.update', TEST_COMMISSION);
  await makeCase(app, { n: 1, lastName: 'Абаев', receivedAt: '2026-02-02T10:00', outcome: 'approved', decided: '2026-02-03', followUp: { operationDate: '2026-02-20', complications: true, disability: false } });
  await makeCase(app, { n: 2, lastName: 'Серікбаев', receivedAt: '2026-02-10T10:00', outcome: 'approved', decided: '2026-02-16', provider: 'ГКП на ПХВ «Областная больница»' });
  await makeCase(app, { n: 3, lastName: 'Омарова', receivedAt: '2026-03-03T10:00', outcome: 'refused', reason: 'no_indications', decided: '2026-03-04' });
  await makeCase(app, { n: 4, lastName: 'Ким', receivedAt: '2026-03-11T10:00', outcome: 'refused', reason: 'not_authentic', decided: '2026-03-12', inpatient: true });
  await makeCase(app, { n: 5, lastName: 'Иванов', receivedAt: '2026-03-12T10:00' });
  // Last year's report (its reminder stays on Today until it is marked submitted).
  await makeCase(app, { n: 6, lastName: 'Тоқтарова', receivedAt: '2025-06-02T10:00', outcome: 'approved', decided: '2025-06-03', followUp: { operationDate: '2025-06-20' } });
}

test('the dashboard draws its charts with a table behind each, in both languages; Today reminds of steps, follow-ups, the journal and the report', async ({ app }) => {
  await seed(app);
  const page = await app.open();
  for (const lang of ['ru', 'kk'] as const) {
    const r = L(lang, 'reports');
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-reports').click();
    await expect(page.getByTestId('nav-reports')).toHaveText(get(r, 'nav'));
    await page.getByTestId('dash-from').fill('2026-01-01');
    await page.getByTestId('dash-to').fill('2026-06-30');
    const ids = ['perMonth', 'reviewTime', 'overdueNow', 'sectionFunding', 'providers', 'refusals', 'followUp'];
    for (const id of ids) {
      await expect(page.getByTestId(`chart-${id}`)).toBeVisible();
      await expect(page.getByTestId(`chart-${id}-canvas`).locator('svg')).toHaveCount(1);
    }
    await expect(page.getByTestId('chart-perMonth')).toContainText(get(r, 'charts.perMonth.title'));
    // The numbers behind the monthly chart: February 2 approved, March 2 refused and 1 undecided.
    await page.getByTestId('chart-perMonth').locator('summary').click();
    const rows = page.getByTestId('chart-perMonth-table').locator('tbody tr');
    await expect(rows).toHaveCount(6);
    await expect(rows.nth(1)).toHaveText(/02\.2026\s*2\s*0\s*0\s*2/);
    await expect(rows.nth(2)).toHaveText(/03\.2026\s*0\s*2\s*1\s*3/);
    await page.getByTestId('chart-refusals').locator('summary').click();
    await expect(page.getByTestId('chart-refusals-table')).toContainText(get(r, 'charts.ground.not_authentic'));
    await shot(page, `${lang}-dashboard`);
  }
  const dash = await app.api<{ totals: { received: number; approved: number; refused: number; undecided: number } }>('reports.dashboard', { from: '2026-01-01', to: '2026-06-30' });
  expect(dash.totals).toEqual({ received: 5, approved: 2, refused: 2, undecided: 1 });

  // Today (kk): last year's report is due, an inpatient's refusal waits for the journal of point 40.
  const a = L('kk', 'aftercare');
  await page.getByTestId('nav-today').click();
  await expect(page.getByTestId('today-annual')).toContainText('2025');
  await expect(page.getByTestId('today-journal')).toContainText('Ким');
  await page.getByTestId('today-journal').scrollIntoViewIfNeeded();
  await shot(page, 'kk-today-after');
  await page.getByTestId('today-journal').getByRole('link', { name: /Ким/ }).click();
  await expect(page.getByTestId('inpatient-journal')).toBeVisible();
  await page.getByTestId('journal-number').fill('117');
  await page.getByTestId('journal-save').click();
  await expect(page.getByTestId('journal-state')).toContainText('117');
  await expect(page.getByTestId('journal-state')).toContainText(get(a, 'journal.enteredNumbered').split('{{')[0]!.trim());

  // The case list's filter of overdue steps: the undecided case is past its review deadline.
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('filter-due').selectOption('steps');
  await expect(page.getByTestId('overdue-table')).toContainText('Иванов');
  await expect(page.getByTestId('overdue-table')).toContainText(get(a, 'overdueStep.review'));
  await shot(page, 'kk-cases-overdue-steps');
});

test('the annual report downloads as PDF (kk, ru) and XLSX; the workbook holds the same numbers', async ({ app }, testInfo) => {
  await seed(app);
  const report = await app.api<{ totals: Record<string, number>; rows: { htmpCode: string; provider: string; approvals: number; operations: number }[] }>('reports.annual', { year: 2026 });
  expect(report.totals).toMatchObject({ referrals: 5, approvals: 2, refusalsTotal: 2, operations: 1, complications: 1 });
  const page = await app.open();
  const dir = fs.mkdtempSync(path.join(app.dataDir, 'dl-'));
  for (const lang of ['kk', 'ru'] as const) {
    const r = L(lang, 'reports');
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('tab-annual').click();
    await page.getByTestId('annual-year').selectOption('2026');
    await expect(page.getByTestId('annual-summary').locator('tr[data-measure="referrals"] td')).toHaveText('5');
    await expect(page.getByTestId('chart-annualSections-canvas').locator('svg')).toHaveCount(1);
    await shot(page, `${lang}-annual`);

    const pdfDownload = page.waitForEvent('download');
    await page.getByTestId(`annual-pdf-${lang}`).click();
    const pdf = await pdfDownload;
    expect(pdf.suggestedFilename()).toBe(`annual-report-2026-${lang}.pdf`);
    const pdfFile = path.join(dir, pdf.suggestedFilename());
    await pdf.saveAs(pdfFile);
    expect(fs.readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(get(r, 'annual.title').replace('{{year}}', '2026').split(' ').slice(0, 3).join(' '));
    expect(text).toContain(get(r, 'charts.annualSections.title'));
    testInfo.attachments.push({ name: pdf.suggestedFilename(), path: pdfFile, contentType: 'application/pdf' });

    const xlsxDownload = page.waitForEvent('download');
    await page.getByTestId(`annual-xlsx-${lang}`).click();
    const xlsx = await xlsxDownload;
    expect(xlsx.suggestedFilename()).toBe(`annual-report-2026-${lang}.xlsx`);
    const xlsxFile = path.join(dir, xlsx.suggestedFilename());
    await xlsx.saveAs(xlsxFile);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    const sheet = wb.getWorksheet(get(r, 'xlsx.sheet.rows'))!;
    expect(sheet).toBeTruthy();
    // Header, one row per (code, section, provider), the total row: the same numbers as the API.
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (label: string) => header.indexOf(label) + 1;
    expect(sheet.rowCount).toBe(1 + report.rows.length + 1);
    report.rows.forEach((row, i) => {
      const x = sheet.getRow(2 + i);
      expect(x.getCell(1).value).toBe(row.htmpCode);
      expect(x.getCell(col(get(r, 'charts.measure.approvals'))).value).toBe(row.approvals);
      expect(x.getCell(col(get(r, 'charts.measure.operations'))).value).toBe(row.operations);
    });
    const total = sheet.getRow(sheet.rowCount);
    expect(total.getCell(col(get(r, 'charts.measure.referrals'))).value).toBe(report.totals.referrals);
    expect(total.getCell(col(get(r, 'charts.measure.refusalsTotal'))).value).toBe(report.totals.refusalsTotal);
    expect(total.getCell(col(get(r, 'charts.measure.complications'))).value).toBe(report.totals.complications);
  }
  // Marked submitted: the reminder is gone.
  await page.getByTestId('annual-year').selectOption('2025');
  await page.getByTestId('annual-mark').click();
  await expect(page.getByTestId('annual-submission')).toContainText('2025');
  await page.getByTestId('nav-today').click();
  await expect(page.getByTestId('today-dueToday')).toBeVisible();
  await expect(page.getByTestId('today-annual')).toHaveCount(0);
});
