import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { RENDERER_CALLER } from '../core/context';
import type { Core } from '../core/core';
import { CONTENT_SECURITY_POLICY } from '../core/security';

export interface HostOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** A fixed token for tests; by default a random one per run. */
  token?: string;
  /** Largest accepted request body (attachments travel base64-encoded). */
  maxBodyBytes?: number;
}

export interface RunningHost {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  openUrl: string;
  port: number;
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
 * Serves the renderer and the API to a browser on this machine only. Every API call must carry
 * the per-run token, and the Host header must name this loopback server (against DNS
 * rebinding), so neither another local process nor a web page in another tab can read
 * patient data.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const rendererDir = path.resolve(options.rendererDir);
  const sseClients = new Set<http.ServerResponse>();
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
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET' || !tokenOk(url.searchParams.get('token'))) return send(res, 401, { error: 'token' });
        res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
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
          send(res, 200, await options.core.dispatch(method, args, RENDERER_CALLER));
        })
        .catch((err: Error & { code?: string }) => {
          send(res, err.code === 'too_large' ? 413 : 400, { ok: false, error: { code: err.code === 'too_large' ? 'api.too_large' : 'api.bad_request' } });
        });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method' });
    serveStatic(rendererDir, url.pathname, res);
  };

  const unsubscribe = options.core.onEvent((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const c of sseClients) c.write(line);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of sseClients) c.end();
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': data.length });
  res.end(data);
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
