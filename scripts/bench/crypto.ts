/**
 * `npm run bench -- crypto [--cases N] [--files N] [--reps N] [--once N]`: what encryption at
 * rest costs (issue 10), like with like.
 *
 * Two installations made by the app's own code in the same run: one encrypted (the product), one
 * plain (`insecurePlaintext`, the baseline, never used by a host); each set up with the production
 * scrypt. Both get the same real cases (scripts/bench/_real-cases.ts: `importCase`, then decided
 * with issued protocols, one case in N with a 300 KiB scan), made in chunks of 100 that alternate
 * between the two. Then both are closed and signed in again with fresh cores (as the next morning:
 * the statistics the app refreshes at open and close are there on both). Every measurement
 * alternates plain / encrypted, the order swapped each repetition, so load changes and warm-up hit
 * both alike:
 * - warm operations (30 repetitions): the case list, a search by name, open + save a case, reading
 *   a scanned file;
 * - one-shot operations (5 repetitions, medians): a verified backup, its restore into a fresh
 *   folder, a sync bundle export (the whole history, for a new peer) and its import into that
 *   peer's fresh folder of the same kind;
 * - sign-in (5 fresh cores each): `createCore` on the existing folder to the answer of
 *   `auth.signIn`, broken down by the steps the core marks (`htmp.signIn.*`), beside scrypt alone;
 *   and through the web host (`dist/electron/host.cjs`, sign-in over HTTP).
 * Overhead = the median of the per-repetition ratios encrypted / plain, of wall time and of CPU
 * time (user + system of this process, less sensitive to the neighbours of a shared machine).
 * Targets of issue 10: sign-in < 1 s, overhead < 25 %.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../electron/core/core';
import { deriveKek, newKdfParams } from '../../electron/core/vault/crypto';
import { now, startHost } from './_host';
import { makeRealCases, setUpCommission } from './_real-cases';
import { BENCH_USER, fmt, percentile, table } from './_util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, files: { type: 'string' }, reps: { type: 'string' }, once: { type: 'string' } }, strict: false });
const N = Number(values.cases ?? 1000);
const FILES = Number(values.files ?? 200);
const REPS = Number(values.reps ?? 30);
const ONCE = Math.max(5, Number(values.once ?? 5));
const CHUNK = 100;
const FILE_SIZE = 300 * 1024;
const ROOT = process.env.HTMP_APP_ROOT ?? process.cwd();
const SIGN_IN = { login: BENCH_USER.login, passphrase: BENCH_USER.passphrase };
const STEPS = ['passphrase', 'database', 'migrations', 'catalogue', 'statistics', 'reference', 'session'] as const;
// Last names of _real-cases.ts: a search by the first letters of one.
const NAMES = ['Абае', 'Ержа', 'Сапа', 'Омар', 'Нұрл', 'Жұма', 'Иван', 'Серікб', 'Тоқт', 'Ахме', 'Ким', 'Ёлки'];

interface Kind {
  name: 'plain' | 'encrypted';
  plaintext: boolean;
  dir: string;
  recoveryKey: string;
  core: Core;
  ids: string[];
  fileIds: string[];
}

interface Sample {
  wall: number;
  cpu: number;
}

const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function measure(fn: () => Promise<unknown> | unknown): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = now();
  await fn();
  const wall = now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** User + system CPU milliseconds of a child process so far (Linux /proc; 10 ms ticks), NaN elsewhere. */
function childCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Per operation and kind, the samples of each repetition (index = repetition). */
class Results {
  readonly ops = new Map<string, { plain: Sample[]; encrypted: Sample[] }>();
  add(op: string, kind: Kind['name'], s: Sample): void {
    let r = this.ops.get(op);
    if (!r) this.ops.set(op, (r = { plain: [], encrypted: [] }));
    r[kind].push(s);
  }
}

/** The two kinds in the order of repetition i: plain first on even, encrypted first on odd. */
const ordered = (kinds: Kind[], i: number): Kind[] => (i % 2 === 0 ? kinds : [...kinds].reverse());

function makeInstallation(root: string, name: Kind['name']): { dir: string; core: Core; recoveryKey: string } {
  const plaintext = name === 'plain';
  const dir = path.join(root, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  const raw = createCore({ dataDir: dir, host: 'cli', ...(plaintext ? { insecurePlaintext: true } : {}) });
  const s = raw.security.setupSync(BENCH_USER, { channel: 'local' });
  return { dir, core: raw.as({ channel: 'local', sessionId: s.sessionId! }), recoveryKey: s.recoveryKey };
}

/** A fresh core on an existing folder, signed in: what a user waits for after start. */
async function signInFresh(k: Kind): Promise<{ core: Core; sample: Sample; steps: Record<string, number> }> {
  const held: { core?: Core } = {};
  const sample = await measure(async () => {
    const raw = createCore({ dataDir: k.dir, host: 'cli', ...(k.plaintext ? { insecurePlaintext: true } : {}) });
    const s = await raw.call('auth.signIn', SIGN_IN);
    held.core = raw.as({ channel: 'local', sessionId: s.sessionId! });
  });
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('htmp.signIn.'));
  const at = (step: string): number | undefined => marks.find((m) => m.name === `htmp.signIn.${step}`)?.startTime;
  const steps: Record<string, number> = {};
  let prev = at('start');
  for (const step of STEPS) {
    const t = at(step);
    if (t === undefined || prev === undefined) continue;
    steps[step] = t - prev;
    prev = t;
  }
  return { core: held.core!, sample, steps };
}

async function main(): Promise<void> {
  const attachEvery = Math.max(1, Math.round(N / Math.max(1, FILES)));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-crypto-'));
  const loadStart = load();
  const started = new Date();
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}; ${started.toISOString().slice(0, 16)}Z; load average at start ${loadStart}`);
  console.log(
    `crypto: ${N} real cases, ${Math.ceil(N / attachEvery)} scans of 300 KiB, ${REPS} repetitions of the warm operations, ${ONCE} of the one-shot ones and of sign-in; production scrypt; plain and encrypted alternate\n`,
  );
  const res = new Results();
  const kinds: Kind[] = (['plain', 'encrypted'] as const).map((name) => {
    const m = makeInstallation(root, name);
    return { name, plaintext: name === 'plain', ...m, ids: [], fileIds: [] };
  });
  try {
    for (const k of kinds) await setUpCommission(k.core);

    // Seeding in alternating chunks of CHUNK cases (each chunk one transaction, as makeRealCases does).
    for (let c = 0, i = 0; c < N; c += CHUNK, i++) {
      for (const k of ordered(kinds, i)) {
        res.add(`make ${CHUNK} real cases (with scans), ms`, k.name, await measure(() => makeRealCases(k.core, { from: c, to: Math.min(N, c + CHUNK), attachEvery, fileSize: FILE_SIZE })));
      }
    }

    // The next morning: both closed (statistics refreshed at close), then fresh cores signed in
    // ONCE times each, alternating; the last one stays open for the operations.
    const scrypt: Sample[] = [];
    const steps: Record<Kind['name'], Record<string, number[]>> = { plain: {}, encrypted: {} };
    for (const k of kinds) k.core.close();
    for (let i = 0; i < ONCE; i++) {
      scrypt.push(await measure(() => deriveKek(BENCH_USER.passphrase, newKdfParams()).fill(0)));
      for (const k of ordered(kinds, i)) {
        const r = await signInFresh(k);
        res.add('sign-in: fresh core to auth.signIn answer, ms', k.name, r.sample);
        for (const [s, ms] of Object.entries(r.steps)) (steps[k.name][s] ??= []).push(ms);
        if (i < ONCE - 1) r.core.close();
        else k.core = r.core;
      }
    }
    for (const k of kinds) {
      const count = (k.core.db.prepare('SELECT count(*) FROM cases').pluck().get() as number);
      if (count !== N) throw new Error(`${k.name}: ${count} cases, expected ${N}`);
      // Cases still open for edits (a case with an issued protocol is locked).
      k.ids = (k.core.db.prepare("SELECT id FROM cases WHERE status IN ('draft', 'registered') ORDER BY id").all() as { id: string }[]).map((r) => r.id);
      k.fileIds = (k.core.db.prepare('SELECT id FROM document_files ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    }

    // Warm operations.
    const ops: [string, (k: Kind, i: number) => Promise<unknown>][] = [
      ['case list (first page), ms', (k) => k.core.call('cases.list', {})],
      ['search by name, ms', (k, i) => k.core.call('cases.list', { query: NAMES[i % NAMES.length]! })],
      [
        'case open + save, ms',
        async (k, i) => {
          const id = k.ids[(i * 37) % k.ids.length]!;
          const d = await k.core.call('cases.get', { id });
          return k.core.call('cases.save', { id, expectedUpdatedAt: d.updatedAt, notes: `note ${i}` });
        },
      ],
      ['file read (300 KiB scan), ms', (k, i) => k.core.call('cases.fileContent', { fileId: k.fileIds[i % k.fileIds.length]! })],
    ];
    // Warm-up, alike on both (the same calls, untimed).
    for (let i = 0; i < 3; i++) for (const [, fn] of ops) for (const k of ordered(kinds, i)) await fn(k, 1000 + i);
    for (let i = 0; i < REPS; i++) for (const [name, fn] of ops) for (const k of ordered(kinds, i)) res.add(name, k.name, await measure(() => fn(k, i)));

    // One-shot operations, ONCE times each, alternating.
    const bundleMb: Record<string, number> = {};
    for (let i = 0; i < ONCE; i++) {
      for (const k of ordered(kinds, i)) {
        const out = path.join(root, `backup-${k.name}-${i}.htmp`);
        res.add('backup (verified), ms', k.name, await measure(() => k.core.call('exchange.backup', { out })));
        const target = path.join(root, `restore-${k.name}-${i}`);
        // The product restores with the recovery key; the plain baseline needs none (same steps otherwise).
        res.add('restore into a fresh folder, ms', k.name, await measure(() => k.core.call('exchange.restore', { file: out, dataDir: target, ...(k.plaintext ? {} : { recoveryKey: k.recoveryKey }) })));
        fs.rmSync(out, { force: true });
        fs.rmSync(target, { recursive: true, force: true });

        // A new peer of the same kind (set up untimed), trusted; the whole history travels to it.
        const peer = makeInstallation(root, k.name);
        const id = await peer.core.call('exchange.identity', {});
        await k.core.call('exchange.trustPeer', { installationId: id.installationId, publicKey: id.publicKey, encryptionKey: id.encryptionKey, name: `peer ${i}` });
        const file = path.join(root, `sync-${k.name}-${i}.htmp`);
        res.add('sync bundle export (whole history), ms', k.name, await measure(() => k.core.call('exchange.export', { kind: 'sync', out: file, for: [id.encryptionFingerprint] })));
        bundleMb[k.name] = fs.statSync(file).size / 1024 / 1024;
        let imported = 0;
        res.add('sync bundle import into the new peer, ms', k.name, await measure(async () => (imported = (await peer.core.call('exchange.import', { file, trustNewPeer: true })).imported)));
        if (imported < N) throw new Error(`${k.name}: ${imported} records imported`);
        peer.core.close();
        fs.rmSync(file, { force: true });
        fs.rmSync(peer.dir, { recursive: true, force: true });
      }
    }
    for (const k of kinds) k.core.close();

    // Sign-in through the web host, on the encrypted folder (a host never opens a plain one):
    // spawn, listening, then sign-in over HTTP (the page's way).
    const host = { listening: [] as number[], signIn: [] as number[], cpu: [] as number[] };
    const enc = kinds.find((k) => k.name === 'encrypted')!;
    for (let i = 0; i < ONCE; i++) {
      const h = await startHost(ROOT, enc.dir);
      try {
        host.listening.push(h.listeningMs);
        const c0 = childCpuMs(h.child.pid!);
        host.signIn.push(await h.signIn());
        host.cpu.push(childCpuMs(h.child.pid!) - c0);
      } finally {
        await h.stop();
      }
    }

    // ---- report ----
    const rows: (string | number)[][] = [['operation', 'plain', 'encrypted', 'plain CPU', 'encr. CPU', 'overhead', 'overhead CPU', 'target', 'result']];
    const ratio = (a: Sample[], b: Sample[], key: keyof Sample): number => median(a.map((x, i) => b[i]![key] / x[key]).filter(Number.isFinite)) - 1;
    const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %` : '—');
    const verdicts: string[] = [];
    for (const [name, r] of res.ops) {
      const signIn = name.startsWith('sign-in');
      const w = ratio(r.plain, r.encrypted, 'wall');
      const c = ratio(r.plain, r.encrypted, 'cpu');
      const encWall = median(r.encrypted.map((x) => x.wall));
      const encCpu = median(r.encrypted.map((x) => x.cpu));
      const target = signIn ? '< 1000 ms' : '< +25 %';
      const met = signIn ? encWall < 1000 : w < 0.25;
      const metCpu = signIn ? Number.isFinite(encCpu) && encCpu < 1000 : c < 0.25;
      // Met only when wall AND CPU time meet it: on a loaded machine either alone can mislead.
      const result = met && metCpu ? 'met' : met ? 'met in wall time only' : metCpu ? 'met in CPU time only' : 'MISSED';
      if (!(met && metCpu)) verdicts.push(`${name.replace(/, ms$/, '')}: ${result}`);
      const cpuCell = (xs: Sample[]) => (xs.every((x) => Number.isFinite(x.cpu)) ? fmt(median(xs.map((x) => x.cpu))) : '—');
      rows.push([name, fmt(median(r.plain.map((x) => x.wall))), fmt(encWall), cpuCell(r.plain), cpuCell(r.encrypted), signIn ? '—' : pct(w), signIn ? '—' : pct(c), target, result]);
    }
    console.log(`medians; overhead = median of the per-repetition ratios encrypted / plain; load average now ${load()}`);
    table(rows);

    console.log('\nsign-in of a fresh core, where the time goes (medians of the steps the core marks, ms):');
    const stepRows: (string | number)[][] = [['step', 'plain', 'encrypted']];
    for (const s of STEPS) stepRows.push([s, fmt(median(steps.plain[s] ?? [])), fmt(median(steps.encrypted[s] ?? []))]);
    const signInRow = res.ops.get('sign-in: fresh core to auth.signIn answer, ms')!;
    const rest = (kn: Kind['name']) => median(signInRow[kn].map((x) => x.wall)) - STEPS.reduce((a, s) => a + median(steps[kn][s] ?? [0]), 0);
    stepRows.push(['createCore + dispatch (the rest)', fmt(rest('plain')), fmt(rest('encrypted'))]);
    table(stepRows);
    const hostSignIn = median(host.signIn);
    console.log(
      `(passphrase = scrypt N=2^16 r=8 + unwrapping the keys; scrypt alone in this process: ${fmt(median(scrypt.map((x) => x.wall)))} ms wall, ${fmt(median(scrypt.map((x) => x.cpu)))} ms CPU)`,
    );
    console.log(
      `\nweb host on the encrypted folder (${ONCE} spawns of dist/electron/host.cjs): listening after ${fmt(median(host.listening))} ms, then sign-in over HTTP answered in ${fmt(hostSignIn)} ms (median; the host's CPU time for it ${fmt(median(host.cpu))} ms; target < 1000 ms: ${hostSignIn < 1000 ? 'met' : 'MISSED'})`,
    );
    if (hostSignIn >= 1000) verdicts.push(`sign-in through the web host: MISSED`);
    console.log(`sync bundle: ${(bundleMb.plain ?? 0).toFixed(1)} MB from the plain installation, ${(bundleMb.encrypted ?? 0).toFixed(1)} MB from the encrypted one (bundles are encrypted for their recipient in both)`);
    console.log(`\n${started.toISOString().slice(0, 16)}Z–${new Date().toISOString().slice(11, 16)}Z, load average at start ${loadStart}, at end ${load()}`);
    console.log(verdicts.length === 0 ? 'every target met' : `targets missed: ${verdicts.join('; ')}`);
  } finally {
    for (const k of kinds) {
      try {
        k.core.close();
      } catch {
        /* already closed */
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
