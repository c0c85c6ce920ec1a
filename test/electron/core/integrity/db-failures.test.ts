import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli/run';
import { createCore } from '../../../../electron/core/core';
import { dbFailure, DB_FAILURE_CODES } from '../../../../electron/core/db-errors';
import { createDispatcher } from '../../../../electron/core/dispatch';
import type { CoreContext, Handlers } from '../../../../electron/core/context';
import { translateError } from '../../../../electron/core/i18n';
import { tempDir } from '../../../support/temp';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr, error: () => (JSON.parse(stdout) as { error: { code: string; message: string } }).error };
}

const saved = process.env.HTMP_BUSY_TIMEOUT_MS;
afterEach(() => {
  if (saved === undefined) delete process.env.HTMP_BUSY_TIMEOUT_MS;
  else process.env.HTMP_BUSY_TIMEOUT_MS = saved;
});

/**
 * Issue 12, point 7: a data folder that cannot be used is a clear exit 2 with its own db.* code
 * and a message in kk and ru, never a stack trace (exit 1, api.internal) as before.
 */
describe('a data folder that cannot be used', () => {
  it('a file where the folder should be, or a path through a file: db.not_a_folder', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    for (const dataDir of [file, path.join(file, 'inside')]) {
      const r = await cli(['case', 'list', '--json', '--data-dir', dataDir]);
      expect(r.code, dataDir).toBe(2);
      expect(r.error().code).toBe('db.not_a_folder');
      expect(r.error().message).toContain(dataDir);
    }
    const ru = await cli(['case', 'list', '--lang', 'ru', '--data-dir', file]);
    expect(ru.stderr).toMatch(/^htmp: Папка данных указана неверно/);
    expect(ru.stderr).not.toMatch(/\n\s+at /);
  });

  it('a database file that is not SQLite: db.not_sqlite, and the file is left as it was', async () => {
    const dir = tempDir();
    const junk = Buffer.from('This is a scanned letter, not a database.\n'.repeat(200));
    fs.writeFileSync(path.join(dir, 'htmp.sqlite'), junk);
    const r = await cli(['case', 'list', '--json', '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.error().code).toBe('db.not_sqlite');
    expect(fs.readFileSync(path.join(dir, 'htmp.sqlite')).equals(junk)).toBe(true);
  });

  it('a database another program holds locked: db.locked after the busy timeout, nothing written', async () => {
    const dir = tempDir();
    createCore({ dataDir: dir, host: 'cli' }).close();
    const holder = new Database(path.join(dir, 'htmp.sqlite'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      process.env.HTMP_BUSY_TIMEOUT_MS = '100';
      const r = await cli(['case', 'list', '--json', '--data-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.error().code).toBe('db.locked');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a failure while working (disk full, lock, damage) reaches the caller as its db.* code, not api.internal', async () => {
    const ctx = { dataDir: '/data' } as unknown as CoreContext;
    for (const [sqlite, code] of [
      ['SQLITE_FULL', 'db.disk_full'],
      ['SQLITE_BUSY', 'db.locked'],
      ['SQLITE_READONLY', 'db.read_only'],
      ['SQLITE_CORRUPT', 'db.corrupt'],
      ['SQLITE_NOTADB', 'db.not_sqlite'],
    ] as const) {
      const handlers = { 'db.info': () => { throw Object.assign(new Error('disk I/O'), { code: sqlite }); } } as unknown as Handlers;
      const r = await createDispatcher(handlers, ctx)('db.info', {});
      expect(r, sqlite).toEqual({ ok: false, error: { code, params: { dataDir: '/data' } } });
    }
  });

  it('maps the operating system\'s refusals: read-only medium or no rights, no space', () => {
    expect(dbFailure({ code: 'EROFS' })?.code).toBe('db.read_only');
    expect(dbFailure({ code: 'EACCES' })?.code).toBe('db.read_only');
    expect(dbFailure({ code: 'SQLITE_READONLY_DBMOVED' })?.code).toBe('db.read_only');
    expect(dbFailure({ code: 'ENOSPC' })?.code).toBe('db.disk_full');
    expect(dbFailure({ code: 'SQLITE_CORRUPT_VTAB' })?.code).toBe('db.corrupt');
    expect(dbFailure(new TypeError('a bug'))).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)('a folder without write rights: db.read_only (not run as root, who may write anyway)', async () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o500);
    try {
      const r = await cli(['case', 'list', '--json', '--data-dir', path.join(dir, 'data')]);
      expect(r.code).toBe(2);
      expect(r.error().code).toBe('db.read_only');
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });

  it('every code has its message in kk and ru', () => {
    for (const code of DB_FAILURE_CODES) {
      for (const lang of ['kk', 'ru'] as const) {
        const m = translateError(lang, { code, params: { dataDir: '/d' } });
        expect(m, `${lang} ${code}`).not.toContain(code);
        expect(m).toContain('/d');
      }
    }
  });
});
