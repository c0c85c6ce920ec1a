import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_TOKEN_REFUSED, DEFAULT_PORT, defaultPorts, startHost, type RunningHost } from '../../../electron/host/server';
import { HOST_STATE_FILE, readHostState, writeHostState } from '../../../electron/host/state';
import { tempCore, tempDir, TEST_ADMIN } from '../../support/temp';

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
  host = await startHost({ core: tempCore(), rendererDir, token: 'test-token-123', ports: [0] });
  return host;
}

/** Opens the event stream; resolves with the first event, or the close code when it closes first. */
function stream(port: number, token: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; closed: Promise<number>; first: Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${encodeURIComponent(token)}`, { headers });
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    const first = new Promise<unknown>((r) => ws.once('message', (d: Buffer) => r(JSON.parse(d.toString()))));
    ws.once('open', () => resolve({ ws, closed, first }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
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

  it('pushes core events over one WebSocket per tab, only with the token', async () => {
    const h = await start();
    const headers = { host: `127.0.0.1:${h.port}`, 'x-htmp-token': 'test-token-123', 'content-type': 'application/json' };
    // A change needs a signed-in session (issue 10): the sign-in sets it as a cookie.
    const signIn = await request(h.port, { method: 'POST', path: '/api/auth.signIn', headers, body: JSON.stringify({ login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase }) });
    const cookie = /htmp_session=[^;]+/.exec(String(signIn.headers['set-cookie'] ?? ''))?.[0];
    expect(cookie).toBeDefined();
    // (the sign-in itself was announced as auth.changed: the tabs listen from here on)
    const a = await stream(h.port, 'test-token-123');
    const b = await stream(h.port, 'test-token-123');
    const changed = await request(h.port, { method: 'POST', path: '/api/settings.update', headers: { ...headers, cookie: cookie! }, body: JSON.stringify({ commissionName: 'X' }) });
    expect(JSON.parse(changed.body)).toMatchObject({ ok: true });
    expect(await a.first).toEqual({ type: 'data.changed', payload: { area: 'settings' } });
    expect(await b.first).toEqual({ type: 'data.changed', payload: { area: 'settings' } });
    // Another run's token: the socket is closed with the code that tells the tab not to retry.
    const stale = await stream(h.port, 'an-earlier-token');
    expect(await stale.closed).toBe(CLOSE_TOKEN_REFUSED);
    // A page of another site may not listen in.
    await expect(stream(h.port, 'test-token-123', { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    a.ws.close();
    b.ws.close();
  });

  it('closes the streams with "restarting" when it stops, so tabs wait and reconnect', async () => {
    const h = await start();
    const s = await stream(h.port, 'test-token-123');
    await h.close();
    host = undefined;
    expect(await s.closed).toBe(1012);
  });

  it('many tabs at once: calls are answered while eight streams are open', async () => {
    const h = await start();
    const open = await Promise.all(Array.from({ length: 8 }, () => stream(h.port, 'test-token-123')));
    const headers = { host: `127.0.0.1:${h.port}`, 'x-htmp-token': 'test-token-123', 'content-type': 'application/json' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => request(h.port, { method: 'POST', path: '/api/app.info', headers, body: '{}' })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    for (const o of open) o.ws.close();
  });

  it('listens on the first free port of its list: the kept one, the default, then the next ones', async () => {
    expect(defaultPorts()).toEqual([...Array.from({ length: 10 }, (_, i) => DEFAULT_PORT + i), 0]);
    expect(defaultPorts(51234).slice(0, 2)).toEqual([51234, DEFAULT_PORT]);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    try {
      host = await startHost({ core: tempCore(), rendererDir, token: 'test-token-123', ports: [taken, 0] });
      expect(host.port).not.toBe(taken);
      expect(host.fellBack).toBe(true);
      const free = host.port;
      await host.close();
      host = await startHost({ core: tempCore(), rendererDir, token: 'test-token-123', ports: [free, 0] });
      expect(host.port).toBe(free);
      expect(host.fellBack).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('keeps its token and port in a private file of the data folder', () => {
    const dir = tempDir();
    expect(readHostState(dir)).toBeNull();
    writeHostState(dir, { token: 'k'.repeat(32), port: 47321 });
    expect(readHostState(dir)).toEqual({ token: 'k'.repeat(32), port: 47321 });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, HOST_STATE_FILE)).mode & 0o777).toBe(0o600);
    // A file edited by hand into something else is ignored (a fresh token is made).
    fs.writeFileSync(path.join(dir, HOST_STATE_FILE), '{"token":"short","port":"x"}');
    expect(readHostState(dir)).toBeNull();
  });
});
