import { describe, expect, it } from 'vitest';
import kzJson from '../../../assets/calendar/kz.json';
import {
  addDays,
  dayOffReason,
  daysOff,
  isIsoDate,
  isWorkingDay,
  parseCalendar,
  weekday,
  workingWeekendDays,
  yearConfirmed,
  type WorkCalendar,
} from '../../../shared/domain/calendar';

function load(json: unknown): WorkCalendar {
  const parsed = parseCalendar(json);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const kz = load(kzJson);

function allDays(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) out.push(d);
  return out;
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

const isWeekend = (d: string): boolean => weekday(d) === 0 || weekday(d) === 6;

describe('date helpers', () => {
  it('validates ISO dates and knows weekdays', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-3-1')).toBe(false);
    expect(weekday('2026-03-20')).toBe(5); // Friday
    expect(weekday('1970-01-01')).toBe(4);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('the 2026 calendar', () => {
  // domain.md section 8: the published calendar for 2026 (five-day week).
  const published = [
    ...range('2026-01-01', '2026-01-04'),
    '2026-01-07',
    '2026-03-09',
    ...range('2026-03-21', '2026-03-25'),
    '2026-05-01',
    '2026-05-07',
    '2026-05-11',
    '2026-05-27',
    '2026-07-06',
    '2026-08-31',
    '2026-10-26',
    '2026-12-16',
  ];

  it('reproduces exactly the published days off (with ordinary weekends)', () => {
    const expectedOff = new Set(published);
    for (const d of allDays(2026)) {
      expect({ d, working: isWorkingDay(d, kz) }).toEqual({ d, working: !(isWeekend(d) || expectedOff.has(d)) });
    }
  });

  it('lists the weekday days off', () => {
    expect(daysOff(2026, kz)).toEqual(published.filter((d) => !isWeekend(d)));
    expect(workingWeekendDays(2026, kz)).toEqual([]);
    expect(allDays(2026).filter((d) => isWorkingDay(d, kz))).toHaveLength(246);
  });

  it('explains why a day is off', () => {
    expect(dayOffReason('2026-03-23', kz)).toEqual({ kind: 'holiday', holiday: 'nauryz_3' });
    expect(dayOffReason('2026-03-21', kz)).toEqual({ kind: 'holiday', holiday: 'nauryz_1' });
    expect(dayOffReason('2026-03-24', kz)).toEqual({ kind: 'transfer', holiday: 'nauryz_1' });
    expect(dayOffReason('2026-03-25', kz)).toEqual({ kind: 'transfer', holiday: 'nauryz_2' });
    expect(dayOffReason('2026-03-09', kz)).toEqual({ kind: 'transfer', holiday: 'womens_day' });
    expect(dayOffReason('2026-05-27', kz)).toEqual({ kind: 'holiday', holiday: 'kurban_ait' });
    expect(dayOffReason('2026-01-03', kz)).toEqual({ kind: 'weekend' });
    expect(dayOffReason('2026-03-26', kz)).toBeNull();
  });
});

describe('the 2025 calendar', () => {
  it('matches the published year: transfer act No. 436, Kurban Ait 6 June, 246 working days', () => {
    expect(daysOff(2025, kz)).toEqual([
      '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-07',
      '2025-03-10', '2025-03-21', '2025-03-24', '2025-03-25',
      '2025-05-01', '2025-05-07', '2025-05-09', '2025-06-06',
      '2025-07-07', '2025-09-01', '2025-10-27', '2025-12-16',
    ]);
    expect(workingWeekendDays(2025, kz)).toEqual(['2025-01-05']);
    expect(isWorkingDay('2025-01-05', kz)).toBe(true); // a working Sunday
    expect(dayOffReason('2025-01-03', kz)).toEqual({ kind: 'decree' });
    expect(allDays(2025).filter((d) => isWorkingDay(d, kz))).toHaveLength(246);
  });
});

describe('rules', () => {
  it('does not transfer religious days: 7 January on a Sunday stays there', () => {
    // 2029-01-07 is a Sunday; Monday 8 January 2029 is a working day.
    expect(weekday('2029-01-07')).toBe(0);
    expect(isWorkingDay('2029-01-08', kz)).toBe(true);
    expect(daysOff(2029, kz)).not.toContain('2029-01-08');
  });

  it('does not transfer Kurban Ait on a weekend', () => {
    const cal = load({ ...kzJson, years: { '2031': { confirmed: false, kurbanAit: '2031-03-29', extraDaysOff: [], workingWeekendDays: [], sources: [] } } });
    expect(weekday('2031-03-29')).toBe(6);
    expect(dayOffReason('2031-03-29', cal)).toEqual({ kind: 'holiday', holiday: 'kurban_ait' });
    expect(isWorkingDay('2031-03-31', cal)).toBe(true);
  });

  it('computes a year missing from the data from the fixed holidays only', () => {
    // 2030: 1 Jan Tue, 2 Jan Wed; Nauryz Thu-Sat, Saturday 23 March moves to Monday 25.
    expect(daysOff(2030, kz).slice(0, 6)).toEqual(['2030-01-01', '2030-01-02', '2030-01-07', '2030-03-08', '2030-03-21', '2030-03-22']);
    expect(dayOffReason('2030-03-25', kz)).toEqual({ kind: 'transfer', holiday: 'nauryz_3' });
    expect(yearConfirmed(2030, kz)).toBe(false);
  });

  it('knows which years are confirmed', () => {
    expect(yearConfirmed(2025, kz)).toBe(true);
    expect(yearConfirmed(2026, kz)).toBe(true);
    expect(yearConfirmed(2027, kz)).toBe(false);
    expect(yearConfirmed(2024, kz)).toBe(false);
  });

  it('uses the transfer rule for 2027 (unconfirmed): Saturday 2 January -> Monday 4 January', () => {
    expect(dayOffReason('2027-01-04', kz)).toEqual({ kind: 'transfer', holiday: 'new_year_2' });
    expect(daysOff(2027, kz)).toContain('2027-03-24'); // Nauryz Sunday 21 -> past Mon 22, Tue 23 -> Wed 24
  });
});

describe('parseCalendar', () => {
  const good = kzJson as unknown as Record<string, unknown>;
  const withYear = (y: Record<string, unknown>): unknown => ({ ...good, years: { '2026': { confirmed: false, kurbanAit: null, extraDaysOff: [], workingWeekendDays: [], sources: [], ...y } } });

  it('accepts the shipped file and returns a clean copy', () => {
    const r = parseCalendar(kzJson);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.holidays).toHaveLength(14);
      expect(Object.keys(r.value.years)).toEqual(['2025', '2026', '2027']);
      // Shipped notes are in Kazakh and Russian: no English sentence reaches the screen.
      expect(r.value.years['2027']?.note).toMatchObject({ kk: expect.stringMatching(/болжам/), ru: expect.stringMatching(/оценка/) });
      expect(r.value.years['2025']?.sources.every((x) => typeof x === 'object' && x.kk !== '' && x.ru !== '')).toBe(true);
      expect(r.value.description).toMatchObject({ kk: expect.any(String), ru: expect.any(String) });
    }
  });

  it.each([
    ['root: not an object', null],
    ['root: not an object', []],
    ['schema', { ...good, schema: 'v2' }],
    ['holidays: not an array', { ...good, holidays: {} }],
    ['duplicate', { ...good, holidays: [{ id: 'a', month: 1, day: 1, transfer: true }, { id: 'a', month: 1, day: 2, transfer: true }] }],
    ['no such day', { ...good, holidays: [{ id: 'a', month: 2, day: 30, transfer: true }] }],
    ['transfer: not a boolean', { ...good, holidays: [{ id: 'a', month: 1, day: 1, transfer: 'yes' }] }],
    ['set per year', { ...good, holidays: [{ id: 'kurban_ait', month: 6, day: 6, transfer: false }] }],
    ['four-digit year', { ...good, years: { '26': {} } }],
    ['confirmed: not a boolean', withYear({ confirmed: 'true' })],
    ['kurbanAit', withYear({ kurbanAit: '2025-06-06' })],
    ['kurbanAit', withYear({ kurbanAit: undefined })],
    ['not a Saturday or Sunday', withYear({ workingWeekendDays: ['2026-03-26'] })],
    ['weekend day already', withYear({ extraDaysOff: ['2026-03-28'] })],
    ['not a date in 2026', withYear({ extraDaysOff: ['2026-13-01'] })],
    ['needs a source', withYear({ confirmed: true, sources: [] })],
    ['note: not a text', withYear({ note: 5 })],
    ['note: not a text', withYear({ note: { kk: 'бар', ru: '' } })],
    ['sources: not an array of texts', withYear({ sources: [{ en: 'English only' }] })],
  ])('rejects a file with %s', (message, json) => {
    const r = parseCalendar(json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});
