import { z } from 'zod';
import type { DueView } from './cases';

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
}

export interface FileProblem {
  sha256: string;
  status: 'missing' | 'damaged';
  cases: string[];
  records: { table: string; id: string }[];
}

export interface Settings {
  language: Lang;
  commissionName: string;
  authorityName: string;
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
  sources: string[];
  note: string | null;
}

export interface CalendarView {
  source: 'shipped' | 'local';
  /** The whole calendar document (htmp.calendar/1), for export or editing. */
  calendar: unknown;
  years: CalendarYearView[];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const appSchemas = {
  'app.info': z.object({}).strict(),
  'db.info': z.object({}).strict(),
  'db.check': z.object({}).strict(),
  'settings.get': z.object({}).strict(),
  'settings.update': z
    .object({
      language: z.enum(LANGS).optional(),
      commissionName: z.string().max(300).optional(),
      authorityName: z.string().max(300).optional(),
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
};

export interface AppMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'db.info': { args: Record<string, never>; result: DbInfo };
  'db.check': { args: Record<string, never>; result: DbCheck };
  'settings.get': { args: Record<string, never>; result: Settings };
  'settings.update': { args: z.infer<(typeof appSchemas)['settings.update']>; result: Settings };
  'calendar.get': { args: Record<string, never>; result: CalendarView };
  /** Replaces the local calendar with a whole document (e.g. from a file); validated first. */
  'calendar.replace': { args: { calendar: unknown }; result: CalendarView };
  'calendar.setYear': { args: z.infer<(typeof appSchemas)['calendar.setYear']>; result: CalendarView };
  /** Drops the local calendar: deadlines use the shipped data again. */
  'calendar.reset': { args: Record<string, never>; result: CalendarView };
  'calendar.deadline': { args: z.infer<(typeof appSchemas)['calendar.deadline']>; result: DueView };
}
