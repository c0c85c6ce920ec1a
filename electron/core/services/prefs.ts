import type { Lang } from '../../../shared/contract';
import type { Member } from '../../../shared/contract/cases';
import { MAX_DRAFT_CHARS, type CaseDraftView, type PrefsView } from '../../../shared/contract/prefs';
import { kzNow } from '../../../shared/domain/kz-time';
import { AppFailure } from '../../../shared/result';
import { currentActor } from '../auth/current';
import type { CoreContext, Handlers } from '../context';

/**
 * Each signed-in user's preferences and unsaved case-form edits, in the encrypted database (see
 * migration 0015-desk). Every method works on the calling user's own rows only: the user comes
 * from the session, never from the arguments.
 */
function userId(): string {
  const actor = currentActor();
  if (!actor) throw new AppFailure('auth.required');
  return actor.userId;
}

function readPref<T>(ctx: Pick<CoreContext, 'db'>, user: string, key: string): T | null {
  const row = ctx.db.prepare('SELECT value FROM user_prefs WHERE user_id = ? AND key = ?').get(user, key) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as T;
  } catch {
    return null; // a damaged value reads as not set
  }
}

function writePref(ctx: Pick<CoreContext, 'db'>, user: string, key: string, value: unknown): void {
  if (value === null) {
    ctx.db.prepare('DELETE FROM user_prefs WHERE user_id = ? AND key = ?').run(user, key);
    return;
  }
  ctx.db
    .prepare('INSERT INTO user_prefs (user_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(user, key, JSON.stringify(value), kzNow());
}

export function prefsView(ctx: Pick<CoreContext, 'db'>, user: string): PrefsView {
  const language = readPref<string>(ctx, user, 'language');
  const lastMembers = readPref<Member[]>(ctx, user, 'lastMembers');
  const drafts = ctx.db
    .prepare(
      `SELECT d.case_id AS caseId, d.saved_at AS savedAt, trim(p.last_name || ' ' || p.first_name || ' ' || coalesce(p.middle_name, '')) AS patient
         FROM case_drafts d JOIN cases c ON c.id = d.case_id JOIN patients p ON p.id = c.patient_id
        WHERE d.user_id = ? ORDER BY d.saved_at DESC LIMIT 50`,
    )
    .all(user) as PrefsView['drafts'];
  return {
    language: language === 'kk' || language === 'ru' ? (language as Lang) : null,
    lastMembers: Array.isArray(lastMembers) ? lastMembers : null,
    drafts,
  };
}

const caseExists = (ctx: Pick<CoreContext, 'db'>, id: string): boolean => ctx.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(id) !== undefined;

export const prefsHandlers: Pick<Handlers, 'prefs.get' | 'prefs.set' | 'prefs.putDraft' | 'prefs.getDraft' | 'prefs.dropDraft'> = {
  'prefs.get': (_a, ctx) => prefsView(ctx, userId()),
  'prefs.set': (a, ctx) => {
    const user = userId();
    ctx.db.transaction(() => {
      if (a.language !== undefined) writePref(ctx, user, 'language', a.language);
      // The screens before sign-in speak the language last chosen on this installation.
      if (a.language) {
        ctx.db
          .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
          .run('language', JSON.stringify(a.language), new Date().toISOString());
      }
      if (a.lastMembers !== undefined) writePref(ctx, user, 'lastMembers', a.lastMembers);
    })();
    ctx.emit({ type: 'data.changed', payload: { area: 'prefs' } });
    return prefsView(ctx, user);
  },
  'prefs.putDraft': (a, ctx) => {
    const user = userId();
    const form = JSON.stringify(a.form ?? null);
    if (form.length > MAX_DRAFT_CHARS) throw new AppFailure('prefs.draft_too_large', { size: form.length, max: MAX_DRAFT_CHARS });
    if (!caseExists(ctx, a.caseId)) throw new AppFailure('cases.not_found', { id: a.caseId });
    const savedAt = kzNow();
    ctx.db
      .prepare(
        `INSERT INTO case_drafts (user_id, case_id, base, form, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_id, case_id) DO UPDATE SET base = excluded.base, form = excluded.form, saved_at = excluded.saved_at`,
      )
      .run(user, a.caseId, a.base, form, savedAt);
    return { savedAt };
  },
  'prefs.getDraft': (a, ctx) => {
    const user = userId();
    const row = ctx.db.prepare('SELECT base, form, saved_at FROM case_drafts WHERE user_id = ? AND case_id = ?').get(user, a.caseId) as { base: string; form: string; saved_at: string } | undefined;
    if (!row) return { draft: null };
    // The case was deleted meanwhile: its edits have nowhere to go.
    if (!caseExists(ctx, a.caseId)) {
      ctx.db.prepare('DELETE FROM case_drafts WHERE user_id = ? AND case_id = ?').run(user, a.caseId);
      return { draft: null };
    }
    let form: unknown = null;
    try {
      form = JSON.parse(row.form) as unknown;
    } catch {
      form = null;
    }
    const draft: CaseDraftView = { caseId: a.caseId, base: row.base, form, savedAt: row.saved_at };
    return { draft };
  },
  'prefs.dropDraft': (a, ctx) => {
    const r = ctx.db.prepare('DELETE FROM case_drafts WHERE user_id = ? AND case_id = ?').run(userId(), a.caseId);
    return { dropped: r.changes > 0 };
  },
};
