/**
 * The local file store of attachments: content-addressed under the data folder,
 * `files/<sha[0:2]>/<sha>` (the cases area's convention). The exchange copies attachments in and
 * out by hash only; a file is written to a temporary name and renamed, so a present file is
 * always complete and has the hash of its name.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const SHA256_RE = /^[0-9a-f]{64}$/;

/** Where an attachment with this SHA-256 lives in the data folder. */
export function fileStorePath(dataDir: string, sha256: string): string {
  if (!SHA256_RE.test(sha256)) throw new TypeError('sha256 must be 64 lower-case hex digits');
  return path.join(dataDir, 'files', sha256.slice(0, 2), sha256);
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** SHA-256 (hex) of a file, streamed. */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

/**
 * Copies a stream into the file store under `sha256` unless it is already there. The stream
 * must check its own hash (bundle entry streams do); the file becomes visible only after the
 * stream ended without error. Returns true when a new file was written.
 */
export async function storeStream(dataDir: string, sha256: string, open: () => Readable, signal?: AbortSignal): Promise<boolean> {
  const target = fileStorePath(dataDir, sha256);
  if (await exists(target)) return false;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomUUID()}.partial`;
  try {
    await pipeline(open(), createWriteStream(tmp), signal ? { signal } : {});
    await fs.rename(tmp, target);
    return true;
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Every file in the store as {sha256, file, size}, in hash order. */
export async function listFileStore(dataDir: string): Promise<{ sha256: string; file: string; size: number }[]> {
  const root = path.join(dataDir, 'files');
  const out: { sha256: string; file: string; size: number }[] = [];
  let dirs: string[];
  try {
    dirs = (await fs.readdir(root)).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort();
  } catch {
    return out;
  }
  for (const d of dirs) {
    for (const name of (await fs.readdir(path.join(root, d))).sort()) {
      if (!SHA256_RE.test(name) || name.slice(0, 2) !== d) continue;
      const file = path.join(root, d, name);
      const st = await fs.stat(file);
      if (st.isFile()) out.push({ sha256: name, file, size: st.size });
    }
  }
  return out;
}

/**
 * Columns named like attachments that hold another hash: `protocol_statements.sha256` is the
 * SHA-256 of a rendered protocol (printed in its QR code), not a file of the store.
 */
const NOT_ATTACHMENTS: ReadonlySet<string> = new Set(['protocol_statements.sha256']);

/** Columns whose values name an attachment by hash: `sha256` or `<something>_sha256`. */
export function isAttachmentColumn(column: string, table?: string): boolean {
  if (table !== undefined && NOT_ATTACHMENTS.has(`${table}.${column}`)) return false;
  return column === 'sha256' || column.endsWith('_sha256');
}

/**
 * The content of a stored attachment as a stream. Exchange code reads stored files only through
 * this (and writes them only through storeStream), so how the store keeps them on disk can change
 * in one place.
 */
export function openStoredFile(dataDir: string, sha256: string): Readable {
  return createReadStream(fileStorePath(dataDir, sha256));
}

/**
 * Verifies the file store against the records: every hash a user table names (columns `sha256`
 * or `*_sha256`, generic over the Store's tables) is read back through the store and hashed.
 * Reports each missing or damaged file with the cases that use it (a `case_id` column, or the
 * case itself), for `db check`.
 */
export async function verifyFileStore(
  dataDir: string,
  db: { prepare(sql: string): { all(...p: unknown[]): unknown[] } },
  tables: readonly { name: string; columns: readonly string[] }[],
): Promise<{ checked: number; problems: { sha256: string; status: 'missing' | 'damaged'; cases: string[]; records: { table: string; id: string }[] }[] }> {
  const refs = new Map<string, { cases: Set<string>; records: { table: string; id: string }[] }>();
  for (const t of tables) {
    const cols = t.columns.filter((c) => isAttachmentColumn(c, t.name));
    if (cols.length === 0) continue;
    const caseCol = t.name === 'cases' ? 'id' : t.columns.includes('case_id') ? 'case_id' : null;
    for (const col of cols) {
      const rows = db.prepare(`SELECT id, ${col} AS sha${caseCol ? `, ${caseCol} AS case_id` : ''} FROM ${t.name} WHERE ${col} IS NOT NULL`).all() as { id: string; sha: unknown; case_id?: string | null }[];
      for (const r of rows) {
        if (typeof r.sha !== 'string' || !SHA256_RE.test(r.sha)) continue;
        let e = refs.get(r.sha);
        if (!e) refs.set(r.sha, (e = { cases: new Set(), records: [] }));
        e.records.push({ table: t.name, id: String(r.id) });
        if (r.case_id) e.cases.add(String(r.case_id));
      }
    }
  }
  const problems: { sha256: string; status: 'missing' | 'damaged'; cases: string[]; records: { table: string; id: string }[] }[] = [];
  for (const [sha, e] of [...refs].sort(([a], [b]) => a.localeCompare(b))) {
    let status: 'missing' | 'damaged' | null = null;
    if (!(await exists(fileStorePath(dataDir, sha)))) status = 'missing';
    else {
      const h = createHash('sha256');
      await pipeline(openStoredFile(dataDir, sha), h);
      if (h.digest('hex') !== sha) status = 'damaged';
    }
    if (status !== null) problems.push({ sha256: sha, status, cases: [...e.cases].sort(), records: e.records });
  }
  return { checked: refs.size, problems };
}
