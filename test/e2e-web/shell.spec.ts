import { expect, test } from './fixtures';

test('the shell shows every area and switches language, remembering the choice', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-kk').click();
  await expect(page.getByTestId('nav-cases')).toHaveText('Істер');
  await expect(page.getByTestId('nav-catalogue')).toHaveText('ЖТМК тізбесі');
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('nav-cases')).toHaveText('Дела');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.reload();
  await expect(page.getByTestId('nav-cases')).toHaveText('Дела');
});

test('navigation reaches the about screen with versions and the data folder', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-about').click();
  await expect(page.getByRole('heading', { name: 'О программе' })).toBeVisible();
  await expect(page.getByTestId('about-facts')).toContainText(app.dataDir);
  await expect(page.getByTestId('about-facts')).toContainText('Локальный веб-хост');
  // Keyboard: the navigation is reachable with Tab and follows Enter.
  await page.getByTestId('nav-settings').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Настройки' })).toBeVisible();
});

test('the API refuses calls without the per-run token', async ({ app }) => {
  const page = await app.open();
  const status = await page.evaluate(async () => (await fetch('/api/app.info', { method: 'POST', body: '{}' })).status);
  expect(status).toBe(401);
});

test('settings show the working-day calendar and a year can be edited', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('calendar-source')).toHaveText('Календарь, поставляемый с программой');
  // The calendar opens on the current year (Kazakhstan time), not the last one it holds.
  const year = new Date(Date.now() + 5 * 3600_000).getUTCFullYear();
  await expect(page.getByTestId('calendar-year')).toHaveValue(String(year));
  await page.getByTestId('calendar-year').selectOption('2026');
  await expect(page.getByTestId('calendar-days-off')).toContainText('27.05.2026');
  await expect(page.getByTestId('calendar-days-off')).toContainText('Первый день Курбан айт');
  await page.getByTestId('calendar-year').selectOption('2027');
  await page.getByTestId('calendar-extra').fill('2027-06-08');
  await page.getByTestId('calendar-save').click();
  await expect(page.getByTestId('calendar-source')).toHaveText('Календарь, изменённый на этом компьютере');
  await expect(page.getByTestId('calendar-days-off')).toContainText('08.06.2027');
  // The day typed as ISO is shown back as dd.mm.yyyy (issue 13: no ISO date on a screen).
  await expect(page.getByTestId('calendar-extra')).toHaveValue('08.06.2027');
});
