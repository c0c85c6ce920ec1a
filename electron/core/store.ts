import { createHash } from 'node:crypto';
import { newId } from './ids';
import type Database from 'better-sqlite3';
import type { Db } from './db';
import { currentActor, pendingAudit } from './auth/current';
import { decodeRow, encodeValue } from './stored-form';

type Statement = Database.Statement<unknown[]>;

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/** A table of user data: `id`, `created_at` and `updated_at` are implied. */
export interface TableSpec {
  name: string;
  columns: readonly string[];
}

/** Who and what a write stands for: local edits by default; sync passes the bundle and author. */
export interface WriteContext {
  origin?: string | null;
  at?: string;
  installationId?: string;
}

export interface ChangeRecord {
  changeId: string;
  table: string;
  recordId: string;
  op: 'insert' | 'update' | 'delete';
  fields: Record<string, [SqlValue, SqlValue]>;
  installationId: string;
  at: string;
  origin: string | null;
}

const SYSTEM_COLUMNS = ['id', 'created_at', 'updated_at'] as const;

/**
 * The time of a local update: now, but always after the row's previous `updated_at`. Two writes in
 * the same millisecond would otherwise leave `updated_at` unchanged, and callers that use it as a
 * version (cases.save's expectedUpdatedAt) would let a stale save overwrite a newer one.
 */
function nextStamp(previous: SqlValue | undefined): string {
  const now = Date.now();
  const prev = typeof previous === 'string' ? Date.parse(previous) : NaN;
  return new Date(Number.isFinite(prev) && prev >= now ? prev + 1 : now).toISOString();
}

/**
 * The one place where user data is written. Every insert, update and delete also appends a
 * field-level row to `change_log` (old and new values, installation, time, user) in the same
 * transaction: the audit trail, sync between laptops and conflict detection are built on it.
 */
export class Store {
  private readonly specs = new Map<string, TableSpec>();
  private readonly statements = new Map<string, Statement>();
  private readonly lastInsert = new Map<string, { names: readonly string[]; stmt: Statement }>();
  private readonly listeners = new Set<(change: ChangeRecord) => void>();

  constructor(
    private readonly db: Db,
    private readonly installationId: string,
    tables: readonly TableSpec[],
  ) {
    for (const t of tables) this.specs.set(t.name, t);
  }

  /** Subscribes to every logged change (after it is written, inside the transaction). */
  onChange(listener: (change: ChangeRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(table: string, id: string): Row | undefined {
    this.spec(table);
    return decodeRow(table, this.stmt(`get:${table}`, `SELECT * FROM ${table} WHERE id = ?`).get(encodeValue(table, 'id', id)) as Row | undefined);
  }

  /** Inserts a row; a missing id gets a new time-ordered one (ids.ts). Returns the stored row. */
  insert(table: string, values: Row, ctx: WriteContext = {}): Row {
    const spec = this.spec(table);
    const at = ctx.at ?? new Date().toISOString();
    const row: Row = { id: newId(), created_at: at, updated_at: at };
    for (const [k, v] of Object.entries(values)) {
      if (k === 'id' || k === 'created_at' || k === 'updated_at') row[k] = v;
      else if (spec.columns.includes(k)) row[k] = v;
      else throw new Error(`Unknown column ${table}.${k}`);
    }
    const cols = Object.keys(row);
    return this.atomic(() => {
      this.stmt(`ins:${table}:${cols.join(',')}`, `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...cols.map((c) => encodeValue(table, c, row[c] ?? null)),
      );
      const fields: ChangeRecord['fields'] = {};
      for (const c of cols) if (c !== 'id') fields[c] = [null, row[c] ?? null];
      this.log(table, String(row.id), 'insert', fields, ctx, at);
      return row;
    });
  }

  /** Updates the given columns; logs only the fields whose value really changed. */
  update(table: string, id: string, patch: Row, ctx: WriteContext = {}): { row: Row; changed: string[] } {
    const spec = this.spec(table);
    for (const k of Object.keys(patch)) {
      if (!spec.columns.includes(k)) throw new Error(`Unknown or read-only column ${table}.${k}`);
    }
    return this.atomic(() => {
      const before = this.get(table, id);
      if (!before) throw new Error(`No ${table} row ${id}`);
      const changed = Object.keys(patch).filter((k) => (before[k] ?? null) !== (patch[k] ?? null));
      if (changed.length === 0) return { row: before, changed };
      const at = ctx.at ?? nextStamp(before.updated_at);
      const sets = [...changed, 'updated_at'];
      this.stmt(`upd:${table}:${sets.join(',')}`, `UPDATE ${table} SET ${sets.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(
        ...changed.map((c) => encodeValue(table, c, patch[c] ?? null)),
        encodeValue(table, 'updated_at', at),
        encodeValue(table, 'id', id),
      );
      const fields: ChangeRecord['fields'] = {};
      for (const c of changed) fields[c] = [before[c] ?? null, patch[c] ?? null];
      this.log(table, id, 'update', fields, ctx, at);
      return { row: { ...before, ...patch, updated_at: at }, changed };
    });
  }

  /** Deletes a row, logging its last values. */
  remove(table: string, id: string, ctx: WriteContext = {}): boolean {
    this.spec(table);
    return this.atomic(() => {
      const before = this.get(table, id);
      if (!before) return false;
      this.stmt(`del:${table}`, `DELETE FROM ${table} WHERE id = ?`).run(encodeValue(table, 'id', id));
      // After the row's last update even within its millisecond (nextStamp may have put that
      // update a millisecond ahead): another laptop tells a change its author deleted afterwards
      // from one made after the delete by these times (sync-import.ts, orphans).
      const at = ctx.at ?? nextStamp(before.updated_at);
      const fields: ChangeRecord['fields'] = {};
      for (const [c, v] of Object.entries(before)) if (c !== 'id') fields[c] = [v, null];
      this.log(table, id, 'delete', fields, ctx, at);
      return true;
    });
  }

  /**
   * A row write and its change-log row, all or nothing. Inside a caller's transaction no
   * savepoint of its own: a failing statement undoes only itself in SQLite, the change log's
   * insert cannot fail on its own (no constraint a valid write breaks; a full disk or I/O error
   * aborts the caller's whole transaction), and a bulk write (a batch of imported cases) would
   * otherwise open and release a savepoint for each of its tens of thousands of rows.
   */
  private atomic<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }

  /** Runs several writes as one transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  tables(): readonly TableSpec[] {
    return [...this.specs.values()];
  }

  /**
   * Applies a change made elsewhere (sync, conflict resolution): writes the row and appends the
   * change to `change_log` with its ORIGINAL change id, installation and time, and `origin`
   * (the bundle id), in one transaction. The caller has already decided which fields to apply
   * (conflict detection is the exchange service's job); `fields` holds only those. An insert
   * creates the row (missing `created_at`/`updated_at` take the change's time); an update sets
   * the fields and `updated_at`; a delete removes the row. Unknown tables or columns throw.
   * `log: false` (a sync import from the receiver's only peer, never a delete): the row is written
   * without its change-log row, as if that row had been compacted at once; the caller keeps the
   * change id in `change_seen` (sync-import.ts). Listeners are told either way.
   */
  applyRemote(change: ChangeRecord, opts: { savepoint?: boolean; log?: boolean } = {}): void {
    const spec = this.spec(change.table);
    const cols = Object.keys(change.fields);
    for (const c of cols) {
      if (c === 'id') throw new Error(`Column ${change.table}.id cannot change`);
      if (!spec.columns.includes(c) && c !== 'created_at' && c !== 'updated_at') throw new Error(`Unknown column ${change.table}.${c}`);
    }
    // `savepoint: false`: the caller holds a transaction that is rolled back as a whole on any
    // error (a sync import applying many thousands of changes), so no savepoint per change.
    if (opts.savepoint === false) {
      if (!this.db.inTransaction) throw new Error('applyRemote without a savepoint needs an open transaction');
      this.applyRemoteBody(change, cols, opts.log !== false);
      return;
    }
    this.db.transaction(() => this.applyRemoteBody(change, cols, opts.log !== false))();
  }

  private applyRemoteBody(change: ChangeRecord, cols: string[], log: boolean): void {
    if (!log && change.op === 'delete') throw new Error('A delete always keeps its change-log row');
    {
      if (change.op === 'insert') {
        const row: Row = { id: change.recordId, created_at: change.at, updated_at: change.at };
        for (const c of cols) row[c] = change.fields[c]![1];
        const names = Object.keys(row);
        this.insertStmt(change.table, names).run(...names.map((c) => encodeValue(change.table, c, row[c] ?? null)));
      } else if (change.op === 'update') {
        if (cols.length > 0) {
          const sets = cols.includes('updated_at') ? cols : [...cols, 'updated_at'];
          const values = sets.map((c) => (c === 'updated_at' && !cols.includes('updated_at') ? change.at : change.fields[c]![1]));
          const r = this.stmt(`upd:${change.table}:${sets.join(',')}`, `UPDATE ${change.table} SET ${sets.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(
            ...values.map((v, i) => encodeValue(change.table, sets[i]!, v)),
            encodeValue(change.table, 'id', change.recordId),
          );
          if (r.changes !== 1) throw new Error(`No ${change.table} row ${change.recordId}`);
        }
      } else {
        this.stmt(`del:${change.table}`, `DELETE FROM ${change.table} WHERE id = ?`).run(encodeValue(change.table, 'id', change.recordId));
      }
      if (log) {
        this.stmt(
          'logRemote',
          `INSERT INTO change_log (change_id, table_name, record_id, op, fields, installation_id, at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(change.changeId, change.table, change.recordId, change.op, JSON.stringify(change.fields), change.installationId, change.at, change.origin);
      }
      for (const l of this.listeners) l(change);
    }
  }

  private log(table: string, recordId: string, op: ChangeRecord['op'], fields: ChangeRecord['fields'], ctx: WriteContext, at: string): void {
    const change: ChangeRecord = {
      changeId: newId(),
      table,
      recordId,
      op,
      fields,
      installationId: ctx.installationId ?? this.installationId,
      at,
      origin: ctx.origin ?? null,
    };
    // The signed-in user the call runs for (null for sync and start-up writes).
    this.stmt(
      'log',
      `INSERT INTO change_log (change_id, table_name, record_id, op, fields, installation_id, at, origin, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(change.changeId, table, recordId, op, JSON.stringify(fields), change.installationId, at, change.origin, currentActor()?.userId ?? null);
    // The call's audit row names the case it created (cases.save of a new case, cases.import).
    const owed = pendingAudit();
    if (owed && owed.db === this.db && owed.changes.length < 16) owed.changes.push({ table, recordId });
    for (const l of this.listeners) l(change);
  }

  private spec(table: string): TableSpec {
    const spec = this.specs.get(table);
    if (!spec) throw new Error(`Table ${table} is not registered as user data`);
    return spec;
  }

  /**
   * The INSERT of `table` for these columns: the one used last for the table when the columns are
   * the same (a sync applies thousands of rows of a table with the same columns one after the
   * other; building its key and SQL text for each row cost more than the look-up).
   */
  private insertStmt(table: string, names: readonly string[]): Statement {
    const last = this.lastInsert.get(table);
    if (last && last.names.length === names.length && last.names.every((n, i) => n === names[i])) return last.stmt;
    const stmt = this.stmt(`ins:${table}:${names.join(',')}`, `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    this.lastInsert.set(table, { names: [...names], stmt });
    return stmt;
  }

  private stmt(key: string, sql: string): Statement {
    let s = this.statements.get(key);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(key, s);
    }
    return s;
  }
}

export { SYSTEM_COLUMNS };

/**
 * A UUID (version 5 layout) derived from a name, for records whose identity is a natural key
 * (one counter per year, one stored file per hash, one follow-up per case): two laptops that
 * create "the same" record then create the same id, so sync merges them field by field instead
 * of failing on the natural key's UNIQUE constraint.
 */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update(`htmp:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
