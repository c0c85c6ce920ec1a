import { AppFailure } from '../../../shared/result';

/** Error codes of the PDF engine; the UI shows `errors.<code>` from locales/<lang>/pdf.json. */
export type PdfErrorCode = 'pdf.invalid_document' | 'pdf.write_failed';

/**
 * A typed error of the PDF engine. It IS an AppFailure (`{code, params}` and `toError()`), so
 * dispatch turns it into `{ok:false, error}`, the CLI exits 2 with the translated message, and the
 * renderer shows `errors.<code>`.
 */
export class PdfError extends AppFailure {
  declare readonly code: PdfErrorCode;
  declare readonly params: Record<string, string>;
  constructor(code: PdfErrorCode, params: Record<string, string>, options?: { cause?: unknown }) {
    super(code, params);
    this.name = 'PdfError';
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, configurable: true, writable: true });
  }
  override toError(): { code: PdfErrorCode; params: Record<string, string> } {
    return { code: this.code, params: this.params };
  }
}

/** Thrown before anything is laid out or written when a document's data is not printable. */
export class PdfInvalidDocumentError extends PdfError {
  declare readonly params: { field: string };
  constructor(field: string) {
    super('pdf.invalid_document', { field });
    this.name = 'PdfInvalidDocumentError';
  }
}
