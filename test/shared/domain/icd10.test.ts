import { describe, expect, it } from 'vitest';
import { checkIcd10 } from '../../../shared/domain/icd10';

describe('checkIcd10', () => {
  it.each(['C50', 'I25.1', 'Q21.0', 'S72.00', 'U07.1', 'Z00'])('accepts %s', (code) => {
    expect(checkIcd10(code)).toEqual({ valid: true, code, reason: null, suggestion: null });
  });

  it('normalises case and spaces', () => {
    expect(checkIcd10(' i25.1 ')).toMatchObject({ valid: true, code: 'I25.1' });
  });

  it('reports an empty code', () => {
    expect(checkIcd10('  ')).toMatchObject({ valid: false, reason: 'empty' });
    expect(checkIcd10(undefined as unknown as string)).toMatchObject({ valid: false, reason: 'empty' });
  });

  it.each([
    ['I251', 'I25.1'],
    ['S7200', 'S72.00'],
    ['I25,1', 'I25.1'],
    ['C50.', null],
    ['C5', null],
    ['I25.123', null],
    ['S72.001A', null],
    ['C50-C52', null],
    ['E10.5†', null],
    ['25.1', null],
  ])('reports the form of %s (suggesting %s)', (input, suggestion) => {
    expect(checkIcd10(input)).toEqual({ valid: false, code: null, reason: 'format', suggestion });
  });

  it('reports Cyrillic look-alike letters and suggests the Latin code', () => {
    expect(checkIcd10('С50')).toEqual({ valid: false, code: null, reason: 'cyrillic', suggestion: 'C50' });
    expect(checkIcd10('м54,16')).toEqual({ valid: false, code: null, reason: 'cyrillic', suggestion: 'M54.16' });
    expect(checkIcd10('Ж10')).toEqual({ valid: false, code: null, reason: 'cyrillic', suggestion: null });
  });
});
