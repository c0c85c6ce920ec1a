import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, TEST_COMMISSION } from './fixtures';
import { shot } from './support';

/** The IIN check digit (weights 1..11, then 3..11,1,2 when the first sum gives 10). */
function iin(first: string): string {
  const sum = (w: number[]) => [...first].reduce((s, d, i) => s + Number(d) * w[i]!, 0) % 11;
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return `${first}${c}`;
}
const CHILD = iin('14052060001'); // girl born 20.05.2014
const ADULT = iin('88031130002'); // man born 11.03.1988

const TEXT = {
  kk: { nav: 'Шетелде емдеу', petition: 'ӨТІНІШХАТ', contracted: 'Шарт', late: 'кешіктірілді', refused: 'сәйкес келмейді', kkNote: 'бейресми аударма' },
  ru: { nav: 'Лечение за рубежом', petition: 'ХОДАТАЙСТВО', contracted: 'Договор заключен', late: 'просрочен', refused: 'Не подходит', kkNote: '' },
} as const;

// Each step completed on a day between its start and its due date, except step 1 (due 02.09, done 04.09).
const STEP_DATES = ['2026-09-04', '2026-09-08', '2026-09-11', '2026-09-15', '2026-09-16', '2026-10-06', '2026-10-08', '2026-10-14', '2026-10-23'];

for (const lang of ['kk', 'ru'] as const) {
  test(`${lang}: a request from eligibility to contract, a late step on Today, the petition PDF`, async ({ app }, testInfo) => {
    test.setTimeout(120_000);
    const T = TEXT[lang];
    await app.api('settings.update', TEST_COMMISSION);
    // Another request, started in November and never moved: its first step is late today.
    await app.api('abroad.create', {
      patient: { iin: ADULT, lastName: 'Ахметов', firstName: 'Ерлан' },
      category: 'service_injury',
      diseaseGroup: 'trachea_stenosis',
      startedOn: '2026-11-02',
      confirmations: { service_staff: true, severe_injury_on_duty: true, instruction: true, methods_exhausted: true },
      instructionRef: '№ 12-34 от 28.10.2026',
    });

    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await expect(page.getByTestId('nav-abroad')).toHaveText(T.nav);
    await page.getByTestId('nav-abroad').click();
    if (lang === 'kk') await expect(page.getByTestId('abroad-kk-note')).toContainText(T.kkNote);
    await page.getByTestId('abroad-tab-new').click();

    // Eligibility: a calm error after leaving a bad IIN, the quotes, a refusal with its reason.
    await page.getByTestId('abroad-iin').fill('123');
    await page.getByTestId('abroad-lastName').focus();
    await expect(page.locator('#abroad-iin-error')).toBeVisible();
    await page.getByTestId('abroad-iin').fill(CHILD);
    await page.getByTestId('abroad-lastName').fill('Сейтқали');
    await page.getByTestId('abroad-firstName').fill('Әйгерім');
    await page.getByTestId('abroad-startedOn').fill('2026-09-01');
    await page.getByTestId('abroad-group').selectOption('transplantation');
    await page.getByTestId('abroad-transplant').selectOption('bone_marrow_related');
    await expect(page.getByTestId('abroad-refusals')).toContainText(lang === 'kk' ? 'туыстық транспланттау' : 'родственная трансплантация костного мозга');
    await expect(page.getByTestId('abroad-submit')).toBeDisabled();
    await page.getByTestId('abroad-transplant').selectOption('organ');
    await expect(page.getByTestId('abroad-pending')).toBeVisible();
    await page.getByTestId('abroad-confirm-indications').selectOption('yes');
    await expect(page.getByTestId('abroad-eligibility')).toHaveClass(/is-ok/);
    await shot(page, `abroad-new-${lang}`);
    await page.getByTestId('abroad-submit').click();

    await expect(page.getByTestId('abroad-number')).toContainText('2/2026');
    await expect(page.getByTestId('abroad-steps').locator('tbody tr')).toHaveCount(9);

    // A file of step 2 goes through the file store.
    await page.getByTestId('abroad-files-step').selectOption('2');
    await page.getByTestId('abroad-file-input').setInputFiles({ name: 'udostoverenie.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 test') });
    await expect(page.getByTestId('abroad-file-list')).toContainText('udostoverenie.pdf');

    for (const [i, date] of STEP_DATES.entries()) {
      const n = i + 1;
      await page.getByTestId('abroad-advance-date').fill(date);
      if (n === 8) await page.getByTestId('abroad-advance-clinic').fill('Universitätsklinikum Essen');
      await page.getByTestId('abroad-advance-submit').click();
      await expect(page.getByTestId(`abroad-step-${n}`)).toHaveAttribute('data-state', 'done');
      if (n === 1) {
        await expect(page.getByTestId('abroad-step-1')).toHaveAttribute('data-late', 'true');
        // The petition of step 2, in the language of the screen.
        await page.getByTestId('abroad-letter-2-lang').selectOption(lang);
        const downloading = page.waitForEvent('download');
        await page.getByTestId('abroad-letter-2-save').click();
        const download = await downloading;
        const file = testInfo.outputPath(`petition-${lang}.pdf`);
        await download.saveAs(file);
        expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        expect(text).toContain(T.petition);
        expect(text).toContain('Сейтқали Әйгерім');
        expect(text).toContain('HTMP-ABROAD-PETITION|2/2026-2|');
        await expect(page.getByTestId('abroad-letter-2-issued')).toContainText('2/2026-2');
      }
    }
    await expect(page.getByTestId('abroad-status')).toContainText(T.contracted);
    await expect(page.getByTestId('abroad-status')).toContainText('Universitätsklinikum Essen');
    await expect(page.getByTestId('abroad-timeline')).toBeVisible();
    await expect(page.getByTestId('abroad-timeline').locator('svg').first()).toBeVisible();
    await page.getByTestId('abroad-timeline').locator('summary').click();
    await expect(page.getByTestId('abroad-timeline-table').locator('tbody tr')).toHaveCount(9);
    await page.getByTestId('abroad-timeline').scrollIntoViewIfNeeded();
    await shot(page, `abroad-detail-${lang}`);

    // Today: the late step of the other request (not the contracted one).
    await page.getByTestId('nav-today').click();
    const today = page.getByTestId('today-abroad');
    await expect(today.getByTestId('today-abroad-item')).toHaveCount(1);
    await expect(today).toContainText('Ахметов Ерлан');
    await expect(today.getByTestId('abroad-late-badge')).toContainText(T.late);
    await today.scrollIntoViewIfNeeded();
    await shot(page, `abroad-today-${lang}`);
  });
}
