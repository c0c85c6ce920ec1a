import type { PdfFile } from '../../../../shared/contract/protocols';
import type { AppError, Result } from '../../../../shared/result';
import type { ApiClient } from '../../api/client';
import { base64Bytes, saveBlob } from '../../components/download';

/** A PDF received from the core (base64) as a Blob the page can preview and download. */
export function pdfBlob(pdf: Pick<PdfFile, 'pdfBase64'>): Blob {
  return new Blob([base64Bytes(pdf.pdfBase64)], { type: 'application/pdf' });
}

/** Saves a PDF through the browser's (or Electron's) download: the user chooses where. */
export function downloadPdf(pdf: Pick<PdfFile, 'pdfBase64' | 'fileName'>): void {
  saveBlob(pdfBlob(pdf), pdf.fileName);
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

// Dates and moments are written as everywhere else in the app (cases/format.ts).
export { fmtDate, fmtInstant as fmtMoment } from '../cases/format';

/** Today in Kazakhstan, 'YYYY-MM-DD'. */
export { kzToday as todayKz } from '../../../../shared/domain/kz-time';
