import fs from 'node:fs';
import { expect, test } from './fixtures';

const TEXT = {
  ru: {
    tab: 'Оценка',
    band12: 'более 10 и до 15 лет включительно',
    band3: 'менее 5 лет',
    included: 'включается в перечень видов ВТМП',
    excluded: 'не включается в перечень видов ВТМП',
    sensitivity: 'Решение изменится',
    mean: 'Средний балл по листам оценки',
    leaves: 'соответствует всем 4 критериям',
    stays: 'остаётся в перечне',
    met: 'Соответствует',
    notMet: 'Не соответствует',
  },
  kk: {
    tab: 'Бағалау',
    band12: '10 жылдан астам, 15 жылға дейін қоса алғанда',
    band3: '5 жылдан аз',
    included: 'тізбесіне енгізіледі',
    excluded: 'тізбесіне енгізілмейді',
    sensitivity: 'шешім өзгереді',
    mean: 'Бағалау парақтары бойынша орташа балл',
    leaves: 'барлық 4 өлшемшартқа сәйкес',
    stays: 'тізбесінде қалады',
    met: 'Сәйкес келеді',
    notMet: 'Сәйкес келмейді',
  },
} as const;

for (const lang of ['ru', 'kk'] as const) {
  const x = TEXT[lang];

  test(`${lang}: fill a scoring sheet by years, see band, total and verdict change live, save, see it with the mean`, async ({ app }) => {
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-scoring').click();
    if (lang === 'kk') await expect(page.getByTestId('kk-note')).toContainText('Бейресми аударма');
    else await expect(page.getByTestId('kk-note')).toHaveCount(0);

    await page.getByTestId('tech-code').fill('35.21');
    await page.getByTestId('years-input').fill('12');
    await expect(page.getByTestId('derived-band')).toContainText(x.band12);
    await expect(page.getByTestId('level-innovation-3')).toBeChecked();
    // Keyboard: choose levels with the keyboard (focus and Space).
    await page.getByTestId('level-resource-1').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('level-uniqueness-1').check();
    await expect(page.getByTestId('total')).toHaveText('—');
    await page.getByTestId('level-complexity-3').check();
    // 0.5 + 3 + 1 + 2.5 = 7.00: included, exactly at the threshold.
    await expect(page.getByTestId('total')).toHaveText('7,00');
    await expect(page.getByTestId('band')).toContainText(x.band12);
    await expect(page.getByTestId('verdict')).toContainText(x.included);
    await expect(page.getByTestId('sensitivity')).toContainText(/6,75|5,75|6,50/);
    // 16 years: over 15 -> 2.5 -> 6.75, excluded.
    await page.getByTestId('years-input').fill('16');
    await expect(page.getByTestId('total')).toHaveText('6,75');
    await expect(page.getByTestId('verdict')).toContainText(x.excluded);
    // 3 years: under 5 -> 10 -> 7.50.
    await page.getByTestId('years-input').fill('3');
    await expect(page.getByTestId('band')).toContainText(x.band3);
    await expect(page.getByTestId('total')).toHaveText('7,50');
    await expect(page.getByTestId('sensitivity')).toContainText(x.sensitivity);

    await page.getByTestId('rationale-complexity').fill('одноэтапная плановая операция');
    await page.getByTestId('evaluator').fill('Сейтқали Ә. Н.');
    await page.getByTestId('save-sheet').click();
    await expect(page.getByTestId('saved')).toBeVisible();

    // A second evaluator's sheet on the same technology.
    await page.getByTestId('new-sheet').click();
    await page.getByTestId('tech-code').fill('35.21');
    await page.getByTestId('innov-mode-level').check();
    await page.getByTestId('level-innovation-4').check();
    await page.getByTestId('level-resource-1').check();
    await page.getByTestId('level-uniqueness-1').check();
    await page.getByTestId('level-complexity-3').check();
    await expect(page.getByTestId('total')).toHaveText('6,75');
    await page.getByTestId('evaluator').fill('Иванова А. Б.');
    await page.getByTestId('save-sheet').click();
    await expect(page.getByTestId('saved')).toBeVisible();

    await page.getByTestId('scoring-tab-sheets').click();
    const group = page.getByTestId('sheet-group');
    await expect(group).toHaveCount(1);
    await expect(group.getByTestId('sheet-row')).toHaveCount(2);
    await expect(group.getByTestId('sheet-total')).toHaveText(['7,50', '6,75']);
    // (7.50 + 6.75) / 2 = 7.125: shown rounded, decided on the exact mean (included).
    await expect(group.getByTestId('mean')).toContainText(x.mean);
    await expect(group.getByTestId('mean')).toContainText('7,13');
    // Each sheet prints as a PDF (the scoring sheet of the protocols area).
    const download = page.waitForEvent('download');
    await group.getByTestId('sheet-pdf').first().click();
    const file = await (await download).path();
    expect(fs.readFileSync(file!).subarray(0, 4).toString()).toBe('%PDF');
  });

  test(`${lang}: transfer criteria: enter inputs per region, see each criterion and the verdict`, async ({ app }) => {
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-scoring').click();
    await page.getByTestId('scoring-tab-transfer').click();
    await expect(page.getByTestId('criterion1-reading')).toContainText(lang === 'ru' ? '75 %' : '75 %');

    await page.getByTestId('transfer-code').fill('35.21');
    await page.getByTestId('transfer-year').fill('2025');
    // One region per zone over 75%.
    for (const r of ['akmola', 'almaty', 'abai', 'aktobe', 'karaganda']) {
      await page.getByTestId(`regional-${r}`).fill('76');
      await page.getByTestId(`republican-${r}`).fill('24');
    }
    await page.getByTestId('tariff').fill('1 000');
    await page.getByTestId('list-tariffs').fill('1 000; 3 000');
    await page.getByTestId('cases-per-year').fill('200');
    await page.getByTestId('population').fill('1000000');
    await page.getByTestId('lethal').fill('19');
    await expect(page.getByTestId('share-akmola')).toContainText('76 %');
    await expect(page.getByTestId('result-transfer')).toHaveAttribute('data-met', 'true');
    await expect(page.getByTestId('result-cost')).toContainText(x.met);
    await expect(page.getByTestId('result-rarity')).toHaveAttribute('data-met', 'true');
    await expect(page.getByTestId('result-outcomes')).toContainText('9,5 %');
    await expect(page.getByTestId('transfer-verdict')).toContainText(x.leaves);

    // Exactly 75% in the centre: criterion 1 no longer met, the centre is missing.
    await page.getByTestId('regional-karaganda').fill('75');
    await page.getByTestId('republican-karaganda').fill('25');
    await expect(page.getByTestId('result-transfer')).toHaveAttribute('data-met', 'false');
    await expect(page.getByTestId('result-transfer')).toContainText(x.notMet);
    await expect(page.getByTestId('transfer-verdict')).toContainText(x.stays);

    await page.getByTestId('transfer-save').click();
    await expect(page.getByTestId('transfer-status')).toBeVisible();
    await expect(page.getByTestId('saved-inputs')).toContainText('35.21');

    // CSV with a bad row: nothing imported, the row is named.
    const csv = ['code;year;tariff;list_tariffs;cases_per_year;population;lethal_or_complicated', '10.1;2025;100;100|300;200;1000000;1', '10.2;2025;12,345;100;200;1000000;1'].join('\n');
    await page.getByTestId('csv-file').setInputFiles({ name: 'in.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(page.getByTestId('csv-errors')).toContainText('3');
    await expect(page.getByTestId('csv-errors')).toContainText('tariff');
    await page.getByTestId('scoring-tab-report').click();
    await expect(page.getByTestId('report-table')).toContainText('35.21');
    await expect(page.getByTestId('report-table')).not.toContainText('10.1');
  });
}
