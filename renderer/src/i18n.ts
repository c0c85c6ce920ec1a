import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../../shared/contract';
import type { AppError } from '../../shared/result';
import { fmtInstant } from './screens/cases/format';

type Tree = Record<string, unknown>;
const files = import.meta.glob<Tree>('../../locales/*/*.json', { eager: true, import: 'default' });

/** The locale files as i18next resources: {kk: {common: {...}, ...}, ru: {...}}. */
export function localeResources(): Record<string, Record<string, Tree>> {
  const out: Record<string, Record<string, Tree>> = {};
  for (const [file, tree] of Object.entries(files)) {
    const m = /locales\/(\w+)\/([\w-]+)\.json$/.exec(file);
    if (!m?.[1] || !m[2]) continue;
    (out[m[1]] ??= {})[m[2]] = tree;
  }
  return out;
}

export const NAMESPACES = Object.keys(localeResources().ru ?? {});

/**
 * Starts i18next in Kazakh. The language is not kept in the browser: the screens before sign-in
 * take the installation's (`auth.status`), and a signed-in user's own choice comes from the
 * core (`prefs.get`, see AuthGate), so it survives another port, another browser or a restart.
 */
export async function initI18n(): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources: localeResources(),
    lng: 'kk',
    fallbackLng: false,
    ns: NAMESPACES,
    defaultNS: 'common',
    fallbackNS: NAMESPACES.filter((n) => n !== 'common'),
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

/** Switches the UI language of this page (App keeps a signed-in user's choice with `prefs.set`). */
export async function setLanguage(lang: Lang): Promise<void> {
  if (i18next.language === lang) return;
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/**
 * An error's parameters as the screen shows them: ISO dates as DD.MM.YYYY, date-times as
 * DD.MM.YYYY HH:MM (in Kazakhstan time when the value carries a zone), never the raw form.
 */
export function displayParams(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    out[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? fmtInstant(v) : v;
  }
  return out;
}

/** The translated message of an error envelope (`errors.<code>` in any namespace). */
export function errorMessage(error: AppError): string {
  const key = `errors.${error.code}`;
  for (const ns of NAMESPACES) {
    if (i18next.exists(key, { ns })) return i18next.t(key, { ns, ...displayParams(error.params) });
  }
  return i18next.t('errors.api.unknown', { ns: 'errors', code: error.code });
}
