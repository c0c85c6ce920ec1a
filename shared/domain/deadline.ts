/**
 * Deadlines in working days (ДСМ-238 point 35: the commission reviews a packet "within two working
 * days of its receipt"; points 38 and 39 use the same measure).
 *
 * Reading of "within N working days of receipt": the day of receipt is not counted, even when the
 * packet arrives early on a working day; the deadline is the end of the N-th working day after it.
 * Received Fri 20 Mar 2026 -> Sat 21 to Wed 25 are off (Nauryz) -> due end of Fri 27 Mar.
 *
 * Times are Kazakhstan local time as written by the user or the sending system; only the date part
 * is used, exactly as written, whatever offset follows it. Callers must store local times.
 */

import { addDays, isIsoDate, isWorkingDay, yearConfirmed, type IsoDate, type WorkCalendar } from './calendar';

/** Working days the commission has to review a packet (point 35 subpoint 1). */
export const REVIEW_WORKING_DAYS = 2;

export interface Deadline {
  /** Last day of the period: the deadline is the end of this day. */
  due: IsoDate;
  /** The working days counted, in order; the last one is `due`. */
  workingDays: IsoDate[];
  /** False when any day after receipt up to `due` lies in a year missing or unconfirmed in the data. */
  calendarConfirmed: boolean;
  /** Those years, so the UI can name them. */
  unconfirmedYears: number[];
}

// 'YYYY-MM-DD', optionally 'THH:mm', ':ss', fractions, and 'Z' or '+HH:MM' / '+HHMM'.
const LOCAL_DATE_TIME =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?$/;

// Ten years of calendar days: no real deadline comes near; a broken calendar file could.
const MAX_SPAN_DAYS = 3660;

/** The date part of a local date-time as written, or null when the text is not one. */
export function localDatePart(dateTime: string): IsoDate | null {
  if (typeof dateTime !== 'string') return null;
  const m = LOCAL_DATE_TIME.exec(dateTime.trim());
  const date = m?.[1];
  return date !== undefined && isIsoDate(date) ? date : null;
}

/**
 * The end of the `n`-th working day after the day of `fromIsoDateTime` (that day not counted).
 * Throws RangeError on a malformed date-time or a negative or fractional `n`: callers validate input.
 */
export function addWorkingDays(fromIsoDateTime: string, n: number, data: WorkCalendar): Deadline {
  const start = localDatePart(fromIsoDateTime);
  if (start === null) throw new RangeError(`not a local date-time: ${String(fromIsoDateTime)}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a working-day count: ${String(n)}`);

  const workingDays: IsoDate[] = [];
  const unconfirmed = new Set<number>();
  let day = start;
  for (let step = 0; workingDays.length < n; step++) {
    if (step >= MAX_SPAN_DAYS) throw new RangeError('calendar has no working days in range');
    day = addDays(day, 1);
    const year = Number(day.slice(0, 4));
    if (!yearConfirmed(year, data)) unconfirmed.add(year);
    if (isWorkingDay(day, data)) workingDays.push(day);
  }
  const unconfirmedYears = [...unconfirmed].sort((a, b) => a - b);
  return { due: day, workingDays, calendarConfirmed: unconfirmedYears.length === 0, unconfirmedYears };
}

/** The commission's review deadline for a packet received at `receivedAt` (2 working days). */
export function reviewDue(receivedAt: string, data: WorkCalendar): Deadline {
  return addWorkingDays(receivedAt, REVIEW_WORKING_DAYS, data);
}
