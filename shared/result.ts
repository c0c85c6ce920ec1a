/** Values that may cross a process boundary in an error: JSON scalars only. */
export type ErrorParam = string | number | boolean | null;

/** An application error as data: a stable code (an i18n key under `errors.`) and its parameters. */
export interface AppError {
  code: string;
  params?: Record<string, ErrorParam>;
}

/** The envelope every API call returns; the renderer never sees a raw exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Builds a success envelope. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Builds a failure envelope. */
export const fail = (code: string, params?: Record<string, ErrorParam>): Result<never> =>
  params ? { ok: false, error: { code, params } } : { ok: false, error: { code } };

/** An error thrown inside the core; dispatch turns it into `{ok:false,error}`. */
export class AppFailure extends Error {
  readonly code: string;
  readonly params: Record<string, ErrorParam> | undefined;
  constructor(code: string, params?: Record<string, ErrorParam>) {
    super(params ? `${code} ${JSON.stringify(params)}` : code);
    this.name = 'AppFailure';
    this.code = code;
    this.params = params;
  }
  toError(): AppError {
    return this.params ? { code: this.code, params: this.params } : { code: this.code };
  }
}
