import { catalogueModel } from '../catalogue/model';
import type { CoreContext } from '../context';

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
   *  characteristics text that has one (never a machine translation), else a local translation. */
  names(code: string, onDate: string): { kk: LocalizedName | null; ru: LocalizedName | null };
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
    names(code, onDate) {
      const m = catalogueModel(ctx);
      return m.names(code, m.editionOn(onDate));
    },
  };
}
