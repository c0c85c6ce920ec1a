/**
 * `npm run bench -- cases`: the case register at 1,000, 10,000 and 100,000 real cases.
 *
 * DATA. Real cases, made the way the app makes them (scripts/bench/_cases.ts): case files stored
 * through `cases.importBatch` (1,000 per transaction, what `htmp case import` does), then decided
 * and their protocols issued through `cases.decide` — all through `core.call`, every write in the
 * change log. One data folder grows from 1,000 to 10,000 to 100,000 cases (ten years of receipts
 * at each size: the density grows, as in a commission's database); it is measured at each size.
 * No step the app does not take itself: no ANALYZE, no tuning pragma. The app keeps its own query
 * statistics (`PRAGMA optimize` when a core opens and closes).
 *
 * MEASURED at each size, through the real web host (`node dist/electron/host.cjs`, HTTP on a
 * keep-alive connection, as the page calls it):
 * - every list, filter, Today and search query of the register: the FIRST call after the host
 *   started (the host is restarted for each query, so each first call is a first query after
 *   start), then --reps calls: p50 / p95 / max;
 * - the peer, in the same run: the same query done the naive way (every case read into
 *   JavaScript, filtered, sorted and paged there), with a check that both give the same page;
 * - `htmp case list --json` of every case (the real bin; pages by key, streamed);
 * - growth: p95 at 100,000 over p95 at 1,000 (100x the cases).
 * And once: `htmp case import` of 10,000 case files as NDJSON into an empty folder (target 30 s).
 *
 * Options: --sizes 1000,10000,100000; --reps N (default 100); --peer-reps N (default 3);
 * --data DIR (grow and keep the data there; a size already built in DIR/<size> is reused and
 * said so; a single size already built is measured in place, without a copy); --skip-import;
 * --only REGEX (only the register queries whose name matches, and neither the packet table nor
 * `case list --json`: for comparing a change on a few queries); --first-after MS (wait that long
 * between sign-in and the first query, as a person does: what the first query sees once the
 * register's background warm-up had that time; default 0, the first query at once).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { workCalendar } from '../../electron/core/cases/calendar';
import { foldQuery } from '../../electron/core/services/cases';
import { catalogueLookup } from '../../electron/core/services/catalogue-lookup';
import { validatePacket, type CaseInput } from '../../shared/domain/packet';
import type { CaseDetail } from '../../shared/contract/cases';
import type { CaseList, CaseListItem } from '../../shared/contract/cases';
import { benchCaseFiles, BENCH_TODAY, decideCases, importCases, setUpCommission } from './_cases';
import { now, startHost } from './_host';
import { BENCH_ENV, benchDatabase, fmt, openBench, percentile, table } from './_util';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, reps: { type: 'string' }, 'first-after': { type: 'string' }, 'peer-reps': { type: 'string' }, data: { type: 'string' }, 'skip-import': { type: 'boolean' }, only: { type: 'string' } },
});
const SIZES = (values.sizes ?? '1000,10000,100000').split(',').map(Number).sort((a, b) => a - b);
const REPS = Number(values.reps ?? 100);
const PEER_REPS = Number(values['peer-reps'] ?? 3);
const ROOT = process.env.HTMP_APP_ROOT ?? process.cwd();
const TODAY = BENCH_TODAY;
const BIN = path.join(ROOT, 'bin', 'htmp.cjs');
const ONLY = values.only ? new RegExp(values.only, 'i') : null;
/** Milliseconds between sign-in and the first query (default 0: at once; a person takes a few seconds). */
const FIRST_AFTER = Number(values['first-after'] ?? 0);

type ListArgs = Record<string, unknown>;
interface Scenario {
  name: string;
  method: 'cases.list' | 'cases.today' | 'cases.refusalJournal';
  args: ListArgs;
  /** For the naive peer: the list arguments it reproduces (null: no peer). */
  peer: ListArgs | null;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** A process's resident memory in MB, from /proc (NaN where there is none). */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A process's CPU time (user + system) in ms, from /proc (NaN where there is none). */
function cpuMs(pid: number | undefined): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// The naive peer: every case into JavaScript, filtered, sorted and paged there.

type PeerRow = { id: string; status: string; due_date: string | null; received_at: string; received_date: string | null; htmp_code: string; issued_on: string | null; iin: string; last_name: string; first_name: string; middle_name: string | null };

function naiveList(db: Database.Database, a: ListArgs): { ids: string[]; total: number } {
  const rows = db.prepare('SELECT c.id, c.status, c.due_date, c.received_at, c.received_date, c.htmp_code, c.issued_on, p.iin, p.last_name, p.first_name, p.middle_name FROM cases c JOIN patients p ON p.id = c.patient_id').all() as PeerRow[];
  const statuses = a.status === undefined ? null : Array.isArray(a.status) ? (a.status as string[]) : [a.status as string];
  const q = foldQuery(String(a.query ?? ''));
  const code = String(a.code ?? '');
  const today = String(a.today ?? TODAY);
  const out = rows.filter((x) => {
    if (statuses && !statuses.includes(x.status)) return false;
    if (a.dueToday || a.overdue) {
      const undecided = x.status === 'draft' || x.status === 'registered';
      if (!undecided || x.due_date === null) return false;
      if (!((a.dueToday && x.due_date === today) || (a.overdue && x.due_date < today))) return false;
    }
    if (code !== '' && (code.endsWith('*') ? !x.htmp_code.startsWith(code.slice(0, -1)) : x.htmp_code !== code)) return false;
    if (a.receivedFrom && (x.received_date === null || x.received_date < String(a.receivedFrom))) return false;
    if (a.receivedTo && (x.received_date === null || x.received_date > String(a.receivedTo))) return false;
    if (q !== '' && !foldQuery(`${x.iin} ${x.last_name} ${x.first_name} ${x.middle_name ?? ''}`).includes(q)) return false;
    return true;
  });
  if (a.sort === 'received_desc') out.sort((x, y) => (x.received_at < y.received_at ? 1 : x.received_at > y.received_at ? -1 : x.id < y.id ? -1 : 1));
  else {
    const key = (x: PeerRow) => x.due_date ?? '~';
    out.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : x.received_at < y.received_at ? -1 : x.received_at > y.received_at ? 1 : x.id < y.id ? -1 : 1));
  }
  const skip = typeof a.skip === 'number' ? a.skip : 0;
  return { ids: out.slice(skip, skip + Number(a.limit ?? 50)).map((x) => x.id), total: out.length };
}

// ---------------------------------------------------------------------------------------------

function dbSizeMb(dir: string): number {
  let n = 0;
  for (const f of ['htmp.sqlite', 'htmp.sqlite-wal']) if (fs.existsSync(path.join(dir, f))) n += fs.statSync(path.join(dir, f)).size;
  return n / 1024 / 1024;
}

function copyDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

interface Built {
  size: number;
  importS: number | null;
  decideS: number | null;
  decided: number | null;
  reused: boolean;
}

/** Grows `dir` to `size` cases (importing and deciding the next ones), or reuses a kept copy. */
async function grow(dir: string, size: number, have: number, keep: string | null): Promise<Built> {
  const kept = keep ? path.join(keep, String(size)) : null;
  if (kept && fs.existsSync(path.join(kept, 'htmp.sqlite'))) {
    copyDir(kept, dir);
    return { size, importS: null, decideS: null, decided: null, reused: true };
  }
  const core = await openBench(dir);
  try {
    if (have === 0) await setUpCommission(core);
    const files = benchCaseFiles(size, workCalendar());
    // The same seeded sequence at every size: skip the cases already stored.
    for (let i = 0; i < have; i++) files.next();
    let t0 = now();
    const imported = await importCases(core, { [Symbol.iterator]: () => files });
    const importS = (now() - t0) / 1000;
    t0 = now();
    const decided = await decideCases(core, imported.map((x) => x.id));
    const decideS = (now() - t0) / 1000;
    return { size, importS, decideS, decided, reused: false };
  } finally {
    core.close();
    if (kept) copyDir(dir, kept);
  }
}

/** Walks the register by pages of 500 to the row at `position`; returns the cursor after it. */
async function cursorAt(call: (m: string, a: unknown) => Promise<unknown>, position: number): Promise<{ after: string | null; skip: number }> {
  let after: string | null = null;
  let seen = 0;
  while (seen + 500 <= position) {
    const page = (await call('cases.list', { today: TODAY, limit: 500, withTotal: false, ...(after ? { after } : {}) })) as CaseList;
    if (page.next === null) break;
    after = page.next;
    seen += page.items.length;
  }
  return { after, skip: seen };
}

async function measureSize(dir: string, size: number): Promise<Map<string, { cpu: number; rss: number; signIn: number; first: number; firstCpu: number; p50: number; p95: number; max: number; matches: number | string; peer: number | null; same: string }>> {
  const results = new Map<string, { cpu: number; rss: number; signIn: number; first: number; firstCpu: number; p50: number; p95: number; max: number; matches: number | string; peer: number | null; same: string }>();
  // Values that depend on the data: the most frequent code, an IIN, a deep cursor.
  const ro = benchDatabase(dir, { readonly: true });
  const topCode = (ro.prepare('SELECT htmp_code AS c FROM cases GROUP BY htmp_code ORDER BY count(*) DESC LIMIT 1').get() as { c: string }).c;
  const someIin = (ro.prepare("SELECT p.iin FROM patients p JOIN cases c ON c.patient_id = p.id WHERE length(p.iin) = 12 ORDER BY c.id LIMIT 1 OFFSET ?").get(Math.floor(size / 3)) as { iin: string }).iin;
  const prefix = `${topCode.split('.')[0]}.*`;
  const host0 = await startHost(ROOT, dir);
  await host0.signIn();
  const mid = await cursorAt(host0.call, Math.floor(size / 2));
  await host0.stop();
  const scenarios: Scenario[] = [
    { name: 'register, first page (by due)', method: 'cases.list', args: {}, peer: {} },
    { name: `register, page at row ${mid.skip + 1}`, method: 'cases.list', args: mid.after ? { after: mid.after } : {}, peer: { skip: mid.skip } },
    { name: 'newest received first', method: 'cases.list', args: { sort: 'received_desc' }, peer: { sort: 'received_desc' } },
    { name: 'status = draft', method: 'cases.list', args: { status: 'draft' }, peer: { status: 'draft' } },
    { name: 'status = registered', method: 'cases.list', args: { status: 'registered' }, peer: { status: 'registered' } },
    { name: 'undecided (draft + registered)', method: 'cases.list', args: { status: ['draft', 'registered'] }, peer: { status: ['draft', 'registered'] } },
    { name: 'status = approved', method: 'cases.list', args: { status: 'approved' }, peer: { status: 'approved' } },
    { name: 'status = refused', method: 'cases.list', args: { status: 'refused' }, peer: { status: 'refused' } },
    { name: 'approved, newest first', method: 'cases.list', args: { status: 'approved', sort: 'received_desc' }, peer: { status: 'approved', sort: 'received_desc' } },
    { name: 'overdue', method: 'cases.list', args: { overdue: true }, peer: { overdue: true } },
    { name: 'due today', method: 'cases.list', args: { dueToday: true }, peer: { dueToday: true } },
    { name: `code ${topCode} (most frequent)`, method: 'cases.list', args: { code: topCode }, peer: { code: topCode } },
    { name: `code prefix ${prefix}`, method: 'cases.list', args: { code: prefix }, peer: { code: prefix } },
    { name: `code ${topCode} + received Q1 2026`, method: 'cases.list', args: { code: topCode, receivedFrom: '2026-01-01', receivedTo: '2026-03-31' }, peer: { code: topCode, receivedFrom: '2026-01-01', receivedTo: '2026-03-31' } },
    { name: 'received in May 2025', method: 'cases.list', args: { receivedFrom: '2025-05-01', receivedTo: '2025-05-31' }, peer: { receivedFrom: '2025-05-01', receivedTo: '2025-05-31' } },
    { name: 'name "ержан"', method: 'cases.list', args: { query: 'ержан' }, peer: { query: 'ержан' } },
    { name: 'name "нурпеис" (finds Нұрпейісова)', method: 'cases.list', args: { query: 'нурпеис' }, peer: { query: 'нурпеис' } },
    { name: 'two letters "ов"', method: 'cases.list', args: { query: 'ов' }, peer: { query: 'ов' } },
    { name: `IIN prefix "${someIin.slice(0, 6)}"`, method: 'cases.list', args: { query: someIin.slice(0, 6) }, peer: { query: someIin.slice(0, 6) } },
    { name: 'whole IIN', method: 'cases.list', args: { query: someIin }, peer: { query: someIin } },
    { name: 'undecided + code + name', method: 'cases.list', args: { status: ['draft', 'registered'], code: topCode, query: 'ов' }, peer: { status: ['draft', 'registered'], code: topCode, query: 'ов' } },
    { name: 'Today (due today, overdue, decided today)', method: 'cases.today', args: {}, peer: null },
    { name: 'refusal journal, year to date', method: 'cases.refusalJournal', args: { from: '2026-01-01', to: TODAY }, peer: null },
  ];
  for (const s of scenarios) {
    if (ONLY && !ONLY.test(s.name)) continue;
    const args = s.method === 'cases.refusalJournal' ? s.args : { ...s.args, today: TODAY, ...(s.method === 'cases.list' ? { limit: 50 } : {}) };
    // A fresh host for each query: its first call is a first query after start.
    const host = await startHost(ROOT, dir);
    // Sign-in (scrypt, opening the encrypted database, statistics, the register's own warm-up) is
    // not part of the query; its time is shown beside it (target: under 1 s).
    const s0 = now();
    await host.signIn();
    const signIn = now() - s0;
    if (FIRST_AFTER > 0) await new Promise((r) => setTimeout(r, FIRST_AFTER));
    const firstCpu0 = cpuMs(host.child.pid);
    let t0 = now();
    const firstResult = await host.call<unknown>(s.method, args);
    const first = now() - t0;
    const firstCpu = cpuMs(host.child.pid) - firstCpu0;
    const times: number[] = [];
    const cpu0 = cpuMs(host.child.pid);
    for (let i = 0; i < REPS; i++) {
      t0 = now();
      await host.call(s.method, args);
      times.push(now() - t0);
    }
    const cpu = (cpuMs(host.child.pid) - cpu0) / REPS;
    const rss = rssMb(host.child.pid);
    await host.stop();
    const ts = sorted(times);
    let matches: number | string = '';
    let peer: number | null = null;
    let same = '';
    if (s.method === 'cases.list') {
      const page = firstResult as CaseList;
      matches = page.total === null ? '' : `${page.totalAtLeast ? '>' : ''}${page.total}`;
      if (s.peer) {
        const peerArgs = { ...s.peer, today: TODAY, limit: 50 };
        const pt: number[] = [];
        let res = naiveList(ro, peerArgs);
        for (let i = 0; i < PEER_REPS; i++) {
          t0 = now();
          res = naiveList(ro, peerArgs);
          pt.push(now() - t0);
        }
        peer = percentile(sorted(pt), 50);
        const ids = page.items.map((x: CaseListItem) => x.id);
        // A capped total (one or two letters) must be a true lower bound.
        const totalOk = s.peer.skip !== undefined || (page.totalAtLeast ? page.total !== null && res.total > page.total : res.total === page.total);
        same = totalOk && ids.length === res.ids.length && ids.every((x, i) => x === res.ids[i]) ? 'yes' : 'NO';
      }
    } else if (s.method === 'cases.today') {
      const v = firstResult as { dueToday: unknown[]; overdue: unknown[]; decidedToday: unknown[] };
      matches = `${v.dueToday.length}+${v.overdue.length}+${v.decidedToday.length}`;
    } else matches = (firstResult as { items: unknown[] }).items.length;
    results.set(s.name, { cpu, rss, signIn, first, firstCpu, p50: percentile(ts, 50), p95: percentile(ts, 95), max: ts.at(-1)!, matches, peer, same });
  }
  ro.close();
  return results;
}

interface PacketTimes {
  pure: number[];
  validate: number[];
  get: number[];
  naiveMs: number;
  naiveCount: number;
  stored: number[];
  storedCount: number;
}

/** A case's packet as the pure rules take it, from its detail. */
function packetOf(d: CaseDetail): CaseInput {
  return {
    receivedAt: d.receivedAt,
    patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName, birthDate: d.patient.birthDate ?? '', sex: d.patient.sex ?? 'male' },
    htmpCode: d.htmpCode,
    urgency: d.urgency ?? 'planned',
    inpatient: d.inpatient,
    diagnosis: d.diagnosis,
    documents: d.documents.map((x) => ({ kind: x.kind, paper: x.paper, files: [], signatures: x.signatures, seal: x.seal, clinicalDiagnosis: x.clinicalDiagnosis ?? '', items: x.items })),
  } as CaseInput;
}

/**
 * Packet validation (issue 4): the pure rules on one case (`validatePacket`), a dry run through
 * the web host (`cases.validate`, which writes inside a transaction it rolls back), a case's
 * detail (`cases.get`: findings, due date, funding); and counting the incomplete packets the
 * naive way (every case's packet checked again in JavaScript) against the stored column (one
 * indexed count through `cases.list`).
 */
async function measurePacket(dir: string, reps: number): Promise<PacketTimes> {
  const core = await openBench(dir);
  try {
    const ids = core.db.prepare('SELECT id FROM cases ORDER BY id LIMIT ?').pluck().all(reps) as string[];
    const pctx = { catalogue: catalogueLookup(core.context), fileExists: () => true };
    const inputs: CaseInput[] = [];
    for (const id of ids) inputs.push(packetOf(await core.call('cases.get', { id })));
    const pure = inputs.map((x) => {
      const t0 = now();
      validatePacket(x, pctx);
      return now() - t0;
    });
    // Naive: every case's detail read and its packet checked again, to count the incomplete ones.
    const all = core.db.prepare('SELECT id FROM cases').pluck().all() as string[];
    let t0 = now();
    let naiveCount = 0;
    for (const id of all) if (!validatePacket(packetOf(await core.call('cases.get', { id })), pctx).complete) naiveCount++;
    const naiveMs = now() - t0;
    core.close();
    const host = await startHost(ROOT, dir);
    await host.signIn();
    const validate: number[] = [];
    const get: number[] = [];
    const stored: number[] = [];
    let storedCount = 0;
    try {
      for (const id of ids) {
        t0 = now();
        await host.call('cases.validate', { id, notes: 'бенчмарк' });
        validate.push(now() - t0);
        t0 = now();
        await host.call('cases.get', { id });
        get.push(now() - t0);
      }
      for (let i = 0; i < Math.min(reps, 30); i++) {
        t0 = now();
        // The stored column: the incomplete packets among the undecided cases, counted by the index.
        const page = await host.call<CaseList>('cases.list', { status: ['draft', 'registered'], limit: 1, today: TODAY });
        stored.push(now() - t0);
        storedCount = page.total ?? 0;
      }
    } finally {
      await host.stop();
    }
    return { pure: sorted(pure), validate: sorted(validate), get: sorted(get), naiveMs, naiveCount, stored: sorted(stored), storedCount };
  } finally {
    core.close();
  }
}

/** `htmp case list --json` of every case, through the real bin. */
function cliList(dir: string): { ms: number; rows: number } {
  const t0 = now();
  const r = spawnSync(process.execPath, [BIN, 'case', 'list', '--json', '--data-dir', dir], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, ...BENCH_ENV } });
  const ms = now() - t0;
  if (r.status !== 0) throw new Error(`case list failed: ${r.stderr}`);
  return { ms, rows: (JSON.parse(r.stdout) as { cases: unknown[] }).cases.length };
}

/** `htmp case import FILE.ndjson` of 10,000 case files into an empty folder, through the real bin. */
function cliImport(tmp: string, n: number): { ms: number; imported: number; progressLines: number } {
  const file = path.join(tmp, 'cases.ndjson');
  const fd = fs.openSync(file, 'w');
  for (const c of benchCaseFiles(n, workCalendar(), 101)) fs.writeSync(fd, `${JSON.stringify(c)}\n`);
  fs.closeSync(fd);
  const dir = path.join(tmp, 'import');
  const t0 = now();
  const r = spawnSync(process.execPath, [BIN, 'case', 'import', file, '--json', '--data-dir', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...BENCH_ENV } });
  const ms = now() - t0;
  if (r.status !== 0) throw new Error(`case import failed: ${r.stdout} ${r.stderr}`);
  return { ms, imported: (JSON.parse(r.stdout) as { imported: number }).imported, progressLines: r.stderr.split('\n').filter(Boolean).length };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-cases-'));
  const keep = values.data ? path.resolve(values.data) : null;
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const dataDir = path.join(tmp, 'data');
  console.log(`Node ${process.versions.node}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; today = ${TODAY}; ${REPS} calls per query after the first${FIRST_AFTER > 0 ? `; the first ${FIRST_AFTER} ms after sign-in` : ''}\n`);
  try {
    const all = new Map<number, Awaited<ReturnType<typeof measureSize>>>();
    const packets = new Map<number, PacketTimes>();
    const builds: (Built & { mb: number; list: { ms: number; rows: number } })[] = [];
    let have = 0;
    for (const size of SIZES) {
      // One size already built: measured where it is (a copy of a large folder costs minutes).
      const inPlace = SIZES.length === 1 && keep !== null && fs.existsSync(path.join(keep, String(size), 'htmp.sqlite'));
      const dir = inPlace ? path.join(keep, String(size)) : dataDir;
      const b: Built = inPlace ? { size, importS: null, decideS: null, decided: null, reused: true } : await grow(dir, size, have, keep);
      have = size;
      const list = ONLY ? { ms: NaN, rows: 0 } : cliList(dir);
      builds.push({ ...b, mb: dbSizeMb(dir), list });
      console.log(
        `${size} cases: ${b.reused ? `reused from ${keep}` : `imported +${size - (builds.at(-2)?.size ?? 0)} in ${b.importS!.toFixed(1)} s, decided ${b.decided} in ${b.decideS!.toFixed(1)} s`}; ` +
          `database ${dbSizeMb(dir).toFixed(0)} MB; htmp case list --json: ${list.rows} rows in ${fmt(list.ms)} ms`,
      );
      all.set(size, await measureSize(dir, size));
      if (!ONLY) packets.set(size, await measurePacket(dir, Math.min(REPS, 200)));
    }

    for (const size of SIZES) {
      const r = all.get(size)!;
      console.log(`\n${size} cases, through the web host (ms; first = first call after the host started)\n`);
      table([
        ['query (page of 50)', 'matches', 'sign-in', 'first', 'first CPU', 'p50', 'p95', 'max', 'host CPU/call', 'host RSS MB', 'naive p50', 'same page'],
        ...[...r].map(([name, x]) => [name, x.matches, fmt(x.signIn), fmt(x.first), Number.isNaN(x.firstCpu) ? '' : fmt(x.firstCpu), fmt(x.p50), fmt(x.p95), fmt(x.max), Number.isNaN(x.cpu) ? '' : fmt(x.cpu), Number.isNaN(x.rss) ? '' : x.rss.toFixed(0), x.peer === null ? '' : fmt(x.peer), x.same]),
      ]);
    }

    if (!ONLY) console.log('\nPacket validation (ms): pure rules in process; cases.validate and cases.get through the web host\n');
    if (!ONLY) table([
      ['cases', 'validatePacket p50', 'p95', 'cases.validate p50', 'p95', 'cases.get p50', 'p95', 'naive: re-check every packet', 'undecided by the stored columns p50'],
      ...SIZES.map((n) => {
        const x = packets.get(n)!;
        return [n, fmt(percentile(x.pure, 50)), fmt(percentile(x.pure, 95)), fmt(percentile(x.validate, 50)), fmt(percentile(x.validate, 95)), fmt(percentile(x.get, 50)), fmt(percentile(x.get, 95)), `${fmt(x.naiveMs)} (${x.naiveCount} incomplete)`, `${fmt(percentile(x.stored, 50))} (${x.storedCount})`];
      }),
    ]);

    if (SIZES.length > 1) {
      const lo = SIZES[0]!;
      const hi = SIZES.at(-1)!;
      console.log(`\nGrowth: p95 (and first call) per size, ms; growth = p95 at ${hi} / p95 at ${lo} (${hi / lo}x the cases)\n`);
      const names = [...all.get(hi)!.keys()];
      const loNames = [...all.get(lo)!.keys()];
      table([
        ['query', ...SIZES.map((s) => `p95 @${s}`), ...SIZES.map((s) => `first @${s}`), 'growth'],
        ...names.map((name, i) => {
          const per = SIZES.map((s) => [...all.get(s)!.values()][i]!);
          return [name.replace(/row \d+/, 'the middle'), ...per.map((x) => fmt(x.p95)), ...per.map((x) => fmt(x.first)), `${(per.at(-1)!.p95 / per[0]!.p95).toFixed(1)}x`];
        }),
      ]);
      void loNames;
      const worst = Math.max(...[...all.get(hi)!.values()].map((x) => Math.max(x.p95, x.first)));
      console.log(`\nTarget: every query < 20 ms p95 at ${hi} cases, first call included: worst ${fmt(worst)} ms — ${worst < 20 ? 'met' : 'NOT met'}`);
      console.log('\nhtmp case list --json (every case, real bin, pages by key):');
      table([['cases', 'ms', 'ms per 1,000 cases', 'database MB'], ...builds.map((b) => [b.size, fmt(b.list.ms), fmt((b.list.ms / b.size) * 1000), b.mb.toFixed(0)])]);
    }

    if (!values['skip-import']) {
      const imp = cliImport(tmp, 10_000);
      console.log(`\nhtmp case import of 10,000 case files (NDJSON, real bin, empty folder): ${(imp.ms / 1000).toFixed(1)} s, ${imp.imported} stored, ${imp.progressLines} progress lines on stderr — target < 30 s: ${imp.ms < 30_000 ? 'met' : 'NOT met'}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
