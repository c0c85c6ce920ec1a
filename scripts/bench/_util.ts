import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { createCore, type Core } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db';
import { openWithPassphrase, readKeyring } from '../../electron/core/vault/keyring';
import { databaseKey } from '../../electron/core/vault/keys';

/** Shared helpers for benchmarks: percentiles, timing, memory, table output. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Times fn once per item, returning milliseconds sorted ascending. */
export function timeEach<T>(items: T[], fn: (item: T) => unknown): number[] {
  const out: number[] = [];
  for (const it of items) {
    const t0 = process.hrtime.bigint();
    fn(it);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

export const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0));

/** Samples RSS every few ms while an async job runs; returns the peak in MB. */
export async function peakRss<T>(job: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await job();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs `fn` with the process's clock set to `iso` (then running on from there): the data of a
 * benchmark is made the day the secretary would have made it, not the day the benchmark runs.
 * Without it every protocol of a folder made today is "issued today" (Today's third list, the
 * sign-in warm-up), which a commission never has. Only `Date` moves; nothing else runs meanwhile.
 */
export async function atClock<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  const Real = Date;
  const offset = Real.parse(iso) - Real.now();
  if (!Number.isFinite(offset)) throw new Error(`atClock: not a time: ${iso}`);
  class BenchDate extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(Real.now() + offset);
      else super(...(args as [string]));
    }
    static override now(): number {
      return Real.now() + offset;
    }
  }
  globalThis.Date = BenchDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = Real;
  }
}

/** Prints rows as an aligned table. */
export function table(rows: (string | number)[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c]!)).join('  '));
}

/** mulberry32: a small seeded PRNG, so generated benchmark data and queries never change. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A core on a fresh folder, set up (the first admin) and signed in, as the app would be; the
 * real scrypt cost unless HTMP_TEST_FAST_KDF is set. `plaintext`: the crypto benchmark's baseline.
 */
export function benchCore(dataDir: string, options: { plaintext?: boolean } = {}): Core {
  const raw = createCore({ dataDir, host: 'cli', ...(options.plaintext ? { insecurePlaintext: true } : {}) });
  const s = raw.security.setupSync(BENCH_USER, { channel: 'local' });
  return raw.as({ channel: 'local', sessionId: s.sessionId! });
}

/** The bench admin's sign-in (every benchmark folder is set up with it). */
export const BENCH_USER = { login: 'bench', displayName: 'Bench Admin', passphrase: 'benchmark passphrase' };

/**
 * A core on a folder signed in as the bench admin, as the app opens one: the folder is set up
 * first (the first admin, encrypted) when it has no user yet. Returns the signed-in core and the
 * time the sign-in (scrypt + opening the encrypted database) took.
 */
export async function openBench(dataDir: string, options: { host?: 'cli' | 'web' } = {}): Promise<Core & { signInMs: number }> {
  const raw = createCore({ dataDir, host: options.host ?? 'cli' });
  const t0 = performance.now();
  let sessionId: string;
  if (raw.security.state === 'setup') {
    sessionId = raw.security.setupSync(BENCH_USER, { channel: 'local' }).sessionId!;
  } else {
    sessionId = (await raw.call('auth.signIn', { login: BENCH_USER.login, passphrase: BENCH_USER.passphrase })).sessionId!;
  }
  const core = raw.as({ channel: 'local', sessionId });
  return Object.assign(core, { signInMs: performance.now() - t0 });
}

/** The environment under which the real bin signs in as the bench admin (HTMP_USER/HTMP_PASSPHRASE). */
export const BENCH_ENV = { HTMP_USER: BENCH_USER.login, HTMP_PASSPHRASE: BENCH_USER.passphrase, HTMP_USER_NAME: BENCH_USER.displayName };

/**
 * A folder's database opened directly (as a tool would, with the key the bench admin's
 * passphrase unwraps): for the naive peers, which read every row themselves.
 */
export function benchDatabase(dataDir: string, options: { readonly?: boolean } = {}): Database.Database {
  const file = path.join(dataDir, 'htmp.sqlite');
  const k = readKeyring(dataDir);
  if (!k) return openDatabase(file, options);
  const out = openWithPassphrase(k, BENCH_USER.login, BENCH_USER.passphrase);
  if (!out.ok) throw new Error(`keyring: ${out.reason}`);
  return openDatabase(file, { ...options, key: databaseKey(out.dataKey, k.cipher.database) });
}

/** A decrypted copy of a folder's database (for the sqlite3 shell peer): copy, key, rekey to plain. */
export function plainCopy(dataDir: string, out: string): string {
  const db0 = benchDatabase(dataDir);
  db0.pragma('wal_checkpoint(TRUNCATE)');
  db0.close();
  fs.copyFileSync(path.join(dataDir, 'htmp.sqlite'), out);
  fs.cpSync(path.join(dataDir, 'htmp.keyring.json'), `${out}.keyring`);
  const tmp = fs.mkdtempSync(path.join(path.dirname(out), 'plain-'));
  fs.renameSync(out, path.join(tmp, 'htmp.sqlite'));
  fs.renameSync(`${out}.keyring`, path.join(tmp, 'htmp.keyring.json'));
  const db = benchDatabase(tmp);
  db.pragma('journal_mode = DELETE');
  db.pragma("rekey = ''");
  // The app's SQLite keeps STAT4 samples, which the sqlite3 shell of the system cannot replay.
  db.exec('DROP TABLE IF EXISTS sqlite_stat4');
  db.close();
  fs.renameSync(path.join(tmp, 'htmp.sqlite'), out);
  fs.rmSync(tmp, { recursive: true, force: true });
  return out;
}

