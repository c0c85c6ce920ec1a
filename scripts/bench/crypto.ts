/**
 * `npm run bench -- crypto [--cases N] [--files N]`: what encryption at rest costs (issue 10).
 *
 * Two installations made by the app's own code in the same run, one encrypted (the product) and
 * one plain (`insecurePlaintext`, the baseline, never used by a host), each signed in with the
 * production scrypt. The same cases (with a scanned file each) go into both; then the same
 * operations are timed on both, warm with warm: the case list, a text search, saving a case,
 * reading a file, a backup and its restore. Sign-in is timed on the encrypted one (target < 1 s);
 * the overhead target is < 25 %.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../electron/core/core';
import { iinCheckDigit } from '../../shared/domain/iin';
import { fmt, percentile, rng, table, timeEach } from './_util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, files: { type: 'string' } }, strict: false });
const N = Number(values.cases ?? 1000);
const FILES = Number(values.files ?? 200);
const REPS = 30;
const PASS = 'benchmark passphrase';

const LAST = ['Абаев', 'Жұмабекова', 'Иванова', 'Сейтқали', 'Нұрланов', 'Ким', 'Омарова', 'Петров'];
const FIRST = ['Ерлан', 'Айгүл', 'Дина', 'Марат', 'Асель', 'Олег'];

function iin(i: number): string {
  for (let s = i; ; s++) {
    const first = `8${(i % 10)}0${(i % 9) + 1}1${(i % 2) + 1}3${String(s % 10000).padStart(4, '0')}`;
    const d = iinCheckDigit(first);
    if (d !== null) return first + d;
  }
}

async function seed(core: Core, random: () => number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const r = await core.call('cases.save', {
      patient: { iin: iin(i), lastName: `${LAST[Math.floor(random() * LAST.length)]}${i}`, firstName: FIRST[i % FIRST.length]!, birthDate: '1980-05-12' },
      receivedAt: `2026-0${1 + (i % 9)}-1${i % 10}T10:00`,
      htmpCode: '00.50',
      diagnosis: { icd10: 'I42.0', text: `Дилатациялық кардиомиопатия ${i}` },
    });
    ids.push(r.id);
  }
  const content = randomBytes(300 * 1024);
  for (let i = 0; i < FILES; i++) {
    content.writeUInt32BE(i, 0);
    await core.call('cases.attachFile', { caseId: ids[i % ids.length]!, kind: 'other', name: `scan${i}.pdf`, mime: 'application/pdf', contentBase64: content.toString('base64') });
  }
  return ids;
}

async function timeAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

interface Run {
  list: number[];
  search: number[];
  save: number[];
  file: number[];
  backup: number;
  restore: number;
  signIn: number;
  seedMs: number;
}

async function run(plaintext: boolean): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `htmp-bench-crypto-${plaintext ? 'plain' : 'enc'}-`));
  const raw = createCore({ dataDir: dir, host: 'cli', ...(plaintext ? { insecurePlaintext: true } : {}) });
  const { recoveryKey } = raw.security.setupSync({ login: 'bench', displayName: 'Bench', passphrase: PASS }, { channel: 'local' });
  const t0 = Date.now();
  const s = await raw.call('auth.signIn', { login: 'bench', passphrase: PASS });
  const signIn = Date.now() - t0;
  const core = raw.as({ channel: 'local', sessionId: s.sessionId! });
  const seedStart = Date.now();
  const ids = await seed(core, rng(7));
  const seedMs = Date.now() - seedStart;
  const fileIds = (core.db.prepare('SELECT id FROM document_files').all() as { id: string }[]).map((r) => r.id);
  // Warm both the same way.
  await core.call('cases.list', {});
  const list = await timeAsync(REPS, () => core.call('cases.list', {}));
  const search = await timeAsync(REPS, (i) => core.call('cases.list', { query: LAST[i % LAST.length]!.slice(0, 4) }));
  const save = await timeAsync(REPS, async (i) => {
    const id = ids[(i * 37) % ids.length]!;
    const d = await core.call('cases.get', { id });
    return core.call('cases.save', { id, expectedUpdatedAt: d.updatedAt, notes: `note ${i}` });
  });
  const file = await timeAsync(REPS, (i) => core.call('cases.fileContent', { fileId: fileIds[i % fileIds.length]! }));
  const out = path.join(dir, '..', `bench-backup-${plaintext ? 'plain' : 'enc'}-${Date.now()}.htmp`);
  let t = Date.now();
  await core.call('exchange.backup', { out });
  const backup = Date.now() - t;
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-restore-'));
  t = Date.now();
  // The product restores with the recovery key; the plain baseline needs none (same steps otherwise).
  await core.call('exchange.restore', { file: out, dataDir: path.join(target, 'r'), ...(plaintext ? {} : { recoveryKey }) });
  const restore = Date.now() - t;
  raw.close();
  fs.rmSync(out, { force: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  return { list, search, save, file, backup, restore, signIn, seedMs };
}

async function main(): Promise<void> {
  console.log(`crypto: ${N} cases, ${FILES} files of 300 KiB, ${REPS} repetitions; production scrypt`);
  const plain = await run(true);
  const enc = await run(false);
  const pct = (a: number, b: number): string => `${(((b - a) / a) * 100).toFixed(0)} %`;
  const p50 = (x: number[]) => percentile(x, 50);
  const rows: (string | number)[][] = [['operation', 'plain', 'encrypted', 'overhead']];
  for (const [name, a, b] of [
    ['case list (first page), p50 ms', p50(plain.list), p50(enc.list)],
    ['search by name, p50 ms', p50(plain.search), p50(enc.search)],
    ['case open + save, p50 ms', p50(plain.save), p50(enc.save)],
    ['file read (300 KiB), p50 ms', p50(plain.file), p50(enc.file)],
    [`seed ${N} cases + ${FILES} files, ms`, plain.seedMs, enc.seedMs],
    ['backup (verified), ms', plain.backup, enc.backup],
    ['restore (checked, migrated), ms', plain.restore, enc.restore],
  ] as [string, number, number][]) rows.push([name, fmt(a), fmt(b), pct(a, b)]);
  rows.push(['sign-in (scrypt N=2^16), ms', fmt(plain.signIn), fmt(enc.signIn), '—']);
  table(rows);
  console.log(`\nsign-in ${enc.signIn} ms (target < 1000 ms): ${enc.signIn < 1000 ? 'met' : 'NOT met'}`);
}

void main();
