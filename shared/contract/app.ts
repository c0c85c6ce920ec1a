import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { NoteText } from '../domain/note-text';
import { MEMBER_ROLES, type DueView } from './cases';

export const LANGS = ['kk', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web' | 'cli';
  versions: Record<string, string>;
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  installationId: string;
}

export interface DbInfo {
  path: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  sizeBytes: number;
  walBytes: number;
  pageSize: number;
  pageCount: number;
  tables: { name: string; rows: number }[];
  installationId: string;
}

export interface DbCheck {
  ok: boolean;
  integrity: string[];
  foreignKeyViolations: number;
  /**
   * The file store: every attachment a record names (columns `sha256`, `*_sha256`), read back and
   * hashed. Each missing or damaged file with the cases (and records) that use it.
   */
  files: { checked: number; problems: FileProblem[] };
  /**
   * The register's index of names (derived from the cases, keyed by their rowids): 'ok', or
   * 'rebuilt' when it did not match them (a tool renumbered the rows) and was made again.
   */
  searchIndex: 'ok' | 'rebuilt';
}

export interface FileProblem {
  sha256: string;
  status: 'missing' | 'damaged';
  cases: string[];
  records: { table: string; id: string }[];
}

/**
 * The local settings. The commission's name and the name of the local body of state health
 * administration it belongs to are kept in Kazakh and in Russian: a Kazakh document prints the
 * Kazakh names only, a Russian one the Russian names, a bilingual one both. Both languages are
 * required before a protocol can be issued.
 */
export interface Settings {
  language: Lang;
  commissionNameKk: string;
  commissionNameRu: string;
  authorityNameKk: string;
  authorityNameRu: string;
  /** The commission's name in the interface language (`language`), for what shows one name. */
  commissionName: string;
  /** The authority's name in the interface language (`language`). */
  authorityName: string;
  /** Minutes without activity before the app locks (1-240; default 10). */
  idleLockMinutes: number;
}

/** Text in both languages. */
export interface TextKkRu {
  kk: string;
  ru: string;
}

/**
 * A standing member of the commission (Settings): offered at every decision. Kept as user data
 * (the change log records who changed the commission's composition, and it travels in sync).
 */
export interface StandingMember {
  id: string;
  role: (typeof MEMBER_ROLES)[number];
  /** The name as signed; the same in both languages unless spelled differently. */
  name: TextKkRu;
  /** The position (job title), in both languages, or null when not given. */
  position: TextKkRu | null;
}

/** A year of the working-day calendar as the settings screen shows it. */
export interface CalendarYearView {
  year: number;
  confirmed: boolean;
  kurbanAit: string | null;
  extraDaysOff: string[];
  workingWeekendDays: string[];
  /** Every weekday off with its reason key (rules:calendar.*) for display. */
  daysOff: { date: string; reason: 'holiday' | 'transfer' | 'decree'; holiday: string | null }[];
  /** Shipped notes in kk and ru; what a user typed, as typed. */
  sources: NoteText[];
  note: NoteText | null;
}

export interface CalendarView {
  source: 'shipped' | 'local';
  /** The whole calendar document (htmp.calendar/1), for export or editing. */
  calendar: unknown;
  years: CalendarYearView[];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const appSchemas = lazySchemas(['app', 'calendar', 'db', 'settings'], () => ({
  'app.info': z.object({}).strict(),
  'db.info': z.object({}).strict(),
  'db.check': z.object({}).strict(),
  'settings.get': z.object({}).strict(),
  'settings.update': z
    .object({
      language: z.enum(LANGS).optional(),
      commissionNameKk: z.string().max(300).optional(),
      commissionNameRu: z.string().max(300).optional(),
      authorityNameKk: z.string().max(300).optional(),
      authorityNameRu: z.string().max(300).optional(),
      /** The name in the interface language: `language` of this call, else the stored one. */
      commissionName: z.string().max(300).optional(),
      authorityName: z.string().max(300).optional(),
      idleLockMinutes: z.number().int().min(1).max(240).optional(),
    })
    .strict(),
  /** The standing members of the commission, in order. */
  'settings.members': z.object({}).strict(),
  /**
   * Replaces the standing members as a whole (in the order given). A name may be given in one
   * language only (it is the same in the other); a position needs both languages or neither. At
   * most one chair and one secretary.
   */
  'settings.setMembers': z
    .object({
      members: z
        .array(
          z
            .object({
              role: z.enum(MEMBER_ROLES),
              name: z.object({ kk: z.string().max(200), ru: z.string().max(200) }).strict(),
              position: z.object({ kk: z.string().max(300), ru: z.string().max(300) }).strict().nullable().optional(),
            })
            .strict(),
        )
        .max(50),
    })
    .strict(),
  'calendar.get': z.object({}).strict(),
  'calendar.replace': z.object({ calendar: z.unknown() }).strict(),
  'calendar.setYear': z
    .object({
      year: z.number().int().min(2000).max(2100),
      confirmed: z.boolean(),
      kurbanAit: isoDate.nullable(),
      extraDaysOff: z.array(isoDate).max(60),
      workingWeekendDays: z.array(isoDate).max(60),
      /** Where the data comes from (the decree, the published calendar); a confirmed year needs one. */
      sources: z.array(z.string().min(1).max(300)).max(10).optional(),
      note: z.string().max(500).nullable().optional(),
    })
    .strict(),
  'calendar.reset': z.object({}).strict(),
  /** The day a span of working days ends, counted from a local date-time (CLI `htmp deadline`). */
  'calendar.deadline': z.object({ from: z.string().max(40), workingDays: z.number().int().min(0).max(366) }).strict(),
}));

export interface AppMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'db.info': { args: Record<string, never>; result: DbInfo };
  'db.check': { args: Record<string, never>; result: DbCheck };
  'settings.get': { args: Record<string, never>; result: Settings };
  'settings.update': { args: z.infer<(typeof appSchemas)['settings.update']>; result: Settings };
  'settings.members': { args: Record<string, never>; result: { members: StandingMember[] } };
  'settings.setMembers': { args: z.infer<(typeof appSchemas)['settings.setMembers']>; result: { members: StandingMember[] } };
  'calendar.get': { args: Record<string, never>; result: CalendarView };
  /** Replaces the local calendar with a whole document (e.g. from a file); validated first. */
  'calendar.replace': { args: { calendar: unknown }; result: CalendarView };
  'calendar.setYear': { args: z.infer<(typeof appSchemas)['calendar.setYear']>; result: CalendarView };
  /** Drops the local calendar: deadlines use the shipped data again. */
  'calendar.reset': { args: Record<string, never>; result: CalendarView };
  'calendar.deadline': { args: z.infer<(typeof appSchemas)['calendar.deadline']>; result: DueView };
}
