/**
 * A small Kazakh suffix stripper for search: it reduces the inflected forms of a noun to one key,
 * so «жүрек», «жүректі», «жүрегі», «жүрекке», «жүректің» all give «журек». No maintained npm
 * package stems Kazakh (the Snowball family has no Kazakh stemmer), so the rule is written here.
 *
 * It works on FOLDED words (see text-fold.ts: і->и, ұ/ү->у, қ->к, ң->н, ғ->г, ө->о, ә->а), the
 * form in which the index and the query meet; a word typed on a Russian keyboard stems the same
 * way as the Kazakh spelling.
 *
 * A Kazakh noun is stem + plural + possessive + case. From the end, at most one ending of each
 * class is removed, in this order:
 *
 *   case         genitive -ның/-нің -дың/-дің -тың/-тің; dative -ға/-ге -қа/-ке, -на/-не after a
 *                possessive; accusative -ны/-ні -ды/-ді -ты/-ті, -н after a possessive; locative
 *                -да/-де -та/-те -нда/-нде; ablative -дан/-ден -тан/-тен -нан/-нен; instrumental
 *                -мен/-бен/-пен/-менен; locative-attributive -дағы/-дегі -тағы/-тегі -ндағы/-ндегі
 *   possessive   3rd person -сы/-сі after a vowel, -ы/-і after a consonant (the form of the list's
 *                names: «жүйесі», «қақпақшасын», «аневризмасын»)
 *   plural       -лар/-лер after a vowel or р/й/у, -дар/-дер, -тар/-тер after a consonant
 *
 * Each ending is removed only where Kazakh puts it: an n-ending after a vowel (-ның/-нан also after
 * м/н/ң), a d-ending after a voiced consonant or у, a t-ending after a voiceless consonant or
 * the б/в/г/д of a borrowed word («электродтар»), -қа/-ке after a voiceless consonant, -ға/-ге after a vowel or a voiced consonant, an ending that follows a possessive only
 * after -ы/-і. This keeps borrowed words such as «аннулопластика» and «аорта» whole (-ка after a
 * vowel is not a dative, -та after р is not a locative). A stem keeps at least 3 letters (4
 * before a possessive). Finally a stem-final г/б becomes к/п, undoing the voicing of a
 * consonant before a vowel ending (жүрек -> жүрегі, қақпақ -> қақпағы).
 *
 * Not handled, on purpose: derivation (-лық/-лік, -сыз/-сіз, -шы/-ші), verb forms, 1st and 2nd
 * person possessives (not used in the list's names). Two words the rule leaves apart are still
 * found by prefix and by the typo search; the rule only has to avoid joining different words.
 */

const VOWELS = new Set('аеиоуыэюяё');
const VOICELESS = new Set('кпстфхцчшщ');
/** Voiced stops at the end of borrowed words take the t-endings: «электродтар», «электродты». */
const VOICED_STOPS = new Set('бвгд');

type Cond = 'vowel' | 'vowelOrNasal' | 'consonant' | 'voicedConsonant' | 'voiceless' | 'tEnding' | 'voiced' | 'possessive' | 'possessiveN' | 'any' | 'lar';

/** Endings of one class, longest first, each with the letter class it must follow. */
type Ending = readonly [suffix: string, after: Cond];

const CASE: readonly Ending[] = sortLongestFirst([
  // locative-attributive
  ['ндагы', 'possessive'], ['ндеги', 'possessive'], ['дагы', 'voicedConsonant'], ['деги', 'voicedConsonant'], ['тагы', 'tEnding'], ['теги', 'tEnding'],
  // instrumental
  ['менен', 'any'], ['мен', 'any'], ['бен', 'any'], ['пен', 'any'],
  // genitive (-ның also after м/н/ң)
  ['нын', 'vowelOrNasal'], ['нин', 'vowelOrNasal'], ['дын', 'voicedConsonant'], ['дин', 'voicedConsonant'], ['тын', 'tEnding'], ['тин', 'tEnding'],
  // ablative
  ['нан', 'vowelOrNasal'], ['нен', 'vowelOrNasal'], ['дан', 'voicedConsonant'], ['ден', 'voicedConsonant'], ['тан', 'tEnding'], ['тен', 'tEnding'],
  // locative
  ['нда', 'possessive'], ['нде', 'possessive'], ['да', 'voicedConsonant'], ['де', 'voicedConsonant'], ['та', 'tEnding'], ['те', 'tEnding'],
  // dative
  ['на', 'possessive'], ['не', 'possessive'], ['га', 'voiced'], ['ге', 'voiced'], ['ка', 'voiceless'], ['ке', 'voiceless'],
  // accusative
  ['ны', 'vowel'], ['ни', 'vowel'], ['ды', 'voicedConsonant'], ['ди', 'voicedConsonant'], ['ты', 'tEnding'], ['ти', 'tEnding'], ['н', 'possessiveN'],
]);

const POSSESSIVE: readonly Ending[] = sortLongestFirst([
  ['сы', 'vowel'], ['си', 'vowel'], ['ы', 'consonant'], ['и', 'consonant'],
]);

const PLURAL: readonly Ending[] = sortLongestFirst([
  ['лар', 'lar'], ['лер', 'lar'], ['дар', 'voicedConsonant'], ['дер', 'voicedConsonant'], ['тар', 'tEnding'], ['тер', 'tEnding'],
]);

function sortLongestFirst(list: Ending[]): Ending[] {
  return [...list].sort((a, b) => b[0].length - a[0].length);
}

/** The shortest stem the rule leaves. */
export const KK_MIN_STEM = 3;

function fits(cond: Cond, prev: string, before: string): boolean {
  const vowel = VOWELS.has(prev);
  switch (cond) {
    case 'any':
      return true;
    case 'vowel':
      return vowel;
    case 'consonant':
      return !vowel || prev === 'у';
    case 'voicedConsonant':
      // у (ұ/ү and the glide у) takes the d-endings: «транспланттауды».
      return (!vowel || prev === 'у') && !VOICELESS.has(prev) && !VOICED_STOPS.has(prev);
    case 'voiceless':
      return VOICELESS.has(prev);
    case 'tEnding':
      return VOICELESS.has(prev) || VOICED_STOPS.has(prev);
    case 'voiced':
      return !VOICELESS.has(prev);
    case 'vowelOrNasal':
      return vowel || prev === 'м' || prev === 'н';
    case 'lar':
      return vowel || prev === 'р' || prev === 'й' || prev === 'у';
    case 'possessive':
      // After the 3rd person possessive -ы/-і/-сы/-сі: the part before the ending ends in ы/и
      // and still has a stem before that vowel.
      return (prev === 'ы' || prev === 'и') && before.length - 1 >= KK_MIN_STEM;
    case 'possessiveN':
      // A bare -н: only with a longer stem («жүйесін»), so that «мойын» stays whole.
      return (prev === 'ы' || prev === 'и') && before.length - 1 >= KK_MIN_STEM + 1;
  }
}

function stripOne(word: string, endings: readonly Ending[]): string {
  for (const [suffix, cond] of endings) {
    if (word.length - suffix.length < KK_MIN_STEM || !word.endsWith(suffix)) continue;
    const before = word.slice(0, word.length - suffix.length);
    if (fits(cond, before[before.length - 1]!, before)) return before;
  }
  return word;
}

/** The search key of a folded Kazakh word (see the rules above). */
export function stemKazakh(folded: string): string {
  if (folded.length <= KK_MIN_STEM) return folded;
  let w = stripOne(folded, CASE);
  w = stripOne(w, POSSESSIVE);
  w = stripOne(w, PLURAL);
  const last = w[w.length - 1];
  if (last === 'г') w = `${w.slice(0, -1)}к`;
  else if (last === 'б') w = `${w.slice(0, -1)}п`;
  return w;
}
