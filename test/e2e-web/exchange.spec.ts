import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { expect, rawApi, test } from './fixtures';

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

test('the page names no path: backup downloaded, restored onto the running app by upload; another installation\'s backup needs its fingerprint', async ({ app }) => {
  test.setTimeout(180_000); // two backups, an upload and a restore on a shared, loaded machine
  // A page (or a script in it) that names a path is refused at the door.
  for (const [method, args] of [
    ['exchange.export', { kind: 'sync', out: '/tmp/evil.htmp' }],
    ['exchange.backup', { out: '/tmp/evil.htmp' }],
    ['exchange.import', { file: '/etc/passwd' }],
    ['exchange.restore', { uploadId: '00000000-0000-4000-8000-000000000000', dataDir: '/tmp/evil' }],
    ['auth.restore', { file: '/tmp/evil.htmp' }],
  ] as const) {
    const r = await rawApi(app, method, args, app.session);
    expect(r.body.error?.code, method).toBe('api.path_not_allowed');
  }
  expect(fs.existsSync('/tmp/evil.htmp')).toBe(false);

  const page = await app.open();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('lang-ru').click();
  await page.goto(`${new URL(app.url).origin}/#/exchange/backup`);
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-done')).toContainText('Целостность базы: ok');
  const download = page.waitForEvent('download');
  await page.getByTestId('backup-download').click();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-backup-'));
  const own = path.join(dir, 'own.htmp');
  await (await download).saveAs(own);
  expect(fs.readFileSync(own).subarray(0, 2).toString('latin1')).toBe('PK');

  // A backup of another installation: its fingerprint is shown; confirmed, it replaces this one's data.
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-other-'));
  const raw = createCore({ dataDir: otherDir });
  const s = raw.security.setupSync({ login: 'other', displayName: 'Другой', passphrase: 'other passphrase 12' }, { channel: 'local' });
  const other = raw.as({ channel: 'local', sessionId: s.sessionId! });
  const foreign = path.join(dir, 'foreign.htmp');
  await other.call('exchange.backup', { out: foreign, passphrase: 'backup passphrase 12' });
  const fingerprint = (await other.call('exchange.identity', {})).fingerprint;
  other.close();

  await page.getByTestId('restore-file').setInputFiles(foreign);
  await page.getByTestId('restore-secret').fill('backup passphrase 12');
  await expect(page.getByTestId('restore-start')).toBeDisabled();
  await page.getByTestId('restore-force').check();
  await page.getByTestId('restore-start').click();
  await expect(page.getByTestId('backup-trust-dialog')).toBeVisible();
  await expect(page.getByTestId('backup-trust-fingerprint')).toHaveText(fingerprint);
  await page.screenshot({ path: test.info().outputPath('backup-trust-ru.png') });
  await page.getByTestId('backup-trust-accept').click();
  // The app closed, restored and reopened: everyone signs in again, as the other installation's user.
  await expect(page.getByTestId('signin-form')).toBeVisible();
  await page.getByTestId('login').fill('other');
  await page.getByTestId('passphrase').fill('other passphrase 12');
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('nav-exchange')).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(otherDir, { recursive: true, force: true });
});
