import fs from 'node:fs';
import type { DbCheck, DbInfo, Lang, Settings } from '../../../shared/contract';
import type { CoreContext, Handlers } from '../context';
import { latestSchemaVersion } from '../db';
import { verifyFileStore } from '../exchange/files';
import { appVersion } from '../paths';

const DEFAULT_SETTINGS: Settings = { language: 'kk', commissionName: '', authorityName: '' };

/** Reads the local settings (per installation; not synchronised). */
export function readSettings(ctx: Pick<CoreContext, 'db'>): Settings {
  const rows = ctx.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const s: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) if (r.key in DEFAULT_SETTINGS) s[r.key] = JSON.parse(r.value) as unknown;
  return s as unknown as Settings;
}

const fileSize = (f: string): number => {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
};

/** Size, schema version and row counts of the database. */
export function dbInfo(ctx: CoreContext): DbInfo {
  const tables = ctx.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return {
    path: ctx.databaseFile,
    schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    latestSchemaVersion: latestSchemaVersion(),
    sizeBytes: fileSize(ctx.databaseFile),
    walBytes: fileSize(`${ctx.databaseFile}-wal`),
    pageSize: ctx.db.pragma('page_size', { simple: true }) as number,
    pageCount: ctx.db.pragma('page_count', { simple: true }) as number,
    tables: tables.map((t) => ({ name: t.name, rows: (ctx.db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n })),
    installationId: ctx.installationId,
  };
}

/** SQLite's integrity and foreign-key checks, and the file store read back against its hashes. */
export async function dbCheck(ctx: CoreContext): Promise<DbCheck> {
  const integrity = (ctx.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const fk = ctx.db.pragma('foreign_key_check') as unknown[];
  const files = await verifyFileStore(ctx.dataDir, ctx.db, ctx.store.tables());
  return { ok: integrity.length === 1 && integrity[0] === 'ok' && fk.length === 0 && files.problems.length === 0, integrity, foreignKeyViolations: fk.length, files };
}

export const appHandlers: Pick<Handlers, 'app.info' | 'db.info' | 'db.check' | 'settings.get' | 'settings.update'> = {
  'app.info': (_args, ctx) => ({
    name: 'HTMP Commission Desk',
    version: appVersion(),
    host: ctx.host,
    versions: { node: process.versions.node, sqlite: String((ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v), ...ctx.versions },
    dataDir: ctx.dataDir,
    databaseFile: ctx.databaseFile,
    schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    installationId: ctx.installationId,
  }),
  'db.info': (_args, ctx) => dbInfo(ctx),
  'db.check': (_args, ctx) => dbCheck(ctx),
  'settings.get': (_args, ctx) => readSettings(ctx),
  'settings.update': (args, ctx) => {
    const at = new Date().toISOString();
    const put = ctx.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    ctx.db.transaction(() => {
      for (const [k, v] of Object.entries(args)) if (v !== undefined) put.run(k, JSON.stringify(v), at);
    })();
    const s = readSettings(ctx);
    ctx.emit({ type: 'data.changed', payload: { area: 'settings' } });
    return s;
  },
};

export type { Lang };
