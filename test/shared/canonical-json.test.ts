import { describe, expect, it } from 'vitest';
import { canonicalJson, compareCodePoints } from '../../shared/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys, drops whitespace, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, { d: null, c: true }], 'a b': 'x' })).toBe('{"a":[3,1,{"c":true,"d":null}],"a b":"x","b":1}');
  });

  it('gives the same text whatever the insertion order of keys', () => {
    const a = { number: '12/2026', patient: { iin: '900215450123', lastName: 'Жұмабекова' } };
    const b = { patient: { lastName: 'Жұмабекова', iin: '900215450123' }, number: '12/2026' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('sorts by code point, not by UTF-16 unit', () => {
    // U+FF5E (fullwidth tilde) is one unit 0xFF5E; U+1F600 is the pair 0xD83D 0xDE00.
    // By code unit the emoji sorts first; by code point it sorts last.
    const obj = { '\u{1F600}': 1, '\uFF5E': 2, 'Ә': 3, 'A': 4 };
    expect(canonicalJson(obj)).toBe('{"A":4,"Ә":3,"～":2,"😀":1}');
    expect(compareCodePoints('\u{1F600}', '\uFF5E')).toBe(1);
    expect(compareCodePoints('ab', 'a')).toBe(1);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('writes strings as JSON does, Kazakh letters unescaped', () => {
    expect(canonicalJson('Қ"\\\n')).toBe('"Қ\\"\\\\\\n"');
    expect(JSON.parse(canonicalJson({ s: 'ӘҒҚҢӨҰҮҺІ' }))).toEqual({ s: 'ӘҒҚҢӨҰҮҺІ' });
  });

  it('normalises -0 to 0', () => {
    expect(canonicalJson(-0)).toBe('0');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a fraction', 7.5],
    ['an unsafe integer', 2 ** 53],
    ['undefined', undefined],
    ['undefined in an object', { a: undefined }],
    ['undefined in an array', [1, undefined]],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['a bigint', 1n],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
  ])('refuses %s with a TypeError', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses cycles but allows the same object twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });

  it('names the path of a refused value', () => {
    expect(() => canonicalJson({ criteria: [{ points: 0.75 }] })).toThrow(/\$\.criteria\[0\]\.points/);
  });

  it('accepts objects without a prototype', () => {
    const o = Object.create(null) as Record<string, number>;
    o['z'] = 1;
    o['a'] = 2;
    expect(canonicalJson(o)).toBe('{"a":2,"z":1}');
  });
});
