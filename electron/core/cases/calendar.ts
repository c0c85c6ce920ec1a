import fs from 'node:fs';
import path from 'node:path';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import { AppFailure } from '../../../shared/result';
import type { Db } from '../db';
import { assetsDir } from '../paths';

/** The meta key under which a local calendar (edited in settings or imported from a file) is kept. */
export const CALENDAR_OVERRIDE_KEY = 'calendar_override';

let shipped: { file: string; mtimeMs: number; checkedAt: number; calendar: WorkCalendar } | undefined;
/** How often the shipped file's date is looked at again (deadlines of a bulk import ask per case). */
const RECHECK_MS = 2000;
const overrideStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();
let local: { text: string; calendar: WorkCalendar } | undefined;

/** The working-day calendar shipped in assets/calendar/kz.json (re-read when the file changes). */
export function shippedCalendar(): WorkCalendar {
  const file = path.join(assetsDir(), 'calendar', 'kz.json');
  const now = Date.now();
  if (shipped && shipped.file === file && now - shipped.checkedAt < RECHECK_MS) return shipped.calendar;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    throw new AppFailure('cases.calendar_unavailable', { file });
  }
  if (shipped && shipped.file === file && shipped.mtimeMs === mtimeMs) {
    shipped.checkedAt = now;
    return shipped.calendar;
  }
  const parsed = parseCalendar(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
  if (!parsed.ok) throw new AppFailure('cases.calendar_unavailable', { file, message: parsed.error });
  shipped = { file, mtimeMs, checkedAt: now, calendar: parsed.value };
  return parsed.value;
}

/** The local calendar of this installation, if the user edited or imported one. */
export function localCalendar(db: Db): WorkCalendar | null {
  let st = overrideStatements.get(db);
  if (!st) overrideStatements.set(db, (st = db.prepare('SELECT value FROM meta WHERE key = ?')));
  const row = st.get(CALENDAR_OVERRIDE_KEY) as { value: string } | undefined;
  if (!row) return null;
  if (local && local.text === row.value) return local.calendar;
  const parsed = parseCalendar(JSON.parse(row.value) as unknown);
  // A stored calendar was validated when written; if it is somehow broken, the shipped one is safer.
  if (!parsed.ok) return null;
  local = { text: row.value, calendar: parsed.value };
  return parsed.value;
}

/**
 * The calendar deadlines are computed on: the local one when the user edited or imported one
 * (settings, or a catalogue-update file), else the shipped data.
 */
export function workCalendar(db?: Db): WorkCalendar {
  return (db && localCalendar(db)) || shippedCalendar();
}

export { kzToday } from '../../../shared/domain/kz-time';
