/**
 * Word forms for search: «сердца» and «сердце», «жүрек» and «жүректі» are the same word, not a
 * typo. Each word is reduced to a key in its language and two words are forms of each other when
 * their keys are equal.
 *
 * - Russian: the Snowball Russian stemmer, from `@orama/stemmers` (a maintained npm package; its
 *   Russian module is plain JavaScript with no imports, so it may live in shared/).
 * - Kazakh: the suffix rule of kazakh-stem.ts (no maintained package exists).
 *
 * Both work on folded words (text-fold.ts), the form in which the index and the query meet.
 */
import { stemmer as snowballRussian } from '@orama/stemmers/russian';
import { stemKazakh } from './kazakh-stem';

export type TextLang = 'kk' | 'ru';

/** Letters only Kazakh has: a text with one of them is Kazakh. */
const KK_LETTERS = /[әіңғүұқөһ]/i;

/** The language of a name when its source does not say: Kazakh if it has a Kazakh letter. */
export function guessLang(text: string): TextLang {
  return KK_LETTERS.test(text) ? 'kk' : 'ru';
}

/** Words shorter than this are not reduced (too little left to tell words apart). */
export const FORM_MIN_LENGTH = 4;
const LETTERS_ONLY = /^\p{L}+$/u;

/** The Russian key of a folded word (the word itself when it is short or not all letters). */
export function stemRussian(folded: string): string {
  if (folded.length < FORM_MIN_LENGTH || !LETTERS_ONLY.test(folded)) return folded;
  const s = snowballRussian(folded);
  return s.length >= 3 ? s : folded;
}

/** The Kazakh key of a folded word. */
export function stemKazakhWord(folded: string): string {
  if (folded.length < FORM_MIN_LENGTH || !LETTERS_ONLY.test(folded)) return folded;
  return stemKazakh(folded);
}

/** The key of a folded word in a language. */
export function stemIn(lang: TextLang, folded: string): string {
  return lang === 'kk' ? stemKazakhWord(folded) : stemRussian(folded);
}
