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
