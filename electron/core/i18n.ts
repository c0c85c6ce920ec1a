import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from '../../shared/contract';
import type { AppError } from '../../shared/result';
import { localesDir } from './paths';

type Tree = { [k: string]: string | Tree };
const files = new Map<Lang, string[]>();
const loaded = new Map<string, Tree | undefined>();

/** The namespaces of a language (the JSON files of locales/<lang>/), listed once. */
function namespaceNames(lang: Lang): string[] {
  let names = files.get(lang);
  if (!names) {
    const dir = path.join(localesDir(), lang);
    names = (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    files.set(lang, names);
  }
  return names;
}

/**
 * One namespace of a language, read when first used: a command reads the texts of its own area
 * (and `errors`), not all seventeen files at every start.
 */
function namespace(lang: Lang, ns: string): Tree | undefined {
  const k = `${lang}/${ns}`;
  if (!loaded.has(k)) {
    const file = path.join(localesDir(), lang, `${ns}.json`);
    loaded.set(k, /^[\w-]+$/.test(ns) && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Tree) : undefined);
  }
  return loaded.get(k);
}

/**
 * The text at a dotted key. Like i18next (which the screens use), a key may itself hold dots:
 * `audit.action.auth.setup` finds `{"audit": {"action": {"auth.setup": …}}}`.
 */
function lookup(tree: Tree | undefined, key: string): string | undefined {
  const parts = key.split('.');
  const walk = (node: string | Tree | undefined, i: number): string | undefined => {
    if (i === parts.length) return typeof node === 'string' ? node : undefined;
    if (!node || typeof node === 'string') return undefined;
    for (let j = i + 1; j <= parts.length; j++) {
      const k = parts.slice(i, j).join('.');
      if (Object.prototype.hasOwnProperty.call(node, k)) {
        const found = walk(node[k], j);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(tree, 0);
}

/** Replaces i18next-style `{{name}}` placeholders. */
export function interpolate(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => (params[name] === undefined || params[name] === null ? '' : String(params[name])));
}

/**
 * Translates `ns:key` (or `key`, searched in every namespace) for the Node side (menus, CLI,
 * PDF), from the same locale files as the UI. Plural keys follow i18next (`key_one`, `key_few`…).
 */
export function t(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const [ns, bare] = key.includes(':') ? (key.split(':', 2) as [string, string]) : [undefined, key];
  const trees = ns ? [namespace(lang, ns)] : namespaceNames(lang).map((n) => namespace(lang, n));
  let chosen = bare;
  // i18next context (`key_<context>`), used when present.
  if (typeof params.context === 'string' && trees.some((tr) => lookup(tr, `${bare}_${params.context as string}`) !== undefined)) chosen = `${bare}_${params.context}`;
  else if (typeof params.count === 'number') {
    const suffix = new Intl.PluralRules(lang).select(params.count);
    if (trees.some((tr) => lookup(tr, `${bare}_${suffix}`) !== undefined)) chosen = `${bare}_${suffix}`;
    else if (trees.some((tr) => lookup(tr, `${bare}_other`) !== undefined)) chosen = `${bare}_other`;
  }
  for (const tr of trees) {
    const v = lookup(tr, chosen);
    if (v !== undefined) return nest(lang, interpolate(v, params), ns, params);
  }
  return key;
}

/**
 * Resolves i18next-style nesting, `$t(key)` (after interpolation, as i18next does): a key without
 * a namespace is looked up in the namespace of the message that holds it, so the CLI and PDFs
 * read the same texts as the UI.
 */
function nest(lang: Lang, text: string, ns: string | undefined, params: Record<string, unknown>, depth = 0): string {
  if (depth > 3 || !text.includes('$t(')) return text;
  return text.replace(/\$t\(([^()]+)\)/g, (_m, inner: string) => {
    const k = inner.trim();
    const full = k.includes(':') || !ns ? k : `${ns}:${k}`;
    const { context: _c, count: _n, ...rest } = params;
    return nest(lang, t(lang, full, rest), ns, params, depth + 1);
  });
}

/** True when the key exists in some namespace of the language. */
export function hasKey(lang: Lang, key: string): boolean {
  return t(lang, key) !== key;
}

/** The human message of an error code, in the language asked. */
export function translateError(lang: Lang, error: AppError): string {
  const key = `errors.${error.code}`;
  return hasKey(lang, key) ? t(lang, key, error.params ?? {}) : `${t(lang, 'errors.api.unknown', { code: error.code })}`;
}
