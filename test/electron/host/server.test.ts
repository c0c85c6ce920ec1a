import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { tempCore, tempDir } from '../../support/temp';

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

async function start() {
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(tempDir(), 'secret.txt'), 'secret');
  host = await startHost({ core: tempCore(), rendererDir, token: 'test-token-123' });
  return host;
}

describe('web host', () => {
  it('binds to 127.0.0.1 only and passes the token in the URL fragment', async () => {
    const h = await start();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(h.openUrl).toBe(`${h.url}#token=test-token-123`);
  });

  it('answers API calls only with the right token', async () => {
    const h = await start();
    const headers = { host: `127.0.0.1:${h.port}`, 'content-type': 'application/json' };
    expect((await request(h.port, { method: 'POST', path: '/api/app.info', headers, body: '{}' })).status).toBe(401);
    expect((await request(h.port, { method: 'POST', path: '/api/app.info', headers: { ...headers, 'x-htmp-token': 'wrong-token-12' }, body: '{}' })).status).toBe(401);
    const ok = await request(h.port, { method: 'POST', path: '/api/app.info', headers: { ...headers, 'x-htmp-token': 'test-token-123' }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { host: 'cli' } });
  });

  it('refuses foreign Host headers (DNS rebinding) and foreign origins', async () => {
    const h = await start();
    const r = await request(h.port, { method: 'POST', path: '/api/app.info', headers: { host: 'evil.example:80', 'x-htmp-token': 'test-token-123' }, body: '{}' });
    expect(r.status).toBe(421);
    const o = await request(h.port, { method: 'POST', path: '/api/app.info', headers: { host: `127.0.0.1:${h.port}`, origin: 'http://evil.example', 'x-htmp-token': 'test-token-123' }, body: '{}' });
    expect(o.status).toBe(403);
  });

  it('returns envelopes for bad JSON and unknown methods', async () => {
    const h = await start();
    const headers = { host: `127.0.0.1:${h.port}`, 'x-htmp-token': 'test-token-123' };
    expect(JSON.parse((await request(h.port, { method: 'POST', path: '/api/app.info', headers, body: '{oops' })).body)).toEqual({ ok: false, error: { code: 'api.invalid_json' } });
    expect(JSON.parse((await request(h.port, { method: 'POST', path: '/api/x.y', headers, body: '{}' })).body)).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
  });

  it('serves the renderer with the CSP and never files outside it', async () => {
    const h = await start();
    const page = await request(h.port, { path: '/', headers: { host: `127.0.0.1:${h.port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    const escape = await request(h.port, { path: '/../../secret.txt', headers: { host: `127.0.0.1:${h.port}` } });
    expect(escape.body).not.toContain('secret');
    const encoded = await request(h.port, { path: '/%2e%2e/%2e%2e/secret.txt', headers: { host: `127.0.0.1:${h.port}` } });
    expect(encoded.body).not.toContain('secret');
  });

  it('survives malformed request lines (bad URL, bad percent-encoding) and keeps serving', async () => {
    const h = await start();
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let out = '';
        const sock = net.connect(h.port, '127.0.0.1', () => sock.write(text));
        sock.on('data', (d: Buffer) => (out += d.toString()));
        sock.on('close', () => resolve(out));
        sock.on('error', () => resolve(out));
      });
    const hostHeader = `Host: 127.0.0.1:${h.port}`;
    expect(await raw(`GET http://[ HTTP/1.1\r\n${hostHeader}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`POST /api/%E0 HTTP/1.1\r\n${hostHeader}\r\nX-Htmp-Token: test-token-123\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    const still = await request(h.port, { path: '/', headers: { host: `127.0.0.1:${h.port}` } });
    expect(still.status).toBe(200);
  });
});
