import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  const base = mainWindowOptions('', title);
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
 * Prints a PDF with the system print dialog: the PDF is written to a private temporary file,
 * opened in a hidden hardened window (Chromium's PDF viewer), and `webContents.print()` shows the
 * dialog. The window and the file are removed afterwards, whatever happened.
 * Fixed in Electron >= 30 (electron#43309): print() of a PDF document no longer prints blank pages.
 */
export async function printPdf(Window: WindowCtor, args: unknown, title = 'HTMP', stagingRoot: string = os.tmpdir()): Promise<Result<{ printed: boolean }>> {
  const parsed = protocolsSchemas[PRINT_METHOD].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: 'api.invalid_argument', params: { field: issue?.path.join('.') || '(root)', issue: issue?.message ?? 'invalid' } } };
  }
  const buffer = Buffer.from(parsed.data.pdfBase64, 'base64');
  if (buffer.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return { ok: false, error: { code: 'api.invalid_argument', params: { field: 'pdfBase64', issue: 'not a PDF' } } };
  }
  // Staged inside the data folder (removed right after; a start cleans what a crash left), not in the system temp folder.
  await fs.mkdir(stagingRoot, { recursive: true, mode: 0o700 });
  const dir = await fs.mkdtemp(path.join(stagingRoot, `print-${process.pid}-`));
  const file = path.join(dir, `${randomBytes(8).toString('hex')}.pdf`);
  let win: BrowserWindow | undefined;
  try {
    await fs.writeFile(file, buffer, { mode: 0o600 });
    win = new Window(printWindowOptions(parsed.data.title ?? title));
    await win.loadURL(pathToFileURL(file).href);
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
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
