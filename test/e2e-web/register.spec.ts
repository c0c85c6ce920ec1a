import { expect, test } from './fixtures';
import { LAST_NAMES, numberedIin, shot } from './support';

// The register at more than a page of cases (issue 17): pages read by key, the search by name
// and IIN through the trigram index, in Kazakh and Russian.



function caseFile(n: number, lastName: string) {
  const day = `2026-03-${String(2 + (n % 20)).padStart(2, '0')}`;
  return {
    case: {
      receivedAt: `${day}T${String(9 + (n % 8)).padStart(2, '0')}:00`,
      patient: { iin: numberedIin(n), lastName, firstName: 'Ерлан' },
      htmpCode: '54.970.059',
      urgency: 'planned',
      inpatient: false,
      diagnosis: { icd10: 'I25.1', text: 'ИБС' },
      documents: [{ kind: 'identity', paper: true, files: [], signatures: [], seal: false, items: [] }],
    },
    files: [],
  };
}

test('kk and ru: 120 cases page by page (next, next, back), search by a name typed without Kazakh letters', async ({ app }) => {
  await app.api('cases.importBatch', { cases: Array.from({ length: 119 }, (_, n) => caseFile(n, LAST_NAMES[n % LAST_NAMES.length]!)) });
  await app.api('cases.importBatch', { cases: [caseFile(500, 'Нұрланов')] });
  const page = await app.open();
  await page.getByTestId('lang-kk').click();
  await page.getByTestId('nav-cases').click();
  const range = page.getByTestId('page-range');
  await expect(range).toHaveText('120 ішінен 1–50');
  await expect(page.getByTestId('case-row')).toHaveCount(50);
  await expect(page.getByTestId('page-prev')).toBeDisabled();
  const firstPage = await page.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  await page.getByTestId('page-next').click();
  await expect(range).toHaveText('120 ішінен 51–100');
  await shot(page, 'kk-register-page-2');
  const secondPage = await page.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  await page.getByTestId('page-next').click();
  await expect(range).toHaveText('120 ішінен 101–120');
  await expect(page.getByTestId('case-row')).toHaveCount(20);
  await expect(page.getByTestId('page-next')).toBeDisabled();
  const thirdPage = await page.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  // Every case once, on exactly one page.
  expect(new Set([...firstPage, ...secondPage, ...thirdPage]).size).toBe(120);
  await page.getByTestId('page-prev').click();
  await expect(range).toHaveText('120 ішінен 51–100');
  expect(await page.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(secondPage);

  // Russian; a name typed on a Russian keyboard finds the Kazakh spelling, and the pager restarts.
  await page.getByTestId('lang-ru').click();
  await expect(range).toHaveText('51–100 из 120');
  await page.getByTestId('filter-query').fill('нурланов');
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await expect(page.getByTestId('case-row')).toContainText('Нұрланов');
  await expect(range).toHaveText('1–1 из 1');
  await shot(page, 'ru-register-search');
  // The IIN's first digits find it too.
  await page.getByTestId('filter-query').fill(numberedIin(500).slice(0, 7));
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await page.getByTestId('filter-query').fill('ержанова');
  await expect(range).toHaveText('1–20 из 20');
  await expect(page.getByTestId('page-next')).toBeDisabled();
});
