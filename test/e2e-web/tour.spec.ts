import type { Page } from '@playwright/test';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { axeScan, completeCase, iin, shot } from './support';

// Every screen a secretary opens, in Kazakh and Russian at 1366x768: no i18n key shown raw,
// nothing wider or taller than the window (only the main area scrolls), no cut text, and no axe
// violation of impact moderate or higher (the accessibility scan of every screen of the
// navigation: a11y.spec.ts scans the few screens the tour does not open).
// HTMP_SHOTS=dir keeps a screenshot of each screen for a human look.

test.describe.configure({ timeout: 300_000 });

const STANDING = [
  { role: 'chair', kk: 'Сейітқали Әлия Нұрланқызы', ru: 'Сейткали Алия Нурлановна' },
  { role: 'member', kk: 'Шаһмарданов Ғ. Ө.', ru: 'Шахмарданов Г. О.' },
  { role: 'secretary', kk: 'Үмбетова І. Һ.', ru: 'Умбетова И. Х.' },
] as const;

/** A decided case with its protocol, and a refused one (for the refusal journal). */
async function seed(app: WebApp): Promise<string> {
  await app.api('settings.update', TEST_COMMISSION);
  await app.api('settings.setMembers', { members: STANDING.map((m) => ({ role: m.role, name: { kk: m.kk, ru: m.ru } })) });
  const a = await app.api<{ id: string }>('cases.save', completeCase({ iin: iin('85061545001'), lastName: 'Жұмабекова' }));
  await app.api('cases.register', { id: a.id });
  await app.api('cases.decide', { caseId: a.id, outcome: 'approved', reason: null, date: '2026-11-21', issue: true });
  return a.id;
}

const SCREENS = (caseId: string): [string, string][] => [
  ['today', '#/today'],
  ['cases', '#/cases'],
  ['case', `#/cases/${caseId}`],
  ['refusal-journal', '#/cases/journal'],
  ['inpatient-journal', '#/cases/inpatient-journal'],
  ['catalogue', '#/catalogue'],
  ['scoring', '#/scoring/form'],
  ['scoring-sheets', '#/scoring/sheets'],
  ['scoring-transfer', '#/scoring/transfer'],
  ['protocols', '#/protocols'],
  ['exchange', '#/exchange/transfer'],
  ['exchange-conflicts', '#/exchange/conflicts'],
  ['exchange-backup', '#/exchange/backup'],
  ['exchange-catalogue', '#/exchange/catalogue'],
  ['exchange-peers', '#/exchange/peers'],
  ['reports', '#/reports'],
  ['reports-annual', '#/reports/annual'],
  ['orgs', '#/orgs/registry'],
  ['orgs-applications', '#/orgs/applications'],
  ['orgs-conclusions', '#/orgs/conclusions'],
  ['abroad', '#/abroad'],
  ['abroad-new', '#/abroad/new'],
  ['abroad-summary', '#/abroad/summary'],
  ['settings', '#/settings'],
  ['users', '#/users'],
  ['audit', '#/audit'],
  ['account', '#/account'],
  ['about', '#/about'],
];

/** Problems a secretary would see: raw keys (ns:a.b or a.b.c in lower camel case) and overflow. */
async function problems(page: Page, where: string): Promise<string[]> {
  return page.evaluate((where) => {
    const out: string[] = [];
    const main = document.querySelector('main') ?? document.body;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = (n.textContent ?? '').trim();
      if (/^([a-z]+:)?[a-z][a-zA-Z]*(\.[a-zA-Z_]+){1,}$/.test(s) && !/^\d/.test(s)) out.push(`${where}: raw key "${s}"`);
    }
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`${where}: page wider than the window (${doc.scrollWidth} > ${doc.clientWidth})`);
    // Only the main area scrolls: a taller document would scroll the menu and the top bar away.
    if (doc.scrollHeight > doc.clientHeight + 1) out.push(`${where}: page taller than the window (${doc.scrollHeight} > ${doc.clientHeight})`);
    for (const el of Array.from(main.querySelectorAll<HTMLElement>('button, label, th, h1, h2, .tabs a'))) {
      if (el.offsetParent === null || el.closest('.sr-only')) continue;
      if (el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflow === 'hidden') out.push(`${where}: text cut in <${el.tagName.toLowerCase()}> "${el.textContent?.trim().slice(0, 40)}"`);
    }
    return out;
  }, where);
}

// Two halves per language, so the two Playwright workers share the tour evenly.
const HALF = Math.ceil(SCREENS('').length / 2);

test(`the tour opens every area of the navigation`, async ({ app }) => {
  const page = await app.open();
  const navs = await page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
  expect(navs.length).toBeGreaterThan(10);
  // The admin (every e2e installation signs in as its admin) sees every area.
  const visited = new Set(SCREENS('').map(([, hash]) => hash.split('/')[1]));
  expect(navs.filter((n) => !visited.has(n))).toEqual([]);
});

for (const lang of ['kk', 'ru'] as const) {
  for (const part of [0, 1]) {
    test(`${lang} (${part + 1}/2): every screen at 1366x768 shows no raw text key, fits the window and passes axe`, async ({ app }) => {
      const caseId = await seed(app);
      const page = await app.open();
      await page.getByTestId(`lang-${lang}`).click();
      const found: string[] = [];
      for (const [name, hash] of SCREENS(caseId).slice(part * HALF, (part + 1) * HALF)) {
        await page.evaluate((h) => (location.hash = h), hash);
        await expect(page.locator('main h1').first()).toBeVisible();
        await expect(page.locator('[aria-busy=true]')).toHaveCount(0);
        await page.waitForTimeout(150);
        // The charts load their library on first use.
        if (name === 'reports') await expect(page.locator('.chart-grid svg, .chart-grid canvas').first()).toBeVisible();
        found.push(...(await problems(page, name)));
        found.push(...(await axeScan(page, name)));
        await shot(page, `tour-${lang}-${name}`);
        if (name === 'case') {
          // The decision and the protocol, at the end of the case.
          await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
          await shot(page, `tour-${lang}-case-decision`);
        }
      }
      expect(found).toEqual([]);
    });
  }
}
