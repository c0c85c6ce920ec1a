/**
 * Kazakhstan's working-day calendar (five-day week) as data plus the rules that turn it into days.
 *
 * The data file (assets/calendar/kz.json, replaceable by a file the user imports) lists:
 * - fixed public holidays by month/day, each with `transfer`: whether a holiday on Saturday or
 *   Sunday moves its day off to the next working day (religious days - 7 January, Kurban Ait -
 *   do not move);
 * - per year: the first day of Kurban Ait, the extra days off and working weekend days of that
 *   year's transfer act, whether the year was checked against a published calendar, and sources.
 *
 * Policy: a year missing from the data is still computed from the fixed holidays and the weekend
 * rule (no Kurban Ait, no transfer act), and callers must say the result is unconfirmed.
 *
 * Dates are ISO 'YYYY-MM-DD' strings. Arithmetic goes through UTC day numbers so that no local
 * time zone or daylight-saving rule can shift a day.
 */

import { isNoteText, type NoteText } from './note-text';

export type IsoDate = string;

export interface CalendarHoliday {
  /** Stable id, also the i18n key `calendar.holiday.<id>` in the `rules` namespace. */
  id: string;
  month: number;
  day: number;
  /** True when a holiday on a weekend moves the day off to the next working day. */
  transfer: boolean;
}

export interface CalendarYear {
  /** True only when the year was checked against a published official calendar. */
  confirmed: boolean;
  /** First day of Kurban Ait (a day off, never transferred), or null when unknown. */
  kurbanAit: IsoDate | null;
  /** Weekdays made days off by the year's transfer act. */
  extraDaysOff: IsoDate[];
  /** Saturdays or Sundays made working days by the year's transfer act. */
  workingWeekendDays: IsoDate[];
  /** Where the year's data comes from: shipped in kk and ru, or as the user typed it. */
  sources: NoteText[];
  note?: NoteText;
}

export interface WorkCalendar {
  schema: 'htmp.calendar/1';
  country: string;
  description?: NoteText;
  holidays: CalendarHoliday[];
  years: Record<string, CalendarYear>;
}

/** Why a day is not a working day. */
export type DayOffReason =
  | { kind: 'weekend' }
  | { kind: 'holiday'; holiday: string }
  | { kind: 'transfer'; holiday: string }
  | { kind: 'decree' };

export const KURBAN_AIT_ID = 'kurban_ait';

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  return toIsoDate(Date.UTC(y, mo - 1, d) / MS_PER_DAY) === s;
}

/** Days since 1970-01-01 for an ISO date (throws on a malformed date: a programming error). */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
  const t = new Date(0);
  // setUTCFullYear keeps years 0-99 literal, unlike Date.UTC.
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(t.getTime() / MS_PER_DAY);
}

/** ISO date of a day number. */
export function toIsoDate(day: number): IsoDate {
  const t = new Date(day * MS_PER_DAY);
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The ISO date `n` calendar days after `date` (negative goes back). */
export function addDays(date: IsoDate, n: number): IsoDate {
  return toIsoDate(dayNumber(date) + n);
}

/** Day of week, 0 = Sunday ... 6 = Saturday. */
export function weekday(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

interface YearDays {
  /** Weekday (Mon-Fri) days off with their reason. */
  off: Map<IsoDate, DayOffReason>;
  /** Weekend days that are working days. */
  workingWeekend: Set<IsoDate>;
  /** Holidays that fall on a weekend (shown as holidays, no extra effect). */
  weekendHolidays: Map<IsoDate, string>;
}

// Each data object is immutable once parsed, so per-year results can be cached against it.
const cache = new WeakMap<WorkCalendar, Map<number, YearDays>>();

function computeYear(year: number, data: WorkCalendar): YearDays {
  let perData = cache.get(data);
  if (!perData) {
    perData = new Map();
    cache.set(data, perData);
  }
  const hit = perData.get(year);
  if (hit) return hit;

  const entry = data.years[String(year)];
  const holidays: { date: IsoDate; id: string; transfer: boolean }[] = [];
  for (const h of data.holidays) {
    const date = `${String(year).padStart(4, '0')}-${pad2(h.month)}-${pad2(h.day)}`;
    if (isIsoDate(date)) holidays.push({ date, id: h.id, transfer: h.transfer });
  }
  if (entry?.kurbanAit) holidays.push({ date: entry.kurbanAit, id: KURBAN_AIT_ID, transfer: false });
  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const off = new Map<IsoDate, DayOffReason>();
  const weekendHolidays = new Map<IsoDate, string>();
  for (const h of holidays) {
    if (isWeekend(h.date)) weekendHolidays.set(h.date, h.id);
    else off.set(h.date, { kind: 'holiday', holiday: h.id });
  }
  // Weekday holidays are placed first, so that a transferred day skips them (Nauryz 2026:
  // Sat 21 and Sun 22 move past Mon 23 to Tue 24 and Wed 25).
  for (const h of holidays) {
    if (!h.transfer || !isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || off.has(d)) d = addDays(d, 1);
    off.set(d, { kind: 'transfer', holiday: h.id });
  }
  for (const d of entry?.extraDaysOff ?? []) if (!off.has(d)) off.set(d, { kind: 'decree' });
  const workingWeekend = new Set(entry?.workingWeekendDays ?? []);

  const result: YearDays = { off, workingWeekend, weekendHolidays };
  perData.set(year, result);
  return result;
}

/**
 * Weekdays (Monday-Friday) of `year` that are days off, sorted: holidays, transferred days and
 * the transfer act's extra days. Saturdays and Sundays are left out, being off anyway.
 */
export function daysOff(year: number, data: WorkCalendar): IsoDate[] {
  // A late-December weekend holiday of the previous year may move its day off into this year.
  const keys = [...computeYear(year - 1, data).off.keys(), ...computeYear(year, data).off.keys()];
  return [...new Set(keys)].filter((d) => yearOf(d) === year && !isWeekend(d)).sort();
}

/** Saturdays and Sundays of `year` made working days by the transfer act. */
export function workingWeekendDays(year: number, data: WorkCalendar): IsoDate[] {
  return [...computeYear(year, data).workingWeekend].sort();
}

/** Why `date` is not a working day, or null when it is one. */
export function dayOffReason(date: IsoDate, data: WorkCalendar): DayOffReason | null {
  const days = computeYear(yearOf(date), data);
  if (days.workingWeekend.has(date)) return null;
  const weekdayOff = days.off.get(date) ?? computeYear(yearOf(date) - 1, data).off.get(date);
  if (weekdayOff) return weekdayOff;
  if (isWeekend(date)) {
    const holiday = days.weekendHolidays.get(date);
    return holiday ? { kind: 'holiday', holiday } : { kind: 'weekend' };
  }
  return null;
}

/** True when `date` is a working day in a five-day week. */
export function isWorkingDay(date: IsoDate, data: WorkCalendar): boolean {
  return dayOffReason(date, data) === null;
}

/** True only when the data marks `year` as checked against a published calendar. */
export function yearConfirmed(year: number, data: WorkCalendar): boolean {
  return data.years[String(year)]?.confirmed === true;
}

export type ParseResult = { ok: true; value: WorkCalendar } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Checks a calendar file's parsed JSON before use and returns a clean copy.
 * Errors name the first offending path (`years.2026.kurbanAit: ...`) for the person importing it.
 */
export function parseCalendar(json: unknown): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error });
  if (!isRecord(json)) return fail('root: not an object');
  if (json.schema !== 'htmp.calendar/1') return fail('schema: expected "htmp.calendar/1"');
  if (typeof json.country !== 'string' || json.country === '') return fail('country: not a string');
  if (json.description !== undefined && !isNoteText(json.description)) return fail('description: not a text (or {kk, ru})');
  if (!Array.isArray(json.holidays)) return fail('holidays: not an array');

  const holidays: CalendarHoliday[] = [];
  const ids = new Set<string>();
  const monthDays = new Set<string>();
  for (const [i, h] of json.holidays.entries()) {
    const at = `holidays[${i}]`;
    if (!isRecord(h)) return fail(`${at}: not an object`);
    if (typeof h.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(h.id)) return fail(`${at}.id: expected snake_case id`);
    if (h.id === KURBAN_AIT_ID) return fail(`${at}.id: "${KURBAN_AIT_ID}" is set per year, not as a fixed holiday`);
    if (ids.has(h.id)) return fail(`${at}.id: duplicate "${h.id}"`);
    if (typeof h.month !== 'number' || typeof h.day !== 'number') return fail(`${at}: month and day must be numbers`);
    // 2000 is a leap year, so 29 February passes here; such a holiday would be skipped in other years.
    if (!Number.isInteger(h.month) || !Number.isInteger(h.day) || !isIsoDate(`2000-${pad2(h.month)}-${pad2(h.day)}`)) {
      return fail(`${at}: no such day ${String(h.month)}/${String(h.day)}`);
    }
    const md = `${h.month}-${h.day}`;
    if (monthDays.has(md)) return fail(`${at}: two holidays on ${h.day}.${h.month}`);
    if (typeof h.transfer !== 'boolean') return fail(`${at}.transfer: not a boolean`);
    ids.add(h.id);
    monthDays.add(md);
    holidays.push({ id: h.id, month: h.month, day: h.day, transfer: h.transfer });
  }

  if (!isRecord(json.years)) return fail('years: not an object');
  const years: Record<string, CalendarYear> = {};
  for (const [key, y] of Object.entries(json.years)) {
    const at = `years.${key}`;
    if (!/^[0-9]{4}$/.test(key)) return fail(`${at}: key must be a four-digit year`);
    if (!isRecord(y)) return fail(`${at}: not an object`);
    if (typeof y.confirmed !== 'boolean') return fail(`${at}.confirmed: not a boolean`);
    const inYear = (d: unknown): boolean => isIsoDate(d) && d.startsWith(`${key}-`);
    if (y.kurbanAit !== null && !inYear(y.kurbanAit)) return fail(`${at}.kurbanAit: expected a date in ${key} or null`);
    if (!isStringArray(y.extraDaysOff)) return fail(`${at}.extraDaysOff: not an array of dates`);
    for (const d of y.extraDaysOff) {
      if (!inYear(d)) return fail(`${at}.extraDaysOff: ${d} is not a date in ${key}`);
      if (isWeekend(d)) return fail(`${at}.extraDaysOff: ${d} is a weekend day already`);
    }
    if (!isStringArray(y.workingWeekendDays)) return fail(`${at}.workingWeekendDays: not an array of dates`);
    for (const d of y.workingWeekendDays) {
      if (!inYear(d)) return fail(`${at}.workingWeekendDays: ${d} is not a date in ${key}`);
      if (!isWeekend(d)) return fail(`${at}.workingWeekendDays: ${d} is not a Saturday or Sunday`);
    }
    if (!Array.isArray(y.sources) || !y.sources.every(isNoteText)) return fail(`${at}.sources: not an array of texts (or {kk, ru})`);
    // A confirmed year must say where it was confirmed; otherwise the flag means nothing.
    if (y.confirmed && y.sources.length === 0) return fail(`${at}.sources: a confirmed year needs a source`);
    if (y.note !== undefined && !isNoteText(y.note)) return fail(`${at}.note: not a text (or {kk, ru})`);
    const year: CalendarYear = {
      confirmed: y.confirmed,
      kurbanAit: y.kurbanAit as IsoDate | null,
      extraDaysOff: [...y.extraDaysOff],
      workingWeekendDays: [...y.workingWeekendDays],
      sources: y.sources.map((x: NoteText) => (typeof x === 'string' ? x : { kk: x.kk, ru: x.ru })),
    };
    if (y.note !== undefined) year.note = typeof y.note === 'string' ? y.note : { kk: y.note.kk, ru: y.note.ru };
    years[key] = year;
  }

  const value: WorkCalendar = { schema: 'htmp.calendar/1', country: json.country, holidays, years };
  if (json.description !== undefined) value.description = json.description;
  return { ok: true, value };
}
