import fs from 'node:fs';
import path from 'node:path';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import { AppFailure } from '../../../shared/result';
import { assetsDir } from '../paths';

let cached: { file: string; mtimeMs: number; calendar: WorkCalendar } | undefined;

/** The working-day calendar shipped in assets/calendar/kz.json (re-read when the file changes). */
export function workCalendar(): WorkCalendar {
  const file = path.join(assetsDir(), 'calendar', 'kz.json');
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    throw new AppFailure('cases.calendar_unavailable', { file });
  }
  if (cached && cached.file === file && cached.mtimeMs === mtimeMs) return cached.calendar;
  const parsed = parseCalendar(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
  if (!parsed.ok) throw new AppFailure('cases.calendar_unavailable', { file, message: parsed.error });
  cached = { file, mtimeMs, calendar: parsed.value };
  return parsed.value;
}

/** Today's date in Kazakhstan (UTC+5, one zone since 1 March 2024). */
export function kzToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);
}
