import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readShippedCatalogue } from '../../electron/core/catalogue/data';
import { createCore, type Core } from '../../electron/core/core';
import { writeCatalogueBundle } from '../../electron/core/exchange/catalogue-update';
import { generateKeyPair } from '../../electron/core/exchange/keys';
import { expect, rawApi, test } from './fixtures';
import { shot } from './support';

/** A second laptop on a temporary folder with one local change. */
function otherLaptop(): { core: Core; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-sender-'));
  // Its own folder with its own user (every folder has users since issue 10).
  const raw = createCore({ dataDir: dir });
  const s = raw.security.setupSync({ login: 'sender', displayName: 'Sender', passphrase: 'sender passphrase 1' }, { channel: 'local' });
  const core = raw.as({ channel: 'local', sessionId: s.sessionId! });
  core.store.insert('catalogue_notes', { code: '00.50', text: 'Заметка с другого ноутбука' });
  return { core, dir };
}

test('laptops introduce themselves, then exchange encrypted sync bundles chosen by recipient; a changed key needs its own confirmation', async ({ app }) => {
  const other = otherLaptop();
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.getByTestId('nav-exchange').click();
  await expect(page.getByRole('heading', { name: 'Обмен файлами' })).toBeVisible();

  // No known computer yet: a sync bundle cannot be made, only an introduction.
  await expect(page.getByTestId('export-start')).toBeDisabled();
  await page.getByTestId('export-introduce').click();
  await expect(page.getByTestId('export-encrypted')).toContainText('Пакет-знакомство');
  const introDownload = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const intro = path.join(other.dir, 'intro.htmp');
  await (await introDownload).saveAs(intro);
  await other.core.call('exchange.import', { file: intro, trustNewPeer: true });
  const app0 = (await other.core.call('exchange.peers', {}))[0]!;

  // The other laptop can now encrypt for this one.
  const file = path.join(other.dir, 'sync.htmp');
  await other.core.call('exchange.export', { kind: 'sync', out: file, for: [app0.encryptionFingerprint!] });
  const otherFp = (await other.core.call('exchange.identity', {})).fingerprint;

  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-start').click();
  const dialog = page.getByTestId('trust-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('trust-fingerprint')).toHaveText(otherFp);
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

  // Export for the other laptop, chosen by name; the referral kind says it is not encrypted.
  await page.getByTestId('export-kind').selectOption('referral');
  await expect(page.getByTestId('export-referral-plain')).toBeVisible();
  await page.getByTestId('export-kind').selectOption('sync');
  await page.getByTestId('export-recipient').first().check();
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-encrypted')).toContainText('Зашифрован для');
  // Ready to download, not "saved": nothing is on a disk of the secretary's choosing yet.
  await expect(page.getByTestId('export-done')).toContainText('Пакет готов: скачайте файл');
  await expect(page.getByTestId('export-done')).not.toContainText('сохранён');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const d = await download;
  await expect(page.getByTestId('export-done')).toContainText('отдан браузеру на сохранение');
  const saved = path.join(other.dir, 'downloaded.htmp');
  await d.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
  expect((await other.core.call('exchange.import', { file: saved })).alreadyImported).toBe(false);

  // The other laptop gets new exchange keys under the same id (as after a reinstall): a new key
  // needs its own confirmation.
  other.core.db.prepare('DELETE FROM exchange_key').run();
  other.core.store.insert('catalogue_notes', { code: '00.51', text: 'После переустановки' });
  const reinstalled = other.core;
  const rekeyed = path.join(other.dir, 'rekeyed.htmp');
  await reinstalled.call('exchange.export', { kind: 'sync', out: rekeyed, for: [app0.encryptionFingerprint!] });
  const newFp = (await reinstalled.call('exchange.identity', {})).fingerprint;
  reinstalled.close();
  await page.getByTestId('import-file').setInputFiles(rekeyed);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('keychange-dialog')).toBeVisible();
  await expect(page.getByTestId('keychange-new')).toHaveText(newFp);
  await expect(page.getByTestId('keychange-accept')).toBeDisabled();
  await page.getByTestId('keychange-confirm').check();
  await page.getByTestId('keychange-accept').click();
  await expect(page.getByTestId('import-result')).toContainText('Принято: 1');

  // Trusted computers: both fingerprints, and the key change.
  await page.getByTestId('exchange-tab-peers').click();
  await expect(page.getByText(newFp)).toBeVisible();
  await expect(page.getByTestId('peer-key-change')).toContainText(otherFp);
  await expect(page.getByTestId('own-encryption-fingerprint')).toHaveText(app0.encryptionFingerprint!);
  await page.getByTestId('exchange-tab-conflicts').click();
  await expect(page.getByTestId('conflicts-empty')).toBeVisible();
  fs.rmSync(other.dir, { recursive: true, force: true });
});

test('backup from the exchange screen is created and verified', async ({ app }) => {
  const page = await app.open();
  await page.getByTestId('lang-ru').click();
  await page.goto(`${new URL(app.url).origin}/#/exchange/backup`);
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-done')).toContainText('База проверена, ошибок нет');
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
  await expect(page.getByTestId('backup-done')).toContainText('База проверена, ошибок нет');
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
  await shot(page, 'backup-trust-ru');
  await page.getByTestId('backup-trust-accept').click();
  // The app closed, restored and reopened: everyone signs in again, as the other installation's user.
  await expect(page.getByTestId('signin-form')).toBeVisible();
  // The admin's cookie was planted by the test's set-up, not by the page: Chromium keeps it beside
  // the page's new one, so it goes (its session ended with the restore anyway).
  await page.context().clearCookies();
  await page.getByTestId('login').fill('other');
  await page.getByTestId('passphrase').fill('other passphrase 12');
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('nav-exchange')).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(otherDir, { recursive: true, force: true });
});

test('a catalogue update that removes editions is a rollback: it names them and needs its own confirmation (kk, ru)', async ({ app }) => {
  test.setTimeout(120_000); // two languages, a publisher to trust, a catalogue applied: slow on a loaded machine
  const shipped = readShippedCatalogue().data;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-catalogue-'));
  const publisher = generateKeyPair();
  const file = path.join(dir, 'one-edition.htmp');
  await writeCatalogueBundle({ file, publisher: { privateKey: publisher.privateKey, name: 'Минздрав' }, data: { editions: shipped.editions.slice(0, 1), characteristics: shipped.characteristics } });
  const removed = shipped.editions.slice(1).map((e) => e.id).sort();
  expect(removed.length).toBeGreaterThan(0);

  const page = await app.open();
  await page.goto(`${new URL(app.url).origin}/#/exchange/catalogue`);
  await page.getByTestId('lang-kk').click();
  await page.getByTestId('exchange-tab-catalogue').click();
  await page.getByTestId('catalogue-file').setInputFiles(file);
  await page.getByTestId('catalogue-show').click();
  await page.getByTestId('trust-accept').click();
  await expect(page.getByTestId('catalogue-rollback')).toBeVisible();
  await expect(page.getByTestId('catalogue-apply')).toHaveText('Кері қайтару ретінде қолдану…');
  await page.getByTestId('catalogue-apply').click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('rollback-removed').locator('li')).toContainText(removed);
  await expect(page.getByTestId('rollback-accept')).toBeDisabled();
  // Not applied: the catalogue keeps every edition.
  await page.getByRole('button', { name: /Қолданбау/ }).click();
  await expect(dialog).toBeHidden();
  expect((await app.api<{ editions: { id: string }[] }>('catalogue.editions', {})).editions.map((e) => e.id).sort()).toEqual(shipped.editions.map((e) => e.id).sort());

  // In Russian, confirmed: applied, and the removed editions are gone.
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('catalogue-apply')).toHaveText('Применить как откат…');
  await page.getByTestId('catalogue-apply').click();
  await expect(page.getByRole('heading', { name: 'Это обновление справочника — шаг назад' })).toBeVisible();
  await page.getByTestId('rollback-confirm').check();
  await page.getByTestId('rollback-accept').click();
  await expect(page.getByRole('status')).toHaveText('Обновление применено.');
  expect((await app.api<{ editions: { id: string }[] }>('catalogue.editions', {})).editions.map((e) => e.id)).toEqual([shipped.editions[0]!.id]);
  fs.rmSync(dir, { recursive: true, force: true });
});
