import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { shot } from './support';

// Issue 13, "Search that finds what the secretary means": the catalogue search and the case
// form's code field, in Russian and in Kazakh. HTMP_SHOTS=dir saves a screenshot of each step.
async function openCatalogue(page: Page, lang: 'kk' | 'ru', date = '2025-12-01') {
  await page.getByTestId(`lang-${lang}`).click();
  await page.getByTestId('nav-catalogue').click();
  await page.getByTestId('catalogue-date').fill(date);
}

// Many steps, each waiting for a debounced search: more time than the default on a busy machine.
test.describe.configure({ timeout: 150_000 });

const codesShown = (page: Page, testId = 'catalogue-result') =>
  page.getByTestId(testId).evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));

test('ru: several words, codes without dots, word forms and typos, a technology no longer on the list, the status line', async ({ app }) => {
  const page = await app.open();
  await openCatalogue(page, 'ru');
  const search = page.getByTestId('catalogue-search');

  // A word that matched nothing is named; every result is marked partial, not 11 equal answers.
  await search.fill('кохлеарная имплантация');
  await expect(page.getByTestId('words-not-found')).toHaveText('Слово «кохлеарная» не найдено ни в одном наименовании.');
  const first = page.getByTestId('catalogue-result').first();
  await expect(first).toHaveAttribute('data-partial', 'true');
  await expect(first).toContainText('частично');
  await expect(first.getByTestId('result-missing')).toHaveText('нет слова «кохлеарная»');
  expect(await page.getByTestId('catalogue-result').evaluateAll((els) => els.every((e) => e.getAttribute('data-partial') === 'true'))).toBe(true);
  await expect(page.getByTestId('catalogue-count')).toHaveText('Ни одного кода со всеми словами запроса · 11 кодов только с частью слов');
  await expect(page.getByTestId('catalogue-group-partial').locator('.group-head')).toHaveText('11 кодов только с частью слов');
  await shot(page, 'ru-search-01-partial');

  // All words first, then the rest under their own heading; a joining word is never "missing".
  await search.fill('трансплантация печени от посмертного донора');
  await expect(first).toHaveAttribute('data-code', '50.52');
  await expect(first).toHaveAttribute('data-partial', 'false');
  await expect(page.getByTestId('catalogue-group-full')).toContainText('1 код со всеми словами запроса');
  await expect(page.getByTestId('catalogue-count')).toHaveText('1 код со всеми словами запроса · Ещё 23 кода — только с частью слов');
  await expect(page.getByTestId('catalogue-group-partial').locator('.group-head')).toContainText('только с частью слов');
  await expect(page.getByTestId('words-not-found')).toHaveCount(0);
  await shot(page, 'ru-search-02-full-then-partial');

  // Codes typed without dots, with a comma or a space.
  for (const [q, code] of [
    ['3751', '37.51'],
    ['37,51', '37.51'],
    ['81 53', '81.53'],
  ]) {
    await search.fill(q!);
    await expect(first).toHaveAttribute('data-code', code!);
    await expect(first).toContainText('код');
  }
  await shot(page, 'ru-search-03-code-with-space');

  // A word form is not a typo; a real typo is labelled with what it was read as.
  await search.fill('сердце');
  const heart = page.locator('[data-testid="catalogue-result"][data-code="37.51"]');
  await expect(heart).toContainText('форма слова');
  await expect(page.getByTestId('catalogue-results')).not.toContainText('с опечаткой');
  await search.fill('трансплантацыя почки');
  await expect(first).toHaveAttribute('data-code', '55.62');
  await expect(first).toContainText('с опечаткой');
  await expect(first.getByTestId('result-typo')).toHaveText('«трансплантацыя» прочитано как «трансплантация»');
  await shot(page, 'ru-search-04-typo');

  // ЭКО after 2025-10-01: which edition had it, until when, and that it is no longer on the list.
  await search.fill('ЭКО');
  await expect(page.getByTestId('catalogue-none')).toHaveCount(0);
  await expect(page.getByTestId('catalogue-none-in-edition')).toBeVisible();
  await expect(page.getByTestId('words-elsewhere')).toContainText('«ЭКО»');
  await expect(page.getByTestId('words-abbreviation')).toHaveText('«ЭКО» — сокращение: экстракорпоральное оплодотворение');
  await expect(page.getByTestId('catalogue-group-elsewhere').locator('.group-head')).toHaveText('Нет в редакции, действующей на 01.12.2025');
  expect(await codesShown(page, 'catalogue-elsewhere-item')).toEqual(['69.921', '69.922', '69.923', '69.924']);
  const eco = page.getByTestId('catalogue-elsewhere-item').first();
  await expect(eco.getByTestId('elsewhere-note')).toHaveText(
    'С 01.10.2025 в перечне нет · был в перечне по приказу № 90 от 01.11.2024 (редакция действовала с 16.11.2024 по 30.09.2025)',
  );
  await shot(page, 'ru-search-05-no-longer-listed');
  // The keyboard reaches it: Enter opens its page, which says it is not in force on the date.
  await search.press('Enter');
  await expect(page.getByTestId('code-page')).toBeVisible();
  await expect(page.locator('#code-title')).toContainText('69.921');
  await page.getByTestId('code-back').click();

  // The status line names the edition in force on the date even while another edition is browsed.
  await search.fill('');
  await expect(page.getByTestId('catalogue-in-force')).toContainText('На 01.12.2025 действует редакция: Приказ № 103 от 01.10.2025');
  await page.getByTestId('catalogue-edition').selectOption('2024-090-kk');
  await expect(page.getByTestId('catalogue-browsing')).toHaveText('Просматривается редакция: Приказ № 90 от 01.11.2024 (действовала с 16.11.2024 по 30.09.2025)');
  await expect(page.getByTestId('catalogue-in-force')).toContainText('На 01.12.2025 действует редакция: Приказ № 103 от 01.10.2025');
  await shot(page, 'ru-search-06-browsing-other-edition');
  // Browsing the 2024 edition, ЭКО is in it; the 2025 proton therapy is not (yet) in it.
  await search.fill('протонная терапия');
  await expect(page.getByTestId('catalogue-elsewhere-item').first()).toContainText('В перечне с 01.10.2025');
  await expect(page.getByTestId('catalogue-group-elsewhere').locator('.group-head')).toHaveText('Нет в просматриваемой редакции');
});

test('kk: the same search in Kazakh: word forms, a lost word, codes without dots, ЭКО, the status line', async ({ app }) => {
  const page = await app.open();
  await openCatalogue(page, 'kk');
  const search = page.getByTestId('catalogue-search');
  const first = page.getByTestId('catalogue-result').first();

  await search.fill('жүректі');
  await expect(first).toHaveAttribute('data-code', '37.51');
  await expect(page.locator('[data-testid="catalogue-result"][data-code="37.32"]')).toContainText('сөз формасы');
  await expect(page.getByTestId('catalogue-results')).not.toContainText('қатемен');
  await expect(page.getByTestId('catalogue-count')).toHaveText('5 код табылды');
  await shot(page, 'kk-search-01-forms');

  await search.fill('кохлеарлы жүрек');
  await expect(page.getByTestId('words-not-found')).toHaveText('«кохлеарлы» сөзі бірде-бір атауда табылмады.');
  await expect(first.getByTestId('result-missing')).toHaveText('«кохлеарлы» сөзі жоқ');
  await expect(first).toContainText('ішінара');
  await expect(page.getByTestId('catalogue-count')).toHaveText('Сұраудың барлық сөзі бар код жоқ · Сөздердің бір бөлігі ғана бар 7 код');
  await shot(page, 'kk-search-02-partial');

  await search.fill('8153');
  await expect(first).toHaveAttribute('data-code', '81.53');

  await search.fill('ЭКО');
  await expect(page.getByTestId('words-abbreviation')).toHaveText('«ЭКО» — қысқартылған атау: экстракорпоралдық ұрықтандыру');
  await expect(page.getByTestId('catalogue-elsewhere-item').first().getByTestId('elsewhere-note')).toHaveText(
    '01.10.2025 бастап тізбеде жоқ · 01.11.2024 № 90 бұйрық бойынша тізбеде болған (редакция 16.11.2024 бастап 30.09.2025 дейін қолданыста болды)',
  );
  await shot(page, 'kk-search-03-no-longer-listed');

  await search.fill('');
  await page.getByTestId('catalogue-edition').selectOption('2024-090-kk');
  await expect(page.getByTestId('catalogue-browsing')).toHaveText('Қаралып отырған редакция: 01.11.2024 № 90 бұйрық (16.11.2024 бастап 30.09.2025 дейін қолданыста болды)');
  await expect(page.getByTestId('catalogue-in-force')).toContainText('01.12.2025 күні қолданыстағы редакция: 01.10.2025 № 103 бұйрық');
  await shot(page, 'kk-search-04-browsing');
});

for (const lang of ['ru', 'kk'] as const) {
  test(`${lang}: the case form's code field takes words and offers the same search`, async ({ app }) => {
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('new-case').click();
    const field = page.getByTestId('case-htmpCode');
    await page.getByTestId('case-receivedDate').fill('2025-12-01');

    // Words: suggestions with the keyboard, a code with every word first.
    await field.fill(lang === 'ru' ? 'трансплантация сердца' : 'жүректі транспланттау');
    const list = page.getByTestId('code-suggestions');
    await expect(list.getByRole('option').first()).toHaveAttribute('data-code', '37.51');
    await expect(field).toHaveAttribute('aria-expanded', 'true');
    await shot(page, `${lang}-code-field-01-words`);
    await field.press('ArrowDown');
    await expect(list.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
    await field.press('ArrowUp');
    await field.press('Enter');
    await expect(field).toHaveValue('37.51');
    await expect(page.getByTestId('code-name')).toContainText(lang === 'ru' ? 'Трансплантация сердца' : 'Жүректі транспланттау');

    // A word that matched nothing is named, partial suggestions are marked.
    await field.fill('кохлеарная имплантация');
    await expect(page.getByTestId('code-words')).toContainText(lang === 'ru' ? 'Слово «кохлеарная» не найдено' : '«кохлеарная» сөзі бірде-бір атауда табылмады');
    await expect(page.getByTestId('suggestion-partial').first()).toContainText(lang === 'ru' ? 'частично: нет слова «кохлеарная»' : 'ішінара: «кохлеарная» сөзі жоқ');
    await shot(page, `${lang}-code-field-02-partial`);

    // ЭКО on a date after 2025-10-01: shown as no longer on the list, not as "nothing".
    await field.fill('ЭКО');
    await expect(page.getByTestId('code-elsewhere')).toContainText('69.921');
    await expect(page.getByTestId('code-elsewhere')).toContainText(lang === 'ru' ? 'С 01.10.2025 в перечне нет' : '01.10.2025 бастап тізбеде жоқ');
    await shot(page, `${lang}-code-field-03-no-longer-listed`);

    // A code typed without dots becomes the code when the field is left.
    await field.fill('3751');
    await expect(list.getByRole('option').first()).toHaveAttribute('data-code', '37.51');
    await field.press('Tab');
    await expect(field).toHaveValue('37.51');
    await expect(page.getByTestId('code-name')).toBeVisible();

    // Words left in the field: "no code chosen", never "not a code on the list".
    await field.fill('сердце');
    await expect(list.getByRole('option').first()).toBeVisible();
    await field.press('Tab');
    await expect(page.getByTestId('code-popup')).toBeHidden();
    await page.getByTestId('register').click();
    await expect(page.getByTestId('code-popup')).toBeHidden();
    const findings = page.getByTestId('findings-htmpCode');
    await expect(findings).toContainText(lang === 'ru' ? 'Код ВТМП не выбран' : 'ЖТМК коды таңдалмаған');
    await expect(findings).not.toContainText(lang === 'ru' ? 'нет в перечне' : 'тізбесінде жоқ');
    await shot(page, `${lang}-code-field-04-words-left`);
  });
}
