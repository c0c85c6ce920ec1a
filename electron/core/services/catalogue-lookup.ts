import type { Lang } from '../../../shared/contract';
import type { ProtocolDoc, SourcedName } from '../../../shared/documents';
import { catalogueModel } from '../catalogue/model';
import type { CoreContext } from '../context';
import { t } from '../i18n';

/** Where a name was taken from: an edition of the list, the characteristics, or a local translation. */
export interface NameSource {
  kind: 'edition' | 'characteristics' | 'local';
  /** Edition id (e.g. `2025-103-ru`), `dsm-238-app2`, or the local translation's id. */
  id: string;
}

export interface LocalizedName {
  text: string;
  source: NameSource;
}

export interface CodeOnDate {
  known: boolean;
  inForce: boolean;
  sections: (1 | 2 | 3)[];
  editionId: string | null;
}

/** What other areas (cases, protocols, exchange) need from the catalogue, on the Node side. */
export interface CatalogueLookup {
  /** Is the code known at all, in force on the date, and in which sections of that edition. */
  lookup(code: string, onDate: string): CodeOnDate;
  /** The best name per language for a code on a date: that edition's, else the latest edition or
   *  characteristics text that has one (never a machine translation), else a local translation.
   *  With `section`, the wording of that section of the list (a code may be named differently in
   *  each section of one edition); otherwise the first section the code stands in. */
  names(code: string, onDate: string, section?: 1 | 2 | 3 | null): { kk: LocalizedName | null; ru: LocalizedName | null };
}

/**
 * The catalogue lookup for this core. Served from an in-memory model kept per database
 * connection (loaded on first use, with the shipped data loaded if the database does not have
 * it yet); the model is rebuilt after any change to the catalogue's data or its user tables.
 * Both calls are map reads: safe to call per row of a list.
 */
export function catalogueLookup(ctx: CoreContext): CatalogueLookup {
  return {
    lookup(code, onDate) {
      const m = catalogueModel(ctx);
      const edition = m.editionOn(onDate);
      const entries = edition?.byCode.get(code);
      return {
        known: m.isKnown(code),
        inForce: entries !== undefined && entries.length > 0,
        sections: entries ? [...new Set(entries.map((e) => e.section))].sort() : [],
        editionId: edition?.summary.id ?? null,
      };
    },
    names(code, onDate, section) {
      const m = catalogueModel(ctx);
      return m.names(code, m.editionOn(onDate), section ?? undefined);
    },
  };
}

/** A human label of where an HTMP name was taken from, in the name's language. */
function sourceLabel(ctx: CoreContext, name: LocalizedName, lang: Lang): string {
  if (name.source.kind === 'edition') {
    const e = catalogueModel(ctx).editionById.get(name.source.id)?.summary;
    if (e) {
      const [y, m, d] = e.orderDate.split('-');
      return t(lang, 'protocols:source.edition', { order: e.order, date: `${d}.${m}.${y}` });
    }
    return t(lang, 'protocols:source.editionId', { id: name.source.id });
  }
  return t(lang, 'protocols:source.characteristics');
}

/**
 * The official HTMP names of a code on a date, per language, with their source: the edition in
 * force on that date, else the latest edition or characteristics text that has one. A local
 * (user-entered) translation is not an official text and is never printed; neither is any
 * machine translation. Both are null for a code the list does not carry (a refusal may concern it).
 */
export function htmpNames(ctx: CoreContext, code: string, onDate: string, section: 1 | 2 | 3 | null = null): ProtocolDoc['htmp']['name'] {
  let names: { kk: LocalizedName | null; ru: LocalizedName | null };
  try {
    names = catalogueLookup(ctx).names(code, onDate, section);
  } catch {
    names = { kk: null, ru: null };
  }
  const one = (lang: Lang): SourcedName | null => {
    const n = names[lang];
    if (!n || n.source.kind === 'local') return null;
    return { text: n.text, source: sourceLabel(ctx, n, lang) };
  };
  return { kk: one('kk'), ru: one('ru') };
}

