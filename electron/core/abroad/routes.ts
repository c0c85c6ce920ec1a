import fs from 'node:fs';
import path from 'node:path';
import { parseRoutes, type RoutesDocument } from '../../../shared/domain/abroad';
import { AppFailure } from '../../../shared/result';
import type { Db } from '../db';
import { assetsDir } from '../paths';

/** The meta key of a local routes document (imported by `abroad.routesReplace`). */
export const ROUTES_OVERRIDE_KEY = 'abroad_routes_override';

let shipped: { file: string; mtimeMs: number; doc: RoutesDocument } | undefined;
let local: { text: string; doc: RoutesDocument } | undefined;

/** The routes shipped in assets/abroad/routes.json (re-read when the file changes). */
export function shippedRoutes(): RoutesDocument {
  const file = path.join(assetsDir(), 'abroad', 'routes.json');
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    throw new AppFailure('abroad.routes_unavailable', { file });
  }
  if (shipped && shipped.file === file && shipped.mtimeMs === mtimeMs) return shipped.doc;
  const parsed = parseRoutes(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
  if (!parsed.ok) throw new AppFailure('abroad.routes_unavailable', { file, message: parsed.error });
  shipped = { file, mtimeMs, doc: parsed.value };
  return parsed.value;
}

/** The local routes document of this installation, if one was imported. */
export function localRoutes(db: Db): RoutesDocument | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(ROUTES_OVERRIDE_KEY) as { value: string } | undefined;
  if (!row) return null;
  if (local && local.text === row.value) return local.doc;
  const parsed = parseRoutes(JSON.parse(row.value) as unknown);
  // Validated when written; a broken one falls back to the shipped data.
  if (!parsed.ok) return null;
  local = { text: row.value, doc: parsed.value };
  return parsed.value;
}

/** The routes new requests follow: the local document when one was imported, else the shipped one. */
export function effectiveRoutes(db: Db): { doc: RoutesDocument; source: 'shipped' | 'local' } {
  const l = localRoutes(db);
  return l ? { doc: l, source: 'local' } : { doc: shippedRoutes(), source: 'shipped' };
}

/** Stores a validated local routes document (or drops it with null). */
export function setLocalRoutes(db: Db, json: unknown | null): void {
  if (json === null) {
    db.prepare('DELETE FROM meta WHERE key = ?').run(ROUTES_OVERRIDE_KEY);
    return;
  }
  const parsed = parseRoutes(json);
  if (!parsed.ok) throw new AppFailure('abroad.routes_invalid', { message: parsed.error });
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(ROUTES_OVERRIDE_KEY, JSON.stringify(parsed.value));
}
