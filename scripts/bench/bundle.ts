/**
 * `npm run bench -- bundle`: sync export and import of REAL cases, at three sizes, beside the
 * peers of the same data measured in the same run.
 *
 * Data: cases made through the app's own code (scripts/bench/_real-cases.ts: `importCase`, what
 * `htmp case import` runs, then `cases.decide` + `cases.issueProtocol` through `core.call`): per
 * 10 cases about 3 decided with an issued protocol and 2 with a 50 KB attached scan (random
 * bytes: scans do not compress). One data folder A grows 1,000 -> 10,000 -> 100,000 cases.
 *
 * At each size:
 * - export: `exchange.export {kind: 'sync', for: [B]}` (a full, encrypted bundle for a new
 *   laptop B) in a fresh child process: wall time of the call, and the process's peak RSS
 *   (`process.resourceUsage().maxRSS`: everything, Node itself included);
 * - import: `exchange.import` of that bundle into an empty data folder, in a fresh child process;
 * - database size per 1,000 cases: A's database file and its pages in use, before and after the
 *   change log is compacted (B sends its acknowledgement back, A imports it: the app's own
 *   compaction; no VACUUM, which the app does not run);
 * - peers on the same data: `zip -r` and `unzip` of A's data folder (database + file store), and
 *   `sqlite3 A.sqlite .dump | sqlite3 new.sqlite` (a full SQL replay of the database).
 * Targets (issue 17): 10,000 cases export and import < 5 s and < 200 MB each; 100,000 cases
 * < 60 s and < 300 MB; database < 4 MB per 1,000 cases.
 *
 * Options: --sizes 1000,10000,100000 (default), --attach-every N (5), --file-size BYTES (51200),
 * --keep DIR (keep the data folders there instead of a temporary folder).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../electron/core/core';
import { makeRealCases, setUpCommission } from './_real-cases';
import { table } from './_util';

// ---- child mode: one export or import in a fresh process --------------------------------------
if (process.argv[2] === '--child') {
  const [, , , what, dataDir, file, recipient] = process.argv as string[];
  void (async () => {
    const core = createCore({ dataDir: dataDir!, host: 'cli' });
    const t0 = performance.now();
    let out: Record<string, unknown>;
    if (what === 'export') {
      const r = await core.call('exchange.export', { kind: 'sync', out: file!, for: [recipient!] });
      out = { records: r.records, attachments: r.attachments, bytes: r.bytes };
    } else {
      const r = await core.call('exchange.import', { file: file!, trustNewPeer: true });
      out = { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, attachments: r.attachments };
    }
    const ms = performance.now() - t0;
    core.close();
    process.stdout.write(JSON.stringify({ ...out, ms, rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
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

interface ChildResult {
  ms: number;
  rssMb: number;
  [k: string]: unknown;
}

function child(what: 'export' | 'import', dataDir: string, file: string, recipient = ''): ChildResult {
  const r = spawnSync(process.execPath, [process.argv[1]!, '--child', what, dataDir, file, recipient], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

function timed(cmd: string, cwd?: string): { ms: number; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', cmd], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  return { ms: performance.now() - t0, ok: r.status === 0 };
}

const MB = 1024 * 1024;
const s = (ms: number): string => (ms / 1000).toFixed(2);

function dbSize(core: Core): { file: number; used: number } {
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = core.db.pragma('page_size', { simple: true }) as number;
  const pages = core.db.pragma('page_count', { simple: true }) as number;
  const free = core.db.pragma('freelist_count', { simple: true }) as number;
  return { file: fs.statSync(core.databaseFile).size, used: (pages - free) * pageSize };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, 'attach-every': { type: 'string' }, 'file-size': { type: 'string' }, keep: { type: 'string' } } });
  const sizes = (values.sizes ?? '1000,10000,100000').split(',').map(Number);
  const attachEvery = Number(values['attach-every'] ?? 5);
  const fileSize = Number(values['file-size'] ?? 50 * 1024);
  const root = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-bundle-'));
  fs.mkdirSync(root, { recursive: true });
  const hasZip = spawnSync('bash', ['-c', 'command -v zip && command -v unzip']).status === 0;
  const hasSqlite = spawnSync('bash', ['-c', 'command -v sqlite3']).status === 0;
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);

  const aDir = path.join(root, 'a');
  const A = createCore({ dataDir: aDir, host: 'cli' });
  setUpCommission(A);
  const empty = dbSize(A);
  const rows: (string | number)[][] = [];
  const sizeRows: (string | number)[][] = [];
  const peerRows: (string | number)[][] = [];
  let made = 0;
  try {
    for (const n of sizes) {
      const g0 = performance.now();
      const stats = await makeRealCases(A, { from: made, to: n, attachEvery, fileSize, onProgress: (d) => d % 10_000 === 0 && process.stderr.write(`  ${d} cases made\n`) });
      made = n;
      const changeRows = (A.db.prepare('SELECT count(*) AS c FROM change_log').get() as { c: number }).c;
      console.log(`\n${n} cases: +${stats.cases} made in ${s(performance.now() - g0)} s (${stats.decided} decided with protocols, ${stats.attachments} scans); change_log rows ${changeRows}`);

      // A new laptop B for this size; A knows B's keys (as after B's introduction bundle).
      const bDir = path.join(root, `b-${n}`);
      fs.rmSync(bDir, { recursive: true, force: true });
      const B = createCore({ dataDir: bDir, host: 'cli' });
      const ib = await B.call('exchange.identity', {});
      B.close();
      await A.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: `B-${n}` });
      const before = dbSize(A);
      const file = path.join(root, `sync-${n}.htmp`);
      A.db.pragma('wal_checkpoint(TRUNCATE)');
      const exp = child('export', aDir, file, ib.encryptionFingerprint);
      const imp = child('import', bDir, file);
      const totalCases = n;
      if (Number(imp.imported) < 1) throw new Error(`nothing imported: ${JSON.stringify(imp)}`);
      const targetT = n <= 10_000 ? 5000 : 60_000;
      const targetM = n <= 10_000 ? 200 : 300;
      const ok = (x: ChildResult): string => (x.ms < targetT && x.rssMb < targetM ? 'OK' : 'MISSED');
      rows.push([n, 'export', s(exp.ms), exp.rssMb.toFixed(0), (Number(exp.bytes) / MB).toFixed(0), String(exp.records), `< ${targetT / 1000} s, < ${targetM} MB`, ok(exp)]);
      rows.push([n, 'import', s(imp.ms), imp.rssMb.toFixed(0), '', `${String(imp.imported)} applied, ${String(imp.attachments)} files`, `< ${targetT / 1000} s, < ${targetM} MB`, ok(imp)]);

      // B acknowledges (its bundle back to A carries the ack); A compacts what every peer has.
      {
        const Bc = createCore({ dataDir: bDir, host: 'cli' });
        const ia = await A.call('exchange.identity', {});
        await Bc.call('exchange.trustPeer', { installationId: ia.installationId, publicKey: ia.publicKey, encryptionKey: ia.encryptionKey, name: 'A' });
        const back = path.join(root, `ack-${n}.htmp`);
        await Bc.call('exchange.export', { kind: 'sync', out: back, for: [ia.encryptionFingerprint] });
        Bc.close();
        await A.call('exchange.import', { file: back });
        fs.rmSync(back, { force: true });
      }
      // Earlier laptops B of smaller sizes would hold compaction back: they are gone.
      for (const p of await A.call('exchange.peers', {})) if (p.installationId !== ib.installationId) await A.call('exchange.removePeer', { installationId: p.installationId });
      const after = dbSize(A);
      const per = (x: { file: number; used: number }, k: 'file' | 'used'): string => (((x[k] - empty[k]) / totalCases) * 1000 / MB).toFixed(2);
      sizeRows.push([n, (before.file / MB).toFixed(1), per(before, 'file'), per(before, 'used'), (after.file / MB).toFixed(1), per(after, 'file'), per(after, 'used'), Number(per(after, 'used')) < 4 ? 'OK' : 'MISSED']);

      // Peers on the same data folder.
      const pr: (string | number)[] = [n];
      if (hasZip) {
        const zipFile = path.join(root, `peer-${n}.zip`);
        fs.rmSync(zipFile, { force: true });
        const z = timed(`zip -q -r ${JSON.stringify(zipFile)} htmp.sqlite files`, aDir);
        const out = path.join(root, `unzipped-${n}`);
        fs.rmSync(out, { recursive: true, force: true });
        const u = timed(`unzip -q ${JSON.stringify(zipFile)} -d ${JSON.stringify(out)}`);
        pr.push(z.ok ? s(z.ms) : 'failed', u.ok ? s(u.ms) : 'failed', z.ok ? (fs.statSync(zipFile).size / MB).toFixed(0) : '-');
        fs.rmSync(out, { recursive: true, force: true });
        fs.rmSync(zipFile, { force: true });
      } else pr.push('(no zip)', '', '');
      if (hasSqlite) {
        const replay = path.join(root, `replay-${n}.sqlite`);
        fs.rmSync(replay, { force: true });
        const d = timed(`sqlite3 ${JSON.stringify(A.databaseFile)} .dump | sqlite3 ${JSON.stringify(replay)}`);
        pr.push(d.ok ? s(d.ms) : 'failed');
        fs.rmSync(replay, { force: true });
      } else pr.push('(no sqlite3)');
      peerRows.push(pr);
      fs.rmSync(file, { force: true });
      if (!values.keep) fs.rmSync(bDir, { recursive: true, force: true });
    }
  } finally {
    A.close();
    if (!values.keep) fs.rmSync(root, { recursive: true, force: true });
  }

  console.log('\nsync bundle of real cases (full bundle for a new laptop, encrypted; fresh process each)');
  table([['cases', 'step', 'time s', 'peak RSS MB', 'bundle MB', 'records', 'target', 'result'], ...rows]);
  console.log('\npeers on the same data folder (separate processes)');
  table([['cases', 'zip -r s', 'unzip s', 'zip MB', 'sqlite3 .dump | sqlite3 s'], ...peerRows]);
  console.log('\ndatabase size (MB per 1,000 cases above an empty installation; "used" = pages in use)');
  table([['cases', 'file MB', 'per 1k file', 'per 1k used', 'after compaction: file MB', 'per 1k file', 'per 1k used', 'target < 4 MB'], ...sizeRows]);
}
