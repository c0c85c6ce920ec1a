import { createHash } from 'node:crypto';
import { SETUP_NAME_KEYS, SETUP_STEPS, type CalendarCheck, type SetupStatus } from '../../../shared/contract/setup';
import { kzNow, kzToday } from '../../../shared/domain/kz-time';
import { canonicalJson } from '../../../shared/canonical-json';
import { AppFailure } from '../../../shared/result';
import { currentActor } from '../auth/current';
import { workCalendar } from '../cases/calendar';
import type { CoreContext, Handlers } from '../context';
import { readSettings, standingMembers } from './app';

/** SHA-256 of a year's calendar data (what a confirmation vouches for), or null when absent. */
function yearHash(ctx: Pick<CoreContext, 'db'>, year: number): string | null {
  const y = workCalendar(ctx.db).years[String(year)];
  return y ? createHash('sha256').update(canonicalJson(y as never), 'utf8').digest('hex') : null;
}

interface CheckRow {
  year: number;
  data_sha256: string;
  user_id: string | null;
  user_name: string;
  at: string;
}

/**
 * Where the installation stands before its first protocol: the four names, the standing
 * members (a chair and a secretary at least, as a protocol needs), and the current year's
 * working-day calendar confirmed by a user since its data last changed.
 */
export function setupStatus(ctx: Pick<CoreContext, 'db'>, now: Date = new Date()): SetupStatus {
  const s = readSettings(ctx);
  const missingNames = SETUP_NAME_KEYS.filter((k) => s[k].trim() === '');
  const members = standingMembers(ctx);
  const missingMembers: SetupStatus['members']['missing'] = [];
  if (members.length === 0) missingMembers.push('none');
  if (!members.some((m) => m.role === 'chair')) missingMembers.push('chair');
  if (!members.some((m) => m.role === 'secretary')) missingMembers.push('secretary');
  const year = Number(kzToday(now).slice(0, 4));
  const data = workCalendar(ctx.db).years[String(year)];
  const row = ctx.db.prepare('SELECT * FROM calendar_checks WHERE year = ?').get(year) as CheckRow | undefined;
  const hash = yearHash(ctx, year);
  const check: CalendarCheck | null = row ? { year, userId: row.user_id, userName: row.user_name, at: row.at } : null;
  const changedSince = row !== undefined && row.data_sha256 !== hash;
  const done = {
    names: missingNames.length === 0,
    members: missingMembers.length === 0,
    calendar: data !== undefined && row !== undefined && !changedSince,
  };
  const count = SETUP_STEPS.filter((k) => done[k]).length;
  return {
    complete: count === SETUP_STEPS.length,
    done: count,
    total: SETUP_STEPS.length,
    next: SETUP_STEPS.find((k) => !done[k]) ?? null,
    names: { done: done.names, missing: missingNames },
    members: { done: done.members, count: members.length, missing: missingMembers },
    calendar: { done: done.calendar, year, inData: data !== undefined, sourced: data?.confirmed === true, check, changedSince },
  };
}

/** Records that the signed-in user checked the year's working days (replacing an earlier confirmation). */
function confirmCalendar(ctx: CoreContext, year: number): SetupStatus {
  const hash = yearHash(ctx, year);
  if (hash === null) throw new AppFailure('setup.calendar_year_missing', { year });
  const actor = currentActor();
  ctx.db
    .prepare(
      `INSERT INTO calendar_checks (year, data_sha256, user_id, user_name, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(year) DO UPDATE SET data_sha256 = excluded.data_sha256, user_id = excluded.user_id, user_name = excluded.user_name, at = excluded.at`,
    )
    .run(year, hash, actor?.userId ?? null, actor?.displayName ?? '', kzNow());
  ctx.emit({ type: 'data.changed', payload: { area: 'setup' } });
  return setupStatus(ctx);
}

export const setupHandlers: Pick<Handlers, 'setup.status' | 'setup.confirmCalendar'> = {
  'setup.status': (_a, ctx) => setupStatus(ctx),
  'setup.confirmCalendar': (a, ctx) => confirmCalendar(ctx, a.year),
};
