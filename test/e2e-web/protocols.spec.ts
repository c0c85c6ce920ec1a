import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { shot } from './support';

const IIN_FIRST = '90021545012';
/** The IIN check digit (weights 1..11, then 3..11,1,2 when the first sum gives 10). */
function iin(first: string): string {
  const sum = (w: number[]) => [...first].reduce((s, d, i) => s + Number(d) * w[i]!, 0) % 11;
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return `${first}${c}`;
}

/** A registered case with an issued approval, made through the same API the screens use. */
async function decidedCase(app: WebApp): Promise<string> {
  await app.api('settings.update', TEST_COMMISSION);
  const saved = await app.api<{ id: string }>('cases.save', {
    patient: { iin: iin(IIN_FIRST), lastName: 'Жұмабекова', firstName: 'Әйгерім', middleName: 'Серікқызы', birthDate: '1990-02-15', sex: 'female' },
    receivedAt: '2026-03-10T10:00',
    channel: 'paper',
    htmpCode: '00.50',
    urgency: 'emergency',
    inpatient: false,
    diagnosis: { icd10: 'I50.0', text: 'Созылмалы жүрек жеткіліксіздігі' },
    providerOrg: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ',
    documents: [
      { kind: 'identity', paper: true },
      { kind: 'referral', paper: true },
      { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'Созылмалы жүрек жеткіліксіздігі' },
      { kind: 'test_results', paper: true, items: [{ name: 'ЭхоКГ', date: '2026-03-01' }] },
    ],
  });
  await app.api('cases.register', { id: saved.id });
  await app.api('cases.decide', {
    caseId: saved.id,
    outcome: 'approved',
    reason: null,
    date: '2026-03-12',
    members: [
      { name: 'Сейітқали Әлия Нұрланқызы', role: 'chair' },
      { name: 'Үмбетова Іңкәр Һадиқызы', role: 'secretary' },
    ],
  });
  await app.api('protocols.issue', { caseId: saved.id });
  return saved.id;
}

test('a decided case: preview the protocol, download it as PDF with the patient in it, print offers the PDF', async ({ app }, testInfo) => {
  const id = await decidedCase(app);
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  // Within the app (a reload would lose nothing, but the token travels in the fragment of the first URL).
  await page.evaluate((caseId) => {
    window.location.hash = `#/cases/${caseId}`;
  }, id);
  const actions = page.getByTestId('protocol-actions');
  await expect(actions).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('protocol-issued')).toContainText('1/2026');

  await page.getByTestId('protocol-lang').selectOption('both');
  await page.getByTestId('protocol-layout').selectOption('sequential');
  await page.getByTestId('protocol-preview').click();
  const frame = page.getByTestId('protocol-preview-frame');
  await expect(frame).toBeVisible();
  expect(await frame.getAttribute('src')).toMatch(/^blob:/);
  await expect(page.getByTestId('protocol-pdf')).toContainText('HTMP-PROTOCOL|1/2026|');
  await actions.scrollIntoViewIfNeeded();
  await shot(page, 'case-protocol-preview');

  await page.getByTestId('protocol-lang').selectOption('ru');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('protocol-save').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('protocol-1-2026-ru.pdf');
  const file = testInfo.outputPath('protocol-1-2026-ru.pdf');
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Жұмабекова Әйгерім Серікқызы');
  expect(text).toContain('ПРОТОКОЛ');

  // The web host has no system print dialog: Print downloads the PDF and says so.
  const printing = page.waitForEvent('download');
  await page.getByTestId('protocol-print').click();
  expect((await printing).suggestedFilename()).toBe('protocol-1-2026-ru.pdf');
  await expect(page.getByTestId('protocol-note')).toContainText('PDF скачан');
});

test('the register of protocols lists the period, prints the register and verifies a paper copy', async ({ app }) => {
  const id = await decidedCase(app);
  const rendered = await app.api<{ sha256: string }>('protocols.render', { caseId: id, lang: 'kk' });
  const page = await app.open();
  await page.getByTestId('lang-kk').click();
  await page.getByTestId('nav-protocols').click();
  await expect(page.getByTestId('nav-protocols')).toHaveText('Хаттамалар тізілімі');
  await page.getByTestId('protocols-from').fill('2026-01-01');
  await page.getByTestId('protocols-to').fill('2026-12-31');
  await expect(page.getByTestId('protocols-table')).toContainText('Жұмабекова Әйгерім Серікқызы');
  await expect(page.getByTestId('protocols-table')).toContainText('1/2026');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('register-save').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('register-2026-01-01_2026-12-31-kk.pdf');
  const file = path.join(await fs.promises.mkdtemp(path.join(app.dataDir, 'dl-')), 'register.pdf');
  await download.saveAs(file);
  expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).toContain('ХАТТАМАЛАР ТІЗІЛІМІ');

  await page.getByTestId('verify-sha').fill(`HTMP-PROTOCOL|1/2026|${rendered.sha256}`);
  await page.getByTestId('verify-check').click();
  await expect(page.getByTestId('verify-result')).toContainText('Сәйкес келеді');
  await page.getByTestId('verify-number').fill('1/2026');
  await page.getByTestId('verify-sha').fill('0'.repeat(64));
  await page.getByTestId('verify-check').click();
  await expect(page.getByTestId('verify-result')).toContainText('Сәйкес келмейді');
});
