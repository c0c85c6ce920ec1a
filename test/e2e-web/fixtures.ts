import { chromium, test as base, type Browser, type Page } from '@playwright/test';
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

async function callApi<T>(app: { url: string; token: string }, method: string, args: unknown): Promise<T> {
  const res = await fetch(new URL(`/api/${method}`, app.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': app.token },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

/** Starts the built web host on a fresh data folder and waits for its URL (any free port unless one is named). */
export async function startWebHost(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-e2e-')), options: { port?: number | 'kept'; args?: string[]; clockAt?: string } = {}): Promise<Omit<WebApp, 'open' | 'api'>> {
  // A test that names a date runs the host on a clock starting then (test/support/fixed-clock.cjs).
  const clock = options.clockAt ? ['--require', path.join(root, 'test', 'support', 'fixed-clock.cjs')] : [];
  const host = spawn(process.execPath, [...clock, path.join(root, 'dist', 'electron', 'host.cjs'), '--data-dir', dataDir, ...(options.port === 'kept' ? [] : ['--port', String(options.port ?? 0)]), ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(options.clockAt ? { HTMP_TEST_NOW: options.clockAt } : {}) },
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
    if (clockAt) await context.clock.install({ time: new Date(clockAt) });
    await use({
      ...started,
      api: (method, args) => callApi(started, method, args),
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
