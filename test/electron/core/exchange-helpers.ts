/** Shared helpers of the exchange tests: two laptops (data folders) with generic user tables. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../../../electron/core/core';
import { putStoredFile, readStoredFile } from '../../../electron/core/files';
import type { CoreContext } from '../../../electron/core/context';
import { runJob, type Job } from '../../../electron/core/exchange/jobs';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { Store } from '../../../electron/core/store';
import { userTables } from '../../../electron/core/tables';
import { exchangeHandlers } from '../../../electron/core/services/exchange';
import { exchangeSchemas, type ExchangeMethods } from '../../../shared/contract/exchange';
import { setUpAndSignIn, signedInCore, tempDir } from '../../support/temp';

export { TEST_DDL, TEST_TABLES } from './exchange-helpers-tables';
import { fixedContext, TEST_DDL, TEST_TABLES } from './exchange-helpers-tables';

export interface Laptop {
  core: Core;
  recoveryKey: string;
  ctx: CoreContext;
  dir: string;
  close(): void;
}

const open: Laptop[] = [];

/** A core on a data folder with the test tables registered in its Store. */
export function laptop(dir = tempDir('htmp-ex-')): Laptop {
  const raw = createCore({ dataDir: dir, host: 'cli' });
  const { core, recoveryKey } = setUpAndSignIn(raw);
  core.db.exec(TEST_DDL);
  const store = new Store(core.db, core.installationId, [...userTables, ...TEST_TABLES]);
  const ctx = fixedContext(core.context, store);
  const l = { core, ctx, dir, recoveryKey, close: () => core.close() };
  open.push(l);
  return l;
}

/** A laptop whose folder is already set up: signed in again (after a restart or a kill). */
export async function reopenLaptop(dir: string): Promise<Laptop> {
  const core = await signedInCore(dir);
  core.db.exec(TEST_DDL);
  const store = new Store(core.db, core.installationId, [...userTables, ...TEST_TABLES]);
  const ctx = fixedContext(core.context, store);
  const l = { core, ctx, dir, recoveryKey: '', close: () => core.close() };
  open.push(l);
  return l;
}

export function closeAll(): void {
  for (const l of open.splice(0)) l.close();
}

/** Runs fn as an exchange job of this laptop. */
export function job<T>(l: Laptop, fn: (j: Job) => Promise<T>, jobId?: string): Promise<T> {
  return runJob(l.ctx, 'test', jobId, fn);
}

/** A sync bundle from `from` for `to`, written to `file` and imported by `to` (both already paired). */
export async function sendBundle(from: Laptop, to: Laptop, file: string): Promise<void> {
  await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
  await job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, {});
    try {
      return await importSync(to.ctx, opened, { dryRun: false, job: j });
    } finally {
      await opened.reader.close();
    }
  });
}

/** Makes two laptops trust each other (signing keys, and encryption keys so each can send to the other). */
export async function pair(a: Laptop, b: Laptop): Promise<void> {
  await knows(a, b, 'B');
  await knows(b, a, 'A');
}

/** `who` trusts `peer`'s keys (as after importing a bundle from it), so it can encrypt for it. */
export async function knows(who: Laptop, peer: Laptop, name = 'peer'): Promise<void> {
  const ip = await peer.core.call('exchange.identity', {});
  await who.core.call('exchange.trustPeer', { installationId: ip.installationId, publicKey: ip.publicKey, encryptionKey: ip.encryptionKey, name });
}

/** The encryption fingerprint of a laptop (what `bundle export --for` takes). */
export async function fingerprintOf(l: Laptop): Promise<string> {
  return (await l.core.call('exchange.identity', {})).encryptionFingerprint;
}

/** User rows of the test tables, sorted, without timestamps that legitimately differ. */
export function snapshot(l: Laptop): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of TEST_TABLES) out[t.name] = l.core.db.prepare(`SELECT * FROM ${t.name} ORDER BY id`).all();
  return out;
}

export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Hash of the database file after a full checkpoint (byte-for-byte comparisons). */
export function dbFileHash(l: Laptop): string {
  l.core.db.pragma('wal_checkpoint(TRUNCATE)');
  return sha256(fs.readFileSync(path.join(l.dir, 'htmp.sqlite')));
}

/** Puts bytes into the laptop's file store and returns their hash. */
export function putFile(l: Laptop, content: Buffer): string {
  return putStoredFile(l.dir, content).sha256;
}

/** Reads content back from the laptop's file store (null when absent). */
export function readFile(l: Laptop, sha: string): Buffer | null {
  return readStoredFile(l.dir, sha);
}

/** Calls an exchange handler with the laptop's context (whose Store knows the test tables). */
export async function call<M extends keyof ExchangeMethods>(l: Laptop, method: M, args: ExchangeMethods[M]['args']): Promise<ExchangeMethods[M]['result']> {
  const h = exchangeHandlers[method] as unknown as (a: unknown, c: CoreContext) => Promise<ExchangeMethods[M]['result']>;
  return h(exchangeSchemas[method].parse(args), l.ctx);
}
