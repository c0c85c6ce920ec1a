/**
 * Rendering of the application (app. 1) and the conclusion (app. 3). Their printed words live in
 * the area's own locale files (locales/<lang>/orgs.json, under `pdf`), read through a translator
 * that serves `orgs.*` keys from there and every other key (footer, legal references) from pdf.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DocLang, BilingualLayout, HtmpDocument, PdfLang } from '../../../shared/documents';
import { defaultPdfTranslator, interpolate, lookup, renderDocument, type PdfTranslate, type RenderedPdf } from '../pdf';
import { localesDir } from '../paths';

const cache = new Map<string, PdfTranslate>();

/** The PDF translator of the orgs area: `orgs.x.y` -> orgs.json `pdf.x.y`; anything else -> pdf.json. */
export function orgsPdfTranslator(dir: string = localesDir()): PdfTranslate {
  let t = cache.get(dir);
  if (t) return t;
  const base = defaultPdfTranslator(dir);
  const read = (lang: PdfLang): unknown => (JSON.parse(fs.readFileSync(path.join(dir, lang, 'orgs.json'), 'utf8')) as { pdf?: unknown }).pdf;
  const own = { kk: read('kk'), ru: read('ru') };
  t = (lang, key, params) => {
    if (!key.startsWith('orgs.')) return base(lang, key, params);
    const template = lookup(own[lang], key.slice(5));
    if (template === undefined) throw new Error(`pdf i18n: no message "${key}" in ${lang}`);
    return interpolate(template, params);
  };
  cache.set(dir, t);
  return t;
}

export function renderOrgsDocument(doc: HtmpDocument, choice: { lang: DocLang; layout?: BilingualLayout | undefined }): Promise<RenderedPdf> {
  return renderDocument(doc, { lang: choice.lang, ...(choice.layout ? { layout: choice.layout } : {}), t: orgsPdfTranslator() });
}
