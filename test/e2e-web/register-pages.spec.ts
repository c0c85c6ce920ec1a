import { expect, test, TEST_COMMISSION } from './fixtures';
import { LAST_NAMES, numberedIin, shot } from './support';

// Today and the journal of refusals by pages (issue 17): the first page with the exact total,
// the rest read by key with "more", in Kazakh and Russian.

const MEMBERS = [
  { name: 'Сапаров А.', role: 'chair' },
  { name: 'Ким Л.', role: 'member' },
  { name: 'Омарова Д.', role: 'secretary' },
];


/** An incomplete packet (identity only), received early this year: overdue today. */
function caseFile(n: number, year: string) {
  return {
    case: {
      receivedAt: `${year}-02-${String(2 + (n % 20)).padStart(2, '0')}T${String(9 + (n % 8)).padStart(2, '0')}:00`,
      patient: { iin: numberedIin(n), lastName: LAST_NAMES[n % LAST_NAMES.length]!, firstName: 'Ерлан' },
      htmpCode: '54.970.059',
      urgency: 'planned',
      inpatient: n % 4 === 0,
      diagnosis: { icd10: 'I25.1', text: 'ИБС' },
      documents: [{ kind: 'identity', paper: true, files: [], signatures: [], seal: false, items: [] }],
    },
    files: [],
  };
}

test('kk and ru: 105 refusals and 55 overdue cases, first page with the total, the rest with "more"', async ({ app }) => {
  test.setTimeout(240_000);
  await app.api('settings.update', TEST_COMMISSION);
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Almaty' }).format(new Date());
  const year = today.slice(0, 4);
  const { cases } = await app.api<{ cases: { id: string }[] }>('cases.importBatch', { cases: Array.from({ length: 160 }, (_, n) => caseFile(n, year)) });
  for (const [k, { id }] of cases.slice(0, 105).entries()) {
    await app.api('cases.decide', { caseId: id, outcome: 'refused', reason: 'incomplete_packet', members: MEMBERS, date: `${year}-03-${String(2 + (k % 20)).padStart(2, '0')}`, issue: true });
  }
  const page = await app.open();
  for (const lang of ['kk', 'ru'] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    // Today: 55 overdue, the first 50 shown with the number of all of them.
    await page.getByTestId('nav-today').click();
    const overdue = page.getByTestId('today-overdue');
    await expect(overdue.locator('h2 .count')).toHaveText('55');
    await expect(overdue.getByTestId('case-row')).toHaveCount(50);
    await overdue.getByTestId('today-overdue-more').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-today-more`);
    await overdue.getByTestId('today-overdue-more').click();
    await expect(overdue.getByTestId('case-row')).toHaveCount(55);
    await expect(overdue.getByTestId('today-overdue-more')).toHaveCount(0);
    const ids = await overdue.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(new Set(ids).size).toBe(55);

    // The journal: 100 of 105 refusals, then the rest, numbered on.
    await page.evaluate(() => (window.location.hash = '#/cases/journal'));
    await expect(page.getByTestId('journal-row')).toHaveCount(100);
    await expect(page.getByTestId('journal-total')).toContainText('105');
    await page.getByTestId('journal-more').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-journal-more`);
    await page.getByTestId('journal-more').click();
    await expect(page.getByTestId('journal-row')).toHaveCount(105);
    await expect(page.getByTestId('journal-more')).toHaveCount(0);
    await expect(page.getByTestId('journal-row').last().locator('td').first()).toHaveText('105');
    const decided = await page.getByTestId('journal-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    expect(new Set(decided).size).toBe(105);
    await page.getByTestId('journal-total').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-journal-all`);
  }
});

test('kk and ru: a search by two letters that matches over 1,000 cases says "more than 1 000", and pages on', async ({ app }) => {
  test.setTimeout(240_000);
  await app.api('settings.update', TEST_COMMISSION);
  const year = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Almaty' }).format(new Date()).slice(0, 4);
  // 1,010 cases whose surnames contain "ов" (Сапаров, Омарова, Тоқтарова), 50 without it (Ким).
  const names = ['Сапаров', 'Омарова', 'Тоқтарова'];
  for (const [from, n] of [[0, 1000], [1000, 10]] as const) {
    const batch = Array.from({ length: n }, (_, k) => {
      const c = caseFile(from + k, year);
      return { ...c, case: { ...c.case, patient: { ...c.case.patient, lastName: names[(from + k) % names.length]! } } };
    });
    await app.api('cases.importBatch', { cases: batch });
  }
  await app.api('cases.importBatch', { cases: Array.from({ length: 50 }, (_, k) => { const c = caseFile(2000 + k, year); return { ...c, case: { ...c.case, patient: { ...c.case.patient, lastName: 'Ким' } } }; }) });
  // Through the API: the total is a lower bound, and said to be one.
  const list = await app.api<{ total: number; totalAtLeast?: boolean }>('cases.list', { query: 'ов', limit: 50 });
  expect([list.total, list.totalAtLeast]).toEqual([1000, true]);
  // Three letters: the exact total.
  expect(await app.api('cases.list', { query: 'ким', limit: 1 })).toMatchObject({ total: 50 });
  const page = await app.open();
  // The number as the page's Intl formats it for the language (a space, or a comma where the
  // browser has no Kazakh number format).
  for (const [lang, text] of [['kk', /^1[\s,]000-нан астам ішінен 1–50$/], ['ru', /^1–50 из более чем 1\s000$/]] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('filter-query').fill('ов');
    await expect(page.getByTestId('page-range')).toHaveText(text);
    await expect(page.getByTestId('case-row')).toHaveCount(50);
    await page.getByTestId('page-range').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-register-more-than`);
    await page.getByTestId('page-next').click();
    await expect(page.getByTestId('page-range')).toContainText('51–100');
    await page.getByTestId('filter-query').fill('');
  }
});
