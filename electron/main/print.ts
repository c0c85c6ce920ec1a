import { randomBytes } from 'node:crypto';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { protocolsSchemas } from '../../shared/contract/protocols';
import type { Result } from '../../shared/result';
import { mainWindowOptions } from './window';

/** The method the main process answers itself (before core dispatch): print with the system dialog. */
export const PRINT_METHOD = 'shell.printPdf';

/**
 * Options of the hidden window a PDF is printed from: the main window's hardened settings (no
 * preload, no Node, sandbox, isolation) plus the PDF viewer plugin, which is what lays out a PDF
 * for printing in Chromium.
 */
export function printWindowOptions(title: string): BrowserWindowConstructorOptions {
  const base = mainWindowOptions('', title, { devTools: false });
  const { preload: _none, ...prefs } = base.webPreferences ?? {};
  return {
    ...base,
    show: false,
    width: 800,
    height: 1000,
    webPreferences: { ...prefs, plugins: true, devTools: false },
  };
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * The private scheme the print window loads a PDF from. The document is served from memory, never
 * written to disk: a protocol with a patient's name must not sit in the system's temporary folder
 * (readable by other processes, left behind by a crash). Registered as privileged and standard in
 * main.ts, which Chromium's PDF viewer needs to load from a custom scheme (electron#24859).
 */
export const PRINT_SCHEME = 'htmp-print';

/** PDFs waiting to be printed, by one-time random token; each lives only while its window does. */
const pending = new Map<string, Buffer>();

/** The handler of `htmp-print://doc/<token>.pdf`: the document in memory, or 404. */
export function printProtocolResponse(url: string): Response {
  let token = '';
  try {
    const u = new URL(url);
    token = u.host === 'doc' ? (/^\/([0-9a-f]{32})\.pdf$/.exec(u.pathname)?.[1] ?? '') : '';
  } catch {
    token = '';
  }
  const pdf = token ? pending.get(token) : undefined;
  if (!pdf) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(pdf), {
    headers: { 'Content-Type': 'application/pdf', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** How many documents are waiting (tests: nothing is kept after printing). */
export const pendingPrints = (): number => pending.size;

/**
 * Prints a PDF with the system print dialog: the PDF is held in memory under a random token,
 * opened from the private scheme in a hidden hardened window (Chromium's PDF viewer), and
 * `webContents.print()` shows the dialog. The window and the document are dropped afterwards,
 * whatever happened. Fixed in Electron >= 30 (electron#43309): print() of a PDF document no longer
 * prints blank pages.
 */
export async function printPdf(Window: WindowCtor, args: unknown, title = 'HTMP'): Promise<Result<{ printed: boolean }>> {
  const parsed = protocolsSchemas[PRINT_METHOD].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: 'api.invalid_argument', params: { field: issue?.path.join('.') || '(root)', issue: issue?.message ?? 'invalid' } } };
  }
  const buffer = Buffer.from(parsed.data.pdfBase64, 'base64');
  if (buffer.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return { ok: false, error: { code: 'api.invalid_argument', params: { field: 'pdfBase64', issue: 'not a PDF' } } };
  }
  const token = randomBytes(16).toString('hex');
  pending.set(token, buffer);
  let win: BrowserWindow | undefined;
  try {
    win = new Window(printWindowOptions(parsed.data.title ?? title));
    await win.loadURL(`${PRINT_SCHEME}://doc/${token}.pdf`);
    // The viewer lays the pages out after the load event; printing before that prints blank pages.
    await new Promise((r) => setTimeout(r, 600));
    const w = win;
    const printed = await new Promise<{ ok: boolean; reason: string }>((resolve) => {
      w.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => resolve({ ok: success, reason: failureReason ?? '' }));
    });
    // A cancelled dialog is not an error: the user chose not to print.
    if (!printed.ok && printed.reason !== 'cancelled' && printed.reason !== '') {
      return { ok: false, error: { code: 'protocols.print_failed', params: { reason: printed.reason } } };
    }
    return { ok: true, value: { printed: printed.ok } };
  } catch (err) {
    return { ok: false, error: { code: 'protocols.print_failed', params: { reason: err instanceof Error ? err.message : String(err) } } };
  } finally {
    if (win && !win.isDestroyed()) win.destroy();
    pending.delete(token);
  }
}
