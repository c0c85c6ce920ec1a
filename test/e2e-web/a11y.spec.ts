import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, TEST_COMMISSION } from './fixtures';

// Accessibility: axe-core over every screen in both languages; a violation of impact moderate or
// higher fails the test (named with its rule, impact and the elements it concerns).

const BLOCKING = new Set(['moderate', 'serious', 'critical']);

async function scan(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test.describe.configure({ timeout: 300_000 });

// Every area of the navigation (renderer/src/areas.tsx), in two halves so each test stays short
// on a busy machine; the first test checks that the halves cover the whole navigation.
const HALVES = [
  ['today', 'cases', 'protocols', 'orgs', 'reports', 'catalogue', 'account'],
  // users and audit: the admin's areas (issue 10; every e2e installation signs in as its admin)
  ['scoring', 'abroad', 'exchange', 'settings', 'users', 'audit', 'about'],
];

for (const lang of ['kk', 'ru'] as const) {
  HALVES.forEach((half, i) => {
    test(`${lang}: screens ${half.join(', ')} pass axe (no violation moderate or higher)`, async ({ app }) => {
      const page = await app.open();
      await page.getByTestId(`lang-${lang}`).click();
      if (i === 0) {
        const navs = await page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
        expect(navs.sort()).toEqual(HALVES.flat().sort());
      }
      const found: string[] = [];
      for (const nav of half) {
        await page.getByTestId(`nav-${nav}`).click();
        await expect(page.locator('main h1').first()).toBeVisible();
        await expect(page.locator('[aria-busy=true]')).toHaveCount(0);
        found.push(...(await scan(page, nav)));
      }
      expect(found).toEqual([]);
    });
  });

  test(`${lang}: the case form (new and filled) and the refusal journal pass axe; the scan can fail`, async ({ app }) => {
    await app.api('settings.update', TEST_COMMISSION);
    const { id } = await app.api<{ id: string }>('cases.save', { patient: { iin: '900315300010', lastName: 'Абаев', firstName: 'Ерлан' }, receivedAt: '2026-03-20T10:00', htmpCode: '54.970.059' });
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    const found: string[] = [];
    await page.goto(`${app.url.split('#')[0]}#/cases/${id}`);
    await expect(page.getByTestId('patient-iin')).toBeVisible();
    found.push(...(await scan(page, 'case')));
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('new-case').click();
    await expect(page.getByTestId('patient-iin')).toBeFocused();
    found.push(...(await scan(page, 'new-case')));
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('open-journal').click();
    found.push(...(await scan(page, 'journal')));
    // The first-start guide (reached by links, not in the navigation), each step; a date field's calendar open.
    for (const step of ['names', 'members', 'calendar']) {
      await page.goto(`${app.url.split('#')[0]}#/setup/${step}`);
      await expect(page.getByTestId('guide-step-title')).toBeFocused();
      found.push(...(await scan(page, `guide-${step}`)));
    }
    await page.getByTestId('nav-protocols').click();
    await page.getByTestId('protocols-from-calendar').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    found.push(...(await scan(page, 'date-calendar')));
    expect(found).toEqual([]);

    // The scan sees what it must: a nameless button is reported (the test can fail).
    await page.evaluate(() => document.querySelector('main')!.appendChild(document.createElement('button')));
    expect((await scan(page, 'probe')).join()).toContain('button-name');
  });
}
