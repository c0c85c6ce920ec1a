import type { Page } from '@playwright/test';
import { expect, test, TEST_COMMISSION } from './fixtures';
import { newCase, shot } from './support';

// Small real files: a 1x1 PNG and a one-page PDF, attached through the file inputs as buffers.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

async function waitSaved(page: Page) {
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-status', 'saved');
}

test('ru: a case from an invalid IIN to a complete packet, approved, listed', async ({ app }) => {
  // A whole case, by hand: longer than one minute on a busy build machine.
  test.setTimeout(180_000);
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  // First run: the secretary names the commission (protocols print it; issuing needs it).
  await page.getByTestId('nav-settings').click();
  await page.getByLabel('Наименование комиссии — на казахском языке').fill(TEST_COMMISSION.commissionNameKk);
  await page.getByLabel('Наименование комиссии — на русском языке').fill(TEST_COMMISSION.commissionNameRu);
  await page.getByLabel('Местный орган государственного управления здравоохранением — на казахском языке').fill(TEST_COMMISSION.authorityNameKk);
  await page.getByLabel('Местный орган государственного управления здравоохранением — на русском языке').fill(TEST_COMMISSION.authorityNameRu);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-letterhead').getByRole('status')).toHaveText('Сохранено');
  await newCase(page);
  await shot(page, 'ru-01-new-case');
  // Registering an empty case says which fields are missing, by their labels, and marks them.
  await page.getByTestId('register').click();
  await expect(page.locator('.case-screen [role=alert]').first()).toContainText('«Фамилия»');
  await expect(page.getByTestId('findings-lastName')).toContainText('фамилия');

  // An IIN with a wrong check digit: the error appears under the field, in Russian.
  await page.getByTestId('patient-iin').fill('900315300011');
  await expect(page.getByTestId('findings-iin')).toContainText('не сходится контрольная');
  await expect(page.getByTestId('patient-iin')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('patient-iin').fill('900315300010');
  await expect(page.getByTestId('findings-iin')).toHaveCount(0);
  // Birth date and sex come from the IIN.
  await expect(page.getByTestId('patient-birthDate')).toHaveValue('15.03.1990');
  await expect(page.getByTestId('patient-sex')).toHaveValue('male');
  // A contradicting sex is flagged next to the sex field.
  await page.getByTestId('patient-sex').selectOption('female');
  await expect(page.getByTestId('findings-sex')).toContainText('пол по ИИН');
  await page.getByTestId('patient-sex').selectOption('male');
  await expect(page.getByTestId('findings-sex')).toHaveCount(0);

  await page.getByTestId('patient-lastName').fill('Сейткалиев');
  await page.getByTestId('patient-firstName').fill('Ерлан');
  await page.getByTestId('patient-primaryCareOrg').fill('ГП №5 г. Павлодар');
  // The code: looked up by words in the catalogue, picked with the keyboard, named in Russian.
  await page.getByTestId('case-htmpCode').fill('бивентрикулярного');
  await expect(page.getByTestId('code-suggestions')).toBeVisible();
  await page.getByTestId('case-htmpCode').press('Enter');
  await expect(page.getByTestId('case-htmpCode')).toHaveValue(/^\d{2}\.\d+$/);
  await page.getByTestId('case-htmpCode').fill('00.50');
  await expect(page.getByTestId('code-name')).toContainText('Имплантация бивентрикулярного электрокардиостимулятора');
  await page.getByTestId('case-urgency').selectOption('planned');
  // An ICD-10 code typed with a Cyrillic letter: explained, with the fix offered.
  await page.getByTestId('case-icd10').fill('С50');
  await expect(page.getByTestId('findings-icd10')).toContainText('кириллическая');
  await page.getByTestId('icd10-suggestion').click();
  await expect(page.getByTestId('case-icd10')).toHaveValue('C50');
  await page.getByTestId('case-icd10').fill('I50.0');
  await page.getByTestId('case-diagnosisText').fill('Хроническая сердечная недостаточность');
  await waitSaved(page);
  await expect(page.getByTestId('funding')).toContainText('ОСМС');
  await shot(page, 'ru-01b-form-filled');

  // The packet: what is missing is said on each row.
  await expect(page.getByTestId('packet-state')).toHaveAttribute('data-complete', 'false');
  await expect(page.getByTestId('findings-doc-identity')).toContainText('копия документа');
  await page.getByTestId('attach-identity').setInputFiles({ name: 'udostoverenie.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('files-identity')).toContainText('udostoverenie.png');
  await page.getByTestId('attach-referral').setInputFiles({ name: 'napravlenie.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByTestId('files-referral')).toContainText('napravlenie.pdf');
  await expect(page.getByTestId('doc-referral')).toHaveAttribute('data-received', 'true');

  await page.getByTestId('paper-record_extract').check();
  await expect(page.getByTestId('findings-doc-record_extract')).toContainText('нет подписи');
  await page.getByTestId('sig-attending').check();
  await page.getByTestId('sig-head_of_department').check();
  await page.getByTestId('sig-deputy_chief').check();
  await page.getByTestId('seal').check();
  await page.getByTestId('clinical-diagnosis').fill('ИБС. Дилатационная кардиомиопатия, ХСН III ФК');
  await page.getByTestId('paper-test_results').check();
  await page.getByTestId('add-test').click();
  await page.getByTestId('test-name').fill('ЭхоКГ');
  await page.getByTestId('test-date').fill('2025-11-20');
  await waitSaved(page);
  await expect(page.getByTestId('packet-state')).toHaveAttribute('data-complete', 'true');
  await expect(page.getByTestId('packet-state')).toContainText('Пакет полный');

  // Preview: the image inline, the PDF in a frame.
  await page.getByTestId('files-identity').getByTestId('file-open').click();
  await expect(page.getByTestId('preview-img')).toBeVisible();
  await shot(page, 'ru-02-packet-preview');
  await page.getByTestId('preview-close').click();
  await page.getByTestId('files-referral').getByTestId('file-open').click();
  await expect(page.getByTestId('preview-pdf')).toBeVisible();
  await page.getByTestId('preview-close').click();

  // Decision: with a complete packet "incomplete packet" is not offered (and it says why); approval goes through.
  await page.getByTestId('outcome-refused').check();
  await expect(page.getByTestId('reason-incomplete_packet')).toHaveCount(0);
  await expect(page.getByTestId('incomplete-hidden')).toContainText('Ошибка в ИИН, коде МКБ-10 или коде ВТМП исправляется');
  await expect(page.getByTestId('decision-issue')).toBeDisabled();
  await page.getByTestId('outcome-approved').check();
  const names = page.getByTestId('member-name');
  await names.nth(0).fill('Ахметова Г.К.');
  await names.nth(1).fill('Нурланов Б.С.');
  await names.nth(2).fill('Омарова А.Т.');
  await expect(page.getByTestId('decision-gaps')).toHaveCount(0);
  await page.getByTestId('decision-issue').click();
  await expect(page.getByTestId('confirm-issue')).toContainText('Оформить протокол № 1/');
  await expect(page.getByTestId('confirm-patient')).toContainText('Сейткалиев Ерлан');
  await expect(page.getByTestId('confirm-members')).toContainText('Омарова А.Т.');
  await shot(page, 'ru-02b-confirm');
  await page.getByTestId('confirm-issue-yes').click();
  await expect(page.getByTestId('protocol-number')).toContainText(/Протокол № \d+\/\d{4}/);
  await expect(page.getByTestId('case-status')).toHaveAttribute('data-status', 'approved');
  await expect(page.getByTestId('portal-status')).toHaveText('к выгрузке на Портал');
  await shot(page, 'ru-03-approved');

  // After approval: the portal, the hospitalization date, the patient informed.
  await page.getByTestId('portal-exported').click();
  await expect(page.getByTestId('portal-status')).toHaveText('выгружено в файл');
  // (The steps after approval are walked through in aftercare.spec.ts.)
  const decidedOn = new Date(Date.now() + 5 * 3600_000).toISOString().slice(0, 10);
  await page.getByTestId('hosp-date').fill(decidedOn);
  await page.getByTestId('hosp-save').click();
  await expect(page.getByTestId('hosp-saved')).toBeVisible();
  await page.getByTestId('inform-channel-sms').check();
  await page.getByTestId('inform-save').click();
  await expect(page.getByTestId('informed-state')).toContainText('sms-сообщения');
  await page.getByTestId('follow-up').scrollIntoViewIfNeeded();
  await shot(page, 'ru-03b-after-approval');

  // A correction is a new version with its own number; the first stays in the history.
  const first = (await page.getByTestId('protocol-number').textContent()) ?? '';
  await page.getByTestId('start-correction').click();
  await expect(page.getByTestId('correction-lead')).toBeVisible();
  await expect(page.getByTestId('decision-gaps')).toContainText('Не указана причина исправления');
  await page.getByTestId('decision-note').fill('Исправлена дата решения');
  await expect(page.getByTestId('decision-gaps')).toHaveCount(0);
  await page.getByTestId('decision-issue').click();
  await page.getByTestId('confirm-issue-yes').click();
  await expect(page.getByTestId('protocol-number')).not.toHaveText(first);
  await page.getByTestId('decision-history').locator('summary').click();
  await expect(page.getByTestId('decision-history')).toContainText('заменено исправлением');
  await expect(page.getByTestId('decision-history')).toContainText(first.replace('Протокол № ', ''));

  // The register lists it as approved with its protocol.
  await page.getByTestId('back-to-list').click();
  const row = page.getByTestId('case-row').filter({ hasText: 'Сейткалиев' });
  await expect(row).toHaveAttribute('data-status', 'approved');
  await expect(row).toContainText('Одобрено');
  await page.getByTestId('filter-query').fill('9003');
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await shot(page, 'ru-04-list');
});

test('kk: a refused case goes to the refusal journal; today view links to cases', async ({ app }) => {
  test.setTimeout(120_000);
  await app.api('settings.update', TEST_COMMISSION);
  const page = await app.open();
  await page.getByTestId('lang-kk').click();
  await newCase(page);
  await page.getByTestId('patient-iin').fill('850720400027');
  await page.getByTestId('patient-lastName').fill('Жұмабекова');
  await page.getByTestId('patient-firstName').fill('Айгүл');
  await page.getByTestId('case-htmpCode').fill('00.50');
  await page.getByTestId('case-urgency').selectOption('planned');
  await page.getByTestId('case-icd10').fill('I42.0');
  await page.getByTestId('case-diagnosisText').fill('Дилатациялық кардиомиопатия');
  await waitSaved(page);
  // Only the identity document: the packet is incomplete, said in Kazakh.
  await page.getByTestId('paper-identity').check();
  await expect(page.getByTestId('packet-state')).toHaveAttribute('data-complete', 'false');
  await page.getByTestId('case-title').scrollIntoViewIfNeeded();
  await shot(page, 'kk-00-form');
  await expect(page.getByTestId('packet-state')).toContainText('Енгізу қалды: 3 тармақ');

  // Approval is not allowed on an incomplete packet, and says why.
  await page.getByTestId('outcome-approved').check();
  await expect(page.getByTestId('decision-gaps')).toContainText('Құжаттар пакеті толық емес');
  await page.getByTestId('outcome-refused').check();
  await page.getByTestId('reason-incomplete_packet').check();
  const names = page.getByTestId('member-name');
  await names.nth(0).fill('Ахметова Г.К.');
  await names.nth(1).fill('Нурланов Б.С.');
  await names.nth(2).fill('Омарова А.Т.');
  await shot(page, 'kk-01-refusal');
  await page.getByTestId('decision-issue').click();
  await page.getByTestId('confirm-issue-yes').click();
  await expect(page.getByTestId('protocol-number')).toContainText('хаттама');
  await expect(page.getByTestId('case-status')).toHaveAttribute('data-status', 'refused');

  await page.getByTestId('back-to-list').click();
  await page.getByTestId('open-journal').click();
  const jrow = page.getByTestId('journal-row').filter({ hasText: 'Жұмабекова' });
  await expect(jrow).toContainText('құжаттардың толық емес пакеті');
  await shot(page, 'kk-02-journal');
  await jrow.getByRole('link').click();
  await expect(page.getByTestId('case-title')).toContainText('Жұмабекова');

  await page.getByTestId('nav-today').click();
  await expect(page.getByTestId('today-decidedToday')).toContainText('Жұмабекова');
  await shot(page, 'kk-03-today');
});

test('autosave: a reload mid-typing, even with the host cut off, loses nothing', async ({ app }) => {
  test.setTimeout(180_000);
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await newCase(page);
  await page.getByTestId('patient-lastName').fill('Ким');
  await waitSaved(page);
  const url = page.url();
  const id = decodeURIComponent(url.split('/').pop()!);

  const stored = () =>
    page.evaluate(async (caseId) => {
      const res = await fetch('/api/cases.get', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': sessionStorage.getItem('htmp.token') ?? '' },
        body: JSON.stringify({ id: caseId }),
      });
      const r = (await res.json()) as { ok: boolean; value?: { patient: { firstName: string; lastName: string; middleName: string | null }; notes: string | null } };
      return r.ok ? `${r.value!.patient.lastName} ${r.value!.patient.firstName} ${r.value!.patient.middleName ?? ''} / ${r.value!.notes}` : 'error';
    }, id);

  // After a reload the edits are either in the case already (the save sent as the page unloaded
  // got through) or kept as this user's draft in the core and offered back: restore them.
  const restoreIfOffered = async (field: string, value: string) => {
    await expect
      .poll(async () => (await page.getByTestId('draft-offer').count()) > 0 || (await page.getByTestId(field).inputValue()) === value, { timeout: 15_000 })
      .toBe(true);
    if ((await page.getByTestId('draft-offer').count()) > 0) await page.getByTestId('draft-restore').click();
    await expect(page.getByTestId(field)).toHaveValue(value);
  };

  // Typed while no save can reach the core (cut off here, as with a hung host), then the page is
  // reloaded: the edits are offered back from the user's drafts and reach the core once it answers.
  await page.route('**/api/cases.save', (route) => route.abort());
  await page.getByTestId('patient-firstName').fill('Виктория');
  await page.getByTestId('case-notes').fill('Позвонить в ПМСП');
  await page.getByTestId('patient-phone').focus();
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-status', 'error');
  await page.reload();
  await page.unroute('**/api/cases.save');
  await restoreIfOffered('patient-firstName', 'Виктория');
  await expect(page.getByTestId('case-notes')).toHaveValue('Позвонить в ПМСП');
  await expect.poll(stored).toBe('Ким Виктория  / Позвонить в ПМСП');

  // A plain reload right after typing, before the 600 ms pause ends.
  await page.getByTestId('patient-middleName').fill('Сергеевна');
  await page.reload();
  await restoreIfOffered('patient-middleName', 'Сергеевна');
  await expect.poll(stored).toBe('Ким Виктория Сергеевна / Позвонить в ПМСП');

  // Edits left unsaved for a case that is not opened again are listed on Today, and offered back.
  await page.route('**/api/cases.save', (route) => route.abort());
  await page.getByTestId('patient-phone').fill('+7 701 000 00 00');
  await page.getByTestId('patient-firstName').focus();
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-status', 'error');
  await page.goto(url.replace(/#.*$/, '#/today'));
  await page.unroute('**/api/cases.save');
  await page.reload();
  await page.getByTestId('unsaved-draft').filter({ hasText: 'Ким' }).click();
  // The form's retry may have carried the edit to the core after the route was lifted: then the
  // case already holds it and nothing is offered; else the draft is offered back.
  await restoreIfOffered('patient-phone', '+7 701 000 00 00');
  await expect
    .poll(() => page.evaluate(async (caseId) => {
      const res = await fetch('/api/cases.get', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': sessionStorage.getItem('htmp.token') ?? '' }, body: JSON.stringify({ id: caseId }) });
      const r = (await res.json()) as { ok: boolean; value?: { patient: { phone: string | null } } };
      return r.ok ? r.value!.patient.phone : 'error';
    }, id))
    .toBe('+7 701 000 00 00');
  // Nothing of it was kept in the browser's storage.
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});
