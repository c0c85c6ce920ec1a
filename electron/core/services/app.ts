import fs from 'node:fs';
import type { z } from 'zod';
import type { appSchemas, DbCheck, DbInfo, Lang, Settings, StandingMember } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import type { CoreContext, Handlers } from '../context';
import { latestSchemaVersion } from '../db';
import { verifyFileStore } from '../exchange/files';
import { caseSearchBroken, rebuildCaseSearch } from '../migrations/0027-register';
import { appVersion } from '../paths';
import type { TableSpec } from '../store';

/** Tables of user data owned by the app area (written only through the Store). */
export const appTables: TableSpec[] = [{ name: 'commission_members', columns: ['seq', 'role', 'name_kk', 'name_ru', 'position_kk', 'position_ru'] }];

/** What the settings table stores (the interface-language names are derived). */
const STORED = { language: 'kk', commissionNameKk: '', commissionNameRu: '', authorityNameKk: '', authorityNameRu: '' } as const;
type StoredKey = keyof typeof STORED;

/** Idle minutes before the app locks (issue 10): 10 unless set. */
const DEFAULT_IDLE_LOCK_MINUTES = 10;

/** Reads the local settings (per installation; not synchronised). */
export function readSettings(ctx: Pick<CoreContext, 'db'>): Settings {
  const rows = ctx.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const s: Record<string, unknown> = { ...STORED };
  let idleLockMinutes = DEFAULT_IDLE_LOCK_MINUTES;
  for (const r of rows) {
    if (r.key === 'idleLockMinutes') {
      try {
        const v = JSON.parse(r.value) as unknown;
        if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 240) idleLockMinutes = v;
      } catch {
        /* a damaged value reads as not set */
      }
      continue;
    }
    if (!(r.key in STORED)) continue;
    try {
      const v = JSON.parse(r.value) as unknown;
      if (typeof v === 'string') s[r.key] = v;
    } catch {
      /* a damaged value reads as not set */
    }
  }
  const language: Lang = s.language === 'ru' ? 'ru' : 'kk';
  const kk = language === 'kk';
  const str = (k: StoredKey) => String(s[k]);
  return {
    language,
    commissionNameKk: str('commissionNameKk'),
    commissionNameRu: str('commissionNameRu'),
    authorityNameKk: str('authorityNameKk'),
    authorityNameRu: str('authorityNameRu'),
    commissionName: kk ? str('commissionNameKk') : str('commissionNameRu'),
    authorityName: kk ? str('authorityNameKk') : str('authorityNameRu'),
    idleLockMinutes,
  };
}

interface MemberRow {
  id: string;
  seq: number;
  role: StandingMember['role'];
  name_kk: string;
  name_ru: string;
  position_kk: string | null;
  position_ru: string | null;
}

/** The standing members of the commission, in their order (Settings). */
export function standingMembers(ctx: Pick<CoreContext, 'db'>): StandingMember[] {
  const rows = ctx.db.prepare('SELECT * FROM commission_members ORDER BY seq, created_at, id').all() as MemberRow[];
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    name: { kk: r.name_kk, ru: r.name_ru },
    position: r.position_kk !== null && r.position_ru !== null ? { kk: r.position_kk, ru: r.position_ru } : null,
  }));
}

type MembersInput = z.infer<(typeof appSchemas)['settings.setMembers']>['members'];

/**
 * Replaces the standing members (in the order given), through the Store. A name given in one
 * language only is the same in the other; a position needs both languages or none; one chair and
 * one secretary at most. Nothing is written when anything is wrong.
 */
function setMembers(ctx: CoreContext, input: MembersInput): StandingMember[] {
  const clean = input.map((m, i) => {
    const n = i + 1;
    const kk = m.name.kk.trim();
    const ru = m.name.ru.trim();
    if (kk === '' && ru === '') throw new AppFailure('settings.member_name_missing', { n });
    const pk = m.position?.kk.trim() ?? '';
    const pr = m.position?.ru.trim() ?? '';
    if ((pk === '') !== (pr === '')) throw new AppFailure('settings.member_position_language', { n });
    return { role: m.role, name_kk: kk || ru, name_ru: ru || kk, position_kk: pk || null, position_ru: pr || null };
  });
  for (const role of ['chair', 'secretary'] as const) {
    if (clean.filter((m) => m.role === role).length > 1) throw new AppFailure('settings.member_role_twice', { role });
  }
  ctx.store.transaction(() => {
    const existing = ctx.db.prepare('SELECT id FROM commission_members ORDER BY seq, created_at, id').all() as { id: string }[];
    // Rows are kept in place (updated) where possible, so the change log shows what changed.
    clean.forEach((m, i) => {
      const row = existing[i];
      if (row) ctx.store.update('commission_members', row.id, { seq: i, ...m });
      else ctx.store.insert('commission_members', { seq: i, ...m });
    });
    for (const row of existing.slice(clean.length)) ctx.store.remove('commission_members', row.id);
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'settings' } });
  return standingMembers(ctx);
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
  const ok = integrity.length === 1 && integrity[0] === 'ok';
  // The index of names is derived: when it does not match the cases, it is made again.
  const rebuilt = ok && caseSearchBroken(ctx.db);
  if (rebuilt) ctx.db.transaction(() => rebuildCaseSearch(ctx.db))();
  return { ok: ok && fk.length === 0 && files.problems.length === 0, integrity, foreignKeyViolations: fk.length, files, searchIndex: rebuilt ? 'rebuilt' : 'ok' };
}

export const appHandlers: Pick<Handlers, 'app.info' | 'db.info' | 'db.check' | 'settings.get' | 'settings.update' | 'settings.members' | 'settings.setMembers'> = {
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
    const { commissionName, authorityName, ...rest } = args;
    // The single-language names are the names in the interface language.
    const suffix = (args.language ?? readSettings(ctx).language) === 'ru' ? 'Ru' : 'Kk';
    const { idleLockMinutes, ...texts } = rest;
    const values: Record<string, string | undefined> = { ...texts };
    if (commissionName !== undefined) values[`commissionName${suffix}`] ??= commissionName;
    if (authorityName !== undefined) values[`authorityName${suffix}`] ??= authorityName;
    ctx.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) put.run(k, JSON.stringify(k === 'language' ? v : v.trim()), at);
      if (idleLockMinutes !== undefined) put.run('idleLockMinutes', JSON.stringify(idleLockMinutes), at);
    })();
    const s = readSettings(ctx);
    ctx.emit({ type: 'data.changed', payload: { area: 'settings' } });
    return s;
  },
  'settings.members': (_args, ctx) => ({ members: standingMembers(ctx) }),
  'settings.setMembers': (args, ctx) => ({ members: setMembers(ctx, args.members) }),
};

export type { Lang };
