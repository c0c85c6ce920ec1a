import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { expect, test } from './fixtures';

/** A second laptop on a temporary folder that wrote one local change and exported a sync bundle. */
async function senderBundle(): Promise<{ file: string; fingerprint: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-sender-'));
  const core = createCore({ dataDir: dir });
  try {
    core.store.insert('catalogue_notes', { code: '00.50', text: 'Заметка с другого ноутбука' });
    const file = path.join(dir, 'sync.htmp');
    await core.call('exchange.export', { kind: 'sync', out: file });
    return { file, fingerprint: (await core.call('exchange.identity', {})).fingerprint, dir };
  } finally {
    core.close();
  }
}

test('import asks to trust an unknown sender by fingerprint, then imports; export offers a download', async ({ app }) => {
  const sender = await senderBundle();
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-exchange').click();
  await expect(page.getByRole('heading', { name: 'Обмен файлами' })).toBeVisible();

  await page.getByTestId('import-file').setInputFiles(sender.file);
  await page.getByTestId('import-start').click();
  const dialog = page.getByTestId('trust-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('trust-fingerprint')).toHaveText(sender.fingerprint);
  // The dialog keeps keyboard focus: it opens on "do not trust", Tab cycles inside, Escape closes
  // it and focus returns to the button that opened it.
  await expect(page.getByTestId('trust-reject')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('trust-accept')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('trust-reject')).toBeFocused();
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  await expect(dialog.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('import-start')).toBeFocused();

  // Trust given for a dry run holds for the real import of the same file: asked once.
  await page.getByLabel('Только проверить, ничего не менять').check();
  await page.getByTestId('import-start').click();
  await page.getByTestId('trust-accept').click();
  await expect(page.getByTestId('import-result')).toContainText('Проверка: будет принято 1');
  await page.getByLabel('Только проверить, ничего не менять').uncheck();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toContainText('Принято: 1');
  await expect(dialog).toHaveCount(0);

  // The same file again: nothing changes.
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toContainText('уже был принят');

  // Export a sync bundle and download it.
  await page.getByTestId('export-start').click();
  // Ready to download, not "saved": nothing is on a disk of the secretary's choosing yet.
  await expect(page.getByTestId('export-done')).toContainText('Пакет готов: скачайте файл');
  await expect(page.getByTestId('export-done')).not.toContainText('сохранён');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const d = await download;
  await expect(page.getByTestId('export-done')).toContainText('отдан браузеру на сохранение');
  const saved = path.join(sender.dir, 'downloaded.htmp');
  await d.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');

  // Trusted computers and conflicts screens.
  await page.getByTestId('exchange-tab-peers').click();
  await expect(page.getByText(sender.fingerprint)).toBeVisible();
  await page.getByTestId('exchange-tab-conflicts').click();
  await expect(page.getByTestId('conflicts-empty')).toBeVisible();
  fs.rmSync(sender.dir, { recursive: true, force: true });
});

test('backup from the exchange screen is created and verified', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.goto(`${new URL(app.url).origin}/#/exchange/backup`);
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-done')).toContainText('База проверена, ошибок нет');
});
