import type { NoteText } from '../domain/note-text';
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { Lang } from './app';

/** The catalogue area's API: editions of the HTMP list, code pages, search, diff, local additions. */

export type SectionNo = 1 | 2 | 3;
/** How a result matched (its weakest word): see shared/domain/search.ts. `abbr`: through an
 *  abbreviation («ЭКО»); `form`: another form of the word («сердца» / «сердце»); `fuzzy`: with a
 *  typo; `list`: no query, the edition's list. */
export type MatchKindName = 'code' | 'codePrefix' | 'word' | 'abbr' | 'form' | 'prefix' | 'fuzzy' | 'list';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
const code = z.string().trim().min(1).max(40);
const editionId = z.string().min(1).max(100);
const lang = z.enum(['kk', 'ru']);

export const catalogueSchemas = lazySchemas(['catalogue'], () => ({
  'catalogue.editions': z.object({}).strict(),
  'catalogue.show': z.object({ code, on: isoDate.optional() }).strict(),
  'catalogue.search': z
    .object({
      query: z.string().max(200),
      on: isoDate.optional(),
      /** Search this edition's codes instead of the edition in force on `on`. */
      editionId: editionId.optional(),
      section: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'catalogue.diff': z.object({ from: editionId, to: editionId }).strict(),
  'catalogue.setInForce': z
    .object({ editionId, inForceFrom: isoDate.nullable(), reason: z.string().max(1000).optional() })
    .strict(),
  'catalogue.saveTranslation': z.object({ code, lang, text: z.string().trim().min(1).max(2000) }).strict(),
  'catalogue.removeTranslation': z.object({ id: z.string().min(1).max(100) }).strict(),
  'catalogue.saveNote': z.object({ code, id: z.string().min(1).max(100).optional(), text: z.string().trim().min(1).max(5000) }).strict(),
  'catalogue.removeNote': z.object({ id: z.string().min(1).max(100) }).strict(),
}));

/** Where a name was taken from: an edition of the list, the characteristics, or a local translation. */
export interface NameSource {
  kind: 'edition' | 'characteristics' | 'local';
  /** Edition id (e.g. `2025-103-ru`), `dsm-238-app2`, or the local translation's id. */
  id: string;
}
export interface NamePair {
  kk: string | null;
  ru: string | null;
}
export interface NameSources {
  kk: NameSource | null;
  ru: NameSource | null;
}
export type LocalizedText = Partial<Record<Lang, string>>;

/** The short form of an edition used in other results. */
export interface EditionRef {
  id: string;
  order: string;
  orderDate: string;
  inForceFrom: string;
  languages: Lang[];
}

export interface EditionSummary extends EditionRef {
  orderTitle: LocalizedText;
  registration: { number: string; date: string } | null;
  /** The date shipped in the data; `inForceFrom` differs when the user edited it. */
  inForceShipped: string;
  /** True when the data only chose the date (the text gives no exact date): the user may edit it. */
  inForceChosen: boolean;
  /** What the text says about entry into force and how the date was taken (kk and ru). */
  inForceNote: NoteText;
  inForceEdited: { reason: string; updatedAt: string } | null;
  notes: NoteText[];
  source: { file: string; sha256: string };
  sectionTitles: Record<'1' | '2' | '3', LocalizedText>;
  counts: { section: SectionNo; entries: number }[];
}

export interface EditionsResult {
  editions: EditionSummary[];
}

export interface ShowSection {
  section: SectionNo;
  position: number;
  name: NamePair;
  nameSource: NameSources;
}

export interface HistoryEntry {
  edition: string;
  inForceFrom: string;
  languages: Lang[];
  /** The edition's own text only: a language it does not carry is null. */
  sections: { section: SectionNo; position: number; name: NamePair }[];
}

export interface StaffRequirement {
  specialty: string | null;
  minYears: number | null;
  upgradeHours: number | null;
  upgradeWithinYears: number | null;
  permits: string[];
  text: string;
}

export interface Characteristics {
  code: string;
  kind: 'unique' | 'main';
  position: number;
  name: NamePair;
  staff: { text: string; requirements: StaffRequirement[] };
  devices: { text: string; items: { name: string; count: number | null }[] };
  notes: { mark: string; text: NamePair }[];
  source: { order: string; date: string; appendix: number; language: Lang };
}

export interface LocalTranslation {
  id: string;
  code: string;
  lang: Lang;
  text: string;
  updatedAt: string;
}

export interface LocalNote {
  id: string;
  code: string;
  text: string;
  updatedAt: string;
}

export interface CodeShow {
  code: string;
  on: string;
  inForce: boolean;
  edition: EditionRef | null;
  /** Where the code stands in the edition in force on the date. A language the edition does not
   *  carry is filled from another edition or the characteristics (see nameSource), never invented. */
  sections: ShowSection[];
  /** The best name per language on the date (as the catalogue lookup gives it). */
  names: NamePair;
  nameSource: NameSources;
  /** Every edition that lists the code, oldest first. */
  history: HistoryEntry[];
  characteristics: Characteristics | null;
  translations: LocalTranslation[];
  localNotes: LocalNote[];
}

/** A query word read with a typo, and the word of the name it was read as. */
export interface SearchTypo {
  word: string;
  as: string;
}

export interface SearchResultItem {
  code: string;
  name: NamePair;
  nameSource: NameSources;
  sections: { section: SectionNo; position: number }[];
  match: MatchKindName;
  /** True when the code's names lack a word of the query (those words are in `missing`); partial
   *  results come after every result that has all the words. */
  partial: boolean;
  /** The query's words (as typed) that this code's names do not contain. */
  missing: string[];
  /** Words matched only with a typo. */
  typos: SearchTypo[];
}

/** What became of one word of the query. */
export interface SearchWordInfo {
  /** As typed; a code typed with spaces is one word (`81 53`). */
  word: string;
  /** A joining word (и, с, от, және…) or a single letter: never makes a result partial. */
  optional: boolean;
  /** In a name or code of the searched edition (and section). */
  found: boolean;
  /** In a name or code outside it (see `elsewhere`). */
  foundElsewhere: boolean;
  /** The word is an abbreviation; what it stands for. */
  abbreviation: { kk: string; ru: string } | null;
}

/** An edition that lists a code, with the days it was in force. */
export interface EditionPeriod {
  edition: EditionRef;
  from: string;
  /** Its last day in force; null while it is in force (no later edition yet). */
  to: string | null;
  sections: SectionNo[];
}

/**
 * A code that matches every word of the query but is not among the codes searched: listed only in
 * an earlier edition (`removed`: no longer on the list), only in a later one (`later`), in another
 * section of the same edition (`otherSection`), or in no edition at all (`never`: known from the
 * characteristics only).
 */
export interface SearchElsewhereItem {
  code: string;
  name: NamePair;
  nameSource: NameSources;
  match: MatchKindName;
  typos: SearchTypo[];
  status: 'removed' | 'later' | 'otherSection' | 'never';
  /** Every edition that lists the code, oldest first. */
  listed: EditionPeriod[];
  /** `removed`: the first day the code is no longer on the list. `later`: the first day it is. */
  since: string | null;
  /** `otherSection`: the sections of the searched edition that list it. */
  sections: SectionNo[];
}

export interface SearchResult {
  on: string;
  /** The edition searched: the one in force on `on`, or the one asked for. */
  edition: EditionRef;
  /** The edition in force on `on` (null before the first edition): the status line names it even
   *  while another edition is browsed. */
  inForce: EditionRef | null;
  /** Full results first, then partial ones. */
  results: SearchResultItem[];
  words: SearchWordInfo[];
  /** How many codes searched have every word, and how many only some (beyond `limit` too). */
  counts: { full: number; partial: number };
  /** Up to 10 codes outside the searched codes that have every word. */
  elsewhere: SearchElsewhereItem[];
}

export interface DiffEntry {
  section: SectionNo;
  code: string;
  position: number;
  name: string;
  lang: Lang;
}

export interface DiffRenamed {
  section: SectionNo;
  code: string;
  lang: Lang;
  from: string;
  to: string;
}

export interface DiffResult {
  from: EditionRef;
  to: EditionRef;
  /** Languages both editions carry: names can be compared only in these. */
  sharedLanguages: Lang[];
  added: DiffEntry[];
  removed: DiffEntry[];
  renamed: DiffRenamed[];
}

type Args<K extends keyof typeof catalogueSchemas> = z.infer<(typeof catalogueSchemas)[K]>;

export interface CatalogueMethods {
  'catalogue.editions': { args: Args<'catalogue.editions'>; result: EditionsResult };
  'catalogue.show': { args: Args<'catalogue.show'>; result: CodeShow };
  'catalogue.search': { args: Args<'catalogue.search'>; result: SearchResult };
  'catalogue.diff': { args: Args<'catalogue.diff'>; result: DiffResult };
  'catalogue.setInForce': { args: Args<'catalogue.setInForce'>; result: EditionSummary };
  'catalogue.saveTranslation': { args: Args<'catalogue.saveTranslation'>; result: LocalTranslation };
  'catalogue.removeTranslation': { args: Args<'catalogue.removeTranslation'>; result: { removed: boolean } };
  'catalogue.saveNote': { args: Args<'catalogue.saveNote'>; result: LocalNote };
  'catalogue.removeNote': { args: Args<'catalogue.removeNote'>; result: { removed: boolean } };
}
