import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '..', 'locales');
type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function load(lang: string): Map<string, Map<string, string>> {
  const m = new Map<string, Map<string, string>>();
  for (const f of fs.readdirSync(path.join(dir, lang)).filter((x) => x.endsWith('.json')).sort()) {
    m.set(f.slice(0, -5), flatten(JSON.parse(fs.readFileSync(path.join(dir, lang, f), 'utf8')) as Tree));
  }
  return m;
}

const kk = load('kk');
const ru = load('ru');
const base = (k: string) => k.replace(PLURAL, '');

describe('locales', () => {
  it('kk and ru have the same namespaces', () => {
    expect([...kk.keys()]).toEqual([...ru.keys()]);
  });

  for (const ns of ru.keys()) {
    it(`${ns}: the same keys in kk and ru (plural forms aside)`, () => {
      const a = new Set([...kk.get(ns)!.keys()].map(base));
      const b = new Set([...ru.get(ns)!.keys()].map(base));
      expect([...a].filter((k) => !b.has(k))).toEqual([]);
      expect([...b].filter((k) => !a.has(k))).toEqual([]);
    });

    it(`${ns}: plurals have the forms each language needs, and no text is empty`, () => {
      for (const [lang, forms] of [
        ['ru', ['one', 'few', 'many', 'other']],
        ['kk', ['one', 'other']],
      ] as const) {
        const keys = (lang === 'ru' ? ru : kk).get(ns)!;
        for (const [k, v] of keys) expect(v.trim(), `${lang}:${ns}:${k}`).not.toBe('');
        const plural = new Set([...keys.keys()].filter((k) => PLURAL.test(k)).map(base));
        for (const p of plural) for (const f of forms) expect(keys.has(`${p}_${f}`), `${lang}:${ns}:${p}_${f}`).toBe(true);
      }
    });

    it(`${ns}: the same {{placeholders}} in both languages`, () => {
      const ph = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
      for (const [k, v] of ru.get(ns)!) {
        const other = kk.get(ns)!.get(k) ?? kk.get(ns)!.get(`${base(k)}_other`);
        if (other === undefined) continue;
        expect(new Set(ph(other)), `${ns}:${k}`).toEqual(new Set(ph(v)));
      }
    });
  }
});
