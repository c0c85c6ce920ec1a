/** A process killed (SIGKILL) inside an import transaction, with pages already in the WAL, leaves the database consistent. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync } from '../../../electron/core/exchange/sync';
import { rawDatabase, tempDir } from '../../support/temp';
import { call, closeAll, fingerprintOf, job, knows, laptop, reopenLaptop } from './exchange-helpers';

afterEach(closeAll);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

describe('import killed with SIGKILL', () => {
  it('leaves integrity_check ok and no partial import', async () => {
    const a = laptop();
    const bDir = tempDir('htmp-kill-');
    const b = laptop(bDir);
    const ia = await call(a, 'exchange.identity', {});
    await call(b, 'exchange.trustPeer', { installationId: ia.installationId, publicKey: ia.publicKey });
    await knows(a, b);
    const forB = await fingerprintOf(b);
    const before = (b.core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
    b.close();
    const N = 30_000;
    a.ctx.store.transaction(() => {
      for (let i = 0; i < N; i++) a.ctx.store.insert('t_case', { surname: `S${i}`, status: 'new', note: 'x'.repeat(50), count: i });
    });
    const file = path.join(tempDir(), 'big.htmp');
    await job(a, (j) => exportSync(a.ctx, { file, for: [forB], job: j }));

    const child = path.join(tempDir(), 'child.cjs');
    const pkg = require(path.join(root, 'package.json')) as { dependencies: Record<string, string> };
    (require('esbuild') as typeof import('esbuild')).buildSync({
      entryPoints: [path.join(import.meta.dirname, 'exchange-kill-child.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: Object.keys(pkg.dependencies),
      nodePaths: [path.join(root, 'node_modules')],
      logLevel: 'error',
    });
    // The child stops inside its import transaction after HOLD_AT records (see the child) and
    // says so on a line of its own; the kill can then never come after the commit.
    const HOLD_AT = N / 2;
    const proc = spawn(process.execPath, [child, bDir, file, String(HOLD_AT)], { cwd: root, env: { ...process.env, HTMP_APP_ROOT: root, NODE_PATH: path.join(root, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    let out = '';
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const held = await new Promise<number>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // Whole lines only: a chunk may end in the middle of a number.
        const m = /^APPLY (\d+)$/m.exec(out.slice(0, out.lastIndexOf('\n') + 1));
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error(`child ended before the kill: ${out} ${err}`)));
    });
    expect(held).toBe(HOLD_AT);
    // Uncommitted pages of the import already reached the write-ahead log: the kill tests a real rollback.
    const wal = path.join(bDir, 'htmp.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBeGreaterThan(0);
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('DONE');

    const db = rawDatabase(bDir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM t_case').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM change_log').get()).toEqual({ n: before });
    expect(db.prepare('SELECT count(*) AS n FROM exchange_imports').get()).toEqual({ n: 0 });
    db.close();

    // and the same bundle imports completely afterwards
    const again = await reopenLaptop(bDir);
    const r = await call(again, 'exchange.import', { file });
    expect(r.imported).toBe(N);
  }, 120_000);
});
