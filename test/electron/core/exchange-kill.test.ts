/** A process killed (SIGKILL) in the middle of an import leaves the database consistent. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync } from '../../../electron/core/exchange/sync';
import { tempDir } from '../../support/temp';
import { call, closeAll, job, laptop } from './exchange-helpers';

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
    const before = (b.core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
    b.close();
    const N = 30_000;
    a.ctx.store.transaction(() => {
      for (let i = 0; i < N; i++) a.ctx.store.insert('t_case', { surname: `S${i}`, status: 'new', note: 'x'.repeat(50), count: i });
    });
    const file = path.join(tempDir(), 'big.htmp');
    await job(a, (j) => exportSync(a.ctx, { file, job: j }));

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
    const proc = spawn(process.execPath, [child, bDir, file], { cwd: root, env: { ...process.env, HTMP_APP_ROOT: root, NODE_PATH: path.join(root, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const killedAt = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // The latest progress line (the first one may be below the threshold on a busy machine).
        const m = [...out.matchAll(/APPLY (\d+)/g)].at(-1);
        if (m && Number(m[1]) > 1000) {
          proc.kill('SIGKILL');
          resolve(m[1]!);
        }
      });
      proc.on('exit', () => reject(new Error(`child ended before the kill: ${out} ${err}`)));
    });
    await new Promise((r) => proc.on('exit', r));
    expect(Number(killedAt)).toBeGreaterThan(0);
    expect(Number(killedAt)).toBeLessThan(N);

    const db = new Database(path.join(bDir, 'htmp.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM t_case').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM change_log').get()).toEqual({ n: before });
    expect(db.prepare('SELECT count(*) AS n FROM exchange_imports').get()).toEqual({ n: 0 });
    db.close();

    // and the same bundle imports completely afterwards
    const again = laptop(bDir);
    const r = await call(again, 'exchange.import', { file });
    expect(r.imported).toBe(N);
  }, 120_000);
});
