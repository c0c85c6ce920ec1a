/**
 * Folding of Kazakh/Russian text for search: both the index and the query are folded the same
 * way, so letters a user types on a Russian keyboard (or Latin look-alikes) find the Kazakh text.
 *
 * - lower case, `ё` -> `е`;
 * - Kazakh letters to their Russian look-alikes: і->и, ұ/ү->у, қ->к, ң->н, ғ->г, ө->о, һ->х, ә->а;
 * - Latin letters that look like Cyrillic ones (often found in PDF text and typed by mistake):
 *   a c e o p x y k m t h b i -> а с е о р х у к м т н в и. Other Latin letters stay as they are.
 */
const MAP: Record<string, string> = {
  ё: 'е',
  і: 'и',
  ұ: 'у',
  ү: 'у',
  қ: 'к',
  ң: 'н',
  ғ: 'г',
  ө: 'о',
  һ: 'х',
  ә: 'а',
  // Latin look-alikes (after lower-casing; upper-case B, H, M, T look like В, Н, М, Т).
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  h: 'н',
  b: 'в',
  i: 'и',
};

/** One code unit -> its folded form (a precomputed table for the BMP letters we touch). */
const TABLE = new Map<number, number>();
for (const [from, to] of Object.entries(MAP)) TABLE.set(from.charCodeAt(0), to.charCodeAt(0));

/** Folds a text: lower case and the letter map above. Length is preserved. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let changed = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const m = TABLE.get(c);
    if (m !== undefined) {
      changed = true;
      out += String.fromCharCode(m);
    } else out += lower[i];
  }
  return changed ? out : lower;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded words of a text (letters and digits; punctuation separates). */
export function foldWords(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
}
