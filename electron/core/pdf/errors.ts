/** Error codes of the PDF engine; the UI shows `errors.<code>` from locales/<lang>/pdf.json. */
export type PdfErrorCode = 'pdf.invalid_document' | 'pdf.write_failed';

/**
 * A typed error of the PDF engine, shaped like the app's AppFailure (`{code, params}` and
 * `toError()`), so dispatch turns it into `{ok:false, error}` and the renderer translates it.
 */
export class PdfError extends Error {
  readonly code: PdfErrorCode;
  readonly params: Record<string, string>;
  constructor(code: PdfErrorCode, params: Record<string, string>, options?: { cause?: unknown }) {
    super(`${code} ${JSON.stringify(params)}`, options);
    this.name = 'PdfError';
    this.code = code;
    this.params = params;
  }
  toError(): { code: PdfErrorCode; params: Record<string, string> } {
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
