import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { shot } from './support';

/** The IIN check digit (weights 1..11, then 3..11,1,2 when the first sum gives 10). */
function iin(first: string): string {
  const sum = (w: number[]) => [...first].reduce((s, d, i) => s + Number(d) * w[i]!, 0) % 11;
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return `${first}${c}`;
}

const STANDING = [
  { role: 'chair', name: { kk: 'Сейітқали Әлия Нұрланқызы', ru: 'Сейткали Алия Нурлановна' }, position: { kk: 'Басқарма басшысының орынбасары', ru: 'Заместитель руководителя управления' } },
  { role: 'member', name: { kk: 'Шаһмарданов Ғ. Ө.', ru: 'Шахмарданов Г. О.' }, position: null },
  { role: 'secretary', name: { kk: 'Үмбетова І. Һ.', ru: 'Умбетова И. Х.' }, position: null },
];

/** A registered case with a complete packet (received 20.11.2026, planned, 00.50), as the screens would store it. */
async function registeredCase(app: WebApp, over: { lastName: string; first: string; diagnosisText?: string; inpatient?: boolean }): Promise<string> {
  const saved = await app.api<{ id: string }>('cases.save', {
    patient: { iin: iin(over.first), lastName: over.lastName, firstName: 'Әйгерім', birthDate: `19${over.first.slice(0, 2)}-${over.first.slice(2, 4)}-${over.first.slice(4, 6)}`, sex: 'female', insured: true },
    receivedAt: '2026-11-20T10:00',
    channel: over.inpatient ? 'email' : 'paper',
    htmpCode: '00.50',
    urgency: 'planned',
    inpatient: over.inpatient ?? false,
    diagnosis: { icd10: 'I50.0', text: over.diagnosisText ?? 'Созылмалы жүрек жеткіліксіздігі' },
    documents: [
      { kind: 'identity', paper: true },
      { kind: 'referral', paper: true },
      { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'Созылмалы жүрек жеткіліксіздігі' },
      { kind: 'test_results', paper: true, items: [{ name: 'ЭхоКГ', date: '2026-11-10' }] },
    ],
  });
  await app.api('cases.register', { id: saved.id });
  return saved.id;
}

async function openCase(page: Page, id: string) {
  await page.evaluate((caseId) => {
    window.location.hash = `#/cases/${caseId}`;
  }, id);
  await expect(page.getByTestId('decision')).toBeVisible({ timeout: 15_000 });
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

test('ru: the letterhead and the standing members are set in Settings; an empty field is named in words and nothing is issued', async ({ app }) => {
  test.setTimeout(150_000);
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-commissionNameKk').fill(TEST_COMMISSION.commissionNameKk);
  await page.getByTestId('settings-commissionNameRu').fill(TEST_COMMISSION.commissionNameRu);
  await page.getByTestId('settings-authorityNameKk').fill(TEST_COMMISSION.authorityNameKk);
  // One name still missing: the screen says both languages are needed.
  await expect(page.getByTestId('settings-letterhead')).toContainText('только когда наименования заполнены на обоих языках');
  await page.getByTestId('settings-authorityNameRu').fill(TEST_COMMISSION.authorityNameRu);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-letterhead').getByRole('status')).toHaveText('Сохранено');
  // The standing members, in both languages, kept in the database.
  for (const [i, m] of STANDING.entries()) {
    await page.getByTestId('standing-add').click();
    const row = page.getByTestId('standing-row').nth(i);
    await row.getByTestId('member-role').selectOption(m.role);
    await row.getByTestId('member-nameKk').fill(m.name.kk);
    await row.getByTestId('member-nameRu').fill(m.name.ru);
    if (m.position) {
      await row.getByTestId('member-positionKk').fill(m.position.kk);
      await row.getByTestId('member-positionRu').fill(m.position.ru);
    }
  }
  await shot(page, 'ru-10-settings');
  await page.getByTestId('standing-save').click();
  await expect(page.getByTestId('settings-members').getByRole('status')).toHaveText('Сохранено');
  expect((await app.api<{ members: unknown[] }>('settings.members', {})).members).toHaveLength(3);

  // A case whose diagnosis text is empty.
  const id = await registeredCase(app, { lastName: 'Жұмабекова', first: '90021545012', diagnosisText: '' });
  await openCase(page, id);
  await page.getByTestId('outcome-approved').check();
  // The standing members are offered, ticked, with their Russian names.
  await expect(page.getByTestId('member-standing-name')).toHaveText(STANDING.map((m) => m.name.ru));
  const gaps = page.getByTestId('decision-gaps');
  await expect(gaps).toContainText('Не заполнен текст диагноза (он печатается в протоколе)');
  await expect(gaps).not.toContainText('diagnosis');
  await expect(page.getByTestId('decision-issue')).toBeDisabled();
  // Unticking the chair: named too.
  await page.getByTestId('member-present').first().uncheck();
  await expect(gaps).toContainText('Среди присутствующих нет председателя комиссии');
  await page.getByTestId('decision-gaps').scrollIntoViewIfNeeded();
  await shot(page, 'ru-11-gaps');
  // Nothing was stored by all this.
  expect((await app.api<{ decisions: unknown[] }>('cases.get', { id })).decisions).toEqual([]);

  // Filled in: the protocol can be issued, after a confirmation naming number, outcome, patient and members.
  await page.getByTestId('member-present').first().check();
  await page.getByTestId('case-diagnosisText').fill('Хроническая сердечная недостаточность');
  await page.getByTestId('case-diagnosisText').press('Tab');
  await expect(gaps).toHaveCount(0);
  await page.getByTestId('decision-issue').click();
  const dialog = page.getByTestId('confirm-issue');
  await expect(dialog).toContainText('Оформить протокол № 1/2026?');
  await expect(dialog).toContainText('положительное решение');
  await expect(page.getByTestId('confirm-patient')).toContainText('Жұмабекова Әйгерім');
  await expect(page.getByTestId('confirm-members')).toContainText('Сейткали Алия Нурлановна — председатель комиссии');
  await shot(page, 'ru-12-confirm');
  await page.getByTestId('confirm-issue-yes').click();
  await expect(page.getByTestId('protocol-number')).toContainText('Протокол № 1/2026');
  // The case shows the protocol as issued: the technology in the wording of its section (3, planned).
  await expect(page.getByTestId('statement-technology')).toContainText('В перечне: «Виды высокотехнологичной медицинской помощи в системе обязательного социального медицинского страхования при плановой госпитализации»');
  await shot(page, 'ru-13-issued');
});

test('kk: an issued case cannot be edited; a correction shows its predecessor in the register', async ({ app }) => {
  test.setTimeout(150_000);
  await app.api('settings.update', TEST_COMMISSION);
  await app.api('settings.setMembers', { members: STANDING });
  const id = await registeredCase(app, { lastName: 'Қасымова', first: '88030345012' });
  await app.api('cases.decide', { caseId: id, outcome: 'approved', date: '2026-11-25', issue: true });
  const page = await app.open();
  await page.getByTestId('lang-kk').click();
  await openCase(page, id);
  // Read-only: the form, the packet; the head says why and where to go.
  await expect(page.getByTestId('case-locked')).toContainText('№ 1/2026 хаттама ресімделген');
  await expect(page.getByTestId('patient-lastName')).toBeDisabled();
  await expect(page.getByTestId('case-diagnosisText')).toBeDisabled();
  await expect(page.getByTestId('paper-identity')).toBeDisabled();
  await expect(page.getByTestId('attach-identity')).toHaveCount(0);
  await expect(page.getByTestId('delete-case')).toHaveCount(0);
  await page.getByTestId('case-title').scrollIntoViewIfNeeded();
  await shot(page, 'kk-10-locked');
  // The core refuses a change whatever sends it.
  const refused = await page.evaluate(async (caseId) => {
    const res = await fetch('/api/cases.save', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': sessionStorage.getItem('htmp.token') ?? '' }, body: JSON.stringify({ id: caseId, patient: { lastName: 'Басқа' } }) });
    return ((await res.json()) as { error?: { code: string } }).error?.code;
  }, id);
  expect(refused).toBe('cases.locked');

  // "Correct the decision": the data opens, the correction needs a reason, gets a new number.
  await page.getByTestId('start-correction').click();
  await expect(page.getByTestId('correction-lead')).toContainText('№ 1/2026 хаттаманың орнына');
  await expect(page.getByTestId('case-diagnosisText')).toBeEnabled();
  await page.getByTestId('case-diagnosisText').fill('Дилатациялық кардиомиопатия');
  await page.getByTestId('case-diagnosisText').press('Tab');
  await expect(page.getByTestId('decision-gaps')).toContainText('Түзету себебі көрсетілмеген');
  await page.getByTestId('decision-note').fill('Диагноз нақтыланды');
  await expect(page.getByTestId('decision-gaps')).toHaveCount(0);
  await page.getByTestId('decision-issue').click();
  await expect(page.getByTestId('confirm-issue')).toContainText('№ 2/2026 хаттаманы ресімдеу керек пе?');
  await expect(page.getByTestId('confirm-issue')).toContainText('1/2026');
  await page.getByTestId('confirm-issue-yes').click();
  await expect(page.getByTestId('protocol-number')).toContainText('№ 2/2026 хаттама');
  await expect(page.getByTestId('statement-replaces')).toContainText('№ 1/2026 хаттаманың орнына; себебі: Диагноз нақтыланды');
  await expect(page.getByTestId('patient-lastName')).toBeDisabled();

  // The register shows which protocol the correction replaces, and its note.
  await page.getByTestId('nav-protocols').click();
  await page.getByTestId('protocols-from').fill('2026-01-01');
  await page.getByTestId('protocols-to').fill('2026-12-31');
  const row = page.locator('[data-testid="register-row"][data-number="2/2026"]');
  await expect(row.getByTestId('register-replaces')).toHaveText('№ 1/2026 хаттаманың орнына');
  await expect(row.getByTestId('register-note')).toContainText('Диагноз нақтыланды');
  await expect(page.locator('[data-testid="register-row"][data-number="1/2026"]')).toContainText('түзетумен ауыстырылған');
  await shot(page, 'kk-11-register');
});

for (const lang of ['kk', 'ru'] as const) {
  test(`${lang}: the journal of refusals prints as a PDF document with the letterhead and the period`, async ({ app }, testInfo) => {
    test.setTimeout(120_000);
    await app.api('settings.update', TEST_COMMISSION);
    await app.api('settings.setMembers', { members: STANDING });
    const id = await registeredCase(app, { lastName: 'Ысқақова', first: '92050745012', inpatient: true });
    await app.api('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', date: '2026-11-24', issue: true });
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('open-journal').click();
    await page.getByTestId('journal-from').fill('2026-01-01');
    await page.getByTestId('journal-to').fill('2026-12-31');
    await expect(page.getByTestId('journal-row')).toHaveCount(1);
    await shot(page, `${lang}-20-journal`);
    const downloading = page.waitForEvent('download');
    await page.getByTestId('journal-print').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`refusals-2026-01-01_2026-12-31-${lang}.pdf`);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(file);
    const expected =
      lang === 'kk'
        ? ['БАС ТАРТУЛАР ЖУРНАЛЫ', 'Кезең: 01.01.2026 – 31.12.2026', TEST_COMMISSION.commissionNameKk, TEST_COMMISSION.authorityNameKk.toLocaleUpperCase('kk'), 'стационарлық емделуде', 'Үмбетова І. Һ.']
        : ['ЖУРНАЛ ОТКАЗОВ', 'Период: с 01.01.2026 по 31.12.2026', TEST_COMMISSION.commissionNameRu, TEST_COMMISSION.authorityNameRu.toLocaleUpperCase('ru'), 'на стационарном лечении', 'Умбетова И. Х.'];
    for (const phrase of expected) expect(text).toContain(phrase);
    // The IIN is printed whole, on one line.
    expect(execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' })).toContain(iin('92050745012'));
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(testInfo.outputDir, `journal-${lang}`)]);
    await expect(page.getByTestId('journal-note')).toBeVisible();
  });
}
