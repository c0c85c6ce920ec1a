import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { readShippedCatalogue } from '../../../electron/core/catalogue/data';
import { writeCatalogueBundle } from '../../../electron/core/exchange/catalogue-update';
import { generateKeyPair } from '../../../electron/core/exchange/keys';
import { AppFailure } from '../../../shared/result';
import { readStoredFile } from '../../../electron/core/files';
import { signedInCore, tempDir, TEST_ADMIN, track } from '../../support/temp';
import { call, closeAll, laptop, putFile } from './exchange-helpers';

// Restore accepts only the schema the app's migrations make: here they make the test tables too.
vi.mock('../../../electron/core/migrations', async (original) => {
  const mod = await original<typeof import('../../../electron/core/migrations')>();
  const { TEST_DDL } = await import('./exchange-helpers-tables');
  return { ...mod, migrations: [...mod.migrations, { version: mod.migrations.length + 1, name: 'test-tables', up: (db: { exec(sql: string): void }) => db.exec(TEST_DDL) }] };
});

afterEach(closeAll);

describe('backup and restore', () => {
  it('writes a verified, encrypted backup; restores onto a new laptop with the recovery key or the backup passphrase; users keep their passphrases', async () => {
    const a = laptop();
    a.ctx.store.insert('t_case', { surname: 'Әлиев', status: 'approved' });
    const sha = putFile(a, Buffer.from('protocol pdf bytes'));
    a.ctx.store.insert('t_file', { case_id: 'x', name: 'p.pdf', file_sha256: sha });
    const events: unknown[] = [];
    a.core.onEvent((e) => events.push(e));
    a.ctx.emit = a.core.context.emit;
    const b = await call(a, 'exchange.backup', { out: path.join(tempDir(), 'backup.htmp'), jobId: 'bk', passphrase: 'backup passphrase 42' });
    expect(b.verified).toEqual({ integrity: 'ok', files: 1 });
    expect(events.some((e) => (e as { type: string; payload: { jobId: string } }).type === 'job.progress' && (e as { payload: { jobId: string } }).payload.jobId === 'bk')).toBe(true);
    // Nothing of the case in the backup file, in any form.
    const raw = fs.readFileSync(b.file);
    for (const needle of ['Әлиев', 'protocol pdf bytes', sha]) expect(raw.includes(Buffer.from(needle))).toBe(false);

    // Without a secret, or with a wrong one: refused, nothing written.
    const nowhere = path.join(tempDir(), 'none');
    await expect(call(a, 'exchange.restore', { file: b.file, dataDir: nowhere })).rejects.toMatchObject({ code: 'exchange.backup_secret_required' });
    await expect(call(a, 'exchange.restore', { file: b.file, dataDir: nowhere, recoveryKey: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' })).rejects.toMatchObject({ code: 'auth.bad_recovery_key' });
    await expect(call(a, 'exchange.restore', { file: b.file, dataDir: nowhere, backupPassphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'auth.bad_credentials' });
    expect(fs.existsSync(nowhere)).toBe(false);

    for (const secret of [{ recoveryKey: a.recoveryKey.toLowerCase().replace(/-/g, ' ') }, { backupPassphrase: 'backup passphrase 42' }]) {
      const target = path.join(tempDir(), 'laptop2');
      const r = await call(a, 'exchange.restore', { file: b.file, dataDir: target, ...secret });
      expect(r).toMatchObject({ integrity: 'ok', files: 1, installationId: a.core.installationId, replaced: null });
      const c = await signedInCore(target);
      expect(c.installationId).toBe(a.core.installationId);
      expect(c.db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Әлиев' }]);
      expect(readStoredFile(target, sha)?.toString('utf8')).toBe('protocol pdf bytes');
      expect((await c.call('exchange.identity', {})).publicKey).toBe((await call(a, 'exchange.identity', {})).publicKey);
      // The audit trail came along.
      expect((await c.call('audit.list', { action: 'export' })).rows.length).toBeGreaterThanOrEqual(0);
      c.close();
    }
  });

  it('refuses a non-empty folder unless forced, the open folder always, and a damaged backup', async () => {
    const a = laptop();
    const b = await call(a, 'exchange.backup', { out: path.join(tempDir(), 'backup.htmp') });
    const busy = tempDir();
    fs.writeFileSync(path.join(busy, 'something'), 'x');
    await expect(call(a, 'exchange.restore', { file: b.file, dataDir: busy, recoveryKey: a.recoveryKey })).rejects.toMatchObject({ code: 'exchange.restore_not_empty' });
    await expect(call(a, 'exchange.restore', { file: b.file, dataDir: a.dir, force: true, recoveryKey: a.recoveryKey })).rejects.toMatchObject({ code: 'exchange.restore_into_open' });
    const forced = await call(a, 'exchange.restore', { file: b.file, dataDir: busy, force: true, recoveryKey: a.recoveryKey });
    expect(fs.existsSync(path.join(forced.replaced!, 'something'))).toBe(true);
    const bytes = fs.readFileSync(b.file);
    bytes[200] = bytes[200]! ^ 0xff;
    const bad = path.join(tempDir(), 'bad.htmp');
    fs.writeFileSync(bad, bytes);
    const err = await call(a, 'exchange.restore', { file: bad, dataDir: path.join(tempDir(), 'n'), recoveryKey: a.recoveryKey }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).code).toMatch(/^bundle\./);
  });

  it('a new laptop restores through its own (empty) folder: auth.restore, then the users sign in', async () => {
    const a = laptop();
    a.ctx.store.insert('t_case', { surname: 'Жұмабаев', status: 'new' });
    const b = await call(a, 'exchange.backup', { out: path.join(tempDir(), 'backup.htmp') });
    const target = path.join(tempDir(), 'new-laptop');
    const fresh = track(createCore({ dataDir: target }));
    expect((await fresh.call('auth.status', {})).state).toBe('setup');
    // A new folder has no installation of its own: the backup's key is shown and must be confirmed.
    const ask = await fresh.call('auth.restore', { file: b.file, recoveryKey: a.recoveryKey }).catch((e: unknown) => e as AppFailure);
    const fingerprint = (await call(a, 'exchange.identity', {})).fingerprint;
    expect(ask).toMatchObject({ code: 'exchange.backup_untrusted', params: { fingerprint, installationId: a.core.installationId } });
    await expect(fresh.call('auth.restore', { file: b.file, recoveryKey: a.recoveryKey, trustBackupKey: '0000 0000 0000 0000 0000 0000 0000 0000' })).rejects.toMatchObject({ code: 'exchange.backup_untrusted' });
    await expect(fresh.call('auth.restore', { file: b.file, recoveryKey: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', trustBackupKey: fingerprint })).rejects.toMatchObject({ code: 'auth.bad_recovery_key' });
    const r = await fresh.call('auth.restore', { file: b.file, recoveryKey: a.recoveryKey, trustBackupKey: fingerprint.replace(/ /g, '').toLowerCase() });
    expect(r).toMatchObject({ state: 'signedOut', files: 0 });
    await expect(fresh.call('cases.list', {})).rejects.toMatchObject({ code: 'auth.required' });
    const s = await fresh.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase });
    expect(fresh.as({ channel: 'local', sessionId: s.sessionId! }).db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Жұмабаев' }]);
  });
});

describe('catalogue update bundles', () => {
  it('unknown publisher refused; preview shows the diff; apply loads it; restore brings the previous state back', async () => {
    const a = laptop();
    const publisher = generateKeyPair();
    const shipped = readShippedCatalogue().data;
    const edition = structuredClone(shipped.editions[shipped.editions.length - 1]!);
    edition.id = '2026-999-ru';
    edition.sections[0]!.entries = edition.sections[0]!.entries.slice(1);
    edition.sections[0]!.entries[0]!.name = 'Новое название';
    const data = { editions: [...shipped.editions, edition], characteristics: shipped.characteristics };
    const file = path.join(tempDir(), 'cat.htmp');
    const calendar = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'assets', 'calendar', 'kz.json'), 'utf8')) as { years: Record<string, { extraDaysOff?: string[] }> };
    const year = Object.keys(calendar.years).sort()[0]!;
    calendar.years[year]!.extraDaysOff = [...(calendar.years[year]!.extraDaysOff ?? []), `${year}-12-31`];
    await writeCatalogueBundle({ file, publisher: { privateKey: publisher.privateKey, name: 'Минздрав' }, data, calendar });

    await expect(call(a, 'exchange.cataloguePreview', { file })).rejects.toMatchObject({ code: 'bundle.untrusted_sender' });
    const preview = await call(a, 'exchange.cataloguePreview', { file, trustNewPublisher: true });
    expect(preview.editions.find((e) => e.id === '2026-999-ru')).toMatchObject({ status: 'added' });
    expect(preview.editions.filter((e) => e.id !== '2026-999-ru').every((e) => e.status === 'same')).toBe(true);
    expect(preview.calendar).toMatchObject({ status: 'changed' });
    expect(preview.calendar.years.find((y) => String(y.year) === year)).toMatchObject({ status: 'changed' });
    expect(await call(a, 'exchange.publishers', {})).toEqual([]); // preview trusts nothing

    const applied = await call(a, 'exchange.catalogueApply', { file, trustNewPublisher: true });
    expect(applied.applied).toBe(true);
    expect(a.core.db.prepare("SELECT count(*) AS n FROM catalogue_editions WHERE id = '2026-999-ru'").get()).toEqual({ n: 1 });
    expect(await call(a, 'exchange.publishers', {})).toHaveLength(1);
    expect(a.core.db.prepare("SELECT count(*) AS n FROM meta WHERE key = 'calendar_override'").get()).toEqual({ n: 1 });
    expect((await call(a, 'exchange.catalogueApply', { file })).applied).toBe(false);

    const state = await call(a, 'exchange.catalogueRestore', {});
    expect(state.current).toBeNull();
    expect(a.core.db.prepare("SELECT count(*) AS n FROM catalogue_editions WHERE id = '2026-999-ru'").get()).toEqual({ n: 0 });
    expect(a.core.db.prepare("SELECT count(*) AS n FROM meta WHERE key = 'calendar_override'").get()).toEqual({ n: 0 });
  });
});
