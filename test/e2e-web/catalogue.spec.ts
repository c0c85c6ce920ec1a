import { expect, test } from './fixtures';

test('search answers as you type: mixed Kazakh/Russian letters, a typo, keyboard to the code page', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-catalogue').click();
  const search = page.getByTestId('catalogue-search');
  await expect(search).toBeFocused();
  await page.getByTestId('catalogue-date').fill('2025-12-01');
  // «журек» typed with у for ү finds «Жүрек аневризмасын тілу».
  await search.fill('журек аневризмасын');
  const first = page.getByTestId('catalogue-result').first();
  await expect(first).toHaveAttribute('data-code', '37.32');
  await expect(page.getByTestId('catalogue-status')).toContainText('103');
  // A typo: «трансплантацыя».
  await search.fill('трансплантацыя почки');
  await expect(first).toHaveAttribute('data-code', '55.62');
  await expect(first).toContainText('с опечаткой');
  // Exact code first, code prefix after.
  await search.fill('81.0');
  await expect(first).toHaveAttribute('data-code', /^81\.0/);
  for (const code of await page.getByTestId('catalogue-result').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))) {
    expect(code!.startsWith('81.0')).toBe(true);
  }
  // Arrow keys + Enter open the second result.
  const second = await page.getByTestId('catalogue-result').nth(1).getAttribute('data-code');
  await search.press('ArrowDown');
  await expect(page.getByTestId('catalogue-result').nth(1)).toHaveAttribute('aria-selected', 'true');
  await search.press('Enter');
  await expect(page.getByTestId('code-page')).toBeVisible();
  await expect(page.locator('#code-title')).toContainText(second!);
  // Section filter: section 2 of the 2025 edition has 7 codes.
  await page.getByTestId('code-back').click();
  await search.fill('');
  await page.getByTestId('catalogue-section').selectOption('2');
  await expect(page.getByTestId('catalogue-result')).toHaveCount(7);
});

test('a code page: names with their editions, a missing language marked, a local translation, characteristics, language switch', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-catalogue').click();
  await page.getByTestId('catalogue-date').fill('2025-01-10');
  await page.getByTestId('catalogue-search').fill('69.921');
  await expect(page.getByTestId('catalogue-result').first()).toHaveAttribute('data-code', '69.921');
  // The Kazakh-only name is shown with a mark in the Russian interface.
  await expect(page.getByTestId('catalogue-result').first().getByTestId('missing-mark')).toContainText('нет текста на русском');
  await page.getByTestId('catalogue-search').press('Enter');
  await expect(page.getByTestId('code-status')).toContainText('Приказ №');
  await expect(page.getByTestId('code-status')).not.toContainText('2024-090-kk');
  await expect(page.getByTestId('code-name-kk')).toContainText('Классикалық экстракорпоралдық');
  // Its source named as the secretary knows it (order and date), never by the internal id.
  await expect(page.getByTestId('code-name-kk')).toContainText('Редакция: Приказ № 90');
  await expect(page.getByTestId('code-name-kk')).not.toContainText('2024-090-kk');
  await expect(page.getByTestId('code-history')).not.toContainText('2024-090-kk');
  await expect(page.getByTestId('code-name-ru')).toContainText('нет текста на русском');
  // Sections in every edition.
  await expect(page.getByTestId('code-history').locator('tr[data-edition="2024-090-kk"]')).toContainText('поз. 61');
  await expect(page.getByTestId('code-history').locator('tr[data-edition="2025-103-ru"]')).toContainText('нет в перечне');
  // Characteristics as a checklist with the IVF footnote.
  await expect(page.getByTestId('ch-staff').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('ch-devices')).toContainText('Зертханалық центрифуга');
  await expect(page.getByTestId('ch-footnotes')).toContainText('300 цикл');
  // A local translation, marked as such.
  await page.getByTestId('translation-open-ru').click();
  await page.getByTestId('translation-text-ru').fill('ЭКО, длинный протокол');
  await page.getByTestId('translation-save-ru').click();
  await expect(page.getByTestId('code-name-ru')).toContainText('ЭКО, длинный протокол');
  await expect(page.getByTestId('code-name-ru')).toContainText('местный перевод');
  await expect(page.getByTestId('code-name-ru')).toContainText('Местный перевод — не официальный текст');
  // Switching the interface language shows the Kazakh name and Kazakh labels.
  await page.getByTestId('lang-kk').click();
  await expect(page.getByTestId('code-name')).toContainText('Классикалық экстракорпоралдық');
  await expect(page.getByTestId('code-history')).toContainText('тізбеде жоқ');
  await expect(page.getByTestId('code-name-ru')).toContainText('жергілікті аударма');
});

test('the diff view lists codes added and removed per section; the chosen in-force date is editable', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-catalogue').click();
  await page.getByTestId('catalogue-tab-diff').click();
  await expect(page.getByTestId('diff-view')).toBeVisible();
  await expect(page.getByTestId('diff-from')).toHaveValue('2024-090-kk');
  await expect(page.getByTestId('diff-to')).toHaveValue('2025-103-ru');
  await expect(page.getByTestId('diff-languages')).toContainText('разных языках');
  await expect(page.getByTestId('diff-section-2').locator('.diff-list.added')).toContainText('92.330.001');
  await expect(page.getByTestId('diff-summary')).toContainText('переименовано: 0');
  // Edit the chosen date of the 2024 edition.
  await expect(page.getByTestId('edition-inforce-2024-090-kk')).toContainText('16.11.2024');
  await expect(page.getByTestId('edition-inforce-2024-090-kk')).toContainText('дата выбрана');
  await page.getByTestId('edition-date-2024-090-kk').fill('2024-11-20');
  await page.getByTestId('edition-save-2024-090-kk').click();
  await expect(page.getByTestId('edition-inforce-2024-090-kk')).toContainText('20.11.2024');
  await expect(page.getByTestId('edition-inforce-2024-090-kk')).toContainText('дата изменена пользователем');
  // A diff link opens the code page.
  await page.getByTestId('diff-section-2').getByRole('link', { name: '92.330.001' }).click();
  await expect(page.getByTestId('code-page')).toBeVisible();
});
