import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addYears,
  afterApprovalSteps,
  checkAfterDates,
  followUpDue,
  NO_AFTER_FACTS,
  stepState,
  workingDaysBetween,
  type AfterFacts,
} from '../../../shared/domain/aftercare';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';

// The shipped calendar: 2026 is confirmed (days off 1-4 Jan, 7 Jan, 9 Mar, 21-25 Mar, 1 May, 7 May,
// 11 May, 27 May, 6 Jul, 31 Aug, 26 Oct, 16 Dec).
const parsed = parseCalendar(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../assets/calendar/kz.json'), 'utf8')));
if (!parsed.ok) throw new Error(parsed.error);
const CAL: WorkCalendar = parsed.value;

const facts = (f: Partial<AfterFacts>): AfterFacts => ({ ...NO_AFTER_FACTS, approvedOn: '2026-01-05', ...f });
const step = (f: Partial<AfterFacts>, id: string, today = '2026-12-31') => afterApprovalSteps(facts(f), CAL, today).find((s) => s.id === id)!;

describe('point 38: the hospitalization date within 2 working days of the referral\'s receipt on the Portal', () => {
  // [received on the Portal, due, working days counted, why]
  const cases: [string, string, string[], string][] = [
    ['2026-03-20T16:30', '2026-03-27', ['2026-03-26', '2026-03-27'], 'Friday before Nauryz: 21-25 March are off (Sat 21, Sun 22 and Mon 23 holidays, Tue 24 and Wed 25 in place of the weekend ones)'],
    ['2026-03-19T09:00', '2026-03-26', ['2026-03-20', '2026-03-26'], 'one working day before Nauryz, one after'],
    ['2026-03-06T12:00', '2026-03-11', ['2026-03-10', '2026-03-11'], '8 March is a Sunday: Monday 9 March is off'],
    ['2026-03-21T10:00', '2026-03-27', ['2026-03-26', '2026-03-27'], 'received on a holiday: the count starts after it'],
    ['2025-12-31T17:00', '2026-01-06', ['2026-01-05', '2026-01-06'], 'New Year: 1-4 January off (2 January Friday, 3-4 the weekend)'],
    ['2026-01-06T10:00', '2026-01-09', ['2026-01-08', '2026-01-09'], 'Orthodox Christmas, 7 January, is off'],
    ['2026-05-06T10:00', '2026-05-12', ['2026-05-08', '2026-05-12'], '7 May off, 9 May (Saturday) moves to Monday 11 May'],
    ['2026-05-26T10:00', '2026-05-29', ['2026-05-28', '2026-05-29'], 'Kurban Ait, 27 May'],
    ['2026-12-15T10:00', '2026-12-18', ['2026-12-17', '2026-12-18'], 'Independence Day, 16 December'],
    ['2026-04-14T23:59', '2026-04-16', ['2026-04-15', '2026-04-16'], 'an ordinary week; the time of day does not count'],
  ];
  it.each(cases)('received %s: due end of %s', (received, due, days) => {
    const s = step({ portalReceivedAt: received }, 'hospitalization_date', '2026-01-01');
    expect(s).toMatchObject({ point: 38, actor: 'provider', start: received, due, workingDays: days, calendarConfirmed: true, state: 'open' });
  });

  it('is overdue the day after the due date and on time on it; set later is "late", set on time "done"', () => {
    const received = '2026-03-20T16:30';
    expect(step({ portalReceivedAt: received }, 'hospitalization_date', '2026-03-27').state).toBe('open');
    expect(step({ portalReceivedAt: received }, 'hospitalization_date', '2026-03-28').state).toBe('overdue');
    expect(step({ portalReceivedAt: received, hospitalizationDate: '2026-04-10', hospitalizationSetOn: '2026-03-27' }, 'hospitalization_date').state).toBe('done');
    expect(step({ portalReceivedAt: received, hospitalizationDate: '2026-04-10', hospitalizationSetOn: '2026-03-30' }, 'hospitalization_date').state).toBe('late');
  });

  it('waits while the referral is not on the Portal; a zoned upload time counts as written (callers convert it)', () => {
    expect(step({}, 'hospitalization_date')).toMatchObject({ state: 'waiting', due: null, start: null });
    expect(step({ portalReceivedAt: '2026-03-06T10:00+05:00' }, 'hospitalization_date').due).toBe('2026-03-11');
  });

  it('a year missing from the calendar is computed but marked unconfirmed', () => {
    const s = step({ portalReceivedAt: '2031-12-30T10:00' }, 'hospitalization_date', '2031-12-30');
    expect(s.calendarConfirmed).toBe(false);
    expect(s.unconfirmedYears).toEqual([2031, 2032]);
  });
});

describe('point 39: the patient informed within 1 working day after the date was set', () => {
  const cases: [string, string, string][] = [
    ['2026-03-20', '2026-03-26', 'set the Friday before Nauryz: next working day Thursday 26 March'],
    ['2026-03-24', '2026-03-26', 'set on a day off (24 March, in place of Sunday 22)'],
    ['2026-03-06', '2026-03-10', 'across 9 March'],
    ['2026-12-15', '2026-12-17', 'across 16 December'],
    ['2026-07-03', '2026-07-07', 'Friday; Monday 6 July (Capital Day) off'],
    ['2026-08-28', '2026-09-01', 'Friday; 30 August (Sunday) moves to Monday 31 August'],
    ['2026-10-23', '2026-10-27', 'Friday; 25 October (Sunday) moves to Monday 26 October'],
    ['2026-04-28', '2026-04-29', 'an ordinary Tuesday'],
  ];
  it.each(cases)('set on %s: due end of %s', (setOn, due) => {
    const s = step({ portalReceivedAt: `${setOn}T09:00`, hospitalizationDate: '2026-12-30', hospitalizationSetOn: setOn }, 'inform', setOn);
    expect(s).toMatchObject({ point: 39, actor: 'primary_care', start: setOn, due, workingDays: [due], state: 'open' });
  });

  it('overdue, done, late; waits while the day the date was set is unknown', () => {
    const base = { portalReceivedAt: '2026-03-19T09:00', hospitalizationDate: '2026-04-06', hospitalizationSetOn: '2026-03-20' };
    expect(step(base, 'inform', '2026-03-27').state).toBe('overdue');
    expect(step({ ...base, informedOn: '2026-03-26' }, 'inform').state).toBe('done');
    expect(step({ ...base, informedOn: '2026-03-27' }, 'inform').state).toBe('late');
    // An older record with the date but not the day it was set: point 38 is done, point 39 cannot be timed.
    const legacy = afterApprovalSteps(facts({ portalReceivedAt: '2026-03-19T09:00', hospitalizationDate: '2026-04-06' }), CAL, '2026-12-31');
    expect(legacy.find((s) => s.id === 'hospitalization_date')).toMatchObject({ done: true, doneOn: null, state: 'done' });
    expect(legacy.find((s) => s.id === 'inform')).toMatchObject({ state: 'waiting', due: null });
  });
});

describe('points 36, 41, 42', () => {
  it('the Portal and the discharge summary have no term: open or done, never overdue', () => {
    expect(step({}, 'portal', '2030-01-01')).toMatchObject({ point: 36, actor: 'commission', start: '2026-01-05', due: null, state: 'open' });
    expect(step({ portalReceivedAt: '2026-01-06T10:00' }, 'portal')).toMatchObject({ state: 'done', doneOn: '2026-01-06' });
    expect(step({ hospitalizationDate: '2026-02-01' }, 'discharge', '2030-01-01')).toMatchObject({ point: 41, start: '2026-02-01', due: null, state: 'open' });
    expect(step({ hospitalizationDate: '2026-02-01', dischargeSummaryOn: '2026-02-20' }, 'discharge')).toMatchObject({ state: 'done', doneOn: '2026-02-20' });
  });

  it('the one-year follow-up falls due a calendar year after the operation (29 February to 28 February)', () => {
    expect(addYears('2026-03-20', 1)).toBe('2027-03-20');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2027-02-28', 1)).toBe('2028-02-28');
    expect(followUpDue(null)).toBeNull();
    expect(step({ operationDate: '2026-03-23' }, 'follow_up', '2027-03-23')).toMatchObject({ point: 42, due: '2027-03-23', state: 'open' });
    expect(step({ operationDate: '2026-03-23' }, 'follow_up', '2027-03-24').state).toBe('overdue');
    expect(step({ operationDate: '2026-03-23', survivalOneYear: true }, 'follow_up', '2027-06-01')).toMatchObject({ state: 'done', doneOn: '2027-03-23' });
    // A death closes it, on its date.
    expect(step({ operationDate: '2026-03-23', death: true, deathDate: '2026-09-01' }, 'follow_up', '2027-06-01')).toMatchObject({ state: 'done', doneOn: '2026-09-01' });
    expect(step({}, 'follow_up').state).toBe('waiting');
  });

  it('stepState is the one rule of states', () => {
    expect(stepState('2026-03-27', true, false, null, '2026-03-27')).toBe('open');
    expect(stepState('2026-03-27', true, false, null, '2026-03-28')).toBe('overdue');
    expect(stepState('2026-03-27', false, false, null, '2026-03-28')).toBe('waiting');
    expect(stepState('2026-03-27', true, true, '2026-03-27', '2026-04-28')).toBe('done');
    expect(stepState('2026-03-27', true, true, '2026-03-28', '2026-04-28')).toBe('late');
    expect(stepState(null, true, true, null, '2026-04-28')).toBe('done');
  });
});

describe('working days from receipt to a decision', () => {
  it.each([
    ['2026-03-20', '2026-03-20', 0],
    ['2026-03-20', '2026-03-26', 1],
    ['2026-03-20', '2026-03-27', 2],
    ['2026-03-20', '2026-03-30', 3],
    ['2026-03-06', '2026-03-10', 1],
    ['2026-03-06', '2026-03-05', 0],
    ['2025-12-30', '2026-01-08', 4],
  ])('%s to %s: %i', (from, to, n) => {
    expect(workingDaysBetween(from, to, CAL)).toBe(n);
  });
});

describe('dates that cannot be true', () => {
  const f = (x: Partial<AfterFacts>) => checkAfterDates(facts(x), '2026-03-06', '2026-04-01').map((p) => `${p.code}:${p.field}`);
  it('a step before the decision, a past event in the future, informing before the date was set, a discharge before the operation', () => {
    expect(f({ hospitalizationSetOn: '2026-03-05' })).toEqual(['aftercare.date_before_decision:hospitalizationSetOn']);
    expect(f({ hospitalizationDate: '2026-03-01' })).toEqual(['aftercare.date_before_decision:hospitalizationDate']);
    expect(f({ operationDate: '2026-04-02' })).toEqual(['aftercare.date_in_future:operationDate']);
    expect(f({ hospitalizationDate: '2026-05-20', hospitalizationSetOn: '2026-03-20' })).toEqual([]);
    expect(f({ hospitalizationSetOn: '2026-03-20', informedOn: '2026-03-19' })).toEqual(['aftercare.date_order:informedOn']);
    expect(f({ operationDate: '2026-03-20', dischargeDate: '2026-03-18' })).toEqual(['aftercare.date_order:dischargeDate']);
    // A patient may die before the operation, even before the decision.
    expect(f({ death: true, deathDate: '2026-03-01' })).toEqual([]);
    expect(f({ deathDate: '2026-04-05' })).toEqual(['aftercare.date_in_future:deathDate']);
  });
});
