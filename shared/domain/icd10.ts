/**
 * Form check of an ICD-10 (МКБ-10 / АХЖ-10) diagnosis code. This checks the shape only; whether a
 * code exists in the classification is not known offline here.
 *
 * Accepted form (WHO ICD-10 as used in Kazakhstan):
 *   letter A-Z, two digits                     category       C50, I21, U07
 *   + '.' and one digit                        subcategory    I25.1, Q21.0
 *   + '.' and two digits                       fifth character of the optional national or WHO
 *                                              subdivisions   S72.00 (closed fracture), M54.16
 * Case and surrounding spaces are ignored (`i25.1 ` is stored as `I25.1`). Not accepted: a code
 * without its dot (`I251`), a comma (`I25,1`), Cyrillic look-alike letters typed on a Russian
 * keyboard (`С50`), dagger/asterisk marks (`E10.5†`), ranges (`C50-C52`) and ICD-10-CM forms
 * (`S72.001A`). For the first three the check suggests the intended code, so the UI can offer it.
 */

export type Icd10Reason = 'empty' | 'format' | 'cyrillic';

export interface Icd10Check {
  valid: boolean;
  /** The normalised code when valid, else null. */
  code: string | null;
  reason: null | Icd10Reason;
  /** A well-formed code the user probably meant, when one can be derived. */
  suggestion: string | null;
}

const ICD10 = /^[A-Z][0-9]{2}(?:\.[0-9]{1,2})?$/;

// Cyrillic capitals that look like Latin ones, as typed with a Russian layout switched on.
const CYRILLIC_LOOKALIKES: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y',
};

function repair(code: string): string | null {
  let s = code.replace(/,/g, '.');
  // 'I251' -> 'I25.1', 'S7200' -> 'S72.00'
  if (/^[A-Z][0-9]{3,4}$/.test(s)) s = `${s.slice(0, 3)}.${s.slice(3)}`;
  return ICD10.test(s) ? s : null;
}

/** Checks the form of an ICD-10 code; see the module comment for the accepted form. */
export function checkIcd10(input: string): Icd10Check {
  const s = typeof input === 'string' ? input.trim().toUpperCase() : '';
  if (s === '') return { valid: false, code: null, reason: 'empty', suggestion: null };
  if (ICD10.test(s)) return { valid: true, code: s, reason: null, suggestion: null };
  if (/[А-ЯЁ]/.test(s)) {
    const latin = [...s].map((ch) => CYRILLIC_LOOKALIKES[ch] ?? ch).join('');
    return { valid: false, code: null, reason: 'cyrillic', suggestion: ICD10.test(latin) ? latin : repair(latin) };
  }
  return { valid: false, code: null, reason: 'format', suggestion: repair(s) };
}
