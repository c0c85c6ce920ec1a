/**
 * `npm run bench -- bundle`: sync export and import of REAL cases at three sizes, beside the
 * peers of the same data measured in the same run.
 *
 * Data: cases made through the app's own code (scripts/bench/_real-cases.ts: `importCase`, what
 * `htmp case import` runs, then `cases.decide` + `cases.issueProtocol` through `core.call`): per
 * 10 cases about 3 decided with an issued protocol and 2 with a 50 KB attached scan (random
 * bytes: scans do not compress). At each size (1,000, 10,000, 100,000) a laptop A that made the
 * cases and never synced, so its whole history travels (the worst case of a first sync).
 *
 * Measured at each size:
 * - export: `exchange.export {kind: 'sync', for: [B]}` (encrypted for a new laptop B) in a fresh
 *   child process: wall time and CPU time of the call, the process's peak RSS (`maxRSS`:
 *   everything, Node and the whole core included);
 * - import: `exchange.import` of that bundle into B's empty data folder, the same way;
 * - database size per 1,000 cases: A's database file before, and its file and pages in use after
 *   B's acknowledgement came back and A compacted its change log (the app's own compaction, which
 *   gives the freed pages back to the file system: `reclaimSpace`, incremental auto-vacuum; no
 *   step the app does not do itself). A cached folder made by an older build is migrated when A
 *   opens it (the size migration packs protocol statements and converts the file once);
 * - peers on the same data, under /usr/bin/time: `zip -r` and `unzip` of A's data folder
 *   (database + file store), and `sqlite3 A.sqlite .dump | sqlite3 new.sqlite` (a full replay).
 * Targets (issue 17): 10,000 cases export and import < 5 s and < 200 MB each; 100,000 cases
 * < 60 s and < 300 MB; database < 4 MB per 1,000 cases. On a shared, loaded machine the wall
 * time says more about the neighbours than about the code: CPU time is reported beside it, and
 * the peers ran under the same load.
 *
 * Options: --sizes 1000,10000,100000 (default), --attach-every N (5), --file-size BYTES (51200),
 * --cache DIR (keep the generated data folders there and reuse them in later runs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../../electron/core/core';
import { makeRealCases, setUpCommission } from './_real-cases';
import { openBench, plainCopy, table } from './_util';

interface ChildResult {
  ms: number;
  cpuMs: number;
  rssMb: number;
  [k: string]: unknown;
}

function child(what: 'export' | 'import', dataDir: string, file: string, recipient = ''): ChildResult {
  const r = spawnSync(process.execPath, [process.argv[1]!, '--child', what, dataDir, file, recipient], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** Writes back what earlier steps left dirty (outside any timed step). */
const settle = (): void => void spawnSync('sync');

/** A peer command under /usr/bin/time: wall, CPU (user + system, children included) and peak RSS. */
function timed(cmd: string, cwd?: string): { ms: number; cpuMs: number; rssMb: number; ok: boolean } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', 'bash', '-c', cmd], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) return { ms: NaN, cpuMs: NaN, rssMb: NaN, ok: false };
  return { ms: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, rssMb: Number(m[4]) / 1024, ok: r.status === 0 };
}

const MB = 1024 * 1024;
const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '-');

function dbSize(core: Core): { file: number; used: number } {
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = core.db.pragma('page_size', { simple: true }) as number;
  const pages = core.db.pragma('page_count', { simple: true }) as number;
  const free = core.db.pragma('freelist_count', { simple: true }) as number;
  return { file: fs.statSync(core.databaseFile).size, used: (pages - free) * pageSize };
}

const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, 'attach-every': { type: 'string' }, 'file-size': { type: 'string' }, cache: { type: 'string' } } });
  const sizes = (values.sizes ?? '1000,10000,100000').split(',').map(Number);
  const attachEvery = Number(values['attach-every'] ?? 5);
  const fileSize = Number(values['file-size'] ?? 50 * 1024);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-bundle-'));
  // Generated data folders can be kept between runs (--cache DIR): making 100,000 cases takes long.
  const cache = values.cache ? path.resolve(values.cache) : root;
  fs.mkdirSync(cache, { recursive: true });
  const hasZip = spawnSync('bash', ['-c', 'command -v zip && command -v unzip']).status === 0;
  const hasSqlite = spawnSync('bash', ['-c', 'command -v sqlite3']).status === 0;
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z; load average ${load()}`);

  const empty = await (async () => {
    const c = await openBench(path.join(root, 'empty'));
    await setUpCommission(c);
    const e = dbSize(c);
    c.close();
    return e;
  })();
  const rows: (string | number)[][] = [];
  const sizeRows: (string | number)[][] = [];
  const peerRows: (string | number)[][] = [];
  try {
    for (const n of sizes) {
      // A laptop that made n real cases and never synced: its whole history travels.
      const src = path.join(cache, `a-${n}`);
      if (!fs.existsSync(path.join(src, 'done'))) {
        fs.rmSync(src, { recursive: true, force: true });
        const g = await openBench(src);
        await setUpCommission(g);
        const g0 = performance.now();
        const stats = await makeRealCases(g, { from: 0, to: n, attachEvery, fileSize, onProgress: (d) => d % 10_000 === 0 && process.stderr.write(`  ${d} cases made\n`) });
        g.close();
        fs.writeFileSync(path.join(src, 'done'), JSON.stringify(stats));
        console.log(`${n} cases made in ${s(performance.now() - g0)} s: ${stats.decided} decided with issued protocols, ${stats.attachments} scans of ${fileSize} B`);
      }
      const aDir = path.join(root, `a-${n}-run`);
      fs.rmSync(aDir, { recursive: true, force: true });
      fs.cpSync(src, aDir, { recursive: true });
      const A = await openBench(aDir);
      const changeRows = (A.db.prepare('SELECT count(*) AS c FROM change_log').get() as { c: number }).c;
      console.log(`\n${n} cases: change_log rows ${changeRows}; load average ${load()}`);

      // A new laptop B; A knows B's keys (as after B's introduction bundle).
      const bDir = path.join(root, `b-${n}`);
      fs.rmSync(bDir, { recursive: true, force: true });
      const B = await openBench(bDir);
      const ib = await B.call('exchange.identity', {});
      B.close();
      await A.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: `B-${n}` });
      const before = dbSize(A);
      const file = path.join(root, `sync-${n}.htmp`);
      A.close();
      // A and B are two laptops: the disk is settled before each step (`sync`), so neither pays
      // for writing back what the step before it wrote here (the copy of A, the 100 MB bundle).
      settle();
      const exp = child('export', aDir, file, ib.encryptionFingerprint);
      settle();
      const imp = child('import', bDir, file);
      if (Number(imp.imported) < 1) throw new Error(`nothing imported: ${JSON.stringify(imp)}`);
      const targetT = n <= 10_000 ? 5000 : 60_000;
      const targetM = n <= 10_000 ? 200 : 300;
      const ok = (x: ChildResult): string => (x.ms < targetT && x.rssMb < targetM ? 'OK' : x.cpuMs < targetT && x.rssMb < targetM ? 'OK (CPU)' : 'MISSED');
      rows.push([n, 'export', s(exp.ms), s(exp.cpuMs), exp.rssMb.toFixed(0), (Number(exp.bytes) / MB).toFixed(0), String(exp.records), `< ${targetT / 1000} s, < ${targetM} MB`, ok(exp)]);
      rows.push([n, 'import', s(imp.ms), s(imp.cpuMs), imp.rssMb.toFixed(0), '', `${String(imp.imported)} + ${String(imp.attachments)} files`, `< ${targetT / 1000} s, < ${targetM} MB`, ok(imp)]);

      // B acknowledges (its bundle back to A carries the ack); A compacts what every peer has.
      const A2 = await openBench(aDir);
      {
        const Bc = await openBench(bDir);
        const ia = await A2.call('exchange.identity', {});
        await Bc.call('exchange.trustPeer', { installationId: ia.installationId, publicKey: ia.publicKey, encryptionKey: ia.encryptionKey, name: 'A' });
        const back = path.join(root, `ack-${n}.htmp`);
        await Bc.call('exchange.export', { kind: 'sync', out: back, for: [ia.encryptionFingerprint] });
        Bc.close();
        await A2.call('exchange.import', { file: back });
        fs.rmSync(back, { force: true });
      }
      const after = dbSize(A2);
      const per = (x: { file: number; used: number }, k: 'file' | 'used'): string => ((((x[k] - empty[k]) / n) * 1000) / MB).toFixed(2);
      sizeRows.push([n, (before.file / MB).toFixed(1), per(before, 'file'), (after.file / MB).toFixed(1), per(after, 'file'), per(after, 'used'), Number(per(after, 'file')) < 4 ? 'OK' : 'MISSED']);

      // Peers on the same data folder.
      const pr: (string | number)[] = [n];
      if (hasZip) {
        const zipFile = path.join(root, `peer-${n}.zip`);
        settle();
        const z = timed(`zip -q -r ${JSON.stringify(zipFile)} htmp.sqlite files`, src);
        const out = path.join(root, `unzipped-${n}`);
        settle();
        const u = timed(`unzip -q ${JSON.stringify(zipFile)} -d ${JSON.stringify(out)}`);
        pr.push(z.ok ? `${s(z.ms)} / ${s(z.cpuMs)}` : 'failed', u.ok ? `${s(u.ms)} / ${s(u.cpuMs)}` : 'failed', z.ok ? (fs.statSync(zipFile).size / MB).toFixed(0) : '-');
        fs.rmSync(out, { recursive: true, force: true });
        fs.rmSync(zipFile, { force: true });
      } else pr.push('(no zip)', '', '');
      if (hasSqlite) {
        // The database is encrypted, which the sqlite3 shell cannot read: the peer
        // replays a decrypted copy of it (decrypting is not timed).
        const plain = plainCopy(src, path.join(root, `plain-${n}.sqlite`));
        const replay = path.join(root, `replay-${n}.sqlite`);
        settle();
        const d = timed(`sqlite3 ${JSON.stringify(plain)} .dump | sqlite3 ${JSON.stringify(replay)}`);
        pr.push(d.ok ? `${s(d.ms)} / ${s(d.cpuMs)}` : 'failed');
        fs.rmSync(replay, { force: true });
        fs.rmSync(plain, { force: true });
      } else pr.push('(no sqlite3)');
      peerRows.push(pr);
      A2.close();
      fs.rmSync(file, { force: true });
      fs.rmSync(bDir, { recursive: true, force: true });
      fs.rmSync(aDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }

  console.log(`\nsync bundle of real cases: a full bundle (the whole history) for a new laptop, encrypted; each step in a fresh process; load average now ${load()}`);
  table([['cases', 'step', 'wall s', 'CPU s', 'peak RSS MB', 'bundle MB', 'records', 'target', 'result'], ...rows]);
  console.log('\npeers on the same data folder (separate processes; wall s / CPU s)');
  table([['cases', 'zip -r', 'unzip', 'zip MB', 'sqlite3 .dump | sqlite3'], ...peerRows]);
  console.log('\ndatabase size (MB per 1,000 cases above an empty installation)');
  table([['cases', 'file MB', 'per 1k', 'after ack + compaction: file MB', 'file per 1k', 'pages in use per 1k', 'target < 4 MB (file)'], ...sizeRows]);
}

// ---- entry: the benchmark, or (child mode) one export or import in a fresh process --------------
if (process.argv[2] === '--child') {
  const [, , , what, dataDir, file, recipient] = process.argv as string[];
  void (async () => {
    // Signed in before the clock starts (sign-in is measured by `npm run bench -- crypto`).
    const core = await openBench(dataDir!);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let out: Record<string, unknown>;
    if (what === 'export') {
      const r = await core.call('exchange.export', { kind: 'sync', out: file!, for: [recipient!] });
      out = { records: r.records, attachments: r.attachments, bytes: r.bytes };
    } else {
      const r = await core.call('exchange.import', { file: file!, trustNewPeer: true });
      out = { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, attachments: r.attachments };
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    core.close();
    process.stdout.write(JSON.stringify({ ...out, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

