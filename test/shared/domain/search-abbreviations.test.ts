import { describe, expect, it } from 'vitest';
import { readShippedCatalogue } from '../../../electron/core/catalogue/data';
import { SEARCH_ABBREVIATIONS } from '../../../shared/domain/search-abbreviations';
import { SearchIndex, type SearchDoc } from '../../../shared/domain/search';

/** The shipped catalogue as the core indexes it (every edition's names and the characteristics). */
function shippedDocs(): SearchDoc[] {
  const { data } = readShippedCatalogue();
  const texts = new Map<string, { text: string; lang: 'kk' | 'ru' }[]>();
  const add = (code: string, text: string | undefined, lang: 'kk' | 'ru') => {
    if (!text) return;
    texts.set(code, [...(texts.get(code) ?? []), { text, lang }]);
  };
  for (const e of data.editions) for (const s of e.sections) for (const x of s.entries) add(x.code, x.name, e.languages[0]!);
  for (const c of data.characteristics?.entries ?? []) {
    add(c.code, c.name.kk, 'kk');
    add(c.code, c.name.ru, 'ru');
  }
  return [...texts.keys()].sort().map((code) => ({ code, texts: texts.get(code)! }));
}

/** What each abbreviation must find in the shipped list (the codes named in search-abbreviations.ts). */
const EXPECTED: Record<string, string[]> = {
  ЭКО: ['69.921', '69.922', '69.923', '69.924'],
  ИКСИ: ['69.923', '69.924'],
  ЭКМО: ['39.65'],
  АКШ: ['36.1000'],
  МКШ: ['36.16'],
  РЧА: ['35.9900', '36.1000'],
  ЭКС: ['00.50'],
  ИКД: ['37.94', '37.941', '37.96'],
  ТГСК: ['41.04', '41.05'],
  ТМС: ['35.84'],
  ДМЖП: ['35.55'],
  ЦНС: ['92.321'],
  TAVI: ['35.05'],
};

describe('search abbreviations against the shipped list', () => {
  const docs = shippedDocs();
  const ix = new SearchIndex(docs);
  it('every abbreviation has an expected answer here', () => {
    expect(SEARCH_ABBREVIATIONS.map((a) => a.forms[0]).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const [abbr, codes] of Object.entries(EXPECTED)) {
    it(`${abbr} finds ${codes.join(', ')} and nothing else`, () => {
      const a = SEARCH_ABBREVIATIONS.find((x) => x.forms[0] === abbr)!;
      for (const form of a.forms) {
        const found = ix.search(form).filter((h) => h.kind === 'abbr').map((h) => docs[h.doc]!.code).sort();
        expect(found, form).toEqual([...codes].sort());
      }
    });
  }
});
