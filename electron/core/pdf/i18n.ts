import fs from 'node:fs';
import path from 'node:path';
import type { PdfLang } from '../../../shared/documents';
import { localesDir as appLocalesDir } from '../paths';

/** Parameters of a message: `{{name}}` in the text is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>;
/** Translation function the PDF engine takes: a dotted key in one language, with parameters. */
export type PdfTranslate = (lang: PdfLang, key: string, params?: MessageParams) => string;

/** Messages of the `pdf` namespace per language, as loaded from locales/<lang>/pdf.json. */
export type PdfMessages = Record<PdfLang, unknown>;

/**
 * Replaces `{{name}}` (spaces allowed inside the braces) with the parameter's value. A placeholder
 * without a parameter throws: an official document must never be printed with `{{...}}` in it.
 */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pdf i18n: missing parameter "${name}" in "${template}"`);
    return String(value);
  });
}

/** Looks up a dotted key (`protocol.sections.members`) in a nested message object. */
export function lookup(messages: unknown, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Reads locales/kk/pdf.json and locales/ru/pdf.json. */
export function loadPdfMessages(localesDir: string = appLocalesDir()): PdfMessages {
  const read = (lang: PdfLang): unknown => JSON.parse(fs.readFileSync(path.join(localesDir, lang, 'pdf.json'), 'utf8'));
  return { kk: read('kk'), ru: read('ru') };
}

/** A translate function over loaded messages; an unknown key throws (keys are static, tests catch typos). */
export function createPdfTranslator(messages: PdfMessages): PdfTranslate {
  return (lang, key, params) => {
    const template = lookup(messages[lang], key);
    if (template === undefined) throw new Error(`pdf i18n: no message "${key}" in ${lang}`);
    return interpolate(template, params);
  };
}

const cache = new Map<string, PdfTranslate>();
/** The translator over the app's own locale files (cached per folder). */
export function defaultPdfTranslator(localesDir: string = appLocalesDir()): PdfTranslate {
  let t = cache.get(localesDir);
  if (!t) {
    t = createPdfTranslator(loadPdfMessages(localesDir));
    cache.set(localesDir, t);
  }
  return t;
}
