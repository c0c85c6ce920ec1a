import { z } from 'zod';
import { lazySchemas } from './lazy';
import { LANGS, type Lang } from './app';
import { memberSchema, type Member } from './cases';

/**
 * Preferences of the signed-in user, kept by the app in its (encrypted) database, per user and
 * per installation, never in a browser's storage (issue 13): the interface language, the members
 * last used at a decision, and the unsaved edits of case forms (offered back when the case is
 * opened again, after a closed tab or a restarted host). Not carried by sync: they belong to
 * this user on this installation.
 */
export interface PrefsView {
  /** The interface language this user chose; null: the installation's. */
  language: Lang | null;
  /** The members present at this user's last decision, null before the first. */
  lastMembers: Member[] | null;
  /** Cases with unsaved edits of this user (newest first), of cases that still exist. */
  drafts: { caseId: string; savedAt: string; patient: string }[];
}

/** Unsaved edits of a case form, as the form keeps them (opaque to the core). */
export interface CaseDraftView {
  caseId: string;
  /** The case's `updatedAt` the edits started from. */
  base: string;
  form: unknown;
  /** When the edits were last written, in Kazakhstan time. */
  savedAt: string;
}

const uuid = z.string().min(1).max(64);

/** A draft's JSON may not exceed this many characters (a form is a few kilobytes). */
export const MAX_DRAFT_CHARS = 256 * 1024;

export const prefsSchemas = lazySchemas(['prefs'], () => ({
  'prefs.get': z.object({}).strict(),
  'prefs.set': z
    .object({
      language: z.enum(LANGS).nullable().optional(),
      lastMembers: z.array(memberSchema).max(50).nullable().optional(),
    })
    .strict(),
  'prefs.putDraft': z.object({ caseId: uuid, base: z.string().max(64), form: z.unknown() }).strict(),
  'prefs.getDraft': z.object({ caseId: uuid }).strict(),
  'prefs.dropDraft': z.object({ caseId: uuid }).strict(),
}));

export interface PrefsMethods {
  'prefs.get': { args: Record<string, never>; result: PrefsView };
  'prefs.set': { args: z.infer<(typeof prefsSchemas)['prefs.set']>; result: PrefsView };
  'prefs.putDraft': { args: z.infer<(typeof prefsSchemas)['prefs.putDraft']>; result: { savedAt: string } };
  /** The user's unsaved edits of a case, or null. */
  'prefs.getDraft': { args: z.infer<(typeof prefsSchemas)['prefs.getDraft']>; result: { draft: CaseDraftView | null } };
  'prefs.dropDraft': { args: z.infer<(typeof prefsSchemas)['prefs.dropDraft']>; result: { dropped: boolean } };
}

/** Error codes of the prefs area (`errors.<code>` in locales/<lang>/setup.json). */
export const PREFS_ERROR_CODES = ['prefs.draft_too_large'] as const;
