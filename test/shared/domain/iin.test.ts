import { describe, expect, it } from 'vitest';
import { checkBin, checkIin, iinCheckDigit, iinMismatches } from '../../../shared/domain/iin';

/** The 12-digit number made of `first11` and its computed check digit. */
function withCheckDigit(first11: string): string {
  const d = iinCheckDigit(first11);
  if (d === null) throw new Error(`no check digit for ${first11}`);
  return first11 + String(d);
}

describe('checkIin', () => {
  it('accepts a number whose check digit comes from the first weights', () => {
    // 9*1 + 0*2 + 0*3 + 3*4 + 1*5 + 5*6 + 3*7 + 0*8 + 0*9 + 0*10 + 0*11 = 77; 77 mod 11 = 0
    expect(checkIin('900315300000')).toEqual({ valid: true, birthDate: '1990-03-15', sex: 'male', reason: null });
  });

  it('accepts a number that needs the second weights', () => {
    // first weights: 77 + 1*10 + 1*11 = 98; 98 mod 11 = 10 -> second weights
    // 9*3 + 0*4 + 0*5 + 3*6 + 1*7 + 5*8 + 3*9 + 0*10 + 0*11 + 1*1 + 1*2 = 122; 122 mod 11 = 1
    expect(iinCheckDigit('90031530011')).toBe(1);
    expect(checkIin('900315300111')).toEqual({ valid: true, birthDate: '1990-03-15', sex: 'male', reason: null });
    // the digit the first weights would have given (10 mod 10 = 0) is wrong
    expect(checkIin('900315300110').reason).toBe('checksum');
  });

  it('refuses every check digit when both weightings give 10', () => {
    // first: 77 + 1*10 = 87 -> 10; second: 27 + 18 + 7 + 40 + 27 + 1*1 = 120 -> 10
    expect(iinCheckDigit('90031530010')).toBeNull();
    for (let d = 0; d <= 9; d++) {
      expect(checkIin(`90031530010${d}`)).toMatchObject({ valid: false, reason: 'checksum', birthDate: '1990-03-15' });
    }
  });

  it('reads century and sex from the 7th digit', () => {
    expect(checkIin(withCheckDigit('85010210001'))).toMatchObject({ valid: true, birthDate: '1885-01-02', sex: 'male' });
    expect(checkIin(withCheckDigit('85010220001'))).toMatchObject({ valid: true, birthDate: '1885-01-02', sex: 'female' });
    expect(checkIin(withCheckDigit('90031540000'))).toMatchObject({ valid: true, birthDate: '1990-03-15', sex: 'female' });
    expect(checkIin('900315400007')).toMatchObject({ valid: true, sex: 'female' });
    expect(checkIin(withCheckDigit('05041250123'))).toMatchObject({ valid: true, birthDate: '2005-04-12', sex: 'male' });
    expect(checkIin(withCheckDigit('24022960123'))).toMatchObject({ valid: true, birthDate: '2024-02-29', sex: 'female' });
  });

  it('reports format problems', () => {
    for (const s of ['', '90031530000', '9003153000000', '90031530000a', ' 900315300000', '9003 15300000', '٩٠٠٣١٥٣٠٠٠٠٠']) {
      expect(checkIin(s)).toEqual({ valid: false, birthDate: null, sex: null, reason: 'format' });
    }
    // 7th digit outside 1-6
    expect(checkIin('900315000000').reason).toBe('format');
    expect(checkIin('900315700000').reason).toBe('format');
    expect(checkIin(undefined as unknown as string).reason).toBe('format');
  });

  it('reports impossible birth dates', () => {
    expect(checkIin(withCheckDigit('90133130000')).reason).toBe('date'); // month 13
    expect(checkIin(withCheckDigit('90023030000')).reason).toBe('date'); // 30 February
    expect(checkIin(withCheckDigit('23022950000')).reason).toBe('date'); // 2023 is not a leap year
    expect(checkIin(withCheckDigit('00022930000')).reason).toBe('date'); // 1900 is not a leap year
    expect(checkIin(withCheckDigit('00022950000'))).toMatchObject({ valid: true, birthDate: '2000-02-29' });
    expect(checkIin(withCheckDigit('90001530000')).reason).toBe('date'); // month 00
    expect(checkIin(withCheckDigit('90030030000')).reason).toBe('date'); // day 00
  });

  it('reports a wrong check digit', () => {
    expect(checkIin('900315300001')).toEqual({ valid: false, birthDate: '1990-03-15', sex: 'male', reason: 'checksum' });
  });

  it('with today, refuses a birth date not yet come (and accepts one born today)', () => {
    const iin = withCheckDigit('27032050000'); // born 2027-03-20, male, 21st century
    expect(checkIin(iin).valid).toBe(true);
    expect(checkIin(iin, '2026-11-30')).toEqual({ valid: false, birthDate: '2027-03-20', sex: 'male', reason: 'future' });
    expect(checkIin(iin, '2027-03-20')).toEqual({ valid: true, birthDate: '2027-03-20', sex: 'male', reason: null });
    // a wrong check digit is still named first: the number is wrong, whatever its date
    expect(checkIin(iin.slice(0, 11) + String((Number(iin[11]) + 1) % 10), '2026-11-30').reason).toBe('checksum');
  });
});

describe('checkBin', () => {
  it('uses the same check digit and ignores the date part', () => {
    const bin = withCheckDigit('99134000123'); // month 13 would be no IIN date; a BIN is not read as one
    expect(checkBin(bin)).toEqual({ valid: true, reason: null });
    expect(checkBin(bin.slice(0, 11) + String((Number(bin[11]) + 1) % 10))).toEqual({ valid: false, reason: 'checksum' });
    expect(checkBin('900315300111')).toEqual({ valid: true, reason: null });
    expect(checkBin('12345')).toEqual({ valid: false, reason: 'format' });
  });
});

describe('iinMismatches', () => {
  const iin = '900315300000';
  it('finds a different birth date or sex', () => {
    expect(iinMismatches(iin, { birthDate: '1990-03-16', sex: 'male' })).toEqual(['birthDate']);
    expect(iinMismatches(iin, { birthDate: '1990-03-15', sex: 'female' })).toEqual(['sex']);
    expect(iinMismatches(iin, { birthDate: '1991-03-15', sex: 'female' })).toEqual(['birthDate', 'sex']);
  });
  it('is silent when the data agree, are absent, or the IIN is invalid', () => {
    expect(iinMismatches(iin, { birthDate: '1990-03-15', sex: 'male' })).toEqual([]);
    expect(iinMismatches(iin, {})).toEqual([]);
    expect(iinMismatches('900315300001', { birthDate: '2000-01-01' })).toEqual([]);
  });
});
