/**
 * The catalogue's search engine (pure: no I/O). One document per code: the code and its names
 * in any language. A query is folded (see text-fold.ts) and split into words; every word is
 * matched as
 *
 *   7 exact code   `35.21` finds 35.21 (codes are strings: 35.21 is not 35.210); typed without
 *                  dots or with a comma or spaces (`3521`, `35,21`, `35 21`) it finds 35.21 too
 *   6 code prefix  `81.0` (or `810`) finds 81.01, 81.062 …
 *   5 whole word   `клапана` finds a name with the word «клапана»
 *   4 abbreviation `ЭКО` finds the names that spell it out (search-abbreviations.ts)
 *   3 word form    `сердца` finds «сердце», `жүректі` finds «жүрек» (word-forms.ts: the Snowball
 *                  stemmer for Russian, a suffix rule for Kazakh)
 *   2 prefix       `клап` finds «клапана» (the word being typed)
 *   1 typo         `клапона` finds «клапана»: edit distance (with transpositions) 1 for words of
 *                  4+ letters, 2 for 8+ letters — and only when it is not a form of the word.
 *
 * Typo candidates come from a deletion neighbourhood (SymSpell): every indexed word stores the
 * strings made by deleting 1 (words of 3+ letters) or up to 2 (6+ letters) of its letters; a
 * query word meets its candidates through its own deletions, and each candidate is verified by a
 * bounded edit distance. Word forms come from a map of stems per language. No linear scan over the
 * vocabulary.
 *
 * Several words: a document that matches every word ranks first ("full"); one that matches only
 * some ("partial") comes after, with the words it lacks. Joining words (и, в, с, от, және, мен…)
 * and single letters are optional: they help the ranking when they match and are never missing.
 * A word that matches no document is reported as not found.
 *
 * Ranking: full before partial; then more words matched; then the weakest word's match kind (so a
 * result where every word matched whole beats one where a word only matched with a typo), then the
 * sum of kinds, then in how many of its texts the words occur (a code whose Kazakh and Russian
 * names or several sources carry the word), then the shorter name (its shortest text in words: a
 * name that says little more than the query), then the order the documents were given in.
 *
 * With a filter (`allow`: the codes of one edition) the engine also returns the best documents
 * outside it that match every word (`others`): a code of an earlier or later edition.
 */
import { SEARCH_ABBREVIATIONS, type Abbreviation } from './search-abbreviations';
import { foldText } from './text-fold';
import { FORM_MIN_LENGTH, guessLang, stemKazakhWord, stemRussian, type TextLang } from './word-forms';
import { CODE_TOKEN, WORD, deletions, lowerBound, maxTypos, parseQuery, sortedHas, withinDistance } from './search-query';

export { maxTypos, parseQuery, queryTokens, withinDistance, type QueryToken } from './search-query';

export const MATCH = { code: 7, codePrefix: 6, word: 5, abbr: 4, form: 3, prefix: 2, fuzzy: 1 } as const;
export type MatchKind = keyof typeof MATCH;
const KIND_NAMES: MatchKind[] = ['fuzzy', 'fuzzy', 'prefix', 'form', 'abbr', 'word', 'codePrefix', 'code'];

/** A text of a document; a plain string's language is guessed (Kazakh letters -> kk). */
export type SearchText = string | { text: string; lang: TextLang };

export interface SearchDoc {
  code: string;
  texts: readonly SearchText[];
}

export interface SearchHit {
  /** Index of the document in the array the index was built from. */
  doc: number;
  /** The weakest match among the query's words that matched (what the result is ranked by). */
  kind: MatchKind;
  /** How many of the query's words matched. */
  matched: number;
  tokens: number;
  /** False when a required word of the query is not in this document. */
  full: boolean;
  /** Indexes (into the outcome's `words`) of the required words this document lacks. */
  missing: number[];
  /** Words matched only with a typo, and the word of the document each was read as. */
  typos: { word: number; as: string }[];
}

export interface SearchWord {
  /** As typed (not folded); a code typed with spaces is one word (`81 53`). */
  shown: string;
  /** Folded and normalized, as matched (`81.53`). */
  text: string;
  /** A joining word or a single letter: it never makes a result partial. */
  optional: boolean;
  /** Matched at least one document within the filter (every document without one). */
  found: boolean;
  /** Matched at least one document outside the filter. */
  foundElsewhere: boolean;
  /** The abbreviation this word is, if it is one. */
  abbreviation: Abbreviation | null;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** Documents outside the filter that match every required word (only with `allow`). */
  others: SearchHit[];
  words: SearchWord[];
  /** Within the filter: how many documents match every required word, and how many only some. */
  full: number;
  partial: number;
}

export interface SearchOptions {
  limit?: number;
  /** Only documents with a non-zero entry are returned as hits (e.g. the codes in force on a date). */
  allow?: Uint8Array;
  /** How many documents outside `allow` to return in `others` (default 10; 0 = none). */
  othersLimit?: number;
}

const MAX_CHAR = '\uffff';
/** A Russian stem of at least this many letters also finds the words it begins (see formTerms). */
const RU_STEM_PREFIX_MIN = 5;
const RU_ENDING_MAX = 4;
const LANG_BIT: Record<TextLang, number> = { ru: 1, kk: 2 };

/** A list of documents per match for one query word. */
type Posting = { docs: ArrayLike<number>; kind: number; tf?: ArrayLike<number> };

/** A sorted list of code keys with their documents. */
interface CodeList {
  keys: string[];
  docs: Int32Array;
}

function codeList(pairs: (readonly [string, number])[]): CodeList {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return { keys: pairs.map((c) => c[0]), docs: Int32Array.from(pairs.map((c) => c[1])) };
}

export class SearchIndex {
  readonly size: number;
  /** Sorted distinct folded words, and the documents of each (ascending). */
  private readonly terms: string[];
  private readonly docs: readonly SearchDoc[];
  /** Per term: the languages of the texts it occurs in (bit 1 ru, bit 2 kk). */
  private readonly termLangs: Uint8Array;
  private readonly postings: Int32Array[];
  /** Per posting: in how many of the document's texts the word occurs (a code named the same way
   *  by several official sources ranks above one that mentions the word once). */
  private readonly tfs: Uint8Array[];
  /** Codes sorted as strings, and the same codes without their dots (`3751` -> 37.51). */
  private readonly codes: CodeList;
  private readonly bareCodes: CodeList;
  private readonly abbreviations: readonly Abbreviation[];
  private deletes: Map<string, number | number[]> | null = null;
  private stems: Record<TextLang, Map<string, number[]>> | null = null;
  private abbrDocs: Map<string, { abbreviation: Abbreviation; docs: Int32Array }> | null = null;
  // Scratch space reused by every search (an index serves one search at a time).
  private readonly tokStamp: Int32Array;
  private readonly tokBest: Int8Array;
  private readonly docStamp: Int32Array;
  private readonly count: Int16Array;
  private readonly minKind: Int8Array;
  private readonly sumKind: Int16Array;
  private readonly tokTf: Uint8Array;
  private readonly tfSum: Int16Array;
  private readonly mask: Int32Array;
  private readonly fuzzyMask: Int32Array;
  private readonly rankKey: Float64Array;
  /** Per document: words in its shortest text, capped at 255 (the last tie-break). */
  private readonly docWords: Uint8Array;
  private tokCounter = 0;
  private searchCounter = 0;

  constructor(docs: readonly SearchDoc[], options: { abbreviations?: readonly Abbreviation[] } = {}) {
    this.size = docs.length;
    this.abbreviations = options.abbreviations ?? SEARCH_ABBREVIATIONS;
    this.docs = docs;
    this.docWords = new Uint8Array(docs.length);
    const byTerm = new Map<string, { docs: number[]; tf: number[]; langs: number }>();
    docs.forEach((d, i) => {
      for (const t of d.texts) {
        const text = typeof t === 'string' ? t : t.text;
        const bit = LANG_BIT[typeof t === 'string' ? guessLang(t) : t.lang];
        const all = foldText(text).match(WORD) ?? [];
        const len = Math.min(255, all.length);
        if (this.docWords[i] === 0 || len < this.docWords[i]!) this.docWords[i] = len;
        for (const w of new Set(all)) {
          let list = byTerm.get(w);
          if (!list) byTerm.set(w, (list = { docs: [], tf: [], langs: 0 }));
          list.langs |= bit;
          const last = list.docs.length - 1;
          if (list.docs[last] !== i) {
            list.docs.push(i);
            list.tf.push(1);
          } else if (list.tf[last]! < 255) list.tf[last]! += 1;
        }
      }
    });
    this.terms = [...byTerm.keys()].sort();
    const entries = this.terms.map((t) => byTerm.get(t)!);
    this.termLangs = Uint8Array.from(entries.map((e) => e.langs));
    this.postings = entries.map((e) => Int32Array.from(e.docs));
    this.tfs = entries.map((e) => Uint8Array.from(e.tf));
    this.codes = codeList(docs.map((d, i) => [d.code, i] as const));
    this.bareCodes = codeList(docs.map((d, i) => [d.code.replace(/\./g, ''), i] as const));
    const n = docs.length;
    this.tokStamp = new Int32Array(n);
    this.tokBest = new Int8Array(n);
    this.docStamp = new Int32Array(n);
    this.count = new Int16Array(n);
    this.minKind = new Int8Array(n);
    this.sumKind = new Int16Array(n);
    this.tokTf = new Uint8Array(n);
    this.tfSum = new Int16Array(n);
    this.mask = new Int32Array(n);
    this.fuzzyMask = new Int32Array(n);
    this.rankKey = new Float64Array(n);
  }

  /** A folded word as a document writes it (lower case, Kazakh letters kept), to show a typo's reading. */
  private surface(term: string, doc: number): string {
    for (const t of this.docs[doc]!.texts) {
      const text = typeof t === 'string' ? t : t.text;
      const lower = text.toLowerCase();
      const folded = foldText(text);
      if (lower.length !== folded.length) continue;
      for (const m of folded.matchAll(WORD)) if (m[0] === term) return lower.slice(m.index, m.index + term.length);
    }
    return term;
  }

  /** Number of distinct words indexed. */
  get vocabularySize(): number {
    return this.terms.length;
  }

  /** Builds the deletion neighbourhood on the first fuzzy query (most searches never need it). */
  private deleteMap(): Map<string, number | number[]> {
    if (this.deletes) return this.deletes;
    const map = new Map<string, number | number[]>();
    const set = new Set<string>();
    this.terms.forEach((term, ti) => {
      if (term.length < 3) return;
      set.clear();
      set.add(term);
      deletions(term, term.length >= 6 ? 2 : 1, set);
      for (const d of set) {
        const cur = map.get(d);
        if (cur === undefined) map.set(d, ti);
        else if (typeof cur === 'number') map.set(d, [cur, ti]);
        else cur.push(ti);
      }
    });
    this.deletes = map;
    return map;
  }

  /** Per language, the terms of each stem (built on the first query that needs it). */
  private stemMaps(): Record<TextLang, Map<string, number[]>> {
    if (this.stems) return this.stems;
    const maps: Record<TextLang, Map<string, number[]>> = { ru: new Map(), kk: new Map() };
    const add = (map: Map<string, number[]>, key: string, ti: number) => {
      const list = map.get(key);
      if (list) list.push(ti);
      else map.set(key, [ti]);
    };
    this.terms.forEach((term, ti) => {
      if (term.length < FORM_MIN_LENGTH) return;
      const langs = this.termLangs[ti]!;
      if (langs & LANG_BIT.ru) add(maps.ru, stemRussian(term), ti);
      if (langs & LANG_BIT.kk) add(maps.kk, stemKazakhWord(term), ti);
    });
    this.stems = maps;
    return maps;
  }

  /** Terms that are other forms of a word (same Russian or Kazakh stem; the word itself excluded). */
  formTerms(word: string): number[] {
    if (word.length < FORM_MIN_LENGTH || CODE_TOKEN.test(word)) return [];
    const maps = this.stemMaps();
    const out = new Set<number>();
    const ru = stemRussian(word);
    for (const ti of maps.ru.get(ru) ?? []) if (this.terms[ti] !== word) out.add(ti);
    for (const ti of maps.kk.get(stemKazakhWord(word)) ?? []) if (this.terms[ti] !== word) out.add(ti);
    // The Snowball stemmer sometimes cuts a letter of the stem with the ending («клапана» ->
    // «клапа», but «клапанов» -> «клапан»): a Russian word that starts with a stem of 5+ letters
    // and is at most an ending (4 letters) longer is a form too.
    if (ru.length >= RU_STEM_PREFIX_MIN && ru !== word) {
      const hi = lowerBound(this.terms, ru + MAX_CHAR);
      for (let ti = lowerBound(this.terms, ru); ti < hi; ti++) {
        const term = this.terms[ti]!;
        if (term !== word && term.length <= ru.length + RU_ENDING_MAX && this.termLangs[ti]! & LANG_BIT.ru) out.add(ti);
      }
    }
    return [...out];
  }

  /** Terms within the allowed edit distance of a word (the word itself excluded). */
  fuzzyTerms(word: string): number[] {
    const k = maxTypos(word.length);
    if (k === 0) return [];
    const map = this.deleteMap();
    const probes = new Set<string>([word]);
    deletions(word, k, probes);
    const seen = new Set<number>();
    const out: number[] = [];
    for (const p of probes) {
      const hit = map.get(p);
      if (hit === undefined) continue;
      for (const ti of typeof hit === 'number' ? [hit] : hit) {
        if (seen.has(ti)) continue;
        seen.add(ti);
        const term = this.terms[ti]!;
        if (term !== word && withinDistance(word, term, k)) out.push(ti);
      }
    }
    return out;
  }

  /** Documents of a word as a whole word or a form of it (used to expand an abbreviation). */
  private wordOrFormDocs(word: string): Set<number> {
    const out = new Set<number>();
    const lo = lowerBound(this.terms, word);
    if (this.terms[lo] === word) for (const d of this.postings[lo]!) out.add(d);
    for (const ti of this.formTerms(word)) for (const d of this.postings[ti]!) out.add(d);
    return out;
  }

  /** Per folded abbreviation, the documents with every word of one of its expansions. */
  private abbreviationMap(): Map<string, { abbreviation: Abbreviation; docs: Int32Array }> {
    if (this.abbrDocs) return this.abbrDocs;
    const map = new Map<string, { abbreviation: Abbreviation; docs: Int32Array }>();
    for (const a of this.abbreviations) {
      const docs = new Set<number>();
      for (const phrase of [a.ru, a.kk]) {
        const words = foldText(phrase).match(WORD) ?? [];
        let acc: number[] | null = null;
        for (const w of words) {
          const ds = this.wordOrFormDocs(w);
          acc = acc === null ? [...ds] : acc.filter((d) => ds.has(d));
          if (acc.length === 0) break;
        }
        for (const d of acc ?? []) docs.add(d);
      }
      const sorted = Int32Array.from([...docs].sort((x, y) => x - y));
      for (const f of a.forms) map.set(foldText(f), { abbreviation: a, docs: sorted });
    }
    this.abbrDocs = map;
    return map;
  }

  /** The abbreviation a query word is, if any. */
  abbreviationOf(word: string): Abbreviation | null {
    return this.abbreviationMap().get(word)?.abbreviation ?? null;
  }

  /** Exact and prefix matches of a key in a sorted code list. */
  private codePostings(list: CodeList, key: string, out: Posting[]): boolean {
    const lo = lowerBound(list.keys, key);
    const hi = lowerBound(list.keys, key + MAX_CHAR);
    const exact: number[] = [];
    const prefix: number[] = [];
    for (let i = lo; i < hi; i++) (list.keys[i] === key ? exact : prefix).push(list.docs[i]!);
    if (exact.length) out.push({ docs: exact, kind: MATCH.code });
    if (prefix.length) out.push({ docs: prefix, kind: MATCH.codePrefix });
    return hi > lo;
  }

  /** The postings a query word matches (any order: the best kind per document counts), and the
   *  terms it matched only as a typo. */
  private tokenPostings(token: string, alone: boolean, fuzzyOut: number[]): Posting[] {
    const out: Posting[] = [];
    const isCode = CODE_TOKEN.test(token);
    if (isCode) {
      const found = this.codePostings(this.codes, token, out);
      const bare = token.replace(/\./g, '');
      // Typed without dots (`3751`), or with dots in the wrong places: compare the digits.
      if (bare.length >= 3 && (!token.includes('.') || !found)) this.codePostings(this.bareCodes, bare, out);
      if (token.includes('.')) return out;
    }
    const lo = lowerBound(this.terms, token);
    if (this.terms[lo] === token) out.push({ docs: this.postings[lo]!, kind: MATCH.word, tf: this.tfs[lo]! });
    if (token.length >= 2 || alone) {
      const hi = lowerBound(this.terms, token + MAX_CHAR);
      for (let i = this.terms[lo] === token ? lo + 1 : lo; i < hi; i++) out.push({ docs: this.postings[i]!, kind: MATCH.prefix, tf: this.tfs[i]! });
    }
    if (!isCode) {
      const abbr = this.abbreviationMap().get(token);
      if (abbr && abbr.docs.length) out.push({ docs: abbr.docs, kind: MATCH.abbr });
      const forms = this.formTerms(token);
      for (const ti of forms) out.push({ docs: this.postings[ti]!, kind: MATCH.form, tf: this.tfs[ti]! });
      const formSet = new Set(forms);
      for (const ti of this.fuzzyTerms(token)) {
        if (formSet.has(ti)) continue;
        out.push({ docs: this.postings[ti]!, kind: MATCH.fuzzy, tf: this.tfs[ti]! });
        fuzzyOut.push(ti);
      }
    }
    return out;
  }

  /** Best first; ties keep the documents' own order. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.query(query, { ...options, othersLimit: 0 }).hits;
  }

  /** The full answer: hits (full, then partial), documents outside the filter, and each word's fate. */
  query(query: string, options: SearchOptions = {}): SearchOutcome {
    const parsed = parseQuery(query);
    const limit = options.limit ?? 50;
    const othersLimit = options.allow ? (options.othersLimit ?? 10) : 0;
    const empty: SearchOutcome = { hits: [], others: [], words: [], full: 0, partial: 0 };
    if (parsed.length === 0 || limit <= 0) return empty;
    const allow = options.allow;
    const { tokStamp, tokBest, docStamp, count, minKind, sumKind, tokTf, tfSum, mask, fuzzyMask, rankKey, docWords } = this;
    const sid = ++this.searchCounter;
    const touched: number[] = [];
    const tokTouched: number[] = [];
    const words: SearchWord[] = [];
    const fuzzyByToken: number[][] = [];
    let required = 0;
    parsed.forEach((tok, ti) => {
      const bit = 1 << ti;
      if (!tok.optional) required |= bit;
      const tid = ++this.tokCounter;
      tokTouched.length = 0;
      const fuzzy: number[] = [];
      fuzzyByToken.push(fuzzy);
      let found = false;
      let foundElsewhere = false;
      for (const p of this.tokenPostings(tok.text, parsed.length === 1, fuzzy)) {
        const docs = p.docs;
        const kind = p.kind;
        const tf = p.tf;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          if (allow && !allow[d]) {
            foundElsewhere = true;
            if (othersLimit === 0) continue;
          } else found = true;
          const f = tf ? tf[i]! : 1;
          if (tokStamp[d] !== tid) {
            tokStamp[d] = tid;
            tokBest[d] = kind;
            tokTf[d] = f;
            tokTouched.push(d);
          } else if (kind > tokBest[d]!) {
            tokBest[d] = kind;
            tokTf[d] = f;
          } else if (kind === tokBest[d]! && f > tokTf[d]!) tokTf[d] = f;
        }
      }
      words.push({
        shown: tok.shown,
        text: tok.text,
        optional: tok.optional,
        found,
        foundElsewhere,
        abbreviation: CODE_TOKEN.test(tok.text) ? null : this.abbreviationOf(tok.text),
      });
      for (const d of tokTouched) {
        const k = tokBest[d]!;
        const fz = k === MATCH.fuzzy ? bit : 0;
        if (docStamp[d] !== sid) {
          docStamp[d] = sid;
          count[d] = 1;
          minKind[d] = k;
          sumKind[d] = k;
          tfSum[d] = tokTf[d]!;
          mask[d] = bit;
          fuzzyMask[d] = fz;
          touched.push(d);
        } else {
          count[d]! += 1;
          if (k < minKind[d]!) minKind[d] = k;
          sumKind[d]! += k;
          tfSum[d]! += tokTf[d]!;
          mask[d]! |= bit;
          fuzzyMask[d]! |= fz;
        }
      }
    });
    if (touched.length === 0) return { ...empty, words };
    // Top `limit` by key (desc), then document order (asc), with a bounded min-heap.
    const worse = (a: number, b: number) => {
      const ka = rankKey[a]!;
      const kb = rankKey[b]!;
      return ka !== kb ? ka < kb : a > b;
    };
    const inHeap: number[] = [];
    const outHeap: number[] = [];
    let full = 0;
    let partial = 0;
    for (const d of touched) {
      if (allow && !allow[d]) continue;
      if ((mask[d]! & required) === required) full++;
      else partial++;
    }
    // When the full matches fill the page, no partial one can enter it: skip them.
    const partialsNeeded = full < limit;
    for (const d of touched) {
      const isFull = (mask[d]! & required) === required;
      const outside = allow !== undefined && !allow[d];
      if (outside ? !isFull || othersLimit === 0 : !isFull && !partialsNeeded) continue;
      rankKey[d] = (isFull ? 1e12 : 0) + count[d]! * 1e9 + minKind[d]! * 1e6 + sumKind[d]! * 1e3 + Math.min(999, tfSum[d]!) + (255 - docWords[d]!) / 256;
      heapPush(outside ? outHeap : inHeap, d, outside ? othersLimit : limit, worse);
    }
    const hit = (d: number): SearchHit => {
      const missing: number[] = [];
      const typos: { word: number; as: string }[] = [];
      for (let t = 0; t < parsed.length; t++) {
        const bit = 1 << t;
        if (!(mask[d]! & bit)) {
          if (required & bit) missing.push(t);
        } else if (fuzzyMask[d]! & bit) {
          const ti = fuzzyByToken[t]!.find((x) => sortedHas(this.postings[x]!, d));
          if (ti !== undefined) typos.push({ word: t, as: this.surface(this.terms[ti]!, d) });
        }
      }
      return { doc: d, kind: KIND_NAMES[minKind[d]!]!, matched: count[d]!, tokens: parsed.length, full: missing.length === 0, missing, typos };
    };
    const sorted = (heap: number[]) => heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0)).map(hit);
    return { hits: sorted(inHeap), others: sorted(outHeap), words, full, partial };
  }
}

/** Keeps the best `limit` items in a min-heap ordered by `worse` (the worst at the top). */
function heapPush(heap: number[], d: number, limit: number, worse: (a: number, b: number) => boolean): void {
  if (limit <= 0) return;
  if (heap.length < limit) {
    heap.push(d);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
    return;
  }
  if (!worse(heap[0]!, d)) return;
  heap[0] = d;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
    if (m === i) break;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
