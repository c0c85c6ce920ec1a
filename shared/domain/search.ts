/**
 * The catalogue's search engine (pure: no I/O). One document per code: the code and its names
 * in any language. A query is folded (see text-fold.ts) and split into tokens; every token is
 * matched as
 *
 *   5 exact code   `35.21` finds 35.21 (codes are strings: 35.21 is not 35.210)
 *   4 code prefix  `81.0` finds 81.01, 81.062 …
 *   3 whole word   `клапана` finds a name with the word «клапана»
 *   2 prefix       `клап` finds «клапана» (the word being typed)
 *   1 fuzzy        `клапона` finds «клапана»: edit distance (with transpositions) 1 for words of
 *                  4+ letters, 2 for 8+ letters.
 *
 * Fuzzy candidates come from a deletion neighbourhood (SymSpell): every indexed word stores the
 * strings made by deleting 1 (words of 3+ letters) or up to 2 (6+ letters) of its letters; a
 * query word meets its candidates through its own deletions, and each candidate is verified by a
 * bounded edit distance. No linear scan over the vocabulary.
 *
 * Ranking: documents matching more query tokens first; then the weakest token's match kind (so a
 * result where every word matched whole beats one where a word only matched fuzzily), then the
 * sum of kinds, then in how many of its texts the words occur (a code whose Kazakh and Russian
 * names or several sources carry the word), then the order the documents were given in.
 */
import { foldText } from './text-fold';

export const MATCH = { code: 5, codePrefix: 4, word: 3, prefix: 2, fuzzy: 1 } as const;
export type MatchKind = keyof typeof MATCH;
const KIND_NAMES: MatchKind[] = ['fuzzy', 'fuzzy', 'prefix', 'word', 'codePrefix', 'code'];

export interface SearchDoc {
  code: string;
  texts: readonly string[];
}

export interface SearchHit {
  /** Index of the document in the array the index was built from. */
  doc: number;
  /** The weakest match among the query's tokens (what the result is ranked by). */
  kind: MatchKind;
  /** How many of the query's tokens matched. */
  matched: number;
  tokens: number;
}

export interface SearchOptions {
  limit?: number;
  /** Only documents with a non-zero entry are returned (e.g. the codes in force on a date). */
  allow?: Uint8Array;
}

const CODE_TOKEN = /^\d[\d.]*$/;
const TOKEN = /\d+(?:\.\d+)*\.?|[\p{L}\p{N}]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** The folded tokens of a query: code-like tokens keep their dots (`81.0`, `35.`). */
export function queryTokens(query: string): string[] {
  return foldText(query).match(TOKEN) ?? [];
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
function deletions(s: string, depth: number, out: Set<string>): void {
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
function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MAX_CHAR = '\uffff';

/** A list of documents per match for one query token. */
type Posting = { docs: ArrayLike<number>; kind: number; tf?: ArrayLike<number> };

export class SearchIndex {
  readonly size: number;
  /** Sorted distinct folded words, and the documents of each (ascending). */
  private readonly terms: string[];
  private readonly postings: Int32Array[];
  /** Per posting: in how many of the document's texts the word occurs (a code named the same way
   *  by several official sources ranks above one that mentions the word once). */
  private readonly tfs: Uint8Array[];
  /** Codes sorted as strings, with their documents. */
  private readonly codes: string[];
  private readonly codeDocs: Int32Array;
  private deletes: Map<string, number | number[]> | null = null;
  // Scratch space reused by every search (an index serves one search at a time).
  private readonly tokStamp: Int32Array;
  private readonly tokBest: Int8Array;
  private readonly docStamp: Int32Array;
  private readonly count: Int16Array;
  private readonly minKind: Int8Array;
  private readonly sumKind: Int16Array;
  private readonly tokTf: Uint8Array;
  private readonly tfSum: Int16Array;
  private tokCounter = 0;
  private searchCounter = 0;

  constructor(docs: readonly SearchDoc[]) {
    this.size = docs.length;
    const byTerm = new Map<string, { docs: number[]; tf: number[] }>();
    docs.forEach((d, i) => {
      for (const text of d.texts) {
        for (const w of new Set(foldText(text).match(WORD) ?? [])) {
          let list = byTerm.get(w);
          if (!list) byTerm.set(w, (list = { docs: [], tf: [] }));
          const last = list.docs.length - 1;
          if (list.docs[last] !== i) {
            list.docs.push(i);
            list.tf.push(1);
          } else if (list.tf[last]! < 255) list.tf[last]! += 1;
        }
      }
    });
    this.terms = [...byTerm.keys()].sort();
    this.postings = this.terms.map((t) => Int32Array.from(byTerm.get(t)!.docs));
    this.tfs = this.terms.map((t) => Uint8Array.from(byTerm.get(t)!.tf));
    const codeOrder = docs.map((d, i) => [d.code, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    this.codes = codeOrder.map((c) => c[0]);
    this.codeDocs = Int32Array.from(codeOrder.map((c) => c[1]));
    const n = docs.length;
    this.tokStamp = new Int32Array(n);
    this.tokBest = new Int8Array(n);
    this.docStamp = new Int32Array(n);
    this.count = new Int16Array(n);
    this.minKind = new Int8Array(n);
    this.sumKind = new Int16Array(n);
    this.tokTf = new Uint8Array(n);
    this.tfSum = new Int16Array(n);
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

  /** The postings a query token matches, strongest kinds first. */
  private tokenPostings(token: string, alone: boolean): Posting[] {
    const out: Posting[] = [];
    const isCode = CODE_TOKEN.test(token);
    if (isCode) {
      const lo = lowerBound(this.codes, token);
      const hi = lowerBound(this.codes, token + MAX_CHAR);
      const exact: number[] = [];
      const prefix: number[] = [];
      for (let i = lo; i < hi; i++) (this.codes[i] === token ? exact : prefix).push(this.codeDocs[i]!);
      if (exact.length) out.push({ docs: exact, kind: MATCH.code });
      if (prefix.length) out.push({ docs: prefix, kind: MATCH.codePrefix });
      if (token.includes('.')) return out;
    }
    const lo = lowerBound(this.terms, token);
    if (this.terms[lo] === token) out.push({ docs: this.postings[lo]!, kind: MATCH.word, tf: this.tfs[lo]! });
    if (token.length >= 2 || alone) {
      const hi = lowerBound(this.terms, token + MAX_CHAR);
      for (let i = this.terms[lo] === token ? lo + 1 : lo; i < hi; i++) out.push({ docs: this.postings[i]!, kind: MATCH.prefix, tf: this.tfs[i]! });
    }
    if (!isCode) for (const ti of this.fuzzyTerms(token)) out.push({ docs: this.postings[ti]!, kind: MATCH.fuzzy, tf: this.tfs[ti]! });
    return out;
  }

  /** Best first; ties keep the documents' own order. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const tokens = queryTokens(query);
    const limit = options.limit ?? 50;
    if (tokens.length === 0 || limit <= 0) return [];
    const allow = options.allow;
    const { tokStamp, tokBest, docStamp, count, minKind, sumKind, tokTf, tfSum } = this;
    const sid = ++this.searchCounter;
    const touched: number[] = [];
    const tokTouched: number[] = [];
    for (const token of tokens) {
      const tid = ++this.tokCounter;
      tokTouched.length = 0;
      for (const p of this.tokenPostings(token, tokens.length === 1)) {
        const docs = p.docs;
        const kind = p.kind;
        const tf = p.tf;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]!;
          if (allow && !allow[d]) continue;
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
      for (const d of tokTouched) {
        const k = tokBest[d]!;
        if (docStamp[d] !== sid) {
          docStamp[d] = sid;
          count[d] = 1;
          minKind[d] = k;
          sumKind[d] = k;
          tfSum[d] = tokTf[d]!;
          touched.push(d);
        } else {
          count[d]! += 1;
          if (k < minKind[d]!) minKind[d] = k;
          sumKind[d]! += k;
          tfSum[d]! += tokTf[d]!;
        }
      }
    }
    if (touched.length === 0) return [];
    let best = 0;
    for (const d of touched) if (count[d]! > best) best = count[d]!;
    // Top `limit` by key (desc), then document order (asc), with a bounded min-heap.
    const key = (d: number) => minKind[d]! * 1e6 + sumKind[d]! * 1e3 + Math.min(999, tfSum[d]!);
    const heap: number[] = [];
    const worse = (a: number, b: number) => {
      const ka = key(a);
      const kb = key(b);
      return ka !== kb ? ka < kb : a > b;
    };
    const siftUp = (i: number) => {
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    };
    const siftDown = (i: number) => {
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
    };
    for (const d of touched) {
      if (count[d] !== best) continue;
      if (heap.length < limit) {
        heap.push(d);
        siftUp(heap.length - 1);
      } else if (worse(heap[0]!, d)) {
        heap[0] = d;
        siftDown(0);
      }
    }
    heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
    return heap.map((d) => ({ doc: d, kind: KIND_NAMES[minKind[d]!]!, matched: count[d]!, tokens: tokens.length }));
  }
}
