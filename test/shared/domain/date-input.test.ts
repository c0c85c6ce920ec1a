import { describe, expect, it } from 'vitest';
import { formatDateInput, isRealIsoDate, maskDateTyping, parseDateInput, parseTimeInput } from '../../../shared/domain/date-input';

describe('date input (dd.mm.yyyy on screen, ISO in the code)', () => {
  it('reads the ways a date is typed or pasted', () => {
    for (const s of ['20.03.2026', '20/03/2026', '20-03-2026', '20 03 2026', '20032026', '2026-03-20', ' 20.3.2026 ', '2026-3-20']) expect(parseDateInput(s), s).toBe('2026-03-20');
    expect(parseDateInput('')).toBe('');
    expect(parseDateInput('  ')).toBe('');
  });

  it('refuses what is not a real day, or not yet a whole date', () => {
    for (const s of ['31.04.2026', '29.02.2027', '00.01.2026', '32.01.2026', '20.13.2026', '20.03', '20.03.26', '2026-02-30', 'завтра', '20..03.2026', '0999-01-01']) expect(parseDateInput(s), s).toBeNull();
    expect(parseDateInput('29.02.2028')).toBe('2028-02-29');
    expect(isRealIsoDate('2026-02-28')).toBe(true);
    expect(isRealIsoDate('2026-02-29')).toBe(false);
  });

  it('shows ISO as dd.mm.yyyy and puts dots in while digits are typed', () => {
    expect(formatDateInput('2026-03-20')).toBe('20.03.2026');
    expect(formatDateInput('')).toBe('');
    expect(maskDateTyping('2')).toBe('2');
    expect(maskDateTyping('2003')).toBe('20.03');
    expect(maskDateTyping('200320')).toBe('20.03.20');
    expect(maskDateTyping('20032026')).toBe('20.03.2026');
    expect(maskDateTyping('20.03')).toBe('20.03');
    expect(maskDateTyping('20.032')).toBe('20.03.2');
    expect(maskDateTyping('20.03.2026')).toBe('20.03.2026');
    // A day typed with one digit keeps the secretary's own dots.
    expect(maskDateTyping('2.3.2026')).toBe('2.3.2026');
    expect(maskDateTyping('2.')).toBe('2.');
    expect(maskDateTyping('2026-03-20')).toBe('2026-03-20');
  });

  it('reads a time as HH:MM in 24 hours', () => {
    for (const [s, want] of [['9:05', '09:05'], ['09:05', '09:05'], ['0905', '09:05'], ['21.30', '21:30'], ['21 30', '21:30'], ['', '']] as const) expect(parseTimeInput(s), s).toBe(want);
    for (const s of ['24:00', '12:60', '9', '9:5', '10:00 AM', 'полдень']) expect(parseTimeInput(s), s).toBeNull();
  });
});
