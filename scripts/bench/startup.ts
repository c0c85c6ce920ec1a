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
 *   with a count of cases). Target: under 2x the bare server.
 *
 * A data folder with 1,000 real cases (imported and decided through the app) is used for both.
 * Options: --runs N (default 15); --skip-cli (the web host only).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { workCalendar } from '../../electron/core/cases/calendar';
import { createCore } from '../../electron/core/core';
import { benchCaseFiles, decideCases, importCases, setUpCommission } from './_cases';
import { now } from './_host';
import { fmt, percentile, table } from './_util';

const { values } = parseArgs({ options: { runs: { type: 'string' }, 'skip-cli': { type: 'boolean' } } });
const RUNS = Number(values.runs ?? 15);
const ROOT = process.env.HTMP_APP_ROOT ?? process.cwd();
const BIN = path.join(ROOT, 'bin', 'htmp.cjs');
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Wall and CPU (user + system of the child) milliseconds of one run. */
function run(args: string[]): { wall: number; cpu: number; status: number | null; stderr: string } {
  // CPU time of the child: /usr/bin/time would add a process; Node reports children's rusage via
  // process.resourceUsage() only for itself, so read it from the shell's `times` builtin instead.
  const t0 = now();
  const r = spawnSync('/bin/sh', ['-c', `"$0" "$@" >/dev/null 2>/tmp/htmp-bench-startup.err; s=$?; times; exit $s`, process.execPath, ...args], { encoding: 'utf8' });
  const wall = now() - t0;
  // `times` prints two lines: the shell's user/sys, then its children's ("0m0.041s 0m0.012s").
  const lines = (r.stdout ?? '').trim().split('\n');
  const child = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines.at(-1) ?? '');
  const cpu = child ? (Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000 : NaN;
  const stderr = fs.existsSync('/tmp/htmp-bench-startup.err') ? fs.readFileSync('/tmp/htmp-bench-startup.err', 'utf8') : '';
  return { wall, cpu, status: r.status, stderr };
}

/** Spawns a server, calls it until it answers; milliseconds from spawn to the first answer. */
async function firstAnswer(cmd: string[], method: string, token: string): Promise<number> {
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
    await new Promise<void>((resolve, reject) => {
      const body = Buffer.from('{}');
      const req = http.request(
        { host: '127.0.0.1', port, path: `/api/${method}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Htmp-Token': token, Host: `127.0.0.1:${port}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ((JSON.parse(Buffer.concat(chunks).toString()) as { ok: boolean }).ok ? resolve() : reject(new Error(Buffer.concat(chunks).toString()))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    return now() - t0;
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
const db = new Database(process.argv[2] + '/htmp.sqlite');
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
    const core = createCore({ dataDir: data, host: 'cli' });
    await setUpCommission(core);
    const ids = await importCases(core, benchCaseFiles(1000, workCalendar()));
    await decideCases(core, ids.map((x) => x.id));
    const someId = ids[500]!.id;
    const iin = (core.db.prepare("SELECT p.iin FROM patients p JOIN cases c ON c.patient_id = p.id WHERE c.id = ?").get(someId) as { iin: string }).iin;
    core.close();
    const bare = path.join(tmp, 'bare.cjs');
    fs.writeFileSync(bare, BARE_SERVER);

    const d = ['--data-dir', data];
    const commands: { name: string; args: string[] }[] = [
      { name: 'node -e 0 (peer)', args: ['-e', '0'] },
      { name: 'htmp --help', args: [BIN, '--help'] },
      { name: 'htmp iin check IIN --json', args: [BIN, 'iin', 'check', iin, '--json'] },
      { name: 'htmp deadline --json', args: [BIN, 'deadline', '--from', '2026-03-20T16:30', '--working-days', '2', '--json', ...d] },
      { name: 'htmp db info --json', args: [BIN, 'db', 'info', '--json', ...d] },
      { name: 'htmp settings show --json', args: [BIN, 'settings', 'show', '--json', ...d] },
      { name: 'htmp catalogue search журек --json', args: [BIN, 'catalogue', 'search', 'журек', '--json', ...d] },
      { name: 'htmp case list --status draft --json', args: [BIN, 'case', 'list', '--status', 'draft', '--json', ...d] },
      { name: 'htmp case show ID --json', args: [BIN, 'case', 'show', someId, '--json', ...d] },
      { name: 'htmp score … --json', args: [BIN, 'score', '--innovation-years', '3', '--resource', '2', '--uniqueness', '3', '--complexity', '2', '--json'] },
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
      console.log(`\nNode ${process.versions.node}, ${os.cpus().length} CPU, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${RUNS} interleaved runs each\n`);
      const rows = commands.map((c, k) => {
        const w = median(times[k]!.wall);
        const u = median(times[k]!.cpu);
        return [c.name, fmt(w), `${(w / base.wall).toFixed(2)}x`, fmt(u), `${(u / base.cpu).toFixed(2)}x`];
      });
      table([['command', 'wall p50 ms', 'vs node -e 0', 'CPU p50 ms', 'vs node -e 0'], ...rows]);
      const worst = Math.max(...commands.slice(1).map((_, k) => median(times[k + 1]!.wall) / base.wall));
      console.log(`\nTarget: every command < 2.5x node -e 0 (wall): worst ${worst.toFixed(2)}x — ${worst < 2.5 ? 'met' : 'NOT met'}`);
    }

    // Web host to its first API answer, beside the bare server, interleaved.
    const hostTimes: number[] = [];
    const bareTimes: number[] = [];
    await firstAnswer([bare, data], 'count', 'bare');
    for (let i = 0; i < Math.max(5, Math.floor(RUNS / 2)); i++) {
      bareTimes.push(await firstAnswer([bare, data], 'count', 'bare'));
      hostTimes.push(await firstAnswer([path.join(ROOT, 'dist', 'electron', 'host.cjs'), '--data-dir', data, '--port', '0', '--token', 'host-token'], 'cases.today', 'host-token'));
    }
    const h = median(hostTimes);
    const b = median(bareTimes);
    console.log(`\nWeb host: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${hostTimes.length} interleaved starts each\n`);
    table([
      ['server (spawn to first API answer)', 'p50 ms', 'vs bare'],
      ['bare node + better-sqlite3 + http (peer)', fmt(b), '1.00x'],
      ['htmp web host, cases.today', fmt(h), `${(h / b).toFixed(2)}x`],
    ]);
    console.log(`\nTarget: web host < 2x the bare server: ${(h / b).toFixed(2)}x — ${h / b < 2 ? 'met' : 'NOT met'}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
