/**
 * Database size (issue 17): new databases give pages back (auto_vacuum = INCREMENTAL), the size
 * migration converts an old one and packs its protocol statements (same text, same hash), and a
 * compaction of the change log shrinks the FILE, not only its pages in use.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyDatabase, migrate, openDatabase } from '../../../electron/core/db';
import { reclaimSpace } from '../../../electron/core/db-space';
import { compactChangeLog } from '../../../electron/core/exchange/sync';
import { migrations } from '../../../electron/core/migrations';
import { m0016Size } from '../../../electron/core/migrations/0016-size';
import { isPackedStatement, packStatement, unpackStatement } from '../../../electron/core/statement-codec';
import { createRequire } from 'node:module';
import { FACTS_SQL } from '../../../electron/core/aftercare/facts';
import { m0021Size } from '../../../electron/core/migrations/0021-size';
import { setUpAndSignIn, tempDir } from '../../support/temp';
import { completeDraft } from './cases-fixtures';
import { closeAll, job, laptop, pair, sendBundle, type Laptop } from './exchange-helpers';
import { createCore } from '../../../electron/core/core';
import type { CoreContext } from '../../../electron/core/context';
import { runJob } from '../../../electron/core/exchange/jobs';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { verifyAudit } from '../../../electron/core/auth/audit';
import { AUDIT_KEY, LAYOUT_CASES, oldLayoutDatabase } from './size-layout-fixture';
import { decodeRows, decodeValue, encodeValue } from '../../../electron/core/stored-form';
import { m0023Size } from '../../../electron/core/migrations/0023-size';

afterEach(closeAll);

const fileSize = (db: Database.Database, file: string): number => {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return fs.statSync(file).size;
};


/**
 * Runs size-kill-child.ts (bundled) on a database and resolves once it prints HELD: the
 * migration's pages are written, its transaction still open, for the caller to kill.
 */
async function childHoldingMigration(args: string[]): Promise<{ proc: ReturnType<typeof spawn>; exited: Promise<NodeJS.Signals | null> }> {
  const root = path.resolve(import.meta.dirname, '..', '..', '..');
  const require = createRequire(import.meta.url);
  const child = path.join(tempDir(), 'size-kill-child.cjs');
  const pkg = require(path.join(root, 'package.json')) as { dependencies: Record<string, string> };
  (require('esbuild') as typeof import('esbuild')).buildSync({
    entryPoints: [path.join(import.meta.dirname, 'size-kill-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: Object.keys(pkg.dependencies),
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'error',
  });
  const proc = spawn(process.execPath, [child, ...args], { cwd: root, env: { ...process.env, HTMP_APP_ROOT: root, NODE_PATH: path.join(root, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^HELD$/m.test(out)) resolve();
    });
    void exited.then(() => reject(new Error(`child ended before the kill: ${out} ${err}`)));
  });
  return { proc, exited };
}

describe('database size', () => {
  it('packs statements losslessly, much shorter; damaged packed text is null, plain text passes', () => {
    const statement = JSON.stringify({ kind: 'protocol', patient: { lastName: 'Жұмабекова', firstName: 'Әйгерім' }, htmp: { name: { kk: { source: 'ЖТМК түрлерінің тізбесі', text: 'Жүрек трансплантациясы' } } } });
    const packed = packStatement(statement);
    expect(isPackedStatement(packed)).toBe(true);
    expect(unpackStatement(packed)).toBe(statement);
    expect(packed.length).toBeLessThan(Buffer.byteLength(statement));
    expect(unpackStatement(statement)).toBe(statement);
    expect(unpackStatement('z1:AAAA')).toBeNull();
    // Text that would not get shorter stays as it is.
    expect(packStatement('{}')).toBe('{}');
  });

  it('creates new databases with incremental auto-vacuum', () => {
    const db = openDatabase(path.join(tempDir(), 'new.sqlite'));
    migrate(db);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('the size migration converts an old encrypted database and packs its statements: same text, same hash', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const key = randomBytes(32).toString('hex');
    // A database made before: auto_vacuum NONE, schema up to the migration before this one.
    const old = new Database(file);
    keyDatabase(old, key);
    old.pragma('auto_vacuum = NONE');
    old.pragma('journal_mode = WAL');
    migrate(old, migrations.filter((m) => m.version < m0016Size.version));
    const statements = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ kind: 'protocol', number: `${i + 1}/2025`, patient: { lastName: `Фамилия${i}`, iin: String(900101300000 + i) }, diagnosis: { text: 'Ишемическая болезнь сердца '.repeat(20) } }),
    );
    const insert = old.prepare(
      `INSERT INTO protocol_statements (id, created_at, updated_at, case_id, decision_id, decision_version, number, protocol_date, outcome, lang, layout, statement, sha256, issued_at)
       VALUES (?, 't', 't', 'c', ?, 1, ?, '2025-01-01', 'approved', 'kk', 'columns', ?, ?, 't')`,
    );
    statements.forEach((s, i) => insert.run(`p${i}`, `d${i}`, `${i + 1}/2025`, s, createHash('sha256').update(s).digest('hex')));
    // Free pages in the old file: rows written and deleted.
    old.exec("CREATE TABLE scratch (x TEXT); INSERT INTO scratch SELECT hex(randomblob(2000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) SELECT i FROM n); DROP TABLE scratch;");
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    const before = fileSize(old, file);
    expect(old.pragma('freelist_count', { simple: true }) as number).toBeGreaterThan(100);

    expect(migrate(old)).toEqual({ from: m0016Size.version - 1, to: migrations.length });
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(old.pragma('freelist_count', { simple: true })).toBe(0);
    expect(fileSize(old, file)).toBeLessThan(before / 2);
    const rows = old.prepare('SELECT statement, sha256 FROM protocol_statements ORDER BY id').all() as { statement: string; sha256: string }[];
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      expect(isPackedStatement(r.statement)).toBe(true);
      const text = unpackStatement(r.statement)!;
      expect(createHash('sha256').update(text).digest('hex')).toBe(r.sha256);
      expect(statements).toContain(text);
    }
    old.close();
    // Still encrypted with the same key: a plain open fails, the key opens it.
    expect(() => openDatabase(file).prepare('SELECT count(*) FROM protocol_statements').get()).toThrow();
    const again = openDatabase(file, { key });
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.prepare('SELECT count(*) AS n FROM protocol_statements').get()).toEqual({ n: 30 });
    again.close();
  });

  it('does nothing inside a transaction, and leaves a database too big for the in-memory copy as it is', () => {
    const file = path.join(tempDir(), 'big.sqlite');
    const db = new Database(file);
    db.pragma('auto_vacuum = NONE');
    db.exec('CREATE TABLE x (v TEXT); INSERT INTO x SELECT hex(randomblob(1000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) SELECT i FROM n); DELETE FROM x;');
    db.transaction(() => expect(reclaimSpace(db, { convert: true }).mode).toBe('none'))();
    expect(reclaimSpace(db, { convert: true, maxVacuumBytes: 1024 }).mode).toBe('none');
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(0);
    // Most pages free: converted without being asked to.
    expect(reclaimSpace(db).mode).toBe('vacuum');
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('an incremental database with a quarter of its pages free is packed by one VACUUM; a few free pages are only given back', () => {
    const db = openDatabase(path.join(tempDir(), 'packed.sqlite'));
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    // Keys inserted in random order leave the B-tree's pages about two thirds full.
    db.exec(`CREATE TABLE k (id TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
      INSERT INTO k SELECT lower(hex(randomblob(16))), hex(randomblob(20)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) SELECT i FROM n);
      CREATE TABLE log (x TEXT); INSERT INTO log SELECT hex(randomblob(1000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) SELECT i FROM n);
      DELETE FROM log;`);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    expect(free * 4).toBeGreaterThanOrEqual(pages);
    // Above the in-memory limit: the free pages alone go back.
    expect(reclaimSpace(db, { maxVacuumBytes: 1024 }).mode).toBe('incremental');
    expect(db.pragma('page_count', { simple: true })).toBe(pages - free);
    db.exec('INSERT INTO log SELECT hex(randomblob(1000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) SELECT i FROM n); DELETE FROM log;');
    const inUse = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    expect(reclaimSpace(db).mode).toBe('vacuum');
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    // Packed: fewer pages than were in use, the rows all there.
    expect(db.pragma('page_count', { simple: true }) as number).toBeLessThan(inUse * 0.95);
    expect(db.prepare('SELECT count(*) AS n FROM k').get()).toEqual({ n: 6000 });
    // A small deletion: only given back.
    db.exec('INSERT INTO log SELECT hex(randomblob(1000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) SELECT i FROM n); DELETE FROM log;');
    expect(reclaimSpace(db).mode).toBe('incremental');
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
  });

  /** A laptop A with a long history B has; `ackInto` imports B's acknowledgement into A with `ctx`. */
  async function historyAcked(): Promise<{ a: Laptop; b: Laptop; ackInto: (ctx: CoreContext) => Promise<void> }> {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const dir = tempDir();
    const note = 'Примечание секретаря к делу, довольно длинное. '.repeat(8);
    a.ctx.store.transaction(() => {
      for (let i = 0; i < 600; i++) {
        const id = String(a.ctx.store.insert('t_case', { surname: `Фамилия ${i}`, status: 'draft', note, count: 0 }).id);
        for (let k = 1; k <= 3; k++) a.ctx.store.update('t_case', id, { count: k, note: `${note}${k}` });
      }
    });
    await sendBundle(a, b, path.join(dir, 'ab.htmp'));
    const back = path.join(dir, 'ba.htmp');
    await job(b, (j) => exportSync(b.ctx, { file: back, peer: a.core.installationId, job: j }));
    const ackInto = (ctx: CoreContext) =>
      runJob(ctx, 'test', undefined, async (j) => {
        const opened = await openTrusted(ctx, back, {});
        try {
          await importSync(ctx, opened, { dryRun: false, job: j });
        } finally {
          await opened.reader.close();
        }
      });
    return { a, b, ackInto };
  }

  it('compacting the change log after an acknowledgement shrinks the database FILE', async () => {
    const { a, ackInto } = await historyAcked();
    const dbFile = a.core.databaseFile;
    const logRows = (): number => (a.core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
    expect(logRows()).toBeGreaterThanOrEqual(2400);
    const before = fileSize(a.core.db, dbFile);
    // B's bundle back carries its acknowledgement: A compacts on import and gives the pages back.
    await ackInto(a.ctx);
    expect(logRows()).toBeLessThan(100);
    expect(a.core.db.pragma('freelist_count', { simple: true })).toBe(0);
    const after = fileSize(a.core.db, dbFile);
    expect(after).toBeLessThan(before * 0.6);
    // Nothing left to compact: the call is a no-op.
    expect(compactChangeLog(a.ctx)).toBe(0);
  }, 60_000);

  it('the first compaction of a long history packs the database by a copy, whatever its size: same rows, same key, still signed in', async () => {
    const { a, ackInto } = await historyAcked();
    const dbFile = a.core.databaseFile;
    const oldDb = a.core.db;
    const before = fileSize(oldDb, dbFile);
    const inUse = (oldDb.pragma('page_count', { simple: true }) as number) - (oldDb.pragma('freelist_count', { simple: true }) as number);
    const inode = fs.statSync(dbFile).ino;
    // The core's own context packs (the laptop's test context is fixed to one connection).
    await ackInto({ ...a.ctx, packDatabase: () => a.core.context.packDatabase!() });
    // The connection was closed and opened again on the packed file, put in place of the old one.
    expect(oldDb.open).toBe(false);
    const db = a.core.db;
    expect(db).not.toBe(oldDb);
    expect(fs.statSync(dbFile).ino).not.toBe(inode);
    expect(db.prepare('SELECT count(*) AS n FROM t_case').get()).toEqual({ n: 600 });
    expect((db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n).toBeLessThan(100);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(db.pragma('page_count', { simple: true }) as number).toBeLessThanOrEqual(inUse);
    expect(fileSize(db, dbFile)).toBeLessThan(before * 0.6);
    // Encrypted as before (no SQLite header in the clear), private, nothing left in staging.
    expect(fs.readFileSync(dbFile).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(fs.statSync(dbFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(a.dir, '.convert'))).toBe(false);
    // The session is still signed in, and writes go to the packed file.
    await a.core.call('settings.update', { idleLockMinutes: 30 });
    expect(a.core.db.prepare("SELECT value FROM settings WHERE key = 'idleLockMinutes'").pluck().get()).toBe('30');
    expect((await a.core.call('audit.list', {})).rows.length).toBeGreaterThan(0);
  }, 60_000);

  it('a pack that fails once the database is closed opens it again as it was: still signed in, nothing staged', async () => {
    const dir = tempDir();
    let fail = true;
    const raw = createCore({
      dataDir: dir,
      host: 'cli',
      onConvertStep: (step) => {
        if (fail && step === 'pack:closed') throw new Error('the disk went away');
      },
    });
    const { core } = setUpAndSignIn(raw);
    try {
      await core.call('cases.save', completeDraft({ lastName: 'Тығыз' }));
      const old = core.db;
      expect(core.context.packDatabase!()).toBeNull();
      expect(old.open).toBe(false);
      expect(core.db.open).toBe(true);
      expect(fs.existsSync(path.join(dir, '.convert'))).toBe(false);
      expect((await core.call('cases.list', { query: 'тығыз' })).total).toBe(1);
      fail = false;
      expect(core.context.packDatabase!()).toBeGreaterThan(0);
      expect((await core.call('cases.list', { query: 'тығыз' })).total).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('is not packed in place while another process or call has the folder open: the free pages go back instead', async () => {
    const { a, ackInto } = await historyAcked();
    const other = createCore({ dataDir: a.dir, host: 'cli' });
    try {
      const dbFile = a.core.databaseFile;
      const oldDb = a.core.db;
      const before = fileSize(oldDb, dbFile);
      await ackInto({ ...a.ctx, packDatabase: () => a.core.context.packDatabase!() });
      expect(oldDb.open).toBe(true);
      expect(a.core.db).toBe(oldDb);
      expect(fileSize(oldDb, dbFile)).toBeLessThan(before * 0.6);
      expect(other.security.state).toBe('sealed');
    } finally {
      other.close();
    }
    // Two calls in flight (two exports): the core does not pack under the other one.
    const out = tempDir();
    const calls = [0, 1].map((i) => a.core.call('exchange.export', { kind: 'referral', out: path.join(out, `r${i}.zip`) }).catch(() => null));
    expect(a.core.context.packDatabase!()).toBeNull();
    await Promise.all(calls);
    // Alone, it packs (the call itself is the one in flight).
    expect(a.core.context.packDatabase!()).toBeGreaterThan(0);
  }, 60_000);
});

describe('the size-layout migration: report facts and case documents without a rowid, audit hashes as bytes', () => {
  const schema = (db: Database.Database) => db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name").all();
  // As the readers see them (0023-size keeps the id and times shorter; decodeRows gives the text back).
  const documents = (db: Database.Database) => decodeRows('case_documents', db.prepare('SELECT * FROM case_documents ORDER BY id').all());
  // The facts as the readers see them (the provider's name, a missing received date as null).
  const facts = (db: Database.Database) =>
    (db.prepare(`${FACTS_SQL} ORDER BY f.case_id`).all() as Record<string, unknown>[]).map(({ provider_no: _n, ...r }) => ({ ...r, received_date: r.received_date || null }));
  const oldFacts = (db: Database.Database) =>
    (db.prepare('SELECT * FROM report_facts ORDER BY case_id').all() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));
  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));

  it('converts a database with data: same rows, foreign keys hold, the schema of a new installation, idempotent', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const db = openDatabase(file);
    oldLayoutDatabase(db);
    const docsBefore = documents(db);
    const factsBefore = oldFacts(db);
    const auditBefore = db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
    expect(docsBefore).toHaveLength(LAYOUT_CASES * 4);
    migrate(db);
    // The audit chain made before verifies as it did; the hashes are the same, as bytes; the
    // append-only triggers are back.
    expect(verifyAudit(db, AUDIT_KEY)).toEqual({ ok: true, rows: 3, brokenAt: null, reason: null });
    expect((db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[]).map((r) => ({ ...r, prev_hash: (r.prev_hash as Buffer).toString('hex'), hash: (r.hash as Buffer).toString('hex') }))).toEqual(auditBefore);
    expect(() => db.prepare("UPDATE audit_log SET user_name = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    for (const t of ['report_facts', 'case_documents']) {
      expect((db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(t) as { sql: string }).sql, t).toMatch(/WITHOUT ROWID$/);
    }
    expect(documents(db)).toEqual(docsBefore);
    expect(sorted(facts(db))).toEqual(factsBefore);
    expect(db.prepare("SELECT received_date FROM report_facts WHERE status = 'draft'").get()).toEqual({ received_date: '' });
    expect(db.prepare('SELECT count(*) AS n FROM report_providers').get()).toEqual({ n: 5 });
    // The facts are still valid: their key stays, nothing is rebuilt on the next read.
    expect(db.prepare("SELECT value FROM meta WHERE key = 'report_facts_key'").get()).toEqual({ value: 'kept' });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The file gave the pages of the old tables back.
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    // What a restored backup is checked against: a new installation's schema, object by object.
    const fresh = openDatabase(path.join(tempDir(), 'fresh.sqlite'));
    migrate(fresh);
    expect(schema(db)).toEqual(schema(fresh));
    fresh.close();
    // Run again on the new layout: nothing changes.
    const converted = schema(db);
    db.transaction(() => m0021Size.up(db))();
    expect(schema(db)).toEqual(converted);
    expect(documents(db)).toEqual(docsBefore);
    expect(sorted(facts(db))).toEqual(factsBefore);
    // The document with a file still cannot go while its file row points to it.
    expect(() => db.prepare("DELETE FROM case_documents WHERE id = (SELECT document_id FROM document_files WHERE id = 'df1')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('a process killed inside the migration leaves the old layout whole; the next open converts it', async () => {
    const file = path.join(tempDir(), 'killed.sqlite');
    const db = openDatabase(file);
    oldLayoutDatabase(db);
    const docsBefore = documents(db);
    const factsBefore = oldFacts(db);
    db.close();
    const { proc, exited } = await childHoldingMigration([file]);
    // Pages of the rebuilt tables are in the WAL, uncommitted.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const again = openDatabase(file);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.pragma('user_version', { simple: true })).toBe(m0021Size.version - 1);
    expect((again.prepare("SELECT sql FROM sqlite_schema WHERE name = 'case_documents'").get() as { sql: string }).sql).not.toMatch(/WITHOUT ROWID/);
    expect(documents(again)).toEqual(docsBefore);
    expect(oldFacts(again)).toEqual(factsBefore);
    migrate(again);
    expect(documents(again)).toEqual(docsBefore);
    expect(sorted(facts(again))).toEqual(factsBefore);
    expect(again.pragma('foreign_key_check')).toEqual([]);
    again.close();
  }, 60_000);
});

describe('0023-size: document ids and times stored shorter, read back as the same text', () => {
  const schema = (db: Database.Database) => db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name").all();
  const docs = (db: Database.Database) => decodeRows('case_documents', db.prepare('SELECT * FROM case_documents').all() as Record<string, unknown>[]).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const files = (db: Database.Database) => decodeRows('document_files', db.prepare('SELECT * FROM document_files ORDER BY id').all());
  const bytes = (db: Database.Database, t: string) => (db.prepare('SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)').get(t) as { b: number }).b;
  const AT = '2026-03-02T10:00:00.000Z';

  /** A database at the version before 0023-size, with documents, files and values the app did not write. */
  function before0023(file: string): Database.Database {
    const db = openDatabase(file);
    oldLayoutDatabase(db);
    migrate(db, migrations.filter((m) => m.version < m0023Size.version));
    expect(db.pragma('user_version', { simple: true })).toBe(m0023Size.version - 1);
    // An id that is not a lower-case UUID, a time without milliseconds, an upper-case UUID: kept as text.
    db.prepare(
      `INSERT INTO case_documents (id, created_at, updated_at, case_id, position, kind) VALUES
         ('doc-odd', '2026-03-02T10:00:00Z', '2026-03-02T10:00:01.5+05:00', '00000002-0000-4000-8000-000000000000', 9, 'other'),
         ('AAAAAAAA-0000-4000-8000-000000000001', ?, '2026-03-03T11:12:13.456Z', '00000002-0000-4000-8000-000000000001', 9, 'other')`,
    ).run(AT);
    db.prepare("INSERT INTO document_files (id, created_at, updated_at, document_id, case_id, sha256, name, mime, size) VALUES ('df2', 'x', ?, 'doc-odd', '00000002-0000-4000-8000-000000000000', ?, 'a.pdf', 'application/pdf', 3)").run(AT, 'a'.repeat(64));
    return db;
  }

  it('converts an old folder: the same rows as text, odd values kept, keys hold, the schema of a new installation, idempotent, smaller', () => {
    const db = before0023(path.join(tempDir(), 'old.sqlite'));
    const docsBefore = docs(db);
    const filesBefore = files(db);
    expect(docsBefore).toHaveLength(LAYOUT_CASES * 4 + 2);
    const sizeBefore = bytes(db, 'case_documents');
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(docs(db)).toEqual(docsBefore);
    expect(files(db)).toEqual(filesBefore);
    // Stored shorter: 16 bytes and milliseconds; what the app did not write stays text.
    const raw = (id: unknown) => db.prepare('SELECT typeof(id) AS i, typeof(created_at) AS c, typeof(updated_at) AS u FROM case_documents WHERE id = ?').get(id);
    expect(raw(encodeValue('case_documents', 'id', '00000003-0000-4000-8000-000000000005'))).toEqual({ i: 'blob', c: 'integer', u: 'integer' });
    expect(raw('doc-odd')).toEqual({ i: 'text', c: 'text', u: 'text' });
    expect(raw('AAAAAAAA-0000-4000-8000-000000000001')).toEqual({ i: 'text', c: 'integer', u: 'integer' });
    expect(db.prepare("SELECT typeof(document_id) AS d, typeof(created_at) AS c FROM document_files WHERE id = 'df1'").get()).toEqual({ d: 'blob', c: 'integer' });
    expect(db.prepare("SELECT typeof(document_id) AS d, typeof(created_at) AS c FROM document_files WHERE id = 'df2'").get()).toEqual({ d: 'text', c: 'text' });
    expect(bytes(db, 'case_documents')).toBeLessThan(sizeBefore * 0.8);
    // The documents' order by id is the text's order (the bytes compare as the text does).
    const ids = (db.prepare('SELECT id FROM case_documents WHERE typeof(id) = ? ORDER BY id').pluck().all('blob') as Buffer[]).map((b) => decodeValue('case_documents', 'id', b) as string);
    expect(ids).toEqual([...ids].sort());
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(() => db.prepare('DELETE FROM case_documents WHERE id = ?').run(encodeValue('case_documents', 'id', '00000003-0000-4000-8000-000000000005'))).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM case_documents WHERE id = 'doc-odd'").run()).toThrow(/FOREIGN KEY/);
    // What a restored backup is checked against: a new installation's schema, object by object.
    const fresh = openDatabase(path.join(tempDir(), 'fresh.sqlite'));
    migrate(fresh);
    expect(schema(db)).toEqual(schema(fresh));
    fresh.close();
    // Run again on the new layout: nothing changes.
    const converted = schema(db);
    db.transaction(() => m0023Size.up(db))();
    expect(schema(db)).toEqual(converted);
    expect(docs(db)).toEqual(docsBefore);
    expect(files(db)).toEqual(filesBefore);
    db.close();
  });

  it('a process killed inside the migration leaves the old layout whole; the next open converts it', async () => {
    const file = path.join(tempDir(), 'killed.sqlite');
    const db = before0023(file);
    const docsBefore = docs(db);
    const filesBefore = files(db);
    db.close();
    const { proc, exited } = await childHoldingMigration([file, String(m0023Size.version)]);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(50_000);
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const again = openDatabase(file);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.pragma('user_version', { simple: true })).toBe(m0023Size.version - 1);
    expect(again.prepare("SELECT type FROM pragma_table_info('case_documents') WHERE name = 'id'").pluck().get()).toBe('TEXT');
    expect(again.prepare("SELECT count(*) FROM case_documents WHERE typeof(id) <> 'text'").pluck().get()).toBe(0);
    expect(docs(again)).toEqual(docsBefore);
    migrate(again);
    expect(again.prepare("SELECT type FROM pragma_table_info('case_documents') WHERE name = 'id'").pluck().get()).toBe('ANY');
    expect(docs(again)).toEqual(docsBefore);
    expect(files(again)).toEqual(filesBefore);
    expect(again.pragma('foreign_key_check')).toEqual([]);
    again.close();
  }, 60_000);
});
