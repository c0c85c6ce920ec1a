import type { CalendarView } from '../../../shared/contract';
import { dayOffReason, daysOff, parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import { addWorkingDays, localDatePart } from '../../../shared/domain/deadline';
import { AppFailure } from '../../../shared/result';
import { CALENDAR_OVERRIDE_KEY, localCalendar, workCalendar } from '../cases/calendar';
import type { CoreContext, Handlers } from '../context';
import { refreshOpenCases } from './cases';

/** The calendar as the settings screen shows it: each year with its computed days off. */
export function calendarView(ctx: CoreContext): CalendarView {
  const cal = workCalendar(ctx.db);
  return {
    source: localCalendar(ctx.db) ? 'local' : 'shipped',
    calendar: cal,
    years: Object.keys(cal.years)
      .map(Number)
      .sort((a, b) => a - b)
      .map((year) => {
        const y = cal.years[String(year)]!;
        return {
          year,
          confirmed: y.confirmed,
          kurbanAit: y.kurbanAit,
          extraDaysOff: [...y.extraDaysOff],
          workingWeekendDays: [...y.workingWeekendDays],
          daysOff: daysOff(year, cal).map((date) => {
            const r = dayOffReason(date, cal);
            return { date, reason: r?.kind === 'transfer' ? 'transfer' : r?.kind === 'decree' ? 'decree' : 'holiday', holiday: r && 'holiday' in r ? r.holiday : null } as const;
          }),
          sources: [...y.sources],
          note: y.note ?? null,
        };
      }),
  };
}

/**
 * Stores a validated local calendar and recomputes the deadlines of open cases, in one
 * transaction: a bad file changes nothing.
 */
export function replaceCalendar(ctx: CoreContext, raw: unknown): CalendarView {
  const parsed = parseCalendar(raw);
  if (!parsed.ok) throw new AppFailure('calendar.invalid', { detail: parsed.error });
  ctx.db.transaction(() => {
    ctx.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CALENDAR_OVERRIDE_KEY, JSON.stringify(parsed.value));
    refreshOpenCases(ctx);
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'calendar' } });
  return calendarView(ctx);
}

export const calendarHandlers: Pick<Handlers, 'calendar.get' | 'calendar.replace' | 'calendar.setYear' | 'calendar.reset' | 'calendar.deadline'> = {
  'calendar.get': (_a, ctx) => calendarView(ctx),
  'calendar.replace': (a, ctx) => replaceCalendar(ctx, a.calendar),
  'calendar.setYear': (a, ctx) => {
    const cal: WorkCalendar = structuredClone(workCalendar(ctx.db));
    const prev = cal.years[String(a.year)];
    cal.years[String(a.year)] = {
      confirmed: a.confirmed,
      kurbanAit: a.kurbanAit,
      extraDaysOff: [...new Set(a.extraDaysOff)].sort(),
      workingWeekendDays: [...new Set(a.workingWeekendDays)].sort(),
      sources: a.sources ?? prev?.sources ?? [],
      ...(a.note ? { note: a.note } : prev?.note ? { note: prev.note } : {}),
    };
    return replaceCalendar(ctx, cal);
  },
  'calendar.reset': (_a, ctx) => {
    ctx.db.transaction(() => {
      ctx.db.prepare('DELETE FROM meta WHERE key = ?').run(CALENDAR_OVERRIDE_KEY);
      refreshOpenCases(ctx);
    })();
    ctx.emit({ type: 'data.changed', payload: { area: 'calendar' } });
    return calendarView(ctx);
  },
  'calendar.deadline': (a, ctx) => {
    if (localDatePart(a.from) === null) throw new AppFailure('cases.bad_datetime', { value: a.from });
    const d = addWorkingDays(a.from, a.workingDays, workCalendar(ctx.db));
    return { due: d.due, workingDays: d.workingDays, calendarConfirmed: d.calendarConfirmed, unconfirmedYears: d.unconfirmedYears };
  },
};
