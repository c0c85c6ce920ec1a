/**
 * `npm run bench -- startup`: how long a command of the real `htmp` bin takes, and how long the
 * web host takes to give its first API answer, each beside its peer measured in the same run.
 *
 * - CLI: `node bin/htmp.cjs <command>` (the bin as installed: it checks that its bundle is up to
 *   date, then runs it) for commands that need no signed-in user, against `node -e 0` (Node's own
 *   start). Runs are interleaved (one of each in turn), so load changes hit all alike; medians of
 *   wall time and of CPU time (user + system, less sensitive to other processes on the machine).
 *   Target: every command under 2.5x `node -e 0`.
 * - Web host: spawn `node dist/electron/host.cjs` and call `cases.today` until it answers, against
 *   a bare server (node + better-sqlite3 + http: opens the same database, answers the same POST
 *   with a count of cases). Target: under 2x the bare server. The CPU time (user + system, from
 *   /proc) each server used until its first answer is shown beside the wall time.
 *
 * A data folder with 1,000 real cases (imported and decided through the app) is used for both.
 * Options: --runs N (default 15); --skip-cli (the web host only); --compare DIR: also start the
 * web host of another build (DIR/host.cjs, e.g. a copy of main's dist/electron inside this
 * checkout's dist/ so that it finds node_modules), interleaved with this one: before/after on the
 * same data and the same load.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { workCalendar } from '../../electron/core/cases/calendar';
import { benchCaseFiles, decideCases, importCases, setUpCommission } from './_cases';
import { now } from './_host';
import { BENCH_ENV, BENCH_USER, fmt, openBench, percentile, plainCopy, table } from './_util';

const { values } = parseArgs({ options: { runs: { type: 'string' }, 'skip-cli': { type: 'boolean' }, compare: { type: 'string' } } });
const RUNS = Number(values.runs ?? 15);
const ROOT = process.env.HTMP_APP_ROOT ?? process.cwd();
const BIN = path.join(ROOT, 'bin', 'htmp.cjs');
// The sign-in's own cost, as a peer: scrypt with the production parameters (PRODUCTION_KDF).
const SCRYPT = "require('node:crypto').scryptSync('benchmark passphrase', Buffer.alloc(16), 32, { N: 65536, r: 8, p: 1, maxmem: 268435456 })";
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Wall and CPU (user + system of the child) milliseconds of one run. */
function run(args: string[]): { wall: number; cpu: number; status: number | null; stderr: string } {
  // CPU time of the child: /usr/bin/time would add a process; Node reports children's rusage via
  // process.resourceUsage() only for itself, so read it from the shell's `times` builtin instead.
  const t0 = now();
  const r = spawnSync('/bin/sh', ['-c', `"$0" "$@" >/dev/null 2>/tmp/htmp-bench-startup.err; s=$?; times; exit $s`, process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, ...BENCH_ENV } });
  const wall = now() - t0;
  // `times` prints two lines: the shell's user/sys, then its children's ("0m0.041s 0m0.012s").
  const lines = (r.stdout ?? '').trim().split('\n');
  const child = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines.at(-1) ?? '');
  const cpu = child ? (Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000 : NaN;
  const stderr = fs.existsSync('/tmp/htmp-bench-startup.err') ? fs.readFileSync('/tmp/htmp-bench-startup.err', 'utf8') : '';
  return { wall, cpu, status: r.status, stderr };
}

/**
 * Spawns a server and makes its calls in turn (the session cookie kept, as the page does);
 * milliseconds from spawn to each answer.
 */
/** CPU milliseconds (user + system) a living process has used so far (/proc; 10 ms ticks). */
function processCpu(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Milliseconds from spawn to each answer; `cpu`: the server's CPU milliseconds at its first answer. */
async function firstAnswer(cmd: string[], calls: { method: string; args?: unknown }[], token: string): Promise<number[] & { cpu?: number }> {
  const t0 = now();
  const child = spawn(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m?.[1]) resolve(Number(m[1]));
      });
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    let cookie = '';
    const times: number[] & { cpu?: number } = [];
    for (const c of calls) {
      await new Promise<void>((resolve, reject) => {
        const body = Buffer.from(JSON.stringify(c.args ?? {}));
        const req = http.request(
          { host: '127.0.0.1', port, path: `/api/${c.method}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Htmp-Token': token, Host: `127.0.0.1:${port}`, ...(cookie ? { Cookie: cookie } : {}) } },
          (res) => {
            const set = res.headers['set-cookie']?.[0];
            if (set) cookie = set.split(';')[0]!;
            const chunks: Buffer[] = [];
            res.on('data', (x: Buffer) => chunks.push(x));
            res.on('end', () => ((JSON.parse(Buffer.concat(chunks).toString()) as { ok: boolean }).ok ? resolve() : reject(new Error(Buffer.concat(chunks).toString()))));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      times.push(now() - t0);
      times.cpu ??= processCpu(child.pid);
    }
    return times;
  } finally {
    // A child that already exited (a server that failed) sends no second 'exit'.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/** The peer of the web host: node + better-sqlite3 + http, answering one query on the same database. */
const BARE_SERVER = `
const http = require('node:http');
const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
const count = db.prepare('SELECT count(*) AS n FROM cases');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.headers['x-htmp-token'] !== 'bare') { res.writeHead(401); return res.end(); }
    const body = JSON.stringify({ ok: true, value: count.get() });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port + '/'));
`;

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-startup-'));
  const data = path.join(tmp, 'data');
  try {
    const core = await openBench(data);
    await setUpCommission(core);
    const ids = await importCases(core, benchCaseFiles(1000, workCalendar()));
    await decideCases(core, ids.map((x) => x.id));
    const someId = ids[500]!.id;
    const iin = (core.db.prepare("SELECT p.iin FROM patients p JOIN cases c ON c.patient_id = p.id WHERE c.id = ?").get(someId) as { iin: string }).iin;
    // The bare server's database: a plain copy of the same data (it has no key to open ours).
    const plainDb = path.join(tmp, 'plain.sqlite');
    core.close();
    plainCopy(data, plainDb);
    const bare = path.join(tmp, 'bare.cjs');
    fs.writeFileSync(bare, BARE_SERVER);

    const d = ['--data-dir', data];
    // key: the command opens the encrypted database, so it signs in (scrypt) first.
    const commands: { name: string; args: string[]; key: boolean }[] = [
      { name: 'node -e 0 (peer)', args: ['-e', '0'], key: false },
      // The sign-in's deliberate cost: scrypt of the passphrase with the production parameters.
      { name: 'node + scrypt N=2^16 (peer of signed-in)', args: ['-e', SCRYPT], key: false },
      { name: 'htmp --version', args: [BIN, '--version'], key: false },
      { name: 'htmp --help', args: [BIN, '--help'], key: false },
      { name: 'htmp iin check IIN --json', args: [BIN, 'iin', 'check', iin, '--json'], key: false },
      { name: 'htmp score … --json', args: [BIN, 'score', '--innovation-years', '3', '--resource', '2', '--uniqueness', '3', '--complexity', '2', '--json'], key: false },
      { name: 'htmp deadline --json', args: [BIN, 'deadline', '--from', '2026-03-20T16:30', '--working-days', '2', '--json', ...d], key: true },
      { name: 'htmp db info --json', args: [BIN, 'db', 'info', '--json', ...d], key: true },
      { name: 'htmp settings show --json', args: [BIN, 'settings', 'show', '--json', ...d], key: true },
      { name: 'htmp catalogue search журек --json', args: [BIN, 'catalogue', 'search', 'журек', '--json', ...d], key: true },
      { name: 'htmp case list --status draft --json', args: [BIN, 'case', 'list', '--status', 'draft', '--json', ...d], key: true },
      { name: 'htmp case list --json (1,000 cases)', args: [BIN, 'case', 'list', '--json', ...d], key: true },
      { name: 'htmp case show ID --json', args: [BIN, 'case', 'show', someId, '--json', ...d], key: true },
    ];
    if (!values['skip-cli']) {
      // Warm the file cache and the bin's own checks once.
      for (const c of commands) {
        const r = run(c.args);
        if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
      }
      const times = commands.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
      for (let i = 0; i < RUNS; i++) {
        commands.forEach((c, k) => {
          const r = run(c.args);
          times[k]!.wall.push(r.wall);
          times[k]!.cpu.push(r.cpu);
        });
      }
      const base = { wall: median(times[0]!.wall), cpu: median(times[0]!.cpu) };
      const signIn = { wall: median(times[1]!.wall), cpu: median(times[1]!.cpu) };
      console.log(`\nNode ${process.versions.node}, ${os.cpus().length} CPU, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${RUNS} interleaved runs each`);
      console.log('key = the command opens the encrypted database and signs in first (HTMP_USER/HTMP_PASSPHRASE: scrypt N=2^16, r=8);');
      console.log('"like with like" compares such a command with node + the same scrypt, the others with node -e 0\n');
      const rows = commands.map((c, k) => {
        const w = median(times[k]!.wall);
        const u = median(times[k]!.cpu);
        const peer = c.key ? signIn : base;
        return [c.name, c.key ? 'yes' : '', fmt(w), `${(w / base.wall).toFixed(2)}x`, k < 2 ? '' : `${(w / peer.wall).toFixed(2)}x`, fmt(u), `${(u / base.cpu).toFixed(2)}x`, k < 2 ? '' : `${(u / peer.cpu).toFixed(2)}x`];
      });
      table([['command', 'key', 'wall p50 ms', 'vs node -e 0', 'like with like', 'CPU p50 ms', 'vs node -e 0', 'CPU like with like'], ...rows]);
      const ratio = (k: number, peer: { wall: number }) => median(times[k]!.wall) / peer.wall;
      const noKey = commands.map((c, k) => ({ c, k })).filter((x) => x.k >= 2 && !x.c.key);
      const withKey = commands.map((c, k) => ({ c, k })).filter((x) => x.c.key);
      const worstNoKey = Math.max(...noKey.map((x) => ratio(x.k, base)));
      const worstKeyLike = Math.max(...withKey.map((x) => ratio(x.k, signIn)));
      const worstKeyRaw = Math.max(...withKey.map((x) => ratio(x.k, base)));
      console.log(`\nTarget: every command < 2.5x node -e 0 (wall). Without the key: worst ${worstNoKey.toFixed(2)}x — ${worstNoKey < 2.5 ? 'met' : 'NOT met'}.`);
      console.log(`With the key (signs in): worst ${worstKeyLike.toFixed(2)}x node + scrypt (like with like) — ${worstKeyLike < 2.5 ? 'met' : 'NOT met'}; ${worstKeyRaw.toFixed(2)}x node -e 0 counting the sign-in's scrypt (${fmt(signIn.wall - base.wall)} ms of it).`);
    }

    // Web host to its first API answer, beside the bare server, interleaved. The page's first
    // call needs no key (auth.status); its first data needs a sign-in (scrypt, then opening the
    // encrypted database): both reported, the sign-in apart.
    const HOST = [path.join(ROOT, 'dist', 'electron', 'host.cjs'), '--data-dir', data, '--port', '0', '--token', 'host-token'];
    const calls = [{ method: 'auth.status' }, { method: 'auth.signIn', args: { login: BENCH_USER.login, passphrase: BENCH_USER.passphrase } }, { method: 'cases.today' }];
    const hostTimes: number[][] = [];
    const bareTimes: number[] = [];
    const bareCpu: number[] = [];
    const hostCpu: number[] = [];
    const OTHER = values.compare ? [path.resolve(values.compare, 'host.cjs'), ...HOST.slice(1)] : null;
    const otherTimes: number[] = [];
    const otherCpu: number[] = [];
    if (OTHER) await firstAnswer(OTHER, calls.slice(0, 1), 'host-token');
    await firstAnswer(HOST, calls.slice(0, 1), 'host-token');
    await firstAnswer([bare, plainDb], [{ method: 'count' }], 'bare');
    for (let i = 0; i < Math.max(5, Math.floor(RUNS / 2)); i++) {
      const bt = await firstAnswer([bare, plainDb], [{ method: 'count' }], 'bare');
      bareTimes.push(bt[0]!);
      bareCpu.push(bt.cpu ?? NaN);
      const ht = await firstAnswer(HOST, calls, 'host-token');
      hostTimes.push(ht);
      hostCpu.push(ht.cpu ?? NaN);
      if (OTHER) {
        const ot = await firstAnswer(OTHER, calls.slice(0, 1), 'host-token');
        otherTimes.push(ot[0]!);
        otherCpu.push(ot.cpu ?? NaN);
      }
    }
    const b = median(bareTimes);
    const bc = median(bareCpu);
    const hc = median(hostCpu);
    const first = median(hostTimes.map((x) => x[0]!));
    const signed = median(hostTimes.map((x) => x[1]!));
    const today = median(hostTimes.map((x) => x[2]!));
    const signInOnly = median(hostTimes.map((x) => x[1]! - x[0]!));
    console.log(`\nWeb host: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${hostTimes.length} interleaved starts each\n`);
    table([
      ['server (spawn to the answer)', 'p50 ms', 'vs bare', 'CPU p50 ms', 'CPU vs bare'],
      ['bare node + better-sqlite3 + http, a count (peer; plain copy)', fmt(b), '1.00x', fmt(bc), '1.00x'],
      ['htmp web host, first answer (auth.status)', fmt(first), `${(first / b).toFixed(2)}x`, fmt(hc), `${(hc / bc).toFixed(2)}x`],
      ...(OTHER ? [[`the other build (--compare ${values.compare}), first answer`, fmt(median(otherTimes)), `${(median(otherTimes) / b).toFixed(2)}x`, fmt(median(otherCpu)), `${(median(otherCpu) / bc).toFixed(2)}x`]] : []),
      ['htmp web host, signed in (auth.signIn answered)', fmt(signed), `${(signed / b).toFixed(2)}x`, '', ''],
      ['htmp web host, first data (cases.today after sign-in)', fmt(today), `${(today / b).toFixed(2)}x`, '', ''],
    ]);
    console.log(`\nsign-in through the host (scrypt + opening the encrypted database + statistics): p50 ${fmt(signInOnly)} ms`);
    console.log(`Target: web host < 2x the bare server: first answer ${(first / b).toFixed(2)}x — ${first / b < 2 ? 'met' : 'NOT met'} (in CPU ${(hc / bc).toFixed(2)}x); first data without the sign-in ${((today - signInOnly) / b).toFixed(2)}x`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
