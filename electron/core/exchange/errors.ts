/**
 * Errors of the bundle (file exchange) layer.
 *
 * Policy: every refusal the user can see carries a stable `code` (a locale key under
 * `errors.<code>` in locales/{kk,ru}/exchange.json) and JSON-only `params` for the message
 * and the log. Plain I/O failures of the local disk (ENOSPC, EACCES, a missing source file)
 * are NOT wrapped: they are not properties of the bundle and the caller maps them itself.
 */

export const BUNDLE_ERROR_CODES = [
  'bundle.unsafe_path',
  'bundle.hash_mismatch',
  'bundle.signature_invalid',
  'bundle.untrusted_sender',
  'bundle.unsupported_version',
  'bundle.too_large',
  'bundle.invalid_record',
  'bundle.not_a_bundle',
  'bundle.cancelled',
  'bundle.not_recipient',
  'bundle.key_changed',
] as const;

export type BundleErrorCode = (typeof BUNDLE_ERROR_CODES)[number];

/** JSON-only parameters: they cross IPC and feed i18n interpolation. */
export type BundleErrorParams = Record<string, string | number | boolean | null>;

export class BundleError extends Error {
  readonly code: BundleErrorCode;
  readonly params: BundleErrorParams;

  constructor(code: BundleErrorCode, params: BundleErrorParams = {}, options?: { cause?: unknown }) {
    const detail = Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : '';
    super(`${code}${detail}`, options);
    this.name = 'BundleError';
    this.code = code;
    this.params = params;
  }

  /** The envelope shape used across the process boundary. */
  toJSON(): { code: BundleErrorCode; params: BundleErrorParams; message: string } {
    return { code: this.code, params: this.params, message: this.message };
  }
}

export function isBundleError(err: unknown, code?: BundleErrorCode): err is BundleError {
  return err instanceof BundleError && (code === undefined || err.code === code);
}
