import { describe, expect, it } from 'vitest';
import { stemKazakh } from '../../../shared/domain/kazakh-stem';
import { foldText } from '../../../shared/domain/text-fold';
import { guessLang, stemIn, stemRussian } from '../../../shared/domain/word-forms';

const kk = (w: string) => stemKazakh(foldText(w));

describe('Kazakh suffix rule', () => {
  it('reduces the case forms of a noun to one key (жүрек)', () => {
    for (const w of ['жүрек', 'жүректі', 'жүректің', 'жүрекке', 'жүректе', 'жүректен', 'жүрекпен', 'жүрегі']) expect(kk(w), w).toBe('журек');
  });
  it('strips plural, possessive and case together, in that order', () => {
    expect(['қақпақша', 'қақпақшасы', 'қақпақшасын', 'қақпақшаларын', 'қақпақшаларының'].map(kk)).toEqual(Array(5).fill('какпакша'));
    expect(['тамыр', 'тамырларын', 'тамырлардың'].map(kk)).toEqual(['тамыр', 'тамыр', 'тамыр']);
    expect(['жүйе', 'жүйесі', 'жүйесін', 'жүйесінде'].map(kk)).toEqual(['жуйе', 'жуйе', 'жуйе', 'жуйе']);
    expect(['өкпе', 'өкпені', 'өкпенің'].map(kk)).toEqual(['окпе', 'окпе', 'окпе']);
    expect(['электрод', 'электродын', 'электродтарын'].map(kk)).toEqual(['электрод', 'электрод', 'электрод']);
    expect(['транспланттау', 'транспланттауды', 'транспланттаумен'].map(kk)).toEqual(Array(3).fill('транспланттау'));
    expect(['донор', 'донордан'].map(kk)).toEqual(['донор', 'донор']);
    expect(['сүйек', 'сүйегі', 'сүйектерінде'].map(kk)).toEqual(['суйек', 'суйек', 'суйек']);
  });
  it('removes an ending only where Kazakh puts it: borrowed words and stems ending like a suffix stay whole', () => {
    expect(kk('аннулопластика')).toBe('аннулопластика'); // -ка after a vowel is not a dative
    expect(kk('аорта')).toBe('аорта'); // -та after р is not a locative
    expect(kk('мойын')).toBe(kk('мойынның')); // a bare -н needs a longer stem
    expect(kk('вена')).toBe('вена');
    expect(kk('ми')).toBe('ми');
  });
  it('keeps different words apart', () => {
    const pairs: [string, string][] = [
      ['жүрек', 'жүйе'],
      ['бүйрек', 'бауыр'],
      ['тері', 'тамыр'],
      ['өкпе', 'өкпе-қолқа'],
      ['қолқа', 'қалқанша'],
    ];
    for (const [a, b] of pairs) expect(kk(a), `${a} / ${b}`).not.toBe(kk(b));
  });
});

describe('word forms', () => {
  it('Russian: the Snowball stemmer (@orama/stemmers), on folded words', () => {
    expect(stemRussian('сердца')).toBe(stemRussian('сердце'));
    expect(stemRussian('трансплантации')).toBe(stemRussian('трансплантация'));
    expect(stemRussian(foldText('печёнка'))).toBe(stemRussian('печенка'));
    expect(stemRussian('почки')).not.toBe(stemRussian('печени'));
    // Short words and codes stay as they are.
    expect(stemRussian('от')).toBe('от');
    expect(stemRussian('35.21')).toBe('35.21');
  });
  it('language of a text: Kazakh if it has a Kazakh letter', () => {
    expect(guessLang('Жүректі транспланттау')).toBe('kk');
    expect(guessLang('Трансплантация сердца')).toBe('ru');
    expect(stemIn('kk', 'журекти')).toBe('журек');
    expect(stemIn('ru', 'сердца')).toBe(stemRussian('сердца'));
  });
});
