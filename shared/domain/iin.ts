/**
 * Kazakhstan's 12-digit identification numbers: the IIN (ЖСН / ИИН) of a person and the BIN
 * (БСН / БИН) of an organization. The rules are not in the legal texts of this project; they are
 * stated in /work/shared/domain.md section 9:
 *
 *   digits 1-6   YYMMDD of birth
 *   digit 7      century and sex: 1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s
 *   digits 8-11  serial
 *   digit 12     check digit: sum of digits 1-11 weighted 1..11, mod 11; if that is 10, the
 *                weights 3,4,5,6,7,8,9,10,11,1,2 are used instead; if 10 again, the number is
 *                invalid (such numbers are never issued).
 *
 * Policy: no normalisation here. The input must be exactly 12 ASCII digits; the UI may strip
 * spaces before calling, but a stored IIN is always the bare 12 digits.
 */

export type Sex = 'male' | 'female';
export type IinReason = 'format' | 'date' | 'checksum' | 'future';

export interface IinCheck {
  valid: boolean;
  /** ISO 'YYYY-MM-DD'; set whenever digits 1-7 give a real date, even if the checksum fails. */
  birthDate: string | null;
  sex: Sex | null;
  reason: null | IinReason;
}

export interface BinCheck {
  valid: boolean;
  reason: null | 'format' | 'checksum';
}

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;
const TWELVE_DIGITS = /^[0-9]{12}$/;
const ELEVEN_DIGITS = /^[0-9]{11}$/;

function weightedMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  return sum % 11;
}

/** Check digit for the first 11 digits of an IIN or BIN, or null when no digit is valid. */
export function iinCheckDigit(first11: string): number | null {
  if (!ELEVEN_DIGITS.test(first11)) return null;
  const first = weightedMod11(first11, FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weightedMod11(first11, SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

function checksumOk(s: string): boolean {
  const digit = iinCheckDigit(s.slice(0, 11));
  return digit !== null && digit === Number(s[11]);
}

// Century base and sex by digit 7; 0 and 7-9 are not part of the documented scheme.
const CENTURY: Readonly<Record<string, { base: number; sex: Sex }>> = {
  '1': { base: 1800, sex: 'male' },
  '2': { base: 1800, sex: 'female' },
  '3': { base: 1900, sex: 'male' },
  '4': { base: 1900, sex: 'female' },
  '5': { base: 2000, sex: 'male' },
  '6': { base: 2000, sex: 'female' },
};

function realDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  // Date.UTC maps years 0-99 to 1900-1999; our years are always >= 1800, so no surprise here.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Checks an IIN: form, birth date (digits 1-7), then check digit; with `today` ('YYYY-MM-DD',
 * Kazakhstan), a birth date after it is a `future` failure (no such person can be a patient).
 * A 7th digit outside 1-6 is a `format` failure: the number cannot belong to the scheme at all.
 */
export function checkIin(s: string, today?: string): IinCheck {
  if (typeof s !== 'string' || !TWELVE_DIGITS.test(s)) {
    return { valid: false, birthDate: null, sex: null, reason: 'format' };
  }
  const century = CENTURY[s[6] ?? ''];
  if (!century) return { valid: false, birthDate: null, sex: null, reason: 'format' };
  const birthDate = realDate(century.base + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)));
  if (birthDate === null) return { valid: false, birthDate: null, sex: century.sex, reason: 'date' };
  if (!checksumOk(s)) return { valid: false, birthDate, sex: century.sex, reason: 'checksum' };
  if (today !== undefined && birthDate > today) return { valid: false, birthDate, sex: century.sex, reason: 'future' };
  return { valid: true, birthDate, sex: century.sex, reason: null };
}

/** Checks a BIN: 12 digits and the same check digit as an IIN; the date part is not checked. */
export function checkBin(s: string): BinCheck {
  if (typeof s !== 'string' || !TWELVE_DIGITS.test(s)) return { valid: false, reason: 'format' };
  return checksumOk(s) ? { valid: true, reason: null } : { valid: false, reason: 'checksum' };
}

export type IinMismatchField = 'birthDate' | 'sex';

/**
 * Fields of the entered patient data that contradict a valid IIN (for `patient.iin_mismatch`).
 * An invalid IIN, or a field left empty, yields nothing: those are reported by other findings.
 */
export function iinMismatches(iin: string, entered: { birthDate?: string | null; sex?: Sex | null }): IinMismatchField[] {
  const check = checkIin(iin);
  if (!check.valid) return [];
  const out: IinMismatchField[] = [];
  if (entered.birthDate && entered.birthDate !== check.birthDate) out.push('birthDate');
  if (entered.sex && entered.sex !== check.sex) out.push('sex');
  return out;
}
