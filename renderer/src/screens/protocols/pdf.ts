import type { PdfFile } from '../../../../shared/contract/protocols';
import type { AppError, Result } from '../../../../shared/result';
import type { ApiClient } from '../../api/client';

/** A PDF received from the core (base64) as a Blob the page can preview and download. */
export function pdfBlob(pdf: Pick<PdfFile, 'pdfBase64'>): Blob {
  const bin = atob(pdf.pdfBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

/** Saves a PDF through the browser's (or Electron's) download: the user chooses where. */
export function downloadPdf(pdf: Pick<PdfFile, 'pdfBase64' | 'fileName'>): void {
  const url = URL.createObjectURL(pdfBlob(pdf));
  const a = document.createElement('a');
  a.href = url;
  a.download = pdf.fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download time to start before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export type PrintOutcome = { kind: 'printed' } | { kind: 'cancelled' } | { kind: 'downloaded'; fileName: string } | { kind: 'error'; error: AppError };

/**
 * Prints a PDF: in Electron through the system print dialog (`shell.printPdf`, answered by the
 * main process); in the web host there is no such dialog, so the PDF is downloaded and the user
 * told to print it from there.
 */
export async function printPdf(api: ApiClient, pdf: PdfFile, title: string): Promise<PrintOutcome> {
  if (api.kind !== 'electron') {
    downloadPdf(pdf);
    return { kind: 'downloaded', fileName: pdf.fileName };
  }
  const r: Result<{ printed: boolean }> = await api.call('shell.printPdf', { pdfBase64: pdf.pdfBase64, title });
  if (!r.ok) return { kind: 'error', error: r.error };
  return r.value.printed ? { kind: 'printed' } : { kind: 'cancelled' };
}

/** 'YYYY-MM-DD' -> 'DD.MM.YYYY'. */
export function fmtDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : (iso ?? '');
}

/**
 * An ISO moment as 'DD.MM.YYYY HH:mm' in Kazakhstan time (UTC+5), as every other moment on the
 * case screen is shown, whatever zone the machine is set to.
 */
export function fmtMoment(iso: string | null | undefined): string {
  if (!iso) return '';
  // A moment written without a zone is already local: shown as written.
  const ms = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? Date.parse(iso) : Date.parse(`${iso.slice(0, 16)}Z`) - 5 * 3600_000;
  if (Number.isNaN(ms)) return iso;
  const kz = new Date(ms + 5 * 3600_000).toISOString();
  return `${kz.slice(8, 10)}.${kz.slice(5, 7)}.${kz.slice(0, 4)} ${kz.slice(11, 16)}`;
}

/** Today in Kazakhstan (UTC+5), 'YYYY-MM-DD'. */
export function todayKz(): string {
  return new Date(Date.now() + 5 * 3600_000).toISOString().slice(0, 10);
}
