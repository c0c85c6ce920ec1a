/**
 * The words of a catalogue query and the typo arithmetic of the search engine (search.ts):
 * splitting and folding a query, codes typed with commas or spaces, optional joining words, the
 * bounded edit distance, deletion neighbourhoods and the sorted-array lookups. Pure: no I/O.
 */
import { foldText } from './text-fold';

export const CODE_TOKEN = /^\d[\d.]*$/;
const TOKEN = /\d+(?:\.\d+)*\.?|[\p{L}\p{N}]+/gu;
export const WORD = /[\p{L}\p{N}]+/gu;
/** A whole query that is a code typed with spaces or hyphens between its groups: `81 53`, `54 970 059`. */
const SPACED_CODE = /^\s*(\d{2})((?:[\s-]+\d+)+)\s*$/;
/** Up to 31 words per query (one bit each). */
const MAX_TOKENS = 31;

/** Joining words of Russian and Kazakh (folded): optional in a query of several words. */
const STOP_WORDS = new Set(
  ['и', 'в', 'во', 'на', 'с', 'со', 'по', 'от', 'до', 'для', 'из', 'к', 'ко', 'у', 'о', 'об', 'при', 'без', 'или', 'не', 'а', 'но', 'же', 'за', 'под', 'над', 'через',
   'және', 'мен', 'бен', 'пен', 'немесе', 'үшін', 'да', 'де', 'та', 'те', 'ал'].map(foldText),
);

export interface QueryToken {
  /** Folded, code separators normalized. */
  text: string;
  /** The words as typed. */
  shown: string;
  optional: boolean;
}

/**
 * The words of a query. Codes: a comma between digits is a dot (`37,51`), and a query that is only
 * digit groups separated by spaces or hyphens (`81 53`) is one code (`81.53`). Repeated words count
 * once. In a query of several words, joining words and single letters are optional.
 */
export function parseQuery(query: string): QueryToken[] {
  const folded = foldText(query).replace(/(\d),(\d)/g, '$1.$2');
  const sameLength = folded.length === query.length;
  const spaced = SPACED_CODE.exec(folded);
  if (spaced) {
    const groups = [spaced[1]!, ...spaced[2]!.split(/[\s-]+/).filter(Boolean)];
    return [{ text: groups.join('.'), shown: query.trim(), optional: false }];
  }
  const out: QueryToken[] = [];
  const seen = new Set<string>();
  for (const m of folded.matchAll(TOKEN)) {
    const text = m[0];
    if (seen.has(text)) continue;
    seen.add(text);
    const shown = sameLength ? query.slice(m.index, m.index + text.length) : text;
    out.push({ text, shown, optional: false });
    if (out.length === MAX_TOKENS) break;
  }
  if (out.length > 1) {
    for (const t of out) t.optional = STOP_WORDS.has(t.text) || (t.text.length === 1 && !/\d/.test(t.text));
    if (out.every((t) => t.optional)) for (const t of out) t.optional = false;
  }
  return out;
}

/** The folded words of a query as matched (codes normalized). */
export function queryTokens(query: string): string[] {
  return parseQuery(query).map((t) => t.text);
}

/** Allowed edit distance for a query word of this length. */
export const maxTypos = (length: number): number => (length >= 8 ? 2 : length >= 4 ? 1 : 0);

/**
 * True when the optimal-string-alignment distance (insert, delete, substitute, swap of two
 * neighbours) between a and b is at most k. Bounded: gives up as soon as a row exceeds k.
 */
export function withinDistance(a: string, b: string, k: number): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > k) return false;
  if (a === b) return true;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > k) return false;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]! <= k;
}

/** Adds every string made by deleting 1..depth letters of s (s itself excluded) to out. */
export function deletions(s: string, depth: number, out: Set<string>): void {
  if (depth === 0 || s.length <= 1) return;
  for (let i = 0; i < s.length; i++) {
    const d = s.slice(0, i) + s.slice(i + 1);
    if (!out.has(d)) {
      out.add(d);
      deletions(d, depth - 1, out);
    } else if (depth > 1) deletions(d, depth - 1, out);
  }
}

/** Index of the first element of sorted `arr` that is >= key. */
export function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when sorted `arr` holds `x`. */
export function sortedHas(arr: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < arr.length && arr[lo] === x;
}
