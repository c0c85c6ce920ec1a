/**
 * `npm run bench -- bundle`: export and import of a sync bundle carrying 10,000 cases with 2,000
 * attachments of 50 KB, beside Debian's `zip` / `unzip` of the same files in the same run.
 *
 * Data: GENERIC records, not the cases area's schema: a table `bench_case` (12 text/integer
 * columns, one insert each: 10,000 change_log rows of ~600 bytes) and `bench_file` (2,000 rows
 * naming an attachment by `file_sha256`), plus 2,000 random (incompressible, like scanned PDFs)
 * 50 KB files in the content-addressed file store. Everything goes through the Store, so the
 * change log is what a real export reads.
 *
 * Measured: wall time and peak RSS (sampled every 5 ms) of `exportSync` (to a .htmp file) and of
 * `importSync` on a second data folder (verify all hashes, copy attachments, one transaction);
 * then `zip -q -r` of the same records file + attachments and `unzip -q` of it.
 * Targets: export < 5 s, import < 10 s, peak < 300 MB.
 *
 * Options: --cases N (default 10000), --files N (default 2000), --size BYTES (default 51200).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CoreContext } from '../../electron/core/context';
import type { Core } from '../../electron/core/core';
import { runJob } from '../../electron/core/exchange/jobs';
import { exportSync, importSync } from '../../electron/core/exchange/sync';
import { openTrusted } from '../../electron/core/exchange/trust';
import { putStoredFile } from '../../electron/core/files';
import { Store } from '../../electron/core/store';
import { userTables } from '../../electron/core/tables';
import { benchCore, peakRss, table } from './_util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, files: { type: 'string' }, size: { type: 'string' } } });
const N = Number(values.cases ?? 10_000);
const F = Number(values.files ?? 2_000);
const SIZE = Number(values.size ?? 50 * 1024);

const DDL = `
  CREATE TABLE bench_case (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    surname TEXT, given_name TEXT, iin TEXT, birth_date TEXT, region TEXT, htmp_code TEXT, diagnosis TEXT,
    received_on TEXT, due_on TEXT, status TEXT, notes TEXT, priority INTEGER) STRICT;
  CREATE TABLE bench_file (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, case_id TEXT, name TEXT, file_sha256 TEXT) STRICT;`;
const TABLES = [
  { name: 'bench_case', columns: ['surname', 'given_name', 'iin', 'birth_date', 'region', 'htmp_code', 'diagnosis', 'received_on', 'due_on', 'status', 'notes', 'priority'] },
  { name: 'bench_file', columns: ['case_id', 'name', 'file_sha256'] },
];

function open(dir: string): { core: Core; ctx: CoreContext } {
  const core = benchCore(dir);
  core.db.exec(DDL);
  return { core, ctx: { ...core.context, store: new Store(core.db, core.installationId, [...userTables, ...TABLES]) } };
}

const mb = (n: number): string => (n / 1024 / 1024).toFixed(0);
const s = (ms: number): string => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-bundle-'));
  try {
    const A = open(path.join(tmp, 'a'));
    const surnames = ['Иванов', 'Сейтқали', 'Әлиев', 'Петрова', 'Нұрланов', 'Ким', 'Омаров', 'Жұмабаева'];
    const ids: string[] = [];
    A.ctx.store.transaction(() => {
      for (let i = 0; i < N; i++) {
        const row = A.ctx.store.insert('bench_case', {
          surname: surnames[i % surnames.length]!,
          given_name: `Имя ${i}`,
          iin: String(900101300000 + i).padStart(12, '0'),
          birth_date: '1990-01-01',
          region: 'abai',
          htmp_code: `35.${(i % 90) + 10}`,
          diagnosis: 'I35.0 Аортальный (клапанный) стеноз',
          received_on: '2026-03-02',
          due_on: '2026-03-04',
          status: i % 3 === 0 ? 'approved' : 'review',
          notes: 'Пакет документов полный; выписка подписана; консультация кардиохирурга приложена.',
          priority: i % 5,
        });
        ids.push(String(row.id));
      }
    });
    const hashes: string[] = [];
    for (let i = 0; i < F; i++) {
      const buf = randomBytes(SIZE);
      hashes.push(putStoredFile(A.ctx.dataDir, buf).sha256);
    }
    A.ctx.store.transaction(() => {
      for (let i = 0; i < F; i++) A.ctx.store.insert('bench_file', { case_id: ids[i % ids.length]!, name: `scan-${i}.pdf`, file_sha256: hashes[i]! });
    });
    const B = open(path.join(tmp, 'b'));
    const ia = { installationId: A.core.installationId, publicKey: (await A.core.call('exchange.identity', {})).publicKey };
    await B.core.call('exchange.trustPeer', { ...ia, name: 'A' });
    const file = path.join(tmp, 'sync.htmp');
    console.log(`data: ${N} generic case records + ${F} file records (${N + F} change_log rows), ${F} attachments x ${SIZE} B = ${mb(F * SIZE)} MB`);

    (globalThis as { gc?: () => void }).gc?.();
    let t0 = performance.now();
    const exp = await peakRss(() => runJob(A.ctx, 'bench', undefined, (job) => exportSync(A.ctx, { file, job })));
    const exportMs = performance.now() - t0;

    (globalThis as { gc?: () => void }).gc?.();
    t0 = performance.now();
    const imp = await peakRss(() =>
      runJob(B.ctx, 'bench', undefined, async (job) => {
        const opened = await openTrusted(B.ctx, file, {});
        try {
          return await importSync(B.ctx, opened, { dryRun: false, job });
        } finally {
          await opened.reader.close();
        }
      }),
    );
    const importMs = performance.now() - t0;
    if (imp.value.imported !== N + F) throw new Error(`imported ${imp.value.imported}, expected ${N + F}`);

    // The same content for zip/unzip: the change records as a file + the attachments.
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(path.join(plain, 'records'), { recursive: true });
    const rows = A.core.db.prepare('SELECT * FROM change_log ORDER BY seq').all();
    fs.writeFileSync(path.join(plain, 'records', 'changes.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    fs.cpSync(path.join(A.ctx.dataDir, 'files'), path.join(plain, 'files'), { recursive: true });
    t0 = performance.now();
    const z = spawnSync('zip', ['-q', '-r', path.join(tmp, 'plain.zip'), 'records', 'files'], { cwd: plain });
    const zipMs = performance.now() - t0;
    t0 = performance.now();
    const u = spawnSync('unzip', ['-q', path.join(tmp, 'plain.zip'), '-d', path.join(tmp, 'unzipped')]);
    const unzipMs = performance.now() - t0;
    const zipOk = z.status === 0 && u.status === 0;

    table([
      ['step', 'time s', 'peak RSS MB', 'target', 'size MB', 'result'],
      ['htmp export (sync bundle)', s(exportMs), exp.peakMb.toFixed(0), '< 5 s, < 300 MB', mb(exp.value.bytes), exportMs < 5000 && exp.peakMb < 300 ? 'OK' : 'MISSED'],
      ['htmp import (verify + files + 1 transaction)', s(importMs), imp.peakMb.toFixed(0), '< 10 s, < 300 MB', '', importMs < 10000 && imp.peakMb < 300 ? 'OK' : 'MISSED'],
      ['Debian zip -r (same files)', s(zipMs), '(separate process)', '', zipOk ? mb(fs.statSync(path.join(tmp, 'plain.zip')).size) : '-', zipOk ? 'peer' : 'zip/unzip failed'],
      ['Debian unzip (same files)', s(unzipMs), '(separate process)', '', '', zipOk ? 'peer' : '-'],
    ]);
    console.log(`export: ${exp.value.records} records, ${exp.value.attachments} attachments; import: ${imp.value.imported} imported, ${imp.value.attachments} files copied`);
    A.core.close();
    B.core.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
