import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isNoteText, type NoteText } from '../../../shared/domain/note-text';
import { assetsDir } from '../paths';

/**
 * The shape of the catalogue data (assets/catalogue, or a catalogue-update bundle): the files
 * of `editions/*.json` and `characteristics.json`, as documented in assets/catalogue/README.md.
 */
const localized = z.object({ kk: z.string().optional(), ru: z.string().optional() }).strict();
/** A note shipped with the data: kk and ru (what a legal text says, how a date was chosen); plain text from older data. */
const note = z.union([z.string(), z.object({ kk: z.string().min(1), ru: z.string().min(1) }).strict()]);

/** A note as stored in a TEXT column: plain text as is, a kk/ru note as its JSON. */
export function encodeNote(n: NoteText): string {
  return typeof n === 'string' ? n : JSON.stringify({ kk: n.kk, ru: n.ru });
}

/** The note of a TEXT column (plain text stored by older versions reads as it is). */
export function decodeNote(s: string): NoteText {
  if (s.startsWith('{')) {
    try {
      const v = JSON.parse(s) as unknown;
      if (isNoteText(v)) return v;
    } catch {
      /* plain text that starts with a brace */
    }
  }
  return s;
}
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const CODE_PATTERN = /^\d{2}\.\d{1,4}(\.\d{3})?$/;

export const editionDataSchema = z.object({
  id: z.string().regex(/^[\w.-]{1,100}$/),
  order: z.object({ number: z.string().min(1), date: isoDate, title: localized }),
  registration: z.object({ number: z.string(), date: isoDate }).nullable(),
  inForceFrom: isoDate,
  inForceNote: note,
  inForceChosen: z.boolean(),
  languages: z.array(z.enum(['kk', 'ru'])).min(1),
  notes: z.array(note),
  source: z.object({ file: z.string(), sha256: z.string() }),
  sections: z
    .array(
      z.object({
        section: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        title: localized,
        entries: z.array(z.object({ position: z.number().int().min(1), code: z.string().regex(CODE_PATTERN), name: z.string().min(1) })),
      }),
    )
    .min(1),
});

const requirement = z.object({
  specialty: z.string().nullable(),
  minYears: z.number().nullable(),
  upgradeHours: z.number().nullable(),
  upgradeWithinYears: z.number().nullable(),
  permits: z.array(z.string()),
  text: z.string(),
});

export const characteristicsDataSchema = z.object({
  source: z.object({
    order: z.string(),
    date: isoDate,
    appendix: z.number(),
    file: z.string(),
    sha256: z.string(),
    language: z.enum(['kk', 'ru']),
  }),
  footnotes: z.record(z.string(), localized),
  entries: z.array(
    z.object({
      code: z.string().regex(CODE_PATTERN),
      kind: z.enum(['unique', 'main']),
      position: z.number().int(),
      name: localized,
      staff: z.object({ text: z.string(), requirements: z.array(requirement) }),
      devices: z.object({ text: z.string(), items: z.array(z.object({ name: z.string(), count: z.number().nullable() })) }),
      notes: z.array(z.string()),
    }),
  ),
});

export const catalogueDataSchema = z.object({
  editions: z.array(editionDataSchema).min(1),
  characteristics: characteristicsDataSchema.nullable(),
});

export type EditionData = z.infer<typeof editionDataSchema>;
export type CharacteristicsData = z.infer<typeof characteristicsDataSchema>;
export type CatalogueData = z.infer<typeof catalogueDataSchema>;

/** The id under which the characteristics appear as a name source. */
export const CHARACTERISTICS_SOURCE_ID = 'dsm-238-app2';

export interface ShippedCatalogue {
  data: CatalogueData;
  /** sha256 over the asset files (names and bytes), to notice when a new build ships new data. */
  hash: string;
}

/** The asset files that make up the shipped catalogue, sorted by name. */
export function shippedFiles(dir = path.join(assetsDir(), 'catalogue')): string[] {
  const editions = fs
    .readdirSync(path.join(dir, 'editions'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, 'editions', f));
  const ch = path.join(dir, 'characteristics.json');
  return fs.existsSync(ch) ? [...editions, ch] : editions;
}

/** The content hash of the shipped asset files (cheap: ~100 KB of JSON). */
export function shippedHash(dir = path.join(assetsDir(), 'catalogue')): string {
  const h = createHash('sha256');
  for (const f of shippedFiles(dir)) {
    h.update(path.relative(dir, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Reads and validates the shipped catalogue from assets/catalogue. */
export function readShippedCatalogue(dir = path.join(assetsDir(), 'catalogue')): ShippedCatalogue {
  const files = shippedFiles(dir);
  const editions = files.filter((f) => f.includes(`${path.sep}editions${path.sep}`)).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as unknown);
  const chFile = files.find((f) => path.basename(f) === 'characteristics.json');
  const characteristics = chFile ? (JSON.parse(fs.readFileSync(chFile, 'utf8')) as unknown) : null;
  return { data: catalogueDataSchema.parse({ editions, characteristics }), hash: shippedHash(dir) };
}

/** A content hash of a data object (for data that does not come from the asset files). */
export function dataHash(data: CatalogueData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}
