/** What a core call refused: the AppFailure, its code and params, or 'ok' (other errors are rethrown). */
import { AppFailure } from '../../shared/result';

/** The AppFailure the promise rejects with; a test failure when it resolves. */
export async function refusal(p: Promise<unknown>): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The code and params of the refusal (for toEqual / toMatchObject on both). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown> | undefined }> {
  const e = await refusal(p);
  return { code: e.code, params: e.params };
}

/** The refusal's code, or 'ok' when the call succeeds. */
export async function outcomeCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppFailure) return e.code;
    throw e;
  }
}
