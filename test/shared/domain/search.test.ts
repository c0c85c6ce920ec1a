import { describe, expect, it } from 'vitest';
import { SearchIndex, maxTypos, queryTokens, withinDistance } from '../../../shared/domain/search';
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
    expect(codes('трансплант')).toEqual(['35.21', '55.62']);
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
    expect(codes('сердце')).toEqual(['37.32']); // «сердца», one edit
    expect(codes('срдце')).toEqual([]); // two edits in a word under 8 letters
  });
  it('ranks whole words above prefixes above typos, and all-token matches first', () => {
    const d = new SearchIndex([
      { code: '01.01', texts: ['клапаном'] },
      { code: '01.02', texts: ['клапон'] },
      { code: '01.03', texts: ['клапан'] },
    ]);
    expect(d.search('клапан').map((h) => h.kind)).toEqual(['word', 'prefix', 'fuzzy']);
    expect(d.search('клапан').map((h) => h.doc)).toEqual([2, 0, 1]);
    expect(codes('замена аортального клапана')).toEqual(['35.21']);
    expect(codes('поясничного крестцового')[0]).toBe('81.062');
  });
  it('honours the filter and the limit', () => {
    const allow = new Uint8Array(docs.length);
    allow[5] = 1;
    expect(codes('спондилодез', { allow })).toEqual(['81.062']);
    expect(codes('спондилодез', { limit: 1 })).toEqual(['81.041']);
    expect(codes('   ')).toEqual([]);
  });
  it('stays fast on 100,000 documents (candidate generation, not a scan)', () => {
    const words = docs.flatMap((d) => d.texts.join(' ').split(/\s+/));
    const big = Array.from({ length: 100_000 }, (_, i) => ({
      code: `${String(10 + (i % 90))}.${String(i).padStart(6, '0')}`,
      texts: [Array.from({ length: 6 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ') + ` слово${i}`],
    }));
    const ix = new SearchIndex(big);
    ix.search('клапона'); // builds the deletion map
    const t0 = performance.now();
    for (const q of ['клапона', 'журек аневризмасын', '35.0', 'трансплантацыя', 'слово12345']) ix.search(q, { limit: 20 });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(ix.search('слово12345').map((h) => big[h.doc]!.code)[0]).toBe(big[12345]!.code);
  });
});
