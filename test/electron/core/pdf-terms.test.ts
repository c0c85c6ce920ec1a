import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../electron/core/paths';
import { tempCore, tempDir } from '../../support/temp';
import { everyDocument } from './every-document.fixture';
import { FORBIDDEN_TERMS, forbiddenIn, OTHER_LANGUAGE_MARKERS } from '../../support/forbidden-terms';

/**
 * Proofreading of every PDF the app makes (issue 11 point 6): each kind is rendered through the
 * core in Kazakh and in Russian, its text taken out with pdftotext, and checked against the
 * variants that terms.md retired (one concept, one term) and against the other language's
 * marker words (a Kazakh document says ЖТМК, never ВТМП, and the other way round).
 * docs/proofreading.md records what was read and changed. With HTMP_PDF_TEXT_DUMP=DIR the texts
 * are also written there, to be read by a person.
 */
const dump = process.env.HTMP_PDF_TEXT_DUMP;

function pdfText(name: string, pdf: Buffer | string): string {
  const dir = tempDir('htmp-terms-');
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, typeof pdf === 'string' ? Buffer.from(pdf, 'base64') : pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
  if (dump) {
    fs.mkdirSync(dump, { recursive: true });
    fs.writeFileSync(path.join(dump, `${name}.txt`), text);
  }
  // Words hyphenated or wrapped across lines are joined so that a phrase is found whole.
  return text.replace(/\s+/g, ' ');
}

describe('every PDF in Kazakh and Russian uses the official terms (terms.md), one term for one thing', () => {
  it('no retired variant, no marker of the other language, in any document kind', async () => {
    const core = tempCore();
    const docs = await everyDocument(core);
    const problems: string[] = [];
    for (const [kind, render] of Object.entries(docs)) {
      for (const lang of ['kk', 'ru'] as const) {
        const text = pdfText(`${kind.replace(/ \(both\)$/, '')}-${lang}`, await render(lang));
        expect(text.length, `${kind} ${lang} has text`).toBeGreaterThan(200);
        for (const hit of forbiddenIn(text, lang)) problems.push(`${kind} (${lang}): «${hit.found}» — ${hit.why}`);
        const bilingual = kind.endsWith('(both)');
        for (const marker of OTHER_LANGUAGE_MARKERS[lang]) if (!bilingual && text.includes(marker)) problems.push(`${kind} (${lang}): other language «${marker}»`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

describe('the locales keep the official terms', () => {
  const dir = path.join(appRoot(), 'locales');
  const strings = (node: unknown, at: string, out: [string, string][]): [string, string][] => {
    if (typeof node === 'string') out.push([at, node]);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) strings(v, at ? `${at}.${k}` : k, out);
    return out;
  };
  it.each(['kk', 'ru'] as const)('%s: no retired variant in any namespace', (lang) => {
    const problems: string[] = [];
    for (const file of fs.readdirSync(path.join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      for (const [key, text] of strings(JSON.parse(fs.readFileSync(path.join(dir, lang, file), 'utf8')), '', [])) {
        for (const hit of forbiddenIn(text, lang, 'locale')) problems.push(`${file} ${key}: «${hit.found}» — ${hit.why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check finds what it looks for (each retired variant is caught in a sentence)', () => {
    for (const f of FORBIDDEN_TERMS) {
      for (const sample of f.samples) expect(forbiddenIn(`Мәтін: ${sample}.`, f.lang).map((h) => h.why), `${f.lang}: ${sample}`).toContain(f.why);
    }
  });
});
