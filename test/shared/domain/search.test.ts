import { describe, expect, it } from 'vitest';
import { SearchIndex, maxTypos, parseQuery, queryTokens, withinDistance } from '../../../shared/domain/search';
import { foldText, foldWords } from '../../../shared/domain/text-fold';

const docs = [
  { code: '35.21', texts: ['Открытая и другая замена аортального клапана тканевым трансплантатом', 'Қолқа қақпақшасын тіндік трансплантатпен ашық және басқа ауыстыру'] },
  { code: '35.210', texts: ['Синтетический код для проверки строк'] },
  { code: '37.32', texts: ['Иссечение аневризмы сердца', 'Жүрек аневризмасын тілу'] },
  { code: '55.62', texts: ['Трансплантация почки от посмертного донора', 'Қайтыс болған донордан бүйректі транспланттау'] },
  { code: '81.041', texts: ['Спондилодез грудного и поясничного позвонков'] },
  { code: '81.062', texts: ['Спондилодез поясничного и крестцового позвонков'] },
  { code: '00.50', texts: ['Имплантация бивентрикулярного электрокардиостимулятора (CRT-P)'] },
  { code: '69.921', texts: ['Классикалық экстракорпоралдық ұрықтандыру, ұзақ хаттама'] },
];
const index = new SearchIndex(docs);
const codes = (q: string, opts = {}) => index.search(q, opts).map((h) => docs[h.doc]!.code);

describe('text folding', () => {
  it('folds case, ё and the Kazakh letters to their Russian look-alikes', () => {
    expect(foldText('ЁЛКА')).toBe('елка');
    expect(foldText('іұүқңғөһә')).toBe('иуукнгоха');
    expect(foldText('Жүрек')).toBe(foldText('журек'));
    expect(foldText('Қайтыс')).toBe(foldText('кайтыс'));
  });
  it('folds Latin look-alikes typed among Cyrillic letters', () => {
    expect(foldText('CRT-P')).toBe(foldText('СRТ-Р'));
    expect(foldText('жүрeк')).toBe(foldText('жүрек')); // Latin e
    expect(foldText('Tiн')).toBe(foldText('тін'));
  });
  it('splits words on punctuation and keeps digits', () => {
    expect(foldWords('"Жүрек – өкпе" кешенін (CRT-D), 1 сеанс')).toEqual(['журек', 'окпе', 'кешенин', 'сrт', 'd', '1', 'сеанс']);
    expect(queryTokens('81.0 клапан')).toEqual(['81.0', 'клапан']);
    expect(queryTokens('35. x')).toEqual(['35.', 'х']);
  });
});

describe('edit distance', () => {
  it('counts substitutions, insertions, deletions and swaps, bounded', () => {
    expect(withinDistance('клапан', 'клапан', 0)).toBe(true);
    expect(withinDistance('клапон', 'клапан', 1)).toBe(true);
    expect(withinDistance('клапан', 'клапна', 1)).toBe(true); // swap
    expect(withinDistance('клапан', 'клапанн', 1)).toBe(true);
    expect(withinDistance('клапан', 'клан', 1)).toBe(false);
    expect(withinDistance('трансплантация', 'транслпантацыя', 2)).toBe(true);
    expect(withinDistance('трансплантация', 'транслпантацыйа', 2)).toBe(false);
  });
  it('allows 1 typo from 4 letters and 2 from 8', () => {
    expect([3, 4, 7, 8, 12].map(maxTypos)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('search', () => {
  it('exact code first, then code prefix; codes are strings', () => {
    expect(codes('35.21')).toEqual(['35.21', '35.210']);
    expect(index.search('35.21')[0]!.kind).toBe('code');
    expect(index.search('35.21')[1]!.kind).toBe('codePrefix');
    expect(codes('81.0')).toEqual(['81.041', '81.062']);
    expect(codes('81.')).toEqual(['81.041', '81.062']);
    expect(codes('35.2100')).toEqual([]);
  });
  it('finds whole words and prefixes in either language', () => {
    expect(codes('почки')).toEqual(['55.62']);
    expect(index.search('почки')[0]!.kind).toBe('word');
    // Both have the prefix once: the shorter name comes first.
    expect(codes('трансплант')).toEqual(['55.62', '35.21']);
    expect(index.search('трансплант')[0]!.kind).toBe('prefix');
    expect(codes('бүйрек')).toEqual(['55.62']);
  });
  it('Kazakh letters typed on a Russian keyboard', () => {
    expect(codes('журек')).toEqual(['37.32']);
    expect(codes('буйректи')).toEqual(['55.62']);
    expect(codes('экстракорпоралдык урыктандыру')).toEqual(['69.921']);
    expect(codes('кайтыс')).toEqual(['55.62']);
  });
  it('typos: one in words of 4+ letters, two in 8+', () => {
    expect(codes('почкт')).toEqual(['55.62']);
    expect(index.search('почкт')[0]!.kind).toBe('fuzzy');
    expect(codes('аневризмв')).toEqual(['37.32']);
    expect(codes('спондилодес')).toEqual(['81.041', '81.062']);
    expect(codes('транслпантацыя')).toEqual(['55.62']); // swap + substitution
    expect(codes('сердце')).toEqual(['37.32']); // «сердца»: a form, see below
    expect(codes('срдце')).toEqual([]); // two edits in a word under 8 letters
  });
  it('ranks whole words above prefixes above typos, and all-token matches first', () => {
    const d = new SearchIndex([
      { code: '01.01', texts: ['клапаном'] },
      { code: '01.02', texts: ['клапон'] },
      { code: '01.03', texts: ['клапан'] },
    ]);
    // «клапаном» is a form of «клапан» (not just a longer word); «клапон» is a typo.
    expect(d.search('клапан').map((h) => h.kind)).toEqual(['word', 'form', 'fuzzy']);
    expect(d.search('клапан').map((h) => h.doc)).toEqual([2, 0, 1]);
    const p = new SearchIndex([
      { code: '01.01', texts: ['клапанный'] },
      { code: '01.02', texts: ['клапан'] },
    ]);
    expect(p.search('клап').map((h) => h.kind)).toEqual(['prefix', 'prefix']);
    expect(codes('замена аортального клапана')).toEqual(['35.21']);
    expect(codes('поясничного крестцового')[0]).toBe('81.062');
  });
  it('breaks ties by the shorter name, then by document order', () => {
    const d = new SearchIndex([
      { code: '01.01', texts: ['трансплантация печени от посмертного донора'] },
      { code: '01.02', texts: ['трансплантация печени'] },
      { code: '01.03', texts: ['другая трансплантация печени'] },
      { code: '01.04', texts: ['трансплантация печени'] },
    ]);
    expect(d.search('печени').map((h) => h.doc)).toEqual([1, 3, 2, 0]);
  });
  it('honours the filter and the limit', () => {
    const allow = new Uint8Array(docs.length);
    allow[5] = 1;
    expect(codes('спондилодез', { allow })).toEqual(['81.062']);
    expect(codes('спондилодез', { limit: 1 })).toEqual(['81.041']);
    expect(codes('   ')).toEqual([]);
  });
  it('answers on 100,000 documents (candidate generation, not a scan; timed in the bench)', { timeout: 120_000 }, () => {
    const words = docs.flatMap((d) => d.texts.join(' ').split(/\s+/));
    const big = Array.from({ length: 100_000 }, (_, i) => ({
      code: `${String(10 + (i % 90))}.${String(i).padStart(6, '0')}`,
      texts: [Array.from({ length: 6 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ') + ` слово${i}`],
    }));
    const ix = new SearchIndex(big);
    // How fast is measured beside Fuse.js by `npm run bench -- search` (100k synthetic set), not
    // by a timer here; this checks the big index still answers right.
    for (const q of ['клапона', 'журек аневризмасын', '35.0', 'трансплантацыя', 'слово12345']) expect(ix.search(q, { limit: 20 }).length, q).toBeGreaterThan(0);
    expect(ix.search('слово12345').map((h) => big[h.doc]!.code)[0]).toBe(big[12345]!.code);
  });
});

describe('several words: full matches first, then partial ones, and the words that matched nothing', () => {
  const ix = new SearchIndex([
    { code: '20.95', texts: ['Имплантация электромагнитного слухового аппарата'] },
    { code: '37.94', texts: ['Имплантация автоматического кардиовертера/дефибриллятора'] },
    { code: '37.96', texts: ['Имплантация только генератора импульсов автоматического кардиовертера/дефибриллятора'] },
    { code: '50.52', texts: ['Трансплантация печени от посмертного донора'] },
    { code: '50.59', texts: ['Другая трансплантация печени'] },
    { code: '55.62', texts: ['Трансплантация почки от посмертного донора'] },
  ]);
  const code = (h: { doc: number }) => ['20.95', '37.94', '37.96', '50.52', '50.59', '55.62'][h.doc];

  it('names a word that matched nothing and marks every result as partial («кохлеарная имплантация»)', () => {
    const o = ix.query('кохлеарная имплантация');
    expect(o.words.map((w) => [w.shown, w.found])).toEqual([
      ['кохлеарная', false],
      ['имплантация', true],
    ]);
    expect(o.full).toBe(0);
    expect(o.partial).toBe(3);
    expect(o.hits.every((h) => !h.full && h.missing.length === 1 && h.missing[0] === 0)).toBe(true);
  });

  it('ranks codes with every word above codes with some, whatever the match kinds', () => {
    const o = ix.query('имплантация автоматического кардиовертера');
    expect(o.hits.map(code)).toEqual(['37.94', '37.96', '20.95']);
    expect(o.hits.map((h) => h.full)).toEqual([true, true, false]);
    expect([o.full, o.partial]).toEqual([2, 1]);
    expect(o.hits[2]!.missing.map((i) => o.words[i]!.shown)).toEqual(['автоматического', 'кардиовертера']);
    // A full match with a typo still comes before a partial exact one.
    const t = ix.query('трансплантация печени донора', { limit: 10 });
    expect(t.hits.map(code)).toEqual(['50.52', '50.59', '55.62']);
    const typo = ix.query('трансплантацыя печени донора');
    expect(typo.hits[0]!.full && typo.hits[0]!.kind).toBe('fuzzy');
    expect(code(typo.hits[0]!)).toBe('50.52');
  });

  it('joining words and single letters are optional: never missing, never a not-found word', () => {
    const o = ix.query('трансплантация печени от донора');
    expect(o.words.find((w) => w.shown === 'от')!.optional).toBe(true);
    expect(o.hits.map(code).slice(0, 1)).toEqual(['50.52']);
    const b = ix.query('трансплантация печени без донора');
    expect(b.words.find((w) => w.shown === 'без')).toMatchObject({ optional: true, found: false });
    expect(b.hits[0]!.full).toBe(true);
    // Alone, a joining word is searched for.
    expect(ix.query('от').words[0]!.optional).toBe(false);
    expect(parseQuery('CRT d').map((t) => t.optional)).toEqual([false, true]);
  });

  it('a filter: codes outside it that have every word come back apart (others), with the word found elsewhere', () => {
    const allow = Uint8Array.from([1, 1, 1, 0, 1, 1]); // 50.52 not in the edition
    const o = ix.query('трансплантация печени посмертного', { allow });
    expect(o.hits.map(code)).toEqual(['50.59', '55.62']);
    expect(o.hits.every((h) => !h.full)).toBe(true);
    expect(o.others.map(code)).toEqual(['50.52']);
    expect(ix.search('трансплантация печени посмертного', { allow }).map(code)).toEqual(['50.59', '55.62']);
    const only = ix.query('посмертного печени', { allow });
    expect(only.words.map((w) => [w.found, w.foundElsewhere])).toEqual([
      [true, true],
      [true, true],
    ]);
    const none = ix.query('посмертного печени', { allow: Uint8Array.from([1, 1, 1, 0, 0, 1]) });
    expect(none.words.find((w) => w.shown === 'печени')).toMatchObject({ found: false, foundElsewhere: true });
  });
});

describe('codes typed without dots, with a comma or spaces', () => {
  const ix = new SearchIndex([
    { code: '37.51', texts: ['Трансплантация сердца'] },
    { code: '81.53', texts: ['Ревизия замены тазобедренного сустава'] },
    { code: '81.55', texts: ['Ревизия замены коленного сустава'] },
    { code: '54.970.059', texts: ['Гипертермическая интраперитонеальная химиотерапия (HIPEC)'] },
    { code: '35.21', texts: ['Замена аортального клапана'] },
    { code: '35.210', texts: ['Синтетический код'] },
    { code: '92.330.001', texts: ['Протонная терапия (1 сеанс)'] },
  ]);
  const codes = (q: string) => ix.search(q).map((h) => [['37.51', '81.53', '81.55', '54.970.059', '35.21', '35.210', '92.330.001'][h.doc], h.kind]);

  it('reads the query as a code', () => {
    expect(parseQuery('37,51')).toMatchObject([{ text: '37.51', shown: '37,51' }]);
    expect(parseQuery('81 53')).toMatchObject([{ text: '81.53', shown: '81 53' }]);
    expect(parseQuery(' 54 970 059 ')).toMatchObject([{ text: '54.970.059', shown: '54 970 059' }]);
    expect(parseQuery('81-53')).toMatchObject([{ text: '81.53' }]);
    expect(queryTokens('37.51 сердца')).toEqual(['37.51', 'сердца']);
  });

  it('finds the code: exact first, then the codes it begins', () => {
    expect(codes('3751')).toEqual([['37.51', 'code']]);
    expect(codes('37,51')).toEqual([['37.51', 'code']]);
    expect(codes('81 53')).toEqual([['81.53', 'code']]);
    expect(codes('8153')).toEqual([['81.53', 'code']]);
    expect(codes('815')).toEqual([
      ['81.53', 'codePrefix'],
      ['81.55', 'codePrefix'],
    ]);
    expect(codes('54970059')).toEqual([['54.970.059', 'code']]);
    expect(codes('54 970 059')).toEqual([['54.970.059', 'code']]);
    expect(codes('3521')).toEqual([
      ['35.21', 'code'],
      ['35.210', 'codePrefix'],
    ]);
    // Dots in the wrong place: the digits decide.
    expect(codes('375.1')).toEqual([['37.51', 'code']]);
    // A dotted code stays exact: 35.21 is not 35.210.
    expect(codes('35.21')).toEqual([
      ['35.21', 'code'],
      ['35.210', 'codePrefix'],
    ]);
    expect(codes('9999')).toEqual([]);
  });
});

describe('word forms are not typos; a real typo is labelled', () => {
  const ix = new SearchIndex([
    { code: '37.51', texts: ['Трансплантация сердца', 'Жүректі транспланттау'] },
    { code: '33.6', texts: ['Комбинированная трансплантация комплекса «сердце – легкое»', '"Жүрек – өкпе" кешенін аралас транспланттау'] },
    { code: '37.66', texts: ['Введение имплантируемой вспомогательной сердечной системы', 'Имплантталатын қосалқы жүрек жүйесін енгізу'] },
    { code: '35.21', texts: ['Открытая и другая замена аортального клапана тканевым трансплантатом'] },
    { code: '35.9900', texts: ['Протезирование клапанов сердца с использованием интраоперационной радиочастотной абляции'] },
  ]);
  const CODES = ['37.51', '33.6', '37.66', '35.21', '35.9900'];
  const kinds = (q: string) => Object.fromEntries(ix.search(q).map((h) => [CODES[h.doc], h.kind]));

  it('Russian: «сердца» and «сердце» are forms (Snowball stemmer)', () => {
    expect(kinds('сердце')).toMatchObject({ '33.6': 'word', '37.51': 'form', '35.9900': 'form' });
    expect(kinds('сердца')).toMatchObject({ '37.51': 'word', '33.6': 'form' });
    // «клапана» / «клапанов»: the stemmer cuts «клапа» and «клапан»; the stem-prefix rule joins them.
    expect(kinds('клапана')).toMatchObject({ '35.21': 'word', '35.9900': 'form' });
    expect(ix.query('сердце').hits.every((h) => h.typos.length === 0)).toBe(true);
  });

  it('Kazakh: «жүрек» and «жүректі» are forms (suffix rule), also typed with Russian letters', () => {
    expect(kinds('жүрек')).toMatchObject({ '33.6': 'word', '37.66': 'word', '37.51': 'form' });
    expect(kinds('жүректі')).toMatchObject({ '37.51': 'word', '33.6': 'form', '37.66': 'form' });
    expect(kinds('журекти')).toMatchObject({ '37.51': 'word', '33.6': 'form' });
    expect(kinds('жүрегі')).toMatchObject({ '37.51': 'form', '33.6': 'form' });
  });

  it('a real typo is a typo, with the word it was read as (as the name writes it)', () => {
    const o = ix.query('сердеце');
    expect(o.hits.length).toBeGreaterThan(0);
    expect(o.hits[0]!.kind).toBe('fuzzy');
    expect(o.hits[0]!.typos).toEqual([{ word: 0, as: expect.stringMatching(/^серд/) }]);
    const kk = ix.query('жүрак');
    expect(kk.hits[0]!.kind).toBe('fuzzy');
    expect(kk.hits[0]!.typos[0]!.as).toBe('жүрек');
    // A form beats a typo reading of the same word: «сердцу» is a form, not a typo of «сердца».
    expect(ix.query('сердцу').hits.every((h) => h.kind === 'form' && h.typos.length === 0)).toBe(true);
  });
});

describe('abbreviations', () => {
  const ix = new SearchIndex([
    { code: '69.921', texts: [{ text: 'Классикалық экстракорпоралдық ұрықтандыру, ұзақ хаттама', lang: 'kk' }] },
    { code: '39.65', texts: [{ text: 'Экстракорпоралдық мембраналық оксигенация', lang: 'kk' }] },
    { code: '36.1000', texts: [{ text: 'Аортокоронарное шунтирование с использованием интраоперационной радиочастотной абляции', lang: 'ru' }] },
  ]);
  it('«ЭКО» finds the names that spell it out, in either language, and says what it stands for', () => {
    const o = ix.query('ЭКО');
    expect(o.hits.map((h) => [h.doc, h.kind])).toEqual([[0, 'abbr']]);
    expect(o.words[0]!.abbreviation?.kk).toBe('экстракорпоралдық ұрықтандыру');
    expect(ix.search('экмо').map((h) => h.doc)).toEqual([1]);
    expect(ix.search('АКШ').map((h) => h.doc)).toEqual([2]);
    expect(ix.search('рча').map((h) => h.doc)).toEqual([2]);
  });
  it('takes its own list', () => {
    const own = new SearchIndex([{ code: '01.01', texts: ['Лечение редкой болезни'] }], { abbreviations: [{ forms: ['ЛРБ'], ru: 'редкой болезни', kk: 'сирек ауру' }] });
    expect(own.search('лрб').map((h) => h.kind)).toEqual(['abbr']);
    expect(own.search('эко')).toEqual([]);
  });
});
