import { describe, expect, it } from 'vitest';
import { cleanTexts, deceptiveChar, neutralize, neutralizeJson } from '../../../shared/domain/text-safety';

describe('text that cannot deceive', () => {
  it('refuses control characters, NUL, bidi overrides and isolates, marks and a stray BOM; allows tab and line breaks', () => {
    for (const [text, char] of [
      ['Иванов\u202Efdp.exe', 'U+202E'],
      ['Иван\u0000ов', 'U+0000'],
      ['\u001b[31mred', 'U+001B'],
      ['a\u2066b', 'U+2066'],
      ['a\u200Fb', 'U+200F'],
      ['a\u0085b', 'U+0085'],
      ['a\uFEFFb', 'U+FEFF'],
    ] as const) {
      expect(deceptiveChar(text), JSON.stringify(text)).toBe(char);
    }
    expect(deceptiveChar('Ақмола облысы\tжол 1\r\nжол 2')).toBeNull();
    expect(deceptiveChar('Қожахметов Әлихан Ұлықбекұлы (ЖСН 800101300012)')).toBeNull();
  });

  it('normalises to NFC and names the field of the first problem', () => {
    const decomposed = 'И\u0306лья'; // И + combining breve
    const r = cleanTexts({ patient: { lastName: decomposed }, members: [{ name: 'ok' }] });
    expect(r.problem).toBeNull();
    expect((r.value as { patient: { lastName: string } }).patient.lastName).toBe('Йлья');
    expect(cleanTexts({ members: [{ name: 'ok' }, { name: 'x\u202Ey' }] }).problem).toEqual({ field: 'members.1.name', char: 'U+202E' });
    expect(cleanTexts({ text: '\uFEFFcase;status\r\n' }).value).toEqual({ text: 'case;status\r\n' });
  });

  it('printing neutralises what a terminal would obey', () => {
    expect(neutralize('Peer \u001b[2J\u202Etxt.exe\nnext')).toBe('Peer \\u{1B}[2J\\u{202E}txt.exe\nnext');
    const json = neutralizeJson(JSON.stringify({ name: 'a\u202Eb' }));
    expect(json).toBe('{"name":"a\\u202eb"}');
    expect(JSON.parse(json)).toEqual({ name: 'a\u202Eb' });
  });
});
