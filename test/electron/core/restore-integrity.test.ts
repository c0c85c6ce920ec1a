/**
 * Issue 12.3, 12.4, 12.9 attacked with files built here: a backup whose database carries a
 * trigger (a view, an extra table or index, a changed table), a backup of another installation,
 * a restore while another core has the folder open, stale locks. With real processes (the web
 * host, a killed restore): restore-processes.test.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { acquireFolderLock } from '../../../electron/core/data-folder';
import { AppFailure } from '../../../shared/result';
import { TEST_ADMIN, tempDir, track } from '../../support/temp';
import { call, closeAll, laptop, putFile, type Laptop } from './exchange-helpers';

// Restore accepts only the schema the app's migrations make: here they make the test tables too.
vi.mock('../../../electron/core/migrations', async (original) => {
  const mod = await original<typeof import('../../../electron/core/migrations')>();
  const { TEST_DDL } = await import('./exchange-helpers-tables');
  return { ...mod, migrations: [...mod.migrations, { version: mod.migrations.length + 1, name: 'test-tables', up: (db: { exec(sql: string): void }) => db.exec(TEST_DDL) }] };
});

afterEach(closeAll);

async function backupOf(l: Laptop, passphrase?: string): Promise<string> {
  const out = path.join(tempDir(), 'backup.htmp');
  await call(l, 'exchange.backup', { out, ...(passphrase ? { passphrase } : {}) });
  return out;
}

const errOf = async (p: Promise<unknown>): Promise<AppFailure> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppFailure);
  return e as AppFailure;
};

describe('a backup restores only data (12.4)', () => {
  const HOSTILE: [string, string][] = [
    ['trigger', "CREATE TRIGGER evil AFTER INSERT ON t_case BEGIN DELETE FROM t_case; END"],
    ['view', 'CREATE VIEW evil AS SELECT surname FROM t_case'],
    ['extra table', 'CREATE TABLE evil (x TEXT)'],
    ['extra index', 'CREATE INDEX evil ON t_case (surname)'],
    ['changed table', 'ALTER TABLE t_case ADD COLUMN evil TEXT DEFAULT (1)'],
  ];
  for (const [what, ddl] of HOSTILE) {
    it(`refuses a backup whose database holds an object the migrations do not make: ${what}`, async () => {
      const a = laptop();
      a.ctx.store.insert('t_case', { surname: 'Әлиев', status: 'new' });
      a.core.db.exec(ddl);
      const file = await backupOf(a);
      const target = path.join(tempDir(), 'new');
      const e = await errOf(call(a, 'exchange.restore', { file, dataDir: target, recoveryKey: a.recoveryKey }));
      expect(e.code).toBe('bundle.schema_unexpected');
      expect(String(e.params?.objects)).toMatch(what === 'changed table' ? /table t_case \(changed\)/ : /evil/);
      expect(fs.existsSync(target)).toBe(false);
    });
  }

  it('the same backup without the hostile object restores (the check is not a blanket refusal)', async () => {
    const a = laptop();
    a.ctx.store.insert('t_case', { surname: 'Әлиев', status: 'new' });
    a.core.db.exec('ANALYZE'); // SQLite's own statistics tables are not the app's, but harmless
    const file = await backupOf(a);
    const r = await call(a, 'exchange.restore', { file, dataDir: path.join(tempDir(), 'new'), recoveryKey: a.recoveryKey });
    expect(r.integrity).toBe('ok');
  });

  it('a hostile backup restored onto the running app changes nothing there', async () => {
    const a = laptop();
    a.ctx.store.insert('t_case', { surname: 'Сейітов', status: 'new' });
    const clean = await backupOf(a);
    a.core.db.exec("CREATE TRIGGER evil AFTER INSERT ON t_case BEGIN DELETE FROM t_case; END");
    const hostile = await backupOf(a);
    a.core.db.exec('DROP TRIGGER evil');
    const e = await errOf(a.core.call('auth.restore', { file: hostile, force: true, recoveryKey: a.recoveryKey }));
    expect(e.code).toBe('bundle.schema_unexpected');
    expect(fs.readdirSync(a.dir).filter((n) => n.startsWith('.replaced-'))).toEqual([]);
    const again = track(createCore({ dataDir: a.dir }));
    const s = await again.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase });
    expect(again.as({ channel: 'local', sessionId: s.sessionId! }).db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Сейітов' }]);
    again.close();
    expect(clean).not.toBe(hostile);
  });

  it('a backup of another installation needs its fingerprint confirmed; this installation\'s own does not', async () => {
    const a = laptop();
    const b = laptop();
    a.ctx.store.insert('t_case', { surname: 'Ахметов', status: 'new' });
    b.ctx.store.insert('t_case', { surname: 'Бекова', status: 'new' });
    const fromB = await backupOf(b);
    const fromA = await backupOf(a);
    const fpB = (await call(b, 'exchange.identity', {})).fingerprint;
    // Onto the running app of A: refused with B's fingerprint to show; A is untouched.
    const e = await errOf(a.core.call('auth.restore', { file: fromB, force: true, recoveryKey: b.recoveryKey }));
    expect(e).toMatchObject({ code: 'exchange.backup_untrusted', params: { fingerprint: fpB, installationId: b.core.installationId } });
    expect(a.core.db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Ахметов' }]);
    // Another fingerprint than the backup's is no confirmation.
    const fpA = (await call(a, 'exchange.identity', {})).fingerprint;
    await expect(a.core.call('auth.restore', { file: fromB, force: true, recoveryKey: b.recoveryKey, trustBackupKey: fpA })).rejects.toMatchObject({ code: 'exchange.backup_untrusted' });
    // Into another folder from A: its own backup needs nothing, B's needs the confirmation.
    await expect(call(a, 'exchange.restore', { file: fromB, dataDir: path.join(tempDir(), 'x'), recoveryKey: b.recoveryKey })).rejects.toMatchObject({ code: 'exchange.backup_untrusted' });
    await call(a, 'exchange.restore', { file: fromB, dataDir: path.join(tempDir(), 'y'), recoveryKey: b.recoveryKey, trustBackupKey: fpB });
    await call(a, 'exchange.restore', { file: fromA, dataDir: path.join(tempDir(), 'z'), recoveryKey: a.recoveryKey });
    // Confirmed: A's folder now holds B's installation; the app reopened signed out.
    const r = await a.core.call('auth.restore', { file: fromB, force: true, recoveryKey: b.recoveryKey, trustBackupKey: fpB });
    expect(r).toMatchObject({ state: 'signedOut', installationId: b.core.installationId });
    const s = await a.core.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase });
    expect(a.core.as({ channel: 'local', sessionId: s.sessionId! }).db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Бекова' }]);
  });
});

describe('restore never loses a write (12.3)', () => {
  it('is refused while another core has the folder open, and works once it closed', async () => {
    const a = laptop();
    const file = await backupOf(a);
    const other = createCore({ dataDir: a.dir }); // another window, command or host in this process
    const e = await errOf(a.core.call('auth.restore', { file, force: true, recoveryKey: a.recoveryKey }));
    expect(e.code).toBe('exchange.restore_in_use');
    // Nothing was closed or moved: A still works.
    expect(a.core.db.prepare('SELECT count(*) AS n FROM t_case').get()).toEqual({ n: 0 });
    other.close();
    await expect(a.core.call('auth.restore', { file, force: true, recoveryKey: a.recoveryKey })).resolves.toMatchObject({ state: 'signedOut' });
  });

  it('a core cannot open a folder while a live restore holds it; a stale restore lock (dead pid) is taken over', async () => {
    const dir = tempDir();
    const release = acquireFolderLock(dir);
    expect(() => createCore({ dataDir: dir })).toThrow(expect.objectContaining({ code: 'db.restore_in_progress' }));
    release();
    track(createCore({ dataDir: dir })).close();
    // A restore killed with SIGKILL left its lock: a pid that no longer runs.
    const dead = await deadPid();
    fs.mkdirSync(path.join(dir, '.locks'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.locks', 'restore.lock'), JSON.stringify({ pid: dead, id: `${dead}-x`, host: 'restore' }));
    track(createCore({ dataDir: dir })).close();
    expect(fs.existsSync(path.join(dir, '.locks', 'restore.lock'))).toBe(false);
  });

});

describe('no leftovers (12.9)', () => {
  it('backup and restore leave no staging behind on success or refusal', async () => {
    const a = laptop();
    putFile(a, Buffer.from('scan'));
    const file = await backupOf(a);
    expect(fs.readdirSync(path.join(a.dir, '.staging'))).toEqual([]);
    const target = tempDir();
    fs.writeFileSync(path.join(target, 'x'), 'x');
    await expect(call(a, 'exchange.restore', { file, dataDir: target, recoveryKey: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', force: true })).rejects.toMatchObject({ code: 'auth.bad_recovery_key' });
    await call(a, 'exchange.restore', { file, dataDir: target, recoveryKey: a.recoveryKey, force: true });
    expect(fs.readdirSync(path.join(target, '.staging'))).toEqual([]);
    expect(fs.existsSync(path.join(target, '.locks'))).toBe(false); // the last one out removes it
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.includes('.restore-'))).toEqual([]);
  });
});

describe('no leftovers at start (12.9)', () => {
  it('a start removes staging of dead pids and uploads untouched for an hour; a live process\'s staging stays', async () => {
    const dir = tempDir();
    const dead = await deadPid();
    const staging = path.join(dir, '.staging');
    fs.mkdirSync(path.join(staging, `restore-${dead}-x`, 'files'), { recursive: true });
    fs.writeFileSync(path.join(staging, `restore-${dead}-x`, 'files', 'scan'), 'patient scan');
    fs.mkdirSync(path.join(staging, `backup-${process.pid}-y`));
    const incoming = path.join(dir, 'exchange', 'incoming');
    fs.mkdirSync(incoming, { recursive: true });
    fs.writeFileSync(path.join(incoming, 'old.htmp'), 'bundle');
    fs.writeFileSync(path.join(incoming, 'new.htmp'), 'bundle');
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(path.join(incoming, 'old.htmp'), hourAgo, hourAgo);
    track(createCore({ dataDir: dir })).close();
    expect(fs.readdirSync(staging)).toEqual([`backup-${process.pid}-y`]);
    expect(fs.readdirSync(incoming)).toEqual(['new.htmp']);
  });
});

/** A pid that is not running (a short-lived child that has exited and been reaped). */
export async function deadPid(): Promise<number> {
  const r = spawn(process.execPath, ['-e', '0']);
  const pid = r.pid!;
  await new Promise((done) => r.once('exit', done));
  return pid;
}
