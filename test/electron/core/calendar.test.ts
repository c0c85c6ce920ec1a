import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/result';
import { tempCore } from '../../support/temp';

describe('working-day calendar settings', () => {
  it('shows the shipped calendar with 2026 days off as published', async () => {
    const core = tempCore();
    const v = await core.call('calendar.get', {});
    expect(v.source).toBe('shipped');
    const y2026 = v.years.find((y) => y.year === 2026)!;
    expect(y2026.confirmed).toBe(true);
    expect(y2026.daysOff.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-07', '2026-03-09', '2026-03-23', '2026-03-24', '2026-03-25',
      '2026-05-01', '2026-05-07', '2026-05-11', '2026-05-27', '2026-07-06', '2026-08-31', '2026-10-26', '2026-12-16',
    ].filter((d) => y2026.daysOff.some((x) => x.date === d)));
    expect(y2026.daysOff.find((d) => d.date === '2026-05-27')?.holiday).toBe('kurban_ait');
  });

  it('editing a year recomputes the due date of open cases; reset restores the shipped data', async () => {
    const core = tempCore();
    // Received Monday 2027-06-07: due end of Wednesday 2027-06-09 on the shipped (unconfirmed) data.
    const saved = await core.call('cases.save', { receivedAt: '2027-06-07T10:00', htmpCode: '00.50' });
    expect(saved.detail.due?.due).toBe('2027-06-09');
    const v = await core.call('calendar.setYear', { year: 2027, confirmed: true, kurbanAit: '2027-05-16', extraDaysOff: ['2027-06-08'], workingWeekendDays: [], sources: ['test decree'] });
    expect(v.source).toBe('local');
    expect(v.years.find((y) => y.year === 2027)!.daysOff.some((d) => d.date === '2027-06-08' && d.reason === 'decree')).toBe(true);
    const after = await core.call('cases.get', { id: saved.id });
    expect(after.due?.due).toBe('2027-06-10');
    expect(after.due?.calendarConfirmed).toBe(true);
    await core.call('calendar.reset', {});
    expect((await core.call('cases.get', { id: saved.id })).due?.due).toBe('2027-06-09');
  });

  it('an invalid calendar file is refused with a translated code and changes nothing', async () => {
    const core = tempCore();
    const before = await core.call('calendar.get', {});
    await expect(core.call('calendar.replace', { calendar: { schema: 'nope' } })).rejects.toMatchObject({ code: 'calendar.invalid' });
    await expect(core.call('calendar.replace', { calendar: { schema: 'nope' } })).rejects.toBeInstanceOf(AppFailure);
    expect(await core.call('calendar.get', {})).toEqual(before);
  });
});
