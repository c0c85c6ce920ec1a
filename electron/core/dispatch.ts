import { ZodError } from 'zod';
import { argSchemas, isMethodName, type MethodName } from '../../shared/contract';
import { cleanTexts } from '../../shared/domain/text-safety';
import { AppFailure, type Result } from '../../shared/result';
import { LOCAL_CALLER, type Caller, type CoreContext, type Handlers } from './context';
import { dbFailure } from './db-errors';

/**
 * Validates the argument, calls the handler and wraps the outcome in the result envelope.
 * Nothing thrown inside the core reaches a caller as an exception.
 */
export function createDispatcher(handlers: Handlers, ctx: CoreContext) {
  return async function dispatch(method: string, rawArgs: unknown, caller: Caller = LOCAL_CALLER): Promise<Result<unknown>> {
    if (!isMethodName(method)) return { ok: false, error: { code: 'api.unknown_method', params: { method } } };
    // Every text enters in NFC, and none may carry control, NUL or bidi-override characters
    // (issue 12, point 10): checked here once for every method and every host.
    const texts = cleanTexts(rawArgs ?? {});
    if (texts.problem) return { ok: false, error: { code: 'input.control_chars', params: { field: texts.problem.field, char: texts.problem.char } } };
    const parsed = argSchemas[method].safeParse(texts.value);
    if (!parsed.success) return { ok: false, error: invalidArgument(parsed.error) };
    try {
      const handler = handlers[method] as (args: unknown, c: CoreContext, who: Caller) => unknown;
      return { ok: true, value: await handler(parsed.data, ctx, caller) };
    } catch (err) {
      if (err instanceof AppFailure) return { ok: false, error: err.toError() };
      if (err instanceof ZodError) return { ok: false, error: invalidArgument(err) };
      // The disk filled up, another program holds the database, the file was damaged: the
      // user's words for it, and nothing half-written (the transaction rolled back).
      const db = dbFailure(err, ctx.dataDir);
      if (db) return { ok: false, error: db.toError() };
      // Log the technical detail locally; the caller gets a translated, generic message.
      console.error(`[htmp] ${method as MethodName} failed:`, err);
      return { ok: false, error: { code: 'api.internal', params: { method, message: err instanceof Error ? err.message : String(err) } } };
    }
  };
}

function invalidArgument(error: ZodError) {
  const issue = error.issues[0];
  return {
    code: 'api.invalid_argument',
    params: { field: issue ? issue.path.join('.') || '(root)' : '(root)', issue: issue?.message ?? 'invalid' },
  };
}
