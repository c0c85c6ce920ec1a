import { ZodError } from 'zod';
import { accessOf, auditActionOf, isAuthMethod, localOnlyArgOf, roleAllows } from '../../shared/contract/access';
import { argSchemas, isMethodName, type MethodName } from '../../shared/contract';
import { cleanTexts } from '../../shared/domain/text-safety';
import { AppFailure, type Result } from '../../shared/result';
import { subjectOf } from './auth/audit';
import { withPendingAudit, type Actor, type PendingAudit } from './auth/current';
import type { Security } from './auth/security';
import { LOCAL_CALLER, type Caller, type CoreContext, type Handlers } from './context';
import { dbFailure } from './db-errors';

/** Calls that do not count as the user's activity (polling must not keep a session awake). */
const PASSIVE = new Set<string>(['exchange.jobs']);

export interface DispatchDeps {
  handlers: Handlers;
  security: Security;
  /** The context of the open (encrypted) database. */
  context: CoreContext;
  /** The context of the plain reference database, for public methods while nobody is signed in. */
  referenceContext(): CoreContext;
  /** After a successful call (the core refreshes the reference copy after writes to reference data). */
  after?(method: MethodName): void;
}

/**
 * The one door: validates the argument, checks the caller's session and role against the
 * method's access level (shared/contract/access.ts), runs the handler as the signed-in user,
 * records the audit trail, and wraps the outcome in the result envelope. Nothing thrown inside
 * the core reaches a caller as an exception.
 */
export function createDispatcher(deps: DispatchDeps) {
  const { handlers, security } = deps;
  return async function dispatch(method: string, rawArgs: unknown, caller: Caller = LOCAL_CALLER): Promise<Result<unknown>> {
    if (!isMethodName(method)) return { ok: false, error: { code: 'api.unknown_method', params: { method } } };
    // Every text enters in NFC, and none may carry control, NUL or bidi-override characters
    // (issue 12, point 10): checked here once for every method and every host.
    const texts = cleanTexts(rawArgs ?? {});
    if (texts.problem) return { ok: false, error: { code: 'input.control_chars', params: { field: texts.problem.field, char: texts.problem.char } } };
    const parsed = argSchemas[method].safeParse(texts.value);
    if (!parsed.success) return { ok: false, error: invalidArgument(parsed.error) };
    // The page never names a file or folder on disk (issue 12.2): it uploads and downloads.
    if (caller.channel !== 'local') {
      const field = localOnlyArgOf(method, parsed.data);
      if (field) return { ok: false, error: { code: 'api.path_not_allowed', params: { field, method } } };
    }
    const handler = handlers[method] as (args: unknown, c: CoreContext, who: Caller) => unknown;
    const need = accessOf(method);
    const action = auditActionOf(method);
    let actor: Actor | null = null;
    let subject: { caseId: string | null; patientIin: string | null } = { caseId: null, patientIin: null };
    let owed: PendingAudit | null = null;
    try {
      if (isAuthMethod(method)) return { ok: true, value: await handler(parsed.data, deps.context, caller) };
      const session = security.session(caller);
      if (session?.locked) return { ok: false, error: { code: 'auth.locked' } };
      if (need === 'public') {
        if (session && security.state === 'open') {
          actor = security.actorFor(session);
          return { ok: true, value: await security.runAs(actor, () => handler(parsed.data, deps.context, caller)) };
        }
        const ctx = security.state === 'open' ? deps.context : deps.referenceContext();
        return { ok: true, value: await security.runAs(null, () => handler(parsed.data, ctx, caller)) };
      }
      if (!session || security.state !== 'open') return { ok: false, error: { code: security.state === 'setup' ? 'auth.setup_required' : 'auth.required' } };
      actor = security.actorFor(session);
      if (action) subject = subjectOf(deps.context.db, method, parsed.data, null);
      if (!roleAllows(actor.role, need)) throw new AppFailure('auth.forbidden', { role: actor.role, need });
      if (!PASSIVE.has(method)) security.touch(session);
      // The audit row travels in the call's first write transaction (one write lock per call;
      // the chain's previous hash read under it): see PendingAudit.
      const who = actor;
      const db = deps.context.db;
      owed = action
        ? {
            db,
            written: false,
            changes: [],
            write() {
              let s = subject;
              if (!s.caseId) {
                const created = this.changes.find((c) => c.table === 'cases')?.recordId;
                if (created && (method === 'cases.save' || method === 'cases.import')) s = subjectOf(db, method, { ...(parsed.data as object), caseId: created }, null);
              }
              subject = s;
              security.audit({ userId: who.userId, userName: who.login, action, method, outcome: 'ok', caseId: s.caseId, patientIin: s.patientIin, detail: detailOf(method, parsed.data) });
            },
          }
        : null;
      const value = await security.runAs(actor, () => withPendingAudit(owed, () => handler(parsed.data, deps.context, caller)));
      if (action && owed && !owed.written) {
        // A job the call left running (its context carries `owed`) must not append a second row.
        owed.written = true;
        if (!subject.caseId) subject = subjectOf(deps.context.db, method, parsed.data, value);
        security.audit({ userId: actor.userId, userName: actor.login, action, method, outcome: 'ok', caseId: subject.caseId, patientIin: subject.patientIin, detail: detailOf(method, parsed.data) });
      }
      deps.after?.(method);
      return { ok: true, value };
    } catch (err) {
      const error = err instanceof AppFailure ? err.toError() : err instanceof ZodError ? invalidArgument(err) : null;
      // A failed call is recorded with its outcome; when a write of it had already committed
      // with its `ok` row (a later step failed), this second row says how the call ended.
      if (actor && action) {
        if (owed) owed.written = true;
        try {
          security.audit({ userId: actor.userId, userName: actor.login, action, method, outcome: error?.code ?? 'api.internal', caseId: subject.caseId, patientIin: subject.patientIin, detail: detailOf(method, parsed.data) });
        } catch {
          /* the refusal still goes back */
        }
      }
      if (error) return { ok: false, error };
      // The disk filled up, another program holds the database, the file was damaged: the
      // user's words for it, and nothing half-written (the transaction rolled back).
      const db = dbFailure(err, deps.context.dataDir);
      if (db) return { ok: false, error: db.toError() };
      // Log the technical detail locally; the caller gets a translated, generic message.
      console.error(`[htmp] ${method as MethodName} failed:`, err);
      return { ok: false, error: { code: 'api.internal', params: { method, message: err instanceof Error ? err.message : String(err) } } };
    }
  };
}

/** What an audit row keeps of the argument: small scalars that say what was done, never content or secrets. */
function detailOf(method: string, args: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!args || typeof args !== 'object') return out;
  for (const [k, v] of Object.entries(args as Record<string, unknown>)) {
    if (/passphrase|pin|data|content|text|recovery/i.test(k)) continue;
    if (typeof v === 'boolean' || typeof v === 'number' || (typeof v === 'string' && v.length <= 80 && ['kind', 'lang', 'outcome', 'status', 'choice', 'role', 'reason', 'layout', 'from', 'to', 'year', 'name', 'login', 'userId', 'fileId', 'decisionId', 'sheetId', 'out', 'file', 'installationId'].includes(k))) {
      out[k] = v;
    }
  }
  if (method === 'exchange.export' && Array.isArray((args as { caseIds?: unknown }).caseIds)) out['cases'] = (args as { caseIds: unknown[] }).caseIds.length;
  return out;
}

function invalidArgument(error: ZodError) {
  const issue = error.issues[0];
  return {
    code: 'api.invalid_argument',
    params: { field: issue ? issue.path.join('.') || '(root)' : '(root)', issue: issue?.message ?? 'invalid' },
  };
}
