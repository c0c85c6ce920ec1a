import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type { WebSocket, WebSocketServer } from 'ws';
import { lazyRequire } from '../core/lazy-require';
import { RENDERER_CALLER } from '../core/context';
import type { Core } from '../core/core';
import { CONTENT_SECURITY_POLICY } from '../core/security';

export interface HostOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /**
   * The ports to try, in order (the first free one is taken; 0 = any free port). By default the
   * stable DEFAULT_PORT, the next few, then any: the address stays the same from run to run.
   */
  ports?: number[];
  /** A fixed token for tests; by default a random one per run. */
  token?: string;
  /** Largest accepted request body (attachments travel base64-encoded). */
  maxBodyBytes?: number;
}

/** The web host's usual port: the same address from run to run, so open tabs find it again. */
export const DEFAULT_PORT = 47320;

/** The ports tried when none is asked for: the one used last time, the default and its next nine, then any. */
export function defaultPorts(last?: number | null): number[] {
  const range = Array.from({ length: 10 }, (_, i) => DEFAULT_PORT + i);
  return [...new Set([...(last && last > 0 ? [last] : []), ...range, 0])];
}

/** The WebSocket close code that tells a tab its token is not this run's (do not retry). */
export const CLOSE_TOKEN_REFUSED = 4401;

export interface RunningHost {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  openUrl: string;
  port: number;
  /** The first port asked for was taken: another was used (the address differs from last time). */
  fellBack: boolean;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
};

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Serves the renderer and the API to a browser on this machine only. Every API call and the
 * event stream must carry the host's token, and the Host header must name this loopback server (against DNS
 * rebinding), so neither another local process nor a web page in another tab can read
 * patient data. Beyond the token, the core wants a signed-in session: it travels in an
 * HttpOnly, SameSite=Strict cookie set when `auth.signIn`/`auth.setup`/`auth.unlock`/
 * `auth.recover` succeed (the session id is taken out of the answer the page sees), and is
 * locked by the core's idle rule like any other session.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const rendererDir = path.resolve(options.rendererDir);
  // One event stream per browser tab, over a WebSocket: unlike a long-lived HTTP response it
  // does not hold one of the browser's six connections to this host, so any number of tabs can
  // stay connected while their calls go through.
  // `ws` is loaded at the first stream, not at start: the first API answer does not need it.
  let wssMade: WebSocketServer | null = null;
  const wss = (): WebSocketServer =>
    (wssMade ??= new (lazyRequire<typeof import('ws')>('ws').WebSocketServer)({ noServer: true, maxPayload: 1024, clientTracking: false }));
  /** Each open stream and whether it answered the last ping. */
  const streams = new Map<WebSocket, boolean>();
  let port = 0;

  const tokenOk = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const hostOk = (req: http.IncomingMessage): boolean => {
    const h = req.headers.host;
    return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  };

  const server = http.createServer((req, res) => {
    // A malformed request line (`GET http://[`, `/api/%E0`) must be refused, not thrown: an
    // uncaught exception here would stop the host for every tab.
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) send(res, 400, { error: 'bad request' });
      else res.destroy();
    }
  });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (!hostOk(req)) return send(res, 421, { error: 'host' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      const origin = req.headers.origin;
      if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return send(res, 403, { error: 'origin' });
      if (url.pathname === '/api/events') return send(res, 426, { error: 'websocket' }, { Upgrade: 'websocket' });
      if (req.method !== 'POST') return send(res, 405, { error: 'method' });
      if (!tokenOk(req.headers['x-htmp-token'] as string | undefined)) return send(res, 401, { error: 'token' });
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      readBody(req, maxBody)
        .then(async (body) => {
          let args: unknown = {};
          if (body.length > 0) {
            try {
              args = JSON.parse(body.toString('utf8')) as unknown;
            } catch {
              return send(res, 200, { ok: false, error: { code: 'api.invalid_json' } });
            }
          }
          const sessionId = cookieOf(req, SESSION_COOKIE);
          const result = await options.core.dispatch(method, args, { ...RENDERER_CALLER, ...(sessionId ? { sessionId } : {}) });
          // The session lives in an HttpOnly, SameSite=Strict cookie: the page never sees its id.
          const headers: Record<string, string> = {};
          if (result.ok && result.value && typeof result.value === 'object' && 'sessionId' in result.value) {
            const { sessionId: fresh, ...rest } = result.value as { sessionId?: string };
            if (fresh) headers['Set-Cookie'] = `${SESSION_COOKIE}=${fresh}; Path=/api; HttpOnly; SameSite=Strict`;
            return send(res, 200, { ok: true, value: rest }, headers);
          }
          if (method === 'auth.signOut' || (!result.ok && (result.error.code === 'auth.required' || result.error.code === 'auth.user_disabled') && sessionId)) {
            headers['Set-Cookie'] = `${SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0`;
          }
          send(res, 200, result, headers);
        })
        .catch((err: Error & { code?: string }) => {
          send(res, err.code === 'too_large' ? 413 : 400, { ok: false, error: { code: err.code === 'too_large' ? 'api.too_large' : 'api.bad_request' } });
        });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method' });
    serveStatic(rendererDir, url.pathname, res);
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    try {
      if (!hostOk(req)) return refuse(421, 'Misdirected Request');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
      const origin = req.headers.origin;
      if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return refuse(403, 'Forbidden');
      const accepted = tokenOk(url.searchParams.get('token'));
      wss().handleUpgrade(req, socket, head, (ws) => {
        // A tab opened by an earlier run (another token) is told so, and does not retry.
        if (!accepted) return ws.close(CLOSE_TOKEN_REFUSED, 'token');
        ws.on('pong', () => streams.has(ws) && streams.set(ws, true));
        ws.on('message', () => undefined);
        ws.on('error', () => ws.terminate());
        ws.on('close', () => streams.delete(ws));
        streams.set(ws, true);
      });
    } catch {
      refuse(400, 'Bad Request');
    }
  });

  // A tab that went away without closing (a suspended laptop) is dropped after a missed ping.
  const heartbeat = setInterval(() => {
    for (const [ws, alive] of streams) {
      if (!alive) {
        ws.terminate();
        continue;
      }
      streams.set(ws, false);
      ws.ping();
    }
  }, 30_000);
  heartbeat.unref();

  const unsubscribe = options.core.onEvent((event) => {
    const line = JSON.stringify(event);
    for (const ws of streams.keys()) if (ws.readyState === ws.OPEN) ws.send(line);
  });

  const candidates = options.ports && options.ports.length > 0 ? options.ports : defaultPorts();
  let fellBack = false;
  for (const [i, candidate] of candidates.entries()) {
    try {
      await listen(server, candidate);
      fellBack = i > 0;
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'EADDRINUSE' && code !== 'EACCES') || i === candidates.length - 1) {
        clearInterval(heartbeat);
        unsubscribe();
        throw err;
      }
    }
  }
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    fellBack,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(heartbeat);
        // 1012 "service restart": the tabs wait and reconnect when the host is back.
        for (const ws of streams.keys()) ws.close(1012, 'closing');
        streams.clear();
        wssMade?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': data.length, ...extra });
  res.end(data);
}

/** The name of the session cookie (one per host; the per-run token still gates every call). */
export const SESSION_COOKIE = 'htmp_session';

/** A cookie's value from the request, or undefined. */
export function cookieOf(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
    }
  }
  return undefined;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(Object.assign(new Error('too large'), { code: 'too_large' }));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, { error: 'path' });
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
  if (!file.startsWith(root + path.sep)) return send(res, 404, { error: 'not found' });
  fs.stat(file, (err, st) => {
    // Unknown paths fall back to the app (client-side routes), never to a directory listing.
    const target = err || !st.isFile() ? path.join(root, 'index.html') : file;
    fs.readFile(target, (readErr, data) => {
      if (readErr) return send(res, 404, { error: 'not found' });
      const type = MIME[path.extname(target)] ?? 'application/octet-stream';
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': type,
        'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
        'Content-Length': data.length,
      });
      res.end(data);
    });
  });
}
