import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { expect, test } from './fixtures';

/** A second laptop on a temporary folder that wrote one local change and exported a sync bundle. */
async function senderBundle(): Promise<{ file: string; fingerprint: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-sender-'));
  const raw = createCore({ dataDir: dir });
  const s = raw.security.setupSync({ login: 'sender', displayName: 'Sender', passphrase: 'sender passphrase 1' }, { channel: 'local' });
  const core = raw.as({ channel: 'local', sessionId: s.sessionId! });
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
  await page.getByTestId('trust-accept').click();
  await expect(page.getByTestId('import-result')).toContainText('Принято: 1');

  // The same file again: nothing changes.
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toContainText('уже был принят');

  // Export a sync bundle and download it.
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const d = await download;
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
  await expect(page.getByTestId('backup-done')).toContainText('Целостность базы: ok');
});
