/**
 * The real web host for benchmarks: `node dist/electron/host.cjs` on a data folder, called over
 * HTTP like the page calls it (POST /api/<method>, token header, keep-alive connection).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { BENCH_USER } from './_util';

export interface BenchHost {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the "Open:" line (listening). */
  listeningMs: number;
  call<T = unknown>(method: string, args: unknown): Promise<T>;
  /** Signs in as the bench admin (the session cookie is kept for later calls); milliseconds. */
  signIn(): Promise<number>;
  stop(): Promise<void>;
}

const TOKEN = 'bench-token-0123456789abcdefghij';

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Starts the built host; resolves when it says it listens. */
export async function startHost(root: string, dataDir: string): Promise<BenchHost> {
  const t0 = now();
  const child = spawn(process.execPath, [path.join(root, 'dist', 'electron', 'host.cjs'), '--data-dir', dataDir, '--port', '0', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`host exited ${code}: ${out}`)));
  });
  const listeningMs = now() - t0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // The session travels in an HttpOnly cookie, as with the page.
  let cookie = '';
  const call = <T>(method: string, args: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(args));
      const req = http.request(
        { host: '127.0.0.1', port, path: `/api/${method}`, method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Htmp-Token': TOKEN, Host: `127.0.0.1:${port}`, ...(cookie ? { Cookie: cookie } : {}) } },
        (res) => {
          const set = res.headers['set-cookie']?.[0];
          if (set) cookie = set.split(';')[0]!;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; value: T; error?: unknown };
            if (r.ok) resolve(r.value);
            else reject(new Error(`${method}: ${JSON.stringify(r.error)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const signIn = async (): Promise<number> => {
    const t1 = now();
    await call('auth.signIn', { login: BENCH_USER.login, passphrase: BENCH_USER.passphrase });
    return now() - t1;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, port, listeningMs, call, signIn, stop };
}
