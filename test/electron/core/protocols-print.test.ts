import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { pendingPrints, printPdf, printProtocolResponse, printWindowOptions, PRINT_METHOD } from '../../../electron/main/print';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const PDF = Buffer.from('%PDF-1.7\n% test\n').toString('base64');

/** A stand-in for Electron's BrowserWindow that records what the print path does. */
function fakeWindow(result: { success: boolean; reason?: string } | Error) {
  const seen: { options?: BrowserWindowConstructorOptions; url?: string; served?: Buffer | null; printOptions?: unknown; destroyed: boolean } = { destroyed: false };
  class FakeWindow {
    webContents = {
      print: (opts: unknown, cb: (success: boolean, reason: string) => void) => {
        seen.printOptions = opts;
        if (result instanceof Error) throw result;
        cb(result.success, result.reason ?? '');
      },
    };
    constructor(options: BrowserWindowConstructorOptions) {
      seen.options = options;
    }
    async loadURL(url: string) {
      seen.url = url;
      const res = printProtocolResponse(url);
      seen.served = res.status === 200 ? Buffer.from(await res.arrayBuffer()) : null;
    }
    isDestroyed() {
      return seen.destroyed;
    }
    destroy() {
      seen.destroyed = true;
    }
  }
  return { Window: FakeWindow as never, seen };
}

describe('Electron printing (shell.printPdf)', () => {
  it('prints from a hidden window with the hardened settings and the PDF viewer, then removes window and file', async () => {
    const { Window, seen } = fakeWindow({ success: true });
    const r = await printPdf(Window, { pdfBase64: PDF, title: 'Хаттама' });
    expect(r).toEqual({ ok: true, value: { printed: true } });
    expect(seen.options).toMatchObject({
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, plugins: true },
    });
    expect(seen.options?.webPreferences?.preload).toBeUndefined();
    // Served from memory by the private scheme: no file:// and no copy in the temporary folder.
    expect(seen.url).toMatch(/^htmp-print:\/\/doc\/[0-9a-f]{32}\.pdf$/);
    expect(seen.served?.equals(Buffer.from(PDF, 'base64'))).toBe(true);
    expect(seen.printOptions).toMatchObject({ silent: false });
    expect(seen.destroyed).toBe(true);
    expect(pendingPrints()).toBe(0);
    expect(printProtocolResponse(seen.url!).status).toBe(404);
  });

  it('a cancelled dialog is not an error; a failure is a translated print_failed; a non-PDF is refused', async () => {
    expect(await printPdf(fakeWindow({ success: false, reason: 'cancelled' }).Window, { pdfBase64: PDF })).toEqual({ ok: true, value: { printed: false } });
    const failed = fakeWindow({ success: false, reason: 'Printer offline' });
    expect(await printPdf(failed.Window, { pdfBase64: PDF })).toEqual({ ok: false, error: { code: 'protocols.print_failed', params: { reason: 'Printer offline' } } });
    expect(failed.seen.destroyed).toBe(true);
    const thrown = fakeWindow(new Error('boom'));
    expect(await printPdf(thrown.Window, { pdfBase64: PDF })).toMatchObject({ ok: false, error: { code: 'protocols.print_failed' } });
    expect(thrown.seen.destroyed).toBe(true);
    const notPdf = fakeWindow({ success: true });
    expect(await printPdf(notPdf.Window, { pdfBase64: Buffer.from('<html>hello</html>').toString('base64') })).toMatchObject({ ok: false, error: { code: 'api.invalid_argument' } });
    expect(notPdf.seen.options).toBeUndefined();
    expect(await printPdf(notPdf.Window, { file: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'api.invalid_argument' } });
  });

  it('the print scheme serves only a pending document by its exact token', () => {
    for (const url of ['htmp-print://doc/../../etc/passwd', 'htmp-print://other/00000000000000000000000000000000.pdf', 'htmp-print://doc/0000.pdf', 'nonsense']) {
      expect(printProtocolResponse(url).status, url).toBe(404);
    }
    const main = fs.readFileSync(path.join(root, 'electron', 'main', 'main.ts'), 'utf8');
    expect(main).toContain('protocol.handle(PRINT_SCHEME, (request) => printProtocolResponse(request.url));');
    expect(fs.readFileSync(path.join(root, 'electron', 'main', 'print.ts'), 'utf8')).not.toMatch(/tmpdir|writeFile|file:\/\//);
  });

  it('the main process answers it after the sender check and before core dispatch', () => {
    const main = fs.readFileSync(path.join(root, 'electron', 'main', 'main.ts'), 'utf8');
    const sender = main.indexOf("'api.forbidden_sender'");
    const print = main.indexOf('method === PRINT_METHOD');
    const dispatch = main.indexOf('return core.dispatch(method, args, RENDERER_CALLER)');
    expect(sender).toBeGreaterThan(0);
    expect(print).toBeGreaterThan(sender);
    expect(dispatch).toBeGreaterThan(print);
    expect(PRINT_METHOD).toBe('shell.printPdf');
    expect(printWindowOptions('x').webPreferences?.devTools).toBe(false);
  });
});
