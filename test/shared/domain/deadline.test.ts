import { describe, expect, it } from 'vitest';
import kzJson from '../../../assets/calendar/kz.json';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import { addWorkingDays, localDatePart, reviewDue } from '../../../shared/domain/deadline';

const parsed = parseCalendar(kzJson);
if (!parsed.ok) throw new Error(parsed.error);
const kz: WorkCalendar = parsed.value;

describe('reviewDue (two working days, day of receipt not counted)', () => {
  it.each([
    // Nauryz 2026: Sat 21 - Wed 25 March are off
    ['2026-03-20T16:30', '2026-03-27', ['2026-03-26', '2026-03-27']],
    ['2026-03-19T09:00', '2026-03-26', ['2026-03-20', '2026-03-26']],
    ['2026-03-23T10:00', '2026-03-27', ['2026-03-26', '2026-03-27']],
    // New Year 2026: 1-4 January, then Orthodox Christmas on Wed 7 January
    ['2025-12-30T12:00', '2026-01-05', ['2025-12-31', '2026-01-05']],
    ['2025-12-31T17:59', '2026-01-06', ['2026-01-05', '2026-01-06']],
    ['2026-01-06T08:00', '2026-01-09', ['2026-01-08', '2026-01-09']],
    // 8 March 2026 is a Sunday: Monday 9 March is off
    ['2026-03-06T11:00', '2026-03-11', ['2026-03-10', '2026-03-11']],
    // Kurban Ait 2026: Wednesday 27 May
    ['2026-05-26T15:00', '2026-05-29', ['2026-05-28', '2026-05-29']],
    // Victory Day on Saturday 9 May 2026 moves to Monday 11 May; 7 May (Thu) is off too
    ['2026-05-06T15:00', '2026-05-12', ['2026-05-08', '2026-05-12']],
    // Independence Day: Wednesday 16 December 2026
    ['2026-12-15T10:00', '2026-12-18', ['2026-12-17', '2026-12-18']],
    ['2026-12-14T10:00', '2026-12-17', ['2026-12-15', '2026-12-17']],
    // ordinary weekends
    ['2026-02-06T18:00', '2026-02-10', ['2026-02-09', '2026-02-10']],
    ['2026-02-07T10:00', '2026-02-10', ['2026-02-09', '2026-02-10']],
    ['2026-02-08T23:59', '2026-02-10', ['2026-02-09', '2026-02-10']],
    ['2026-02-09T00:01', '2026-02-11', ['2026-02-10', '2026-02-11']],
    // 2025: day off moved from Sunday 5 January to Friday 3 January; the Sunday is worked
    ['2025-01-02T10:00', '2025-01-06', ['2025-01-05', '2025-01-06']],
  ])('received %s -> due end of %s', (receivedAt, due, days) => {
    const r = reviewDue(receivedAt, kz);
    expect(r).toEqual({ due, workingDays: days, calendarConfirmed: true, unconfirmedYears: [] });
  });

  it('takes the date as written, with or without an offset', () => {
    expect(reviewDue('2026-03-20T16:30+05:00', kz).due).toBe('2026-03-27');
    expect(reviewDue('2026-03-20T23:59:59.999+0500', kz).due).toBe('2026-03-27');
    expect(reviewDue('2026-03-20', kz).due).toBe('2026-03-27');
    expect(reviewDue('2026-03-20 08:00', kz).due).toBe('2026-03-27');
    // a UTC time is also read as written: callers store local times
    expect(reviewDue('2026-03-19T20:00Z', kz).due).toBe('2026-03-26');
  });

  it('says when a traversed year is unconfirmed', () => {
    // 2027 is unconfirmed: 1 Jan Fri off, Saturday 2 Jan moves to Monday 4 Jan
    expect(reviewDue('2026-12-30T10:00', kz)).toEqual({
      due: '2027-01-05',
      workingDays: ['2026-12-31', '2027-01-05'],
      calendarConfirmed: false,
      unconfirmedYears: [2027],
    });
    // the year of receipt alone does not count: nothing of it is traversed
    expect(reviewDue('2024-12-31T10:00', kz)).toMatchObject({ due: '2025-01-06', calendarConfirmed: true });
  });

  it('says when a traversed year is missing from the data', () => {
    // 2030: Nauryz Thu 21 - Sat 23 March, the Saturday moves to Monday 25
    expect(reviewDue('2030-03-20T10:00', kz)).toEqual({
      due: '2030-03-27',
      workingDays: ['2030-03-26', '2030-03-27'],
      calendarConfirmed: false,
      unconfirmedYears: [2030],
    });
  });
});

describe('addWorkingDays', () => {
  it('counts any number of working days', () => {
    expect(addWorkingDays('2026-03-20T16:30', 0, kz)).toMatchObject({ due: '2026-03-20', workingDays: [] });
    expect(addWorkingDays('2026-03-20T16:30', 1, kz).due).toBe('2026-03-26');
    expect(addWorkingDays('2026-03-20T16:30', 10, kz).due).toBe('2026-04-08');
    expect(addWorkingDays('2026-01-01', 246, kz)).toMatchObject({ due: '2026-12-31', calendarConfirmed: true });
  });

  it('refuses malformed input', () => {
    expect(() => addWorkingDays('20.03.2026', 2, kz)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-30T10:00', 2, kz)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-20T25:00', 2, kz)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-20', -1, kz)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-20', 1.5, kz)).toThrow(RangeError);
  });

  it('reads the local date part', () => {
    expect(localDatePart('2026-03-20T16:30')).toBe('2026-03-20');
    expect(localDatePart('2026-03-20T16:30-03:00')).toBe('2026-03-20');
    expect(localDatePart('2026-03-20T16')).toBeNull();
    expect(localDatePart('')).toBeNull();
  });
});
