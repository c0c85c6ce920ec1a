import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { latestSchemaVersion, migrate, openDatabase } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import type { Migration } from '../../../electron/core/migrations/types';
import { Store } from '../../../electron/core/store';
import { AppFailure } from '../../../shared/result';
import { setUpAndSignIn, signedInCore, tempCore, tempDir } from '../../support/temp';

describe('database', () => {
  it('creates the schema at the latest version with WAL and foreign keys on', () => {
    const core = tempCore();
    expect(core.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
    expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('loads the shipped catalogue at first start', () => {
    const core = tempCore();
    expect(core.db.prepare('SELECT count(*) AS n FROM catalogue_editions').get()).toEqual({ n: 2 });
    expect((core.db.prepare('SELECT count(*) AS n FROM catalogue_entries').get() as { n: number }).n).toBeGreaterThan(100);
  });

  it('every table is STRICT', () => {
    const core = tempCore();
    const tables = core.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'").all() as { name: string; sql: string }[];
    const shadow = /_(data|idx|content|docsize|config)$/;
    for (const t of tables.filter((x) => !shadow.test(x.name))) expect(t.sql, t.name).toMatch(/\)\s*STRICT(\s*,\s*WITHOUT ROWID)?\s*$/);
  });

  it('gives each installation its own id, kept across restarts (in the keyring too, readable before sign-in)', async () => {
    const dir = tempDir();
    const a = tempCore({ dataDir: dir });
    const id = a.installationId;
    a.close();
    const sealed = createCore({ dataDir: dir });
    expect(sealed.installationId).toBe(id);
    sealed.close();
    const b = await signedInCore(dir);
    expect(b.installationId).toBe(id);
    expect(b.db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").pluck().get()).toBe(id);
    const other = tempCore();
    expect(other.installationId).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a database written by a newer version, leaving it untouched', () => {
    // (a wave-1 plain database: set-up would migrate it)
    const dir = tempDir();
    const file = path.join(dir, 'htmp.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${latestSchemaVersion() + 5}`);
    db.close();
    const core = createCore({ dataDir: dir });
    // Set-up (which migrates and encrypts it) refuses it; the file is left as it was, no staging left.
    expect(() => setUpAndSignIn(core)).toThrowError(AppFailure);
    try {
      setUpAndSignIn(core);
    } catch (e) {
      expect((e as AppFailure).code).toBe('db.newer_version');
    }
    core.close();
    expect(fs.readdirSync(dir).filter((n) => n !== 'reference.sqlite').sort()).toEqual(['htmp.sqlite']);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(latestSchemaVersion() + 5);
    again.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves version and schema as they were', () => {
    const db = openDatabase(path.join(tempDir(), 'x.sqlite'));
    const broken: Migration[] = [
      ...migrations,
      { version: migrations.length + 1, name: 'ok', up: (d) => d.exec('CREATE TABLE extra (id TEXT PRIMARY KEY) STRICT') },
      { version: migrations.length + 2, name: 'boom', up: () => { throw new Error('boom'); } },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name IN ('extra', 'meta')").get()).toEqual({ n: 0 });
    db.close();
  });

  it('migrates step by step from every version N-1 to N', () => {
    for (let n = 1; n <= migrations.length; n++) {
      const db = openDatabase(path.join(tempDir(), `m${n}.sqlite`));
      migrate(db, migrations.slice(0, n - 1));
      expect(db.pragma('user_version', { simple: true })).toBe(n - 1);
      expect(migrate(db, migrations.slice(0, n))).toEqual({ from: n - 1, to: n });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });
});

describe('store and change log', () => {
  const setup = () => {
    const db = openDatabase(path.join(tempDir(), 's.sqlite'));
    migrate(db);
    db.exec('CREATE TABLE note (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, title TEXT, body TEXT) STRICT');
    return { db, store: new Store(db, 'inst-1', [{ name: 'note', columns: ['title', 'body'] }]) };
  };
  const log = (db: ReturnType<typeof setup>['db']) =>
    (db.prepare('SELECT table_name, record_id, op, fields, installation_id, origin FROM change_log ORDER BY seq').all() as { fields: string }[]).map((r) => ({ ...r, fields: JSON.parse(r.fields) as unknown }));

  it('insert assigns a UUID and stamps, and logs every field', () => {
    const { db, store } = setup();
    const row = store.insert('note', { title: 'a', body: null });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.created_at).toBe(row.updated_at);
    expect(log(db)).toEqual([
      { table_name: 'note', record_id: row.id, op: 'insert', installation_id: 'inst-1', origin: null, fields: { created_at: [null, row.created_at], updated_at: [null, row.updated_at], title: [null, 'a'], body: [null, null] } },
    ]);
  });

  it('update logs only the fields that changed, with old and new values', () => {
    const { db, store } = setup();
    const row = store.insert('note', { title: 'a', body: 'x' });
    const r = store.update('note', String(row.id), { title: 'b', body: 'x' }, { origin: 'bundle-1' });
    expect(r.changed).toEqual(['title']);
    const last = log(db).at(-1)!;
    expect(last).toMatchObject({ op: 'update', origin: 'bundle-1', fields: { title: ['a', 'b'] } });
    expect(store.update('note', String(row.id), { title: 'b' }).changed).toEqual([]);
    expect(log(db)).toHaveLength(2);
  });

  it('updated_at moves forward on every update, even within the same millisecond (it is a version)', () => {
    const { store } = setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-20T10:00:00.000Z'));
      const row = store.insert('note', { title: 'a' });
      const u1 = store.update('note', String(row.id), { title: 'b' }).row.updated_at as string;
      const u2 = store.update('note', String(row.id), { title: 'c' }).row.updated_at as string;
      expect(u1 > String(row.updated_at)).toBe(true);
      expect(u2 > u1).toBe(true);
      expect(store.get('note', String(row.id))!.updated_at).toBe(u2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a delete in the same millisecond as updates is logged after them (orphans at another laptop are told apart by these times)', () => {
    const { db, store } = setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-20T10:00:00.000Z'));
      const row = store.insert('note', { title: 'a' });
      store.update('note', String(row.id), { title: 'b' });
      const u2 = store.update('note', String(row.id), { title: 'c' }).row.updated_at as string;
      store.remove('note', String(row.id));
      const del = db.prepare("SELECT at FROM change_log WHERE op = 'delete' AND record_id = ?").pluck().get(String(row.id)) as string;
      expect(del > u2).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('delete logs the last values; unknown columns are refused without writing', () => {
    const { db, store } = setup();
    const row = store.insert('note', { title: 'a' });
    expect(() => store.update('note', String(row.id), { nope: 1 })).toThrow(/Unknown/);
    expect(store.remove('note', String(row.id))).toBe(true);
    expect(log(db).at(-1)).toMatchObject({ op: 'delete', fields: { title: ['a', null] } });
    expect(store.get('note', String(row.id))).toBeUndefined();
  });

  it('a failing write inside a transaction leaves neither the row nor its log entry', () => {
    const { db, store } = setup();
    expect(() =>
      store.transaction(() => {
        store.insert('note', { title: 'a' });
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(db.prepare('SELECT count(*) AS n FROM note').get()).toEqual({ n: 0 });
    expect(log(db)).toEqual([]);
  });
});

describe('dispatch', () => {
  it('returns envelopes: values, translated-code errors for bad arguments and unknown methods', async () => {
    const core = tempCore();
    const info = await core.dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { installationId: core.installationId } });
    expect(await core.dispatch('nope.nothing', {})).toEqual({ ok: false, error: { code: 'api.unknown_method', params: { method: 'nope.nothing' } } });
    const bad = await core.dispatch('settings.update', { language: 'en' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'api.invalid_argument', params: { field: 'language' } } });
    const extra = await core.dispatch('db.info', { x: 1 });
    expect(extra.ok).toBe(false);
  });

  it('settings persist and emit a change event', async () => {
    const core = tempCore();
    const events: unknown[] = [];
    core.onEvent((e) => events.push(e));
    await core.call('settings.update', { language: 'ru', commissionName: 'Комиссия' });
    expect(await core.call('settings.get', {})).toMatchObject({ language: 'ru', commissionName: 'Комиссия' });
    expect(events).toEqual([{ type: 'data.changed', payload: { area: 'settings' } }]);
  });
});
