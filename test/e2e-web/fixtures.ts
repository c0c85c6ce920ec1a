import { chromium, test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebApp {
  url: string;
  token: string;
  dataDir: string;
  host: ChildProcess;
  /** The signed-in admin's session cookie (set in the page's browser context too). */
  session: string;
  recoveryKey: string;
  /** Opens the app (token in the fragment) in a fresh page. */
  open(): Promise<Page>;
  /** Calls the API like the page does (token header); throws on an error envelope. */
  api<T = any>(method: string, args: unknown): Promise<T>;
}

/** The commission a test installation is set up for. */
export const TEST_COMMISSION = {
  commissionNameKk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы',
  commissionNameRu: 'Комиссия по ВТМП Карагандинской области',
  authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы',
  authorityNameRu: 'Управление здравоохранения Карагандинской области',
};

/** The first admin every e2e installation is set up with. */
export const E2E_ADMIN = { login: 'admin', displayName: 'Әсел Серікқызы Нұрланова', passphrase: 'correct horse battery 1' };

/** One API call as the page makes it (token header, session cookie); the raw envelope and the cookie it set. */
export async function rawApi(app: { url: string; token: string }, method: string, args: unknown, session?: string): Promise<{ body: { ok: boolean; value?: any; error?: { code: string; params?: unknown } }; setCookie: string | null }> {
  const res = await fetch(new URL(`/api/${method}`, app.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': app.token, ...(session ? { Cookie: `htmp_session=${session}` } : {}) },
    body: JSON.stringify(args),
  });
  return { body: (await res.json()) as never, setCookie: res.headers.get('set-cookie') };
}

async function callApi<T>(app: { url: string; token: string; session?: string }, method: string, args: unknown): Promise<T> {
  const { body } = await rawApi(app, method, args, app.session);
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** The session id in a Set-Cookie header. */
export const sessionFrom = (setCookie: string | null): string => /htmp_session=([^;]*)/.exec(setCookie ?? '')?.[1] ?? '';

/** Sets up the first admin through the API (as the set-up screen would) and returns its session. */
export async function setUpAdmin(app: { url: string; token: string }): Promise<{ session: string; recoveryKey: string }> {
  const r = await rawApi(app, 'auth.setup', E2E_ADMIN);
  if (!r.body.ok) throw new Error(`auth.setup: ${JSON.stringify(r.body.error)}`);
  return { session: sessionFrom(r.setCookie), recoveryKey: r.body.value.recoveryKey as string };
}

/**
 * Sets up the first admin through the browser context's own request API, so the session cookie is
 * stored exactly as the page's own sign-in would store it (a host-only cookie): a later sign-in on
 * the page replaces it instead of sitting beside it.
 */
export async function setUpAdminIn(context: BrowserContext, app: { url: string; token: string }): Promise<{ session: string; recoveryKey: string }> {
  const res = await context.request.post(new URL('/api/auth.setup', app.url).toString(), { headers: { 'X-Htmp-Token': app.token, 'Content-Type': 'application/json' }, data: E2E_ADMIN });
  const body = (await res.json()) as { ok: boolean; value?: { recoveryKey: string }; error?: unknown };
  if (!body.ok) throw new Error(`auth.setup: ${JSON.stringify(body.error)}`);
  return { session: sessionFrom(res.headers()['set-cookie'] ?? null), recoveryKey: body.value!.recoveryKey };
}

/** Starts the built web host on a fresh data folder and waits for its URL (any free port unless one is named). */
export async function startWebHost(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-')), options: { port?: number | 'kept'; args?: string[]; clockAt?: string } = {}): Promise<Omit<WebApp, 'open' | 'api' | 'session' | 'recoveryKey'>> {
  // A test that names a date runs the host on a clock starting then (test/support/fixed-clock.cjs).
  const clock = options.clockAt ? ['--require', path.join(root, 'test', 'support', 'fixed-clock.cjs')] : [];
  const host = spawn(process.execPath, [...clock, path.join(root, 'dist', 'electron', 'host.cjs'), '--data-dir', dataDir, ...(options.port === 'kept' ? [] : ['--port', String(options.port ?? 0)]), ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A cheap scrypt for the test keyrings (marked test-only; the app refuses them otherwise).
    env: { ...process.env, HTMP_TEST_FAST_KDF: '1', ...(options.clockAt ? { HTMP_TEST_NOW: options.clockAt } : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 20_000);
    host.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    host.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    host.on('exit', (code) => reject(new Error(`host exited ${code}: ${out}`)));
  });
  const token = /#token=(.+)$/.exec(url)?.[1] ?? '';
  return { url, token, dataDir, host };
}

/** Launches Debian's Chromium the way this machine allows (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const test = base.extend<{ app: WebApp; clockAt: string | undefined }, { browserInstance: Browser }>({
  /** A date the test's world runs at (host and page), e.g. `test.use({ clockAt: '2027-02-10T10:00:00+05:00' })`; unset: the real date. */
  clockAt: [undefined, { option: true }],
  browserInstance: [
    async ({}, use) => {
      const b = await launchChromium();
      await use(b);
      await b.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ browserInstance, clockAt }, use) => {
    const started = await startWebHost(undefined, { clockAt });
    const pages: Page[] = [];
    const context = await browserInstance.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    // Every spec starts signed in as the first admin: the session cookie is in the page's context.
    const { session, recoveryKey } = await setUpAdminIn(context, started);
    if (clockAt) await context.clock.install({ time: new Date(clockAt) });
    await use({
      ...started,
      session,
      recoveryKey,
      api: (method, args) => callApi({ ...started, session }, method, args),
      open: async () => {
        const page = await context.newPage();
        pages.push(page);
        await page.goto(started.url);
        await page.getByTestId('nav-today').waitFor();
        return page;
      },
    });
    await context.close();
    started.host.kill('SIGTERM');
    fs.rmSync(started.dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
