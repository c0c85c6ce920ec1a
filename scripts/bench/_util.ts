import { createCore, type Core } from '../../electron/core/core';

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
  const s = raw.security.setupSync({ login: 'bench', displayName: 'Bench Admin', passphrase: 'benchmark passphrase' }, { channel: 'local' });
  return raw.as({ channel: 'local', sessionId: s.sessionId! });
}
