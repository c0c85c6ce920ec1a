/**
 * `npm run bench -- search`: the catalogue search engine against Fuse.js, on the real catalogue
 * (assets/catalogue: one document per code, names in kk and ru) and on a synthetic catalogue of
 * 100,000 entries built from it.
 *
 * Two query sets, each query with the code it should find; a query "hits" when its code is in
 * the top 3:
 *
 * - generated (issue 3), 200 queries derived from the real data by a seeded generator (same list
 *   every run): 40 exact codes, 30 code prefixes, 40 words (20 single rare words, 20 pairs), 40
 *   words with a typo, 30 Kazakh words typed with Russian look-alike letters, 20 of those with a
 *   typo as well;
 * - hand-written (issue 13, _search-queries.ts), 79 queries whose expected codes were read from
 *   the list's texts: 25 of several words, 22 codes typed without dots or with a comma or spaces,
 *   26 with another form of the name's words (Russian and Kazakh), 6 with a word the list does
 *   not have. For this engine the bench also counts word-form queries whose code was labelled as a
 *   typo (a form must not look like a typo).
 *
 * Synthetic catalogue: the real documents at random positions among 100,000 synthetic ones, whose
 * names mix words sampled from the real names with pseudo-words from a 30,000-word synthetic
 * vocabulary (so the vocabulary is realistic, not just the ~3,000 real words).
 *
 * Options: --skip-fuse-100k (Fuse.js over 100k entries takes a while); --misses (list the
 * hand-written queries each engine missed, with its top 3); --repeat N (time each query N times
 * and keep its median: steadier figures on a busy machine; default 1).
 */
import Fuse from 'fuse.js';
import { readShippedCatalogue } from '../../electron/core/catalogue/data';
import { SearchIndex, type SearchHit } from '../../shared/domain/search';
import { HAND_QUERIES } from './_search-queries';
import { foldText } from '../../shared/domain/text-fold';
import { fmt, percentile, table, rng } from './_util';

/** A document as the bench builds it: plain texts (the engine guesses each one's language). */
type SearchDoc = { code: string; texts: string[] };

/** `clean`: the query before a typo was put in (to tell which queries are ambiguous). */
type Query = { q: string; expect: string; kind: string; clean: string };


// ---- the real catalogue as documents (as the core builds them) ----
function realDocs(): SearchDoc[] {
  const { data } = readShippedCatalogue();
  const texts = new Map<string, string[]>();
  const add = (code: string, text: string | undefined) => {
    if (!text) return;
    const list = texts.get(code) ?? [];
    if (!list.includes(text)) list.push(text);
    texts.set(code, list);
  };
  for (const e of data.editions) for (const s of e.sections) for (const x of s.entries) add(x.code, x.name);
  for (const c of data.characteristics?.entries ?? []) {
    add(c.code, c.name.kk);
    add(c.code, c.name.ru);
  }
  return [...texts.keys()].sort().map((code) => ({ code, texts: texts.get(code)! }));
}

const KK_TO_RU: Record<string, string> = { ә: 'а', і: 'и', ң: 'н', ғ: 'г', ү: 'у', ұ: 'у', қ: 'к', ө: 'о', һ: 'х' };
const KK_LETTERS = /[әіңғүұқөһ]/;
const CYR = 'абвгдежзийклмнопрстуфхцчшщыэюя';

function typo(word: string, r: () => number): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  const op = Math.floor(r() * 3);
  if (op === 0) return word.slice(0, i) + CYR[Math.floor(r() * CYR.length)] + word.slice(i + 1); // substitute
  if (op === 1) return word.slice(0, i) + word.slice(i + 1); // delete
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swap neighbours
}

/** The fixed list of 200 queries with their expected codes. */
function buildQueries(docs: SearchDoc[]): Query[] {
  const r = rng(20251001);
  const words = (t: string) => t.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d.texts.flatMap(words))) df.set(w, (df.get(w) ?? 0) + 1);
  const pick = <T>(arr: T[]) => arr[Math.floor(r() * arr.length)]!;
  const shuffled = [...docs].sort(() => r() - 0.5);
  const out: Query[] = [];
  let k = 0;
  const next = () => shuffled[k++ % shuffled.length]!;
  /** The rarest words (5+ letters) of one of the doc's names, in name order. */
  const rare = (d: SearchDoc, n: number, filter: (w: string) => boolean = () => true): string[] | null => {
    const text = pick(d.texts.filter((t) => words(t).some(filter)).length ? d.texts.filter((t) => words(t).some(filter)) : [...d.texts]);
    const ws = [...new Set(words(text))].filter((w) => w.length >= 5 && filter(w));
    if (ws.length < n) return null;
    const chosen = [...ws].sort((a, b) => df.get(a)! - df.get(b)! || b.length - a.length).slice(0, n);
    return ws.filter((w) => chosen.includes(w));
  };
  const codes = docs.map((d) => d.code);
  // 40 exact codes
  for (let i = 0; i < 40; i++) {
    const d = next();
    out.push({ q: d.code, expect: d.code, kind: 'code', clean: d.code });
  }
  // 30 code prefixes that leave at most 3 codes
  for (let i = 0; out.length < 70 && i < 5000; i++) {
    const d = next();
    const p = d.code.slice(0, -1);
    if (p.endsWith('.') && p.length < 3) continue;
    if (codes.filter((c) => c.startsWith(p)).length <= 3 && !out.some((q) => q.q === p)) out.push({ q: p, expect: d.code, kind: 'code prefix', clean: p });
  }
  // 20 single rare words, 20 pairs
  for (let i = 0; out.length < 90 && i < 5000; i++) {
    const d = next();
    const w = rare(d, 1, (x) => x.length >= 6);
    if (w) out.push({ q: w[0]!, expect: d.code, kind: 'word', clean: w[0]! });
  }
  for (let i = 0; out.length < 110 && i < 5000; i++) {
    const d = next();
    const w = rare(d, 2);
    if (w) out.push({ q: w.join(' '), expect: d.code, kind: 'words', clean: w.join(' ') });
  }
  // 40 typos (one edit in the longest of two rare words)
  for (let i = 0; out.length < 150 && i < 5000; i++) {
    const d = next();
    const w = rare(d, 2);
    if (!w) continue;
    const clean = w.join(' ');
    const li = w[0]!.length >= w[1]!.length ? 0 : 1;
    w[li] = typo(w[li]!, r);
    out.push({ q: w.join(' '), expect: d.code, kind: 'typo', clean });
  }
  // 30 Kazakh words typed with Russian letters, 20 of them with a typo too
  for (let i = 0; out.length < 200 && i < 5000; i++) {
    const d = next();
    const w = rare(d, 2, (x) => KK_LETTERS.test(x));
    if (!w || !w.some((x) => KK_LETTERS.test(x))) continue;
    let q = w.map((x) => x.replace(/[әіңғүұқөһ]/g, (c) => KK_TO_RU[c]!));
    const clean = q.join(' ');
    const withTypo = out.length >= 180;
    if (withTypo) {
      const li = q[0]!.length >= q[1]!.length ? 0 : 1;
      q[li] = typo(q[li]!, r);
    }
    out.push({ q: q.join(' '), expect: d.code, kind: withTypo ? 'mixed+typo' : 'mixed letters', clean });
  }
  if (out.length !== 200) throw new Error(`query list has ${out.length} queries, expected 200`);
  return out;
}

/** 100,000 synthetic documents around the real ones (real ones at random positions). */
function syntheticDocs(real: SearchDoc[], total = 100_000): SearchDoc[] {
  const r = rng(7);
  const tokens = real.flatMap((d) => d.texts.flatMap((t) => t.split(/\s+/)));
  const syll = ['ка', 'ро', 'ли', 'ма', 'ст', 'ен', 'ор', 'ия', 'ту', 'зе', 'лық', 'ген', 'дар', 'пин', 'ох', 'ұр', 'ші', 'ва', 'но', 'ре'];
  const pseudo = Array.from({ length: 30_000 }, (_, i) => {
    let w = '';
    let x = i + 1;
    const n = 2 + (i % 4);
    for (let k = 0; k < n; k++) {
      w += syll[x % syll.length];
      x = Math.floor(x / syll.length) + k * 7 + 3;
    }
    return w;
  });
  const codes = new Set(real.map((d) => d.code));
  const out: SearchDoc[] = [];
  for (let i = 0; out.length < total - real.length; i++) {
    const code = `${String(10 + (i % 89)).padStart(2, '0')}.${String(Math.floor(i / 89) % 10000).padStart(4, '0')}.${String(i % 997).padStart(3, '0')}`;
    if (codes.has(code)) continue;
    codes.add(code);
    const n = 6 + Math.floor(r() * 7);
    const ws: string[] = [];
    for (let k = 0; k < n; k++) ws.push(r() < 0.5 ? tokens[Math.floor(r() * tokens.length)]! : pseudo[Math.floor(r() * pseudo.length)]!);
    out.push({ code, texts: [ws.join(' ')] });
  }
  for (const d of real) out.splice(Math.floor(r() * (out.length + 1)), 0, d);
  return out;
}

interface EngineRun {
  name: string;
  build: number;
  search: (q: string) => string[];
  /** This engine only: the match kind it gives a code for a query (to tell forms from typos). */
  kindOf?: (q: string, code: string) => string | undefined;
}

/** One timed pass over the queries (after a short warm-up), keeping each answer for the hit rate. */
/**
 * Queries that cannot single out their code: more than 3 documents contain every word of the
 * query (before its typo) as a whole word, or more than 3 codes start with a code prefix. No
 * engine can be expected to put the right one in the top 3 by text alone.
 */
function ambiguousQueries(docs: SearchDoc[], queries: Query[]): Set<Query> {
  const wordSets = docs.map((d) => new Set(d.texts.flatMap((t) => foldText(t).match(/[\p{L}\p{N}]+/gu) ?? [])));
  const out = new Set<Query>();
  for (const q of queries) {
    let n = 0;
    if (/^[\d.,\s-]+$/.test(q.clean)) {
      // A code, however typed: the codes whose digits begin with the query's digits.
      const digits = q.clean.replace(/\D/g, '');
      for (const d of docs) if (d.code.replace(/\D/g, '').startsWith(digits)) n++;
    } else {
      const ws = foldText(q.clean).match(/[\p{L}\p{N}]+/gu) ?? [];
      for (const set of wordSets) if (ws.every((w) => set.has(w))) n++;
    }
    if (n > 3) out.add(q);
  }
  return out;
}

function measure(run: EngineRun, queries: Query[], ambiguous: Set<Query>) {
  for (const q of queries.slice(0, 20)) run.search(q.q); // warm-up (JIT, lazy structures)
  const times: number[] = [];
  let hits = 0;
  let clearHits = 0;
  const missesByKind = new Map<string, number>();
  for (const q of queries) {
    // Each query timed `repeat` times, its median kept (a busy machine adds pauses to single runs).
    const runs: number[] = [];
    let found: string[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = process.hrtime.bigint();
      found = run.search(q.q);
      runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    runs.sort((a, b) => a - b);
    times.push(runs[(runs.length - 1) >> 1]!);
    if (found.slice(0, 3).includes(q.expect)) {
      hits++;
      if (!ambiguous.has(q)) clearHits++;
    } else missesByKind.set(q.kind, (missesByKind.get(q.kind) ?? 0) + 1);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, hits, clearHits, missesByKind };
}

function engines(docs: SearchDoc[], withFuse: boolean, fuseFolded: boolean): EngineRun[] {
  const runs: EngineRun[] = [];
  let t0 = performance.now();
  const ix = new SearchIndex(docs);
  ix.search('клапона'); // the deletion map and the stem maps are built on the first query: count them in the build
  const kindOf = (q: string, code: string) => ix.search(q, { limit: 10 }).find((h: SearchHit) => docs[h.doc]!.code === code)?.kind;
  runs.push({ name: 'htmp SearchIndex', build: performance.now() - t0, search: (q) => ix.search(q, { limit: 10 }).map((h) => docs[h.doc]!.code), kindOf });
  if (withFuse) {
    t0 = performance.now();
    const fuse = new Fuse(docs, { keys: ['code', 'texts'], ignoreLocation: true, threshold: 0.4 });
    runs.push({ name: 'Fuse.js (raw text)', build: performance.now() - t0, search: (q) => fuse.search(q, { limit: 10 }).map((r) => r.item.code) });
  }
  if (withFuse && fuseFolded) {
    t0 = performance.now();
    const folded = docs.map((d) => ({ code: d.code, texts: d.texts.map(foldText) }));
    const fuse = new Fuse(folded, { keys: ['code', 'texts'], ignoreLocation: true, threshold: 0.4 });
    runs.push({ name: 'Fuse.js (folded text+query)', build: performance.now() - t0, search: (q) => fuse.search(foldText(q), { limit: 10 }).map((r) => r.item.code) });
  }
  return runs;
}

function report(title: string, docs: SearchDoc[], queries: Query[], runs: EngineRun[]) {
  const ambiguous = ambiguousQueries(docs, queries);
  const clear = queries.length - ambiguous.size;
  console.log(`\n${title}: ${docs.length.toLocaleString('en')} documents, ${queries.length} queries (${ambiguous.size} ambiguous: more than 3 documents contain all their words), top-3 hit = expected code among the first 3`);
  const rows: (string | number)[][] = [['engine', 'build ms', 'p50 ms', 'p95 ms', 'max ms', 'top-3 hits', 'unambiguous top-3', 'misses by kind']];
  for (const run of runs) {
    const m = measure(run, queries, ambiguous);
    rows.push([
      run.name,
      fmt(run.build),
      fmt(m.p50),
      fmt(m.p95),
      fmt(m.max),
      `${m.hits}/${queries.length} (${((100 * m.hits) / queries.length).toFixed(1)}%)`,
      `${m.clearHits}/${clear} (${((100 * m.clearHits) / Math.max(1, clear)).toFixed(1)}%)`,
      [...m.missesByKind].map(([k, n]) => `${k} ${n}`).join(', ') || '-',
    ]);
  }
  table(rows);
}

/** The hand-written queries: hits per kind for each engine, and forms labelled as typos. */
function reportHand(title: string, docs: SearchDoc[], runs: EngineRun[]) {
  const queries: Query[] = HAND_QUERIES.map((h) => ({ q: h.q, expect: h.expect, kind: h.kind, clean: h.q }));
  const known = new Set(docs.map((d) => d.code));
  for (const q of queries) if (!known.has(q.expect)) throw new Error(`hand-written query "${q.q}": no code ${q.expect} in the catalogue`);
  const ambiguous = ambiguousQueries(docs, queries);
  const kinds = [...new Set(queries.map((q) => q.kind))];
  const count = (k: string) => queries.filter((q) => q.kind === k).length;
  console.log(`\n${title}, hand-written queries: ${queries.length} (${kinds.map((k) => `${k} ${count(k)}`).join(', ')}; ${ambiguous.size} ambiguous)`);
  const rows: (string | number)[][] = [['engine', 'p50 ms', 'p95 ms', 'max ms', 'top-3 hits', ...kinds]];
  for (const run of runs) {
    const m = measure(run, queries, ambiguous);
    rows.push([
      run.name,
      fmt(m.p50),
      fmt(m.p95),
      fmt(m.max),
      `${m.hits}/${queries.length} (${((100 * m.hits) / queries.length).toFixed(1)}%)`,
      ...kinds.map((k) => `${count(k) - (m.missesByKind.get(k) ?? 0)}/${count(k)}`),
    ]);
  }
  table(rows);
  if (showMisses) {
    for (const run of runs) {
      for (const q of queries) {
        const top = run.search(q.q).slice(0, 3);
        if (!top.includes(q.expect)) console.log(`  miss (${run.name}): "${q.q}" -> ${q.expect}; top 3: ${top.join(', ') || '-'}${ambiguous.has(q) ? ' (ambiguous)' : ''}`);
      }
    }
  }
  for (const run of runs) {
    if (!run.kindOf) continue;
    const forms = queries.filter((q) => q.kind === 'word form');
    const asTypo = forms.filter((q) => run.kindOf!(q.q, q.expect) === 'fuzzy');
    console.log(`${run.name}: word-form queries whose code was labelled a typo: ${asTypo.length}/${forms.length}${asTypo.length ? ` (${asTypo.map((q) => q.q).join('; ')})` : ''}`);
  }
}

const skipFuse100k = process.argv.includes('--skip-fuse-100k');
const showMisses = process.argv.includes('--misses');
const repeatArg = process.argv.indexOf('--repeat');
const repeat = repeatArg > 0 ? Math.max(1, Number(process.argv[repeatArg + 1]) || 1) : 1;
const real = realDocs();
const queries = buildQueries(real);
const kinds = new Map<string, number>();
for (const q of queries) kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
console.log(`queries: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`examples: ${[0, 45, 75, 95, 120, 160, 195].map((i) => `"${queries[i]!.q}" -> ${queries[i]!.expect}`).join('; ')}`);

const realRuns = engines(real, true, true);
report('Real catalogue', real, queries, realRuns);
reportHand('Real catalogue', real, realRuns);
const synthetic = syntheticDocs(real);
const syntheticRuns = engines(synthetic, !skipFuse100k, false);
report('Synthetic catalogue', synthetic, queries, syntheticRuns);
reportHand('Synthetic catalogue', synthetic, syntheticRuns);
console.log('\nTargets: p95 < 2 ms (real), < 15 ms (100,000 entries); ahead of Fuse.js in speed and top-3 hits.');
