/**
 * The characteristics of appendix 2 of ДСМ-238 (staff and medical devices per HTMP type) turned
 * into requirements the app can check, derived from the verbatim text and kept beside it.
 *
 * POLICY
 * - The verbatim text (assets/catalogue/characteristics.json, or the text a catalogue update
 *   brought) is the source of truth; every requirement carries the words it was derived from.
 * - The derivation is pure and deterministic: the same text gives the same requirements. Where it
 *   reads a text wrongly, a reviewed correction (assets/catalogue/requirements-corrections.json)
 *   replaces the derived requirements of that part of that entry, and applies only while the
 *   text is exactly the one it was reviewed against (a changed text falls back to derivation and
 *   says so).
 * - What the text does not let a machine decide is a `manual` piece or requirement, checked by
 *   hand; it is never guessed. "Or" is never lost: a specialty list joined by «немесе» (or written
 *   side by side) is a list of alternatives; «немесе» followed by another specialty with its own
 *   conditions (38.34) is a second alternative; «және» between two quoted specialties is `joint`
 *   (one specialist with both, or two: the text does not say, so it is checked by hand).
 *
 * Numbers read from a staff clause: the count of specialists («кемінде екі маманның»), the years
 * of experience («кемінде N жыл жұмыс өтілі»), the hours of further training and the window they
 * must fall in («кемінде N сағат … соңғы M жылда»), the operations per year («жылына … кемінде N
 * операция»). Their subject («аритмология мәселелері бойынша», «транспланттау бөлімшесінде»,
 * «ашық жүрекке») is kept as a note: the application declares the numbers for the requirement.
 */

export type RequirementPart = 'staff' | 'devices';

export interface StaffAlternative {
  /** Specialties as written, quotes dropped; any one of them qualifies. Empty when `education` is set. */
  specialties: string[];
  /** The specialties are joined by «және»: whether one specialist must hold all is checked by hand. */
  joint: boolean;
  /** Education described instead of a certified specialty ("Жоғары медициналық немесе биологиялық білімі бар"). */
  education: string | null;
  minYears: number | null;
  /** Where the experience counts when the text says more than "in the specialty" (a note). */
  yearsScope: string | null;
  trainingHours: number | null;
  /** The hours must fall within the last N years; null when the text gives no window. */
  trainingWithinYears: number | null;
  /** The training's subject when the text names one other than the specialty (a note). */
  trainingTopic: string | null;
  operationsPerYear: number | null;
  /** What the operations are ("ашық жүрекке … өз бетінше"), a note. */
  operationsScope: string | null;
  /** Conditions the text may or may not apply to this alternative: failing one is checked by hand. */
  uncertain: ('minYears' | 'training' | 'operations')[];
}

export interface StaffRequirement {
  id: string;
  kind: 'staff';
  part: 'staff';
  /** Specialists needed («кемінде екі маманның» = 2). */
  count: number;
  alternatives: StaffAlternative[];
  /** What else satisfies the requirement instead of a specialist (a contract…), checked by hand. */
  otherwise: string | null;
  /** Pieces of the clause a machine cannot check (verbatim). */
  manual: string[];
  /** The clause as written. */
  text: string;
}

export interface DeviceRequirement {
  id: string;
  kind: 'device';
  part: 'devices';
  /** The device as written in the list. */
  name: string;
  /** How many are required (1 where the text gives no number). */
  count: number;
  text: string;
}

export interface PermitRequirement {
  id: string;
  kind: 'permit';
  part: 'staff';
  /** The only permit the characteristics name: work with sources of (ionizing) radiation. */
  permit: 'ionizing_radiation';
  text: string;
}

export interface ManualRequirement {
  id: string;
  kind: 'manual';
  part: RequirementPart;
  /** A footnote mark ("*", "**") when the requirement comes from the table's notes. */
  footnote: string | null;
  text: string;
}

export type Requirement = StaffRequirement | DeviceRequirement | PermitRequirement | ManualRequirement;

export interface EntryRequirements {
  code: string;
  staff: Requirement[];
  devices: Requirement[];
  /** Which parts come from the reviewed corrections. */
  corrected: { staff: boolean; devices: boolean };
  /** Corrections written for another wording of the text (not applied: the text changed since). */
  staleCorrections: RequirementPart[];
}

/** What the derivation reads: one entry of the characteristics (the catalogue's shape). */
export interface CharacteristicsEntry {
  code: string;
  staff: { text: string };
  devices: { text: string; items: { name: string; count: number | null }[] };
  /** Footnote marks with their text (any language present). */
  notes: { mark: string; text: string | null }[];
}

/** One reviewed correction: the requirements of one part of one entry, for exactly this text. */
export interface RequirementsCorrection {
  code: string;
  part: RequirementPart;
  /** The verbatim text the correction was reviewed against. */
  text: string;
  requirements: Requirement[];
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const UPPER = 'А-ЯЁӘІҢҒҮҰҚӨҺA-Z';
/** A sentence ends at a full stop followed by a capital letter or a quote. */
const SENTENCE_SPLIT = new RegExp(`(?<=\\.)\\s+(?=["«${UPPER}])`, 'u');
const NAMES_SPECIALIST = /маман(?:ның|ы|ының)?(?![\p{L}])|сертификаты бар/u;
/** End of the specialty (or education) at the start of a clause. */
const INTRO_END = /\s*(?:(?:мамандығы|мамандықтары)\s+бойынша\s+сертификаты\s+бар|(?<![\p{L}])маман(?:ның|ы|ының)(?![\p{L}]))/u;
const YEARS = /(\d+)\s+жыл(?:\s+\([^)]*\))?\s+жұмыс\s+өтіл/u;
const YEARS_AFTER = /жұмыс\s+өтілі\s+кемінде\s+(\d+)\s+жыл/u;
const HOURS = /(\d+)\s+сағат/u;
const WINDOW = /соңғы\s+(\d+)\s+жыл/u;
const TRAINING = /біліктіліг\p{L}*\s+арттыру/u;
const OPERATIONS = /жылына(.*?)(\d+)\s+операция/u;
const PERMIT = /рұқсат/u;
const COUNT_WORDS: Record<string, number> = { екі: 2, үш: 3, төрт: 4, бес: 5 };

/** Splits at a separator outside parentheses (quotes in the source are not balanced, so they are not trusted). */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && text.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
/** A piece as shown: no trailing full stop. */
const piece = (s: string): string => squash(s).replace(/[.;]\s*$/, '');
/** A specialty as written without its quotes ("Жалпы хирургия" (трансплантология)" -> Жалпы хирургия (трансплантология)). */
const unquote = (s: string): string => squash(s.replace(/["«»]/g, ' ')).replace(/\(\s+/g, '(').replace(/\s+\)/g, ')');

/** The specialties of a quoted list: alternatives, or joint when joined by «және» outside quotes. */
export function parseSpecialties(span: string): { specialties: string[]; joint: boolean } {
  const s = squash(span);
  if (/"\s+және\s+"/u.test(s)) return { specialties: s.split(/"\s+және\s+"/u).map(unquote).filter(Boolean), joint: true };
  return { specialties: s.split(/"\s*,?\s+(?:немесе\s+)?"/u).map(unquote).filter(Boolean), joint: false };
}

/** The subject words before a number ("аритмология мәселелері бойынша кемінде 108 сағат" -> "аритмология мәселелері бойынша"). */
function subjectBefore(text: string, index: number): string {
  return squash(text.slice(0, index).replace(/(?:^|\s)кемінде\s*$/u, '').replace(/соңғы\s+\d+\s+жыл\p{L}*(?:\s+ішінде)?/gu, ''))
    .replace(/^[,\s]+|[,\s]+$/g, '')
    .trim();
}

/** Subjects that say no more than "in the specialty" (or "in the profile"): not kept as a note. */
const GENERIC_SUBJECT = /^(?:(?:көрсетілген\s+)?(?:мамандығы|мамандық)\s+бойынша|бейін\s+бойынша)?$/u;

function emptyAlternative(): StaffAlternative {
  return {
    specialties: [],
    joint: false,
    education: null,
    minYears: null,
    yearsScope: null,
    trainingHours: null,
    trainingWithinYears: null,
    trainingTopic: null,
    operationsPerYear: null,
    operationsScope: null,
    uncertain: [],
  };
}

type ChunkKind = 'skip' | 'alternative' | 'otherwise' | 'permit' | 'years' | 'training' | 'training_no_hours' | 'operations' | 'other';

function classify(chunk: string): ChunkKind {
  const c = chunk.trim();
  if (c === '' || /^(?:кемінде\s+\S+\s+)?маман(?:ның|ы)?(?:\s+болуы)?\.?$/u.test(c)) return 'skip';
  if (/^немесе\s+"/u.test(c)) return 'alternative';
  if (/^немесе\s/u.test(c)) return 'otherwise';
  if (PERMIT.test(c)) return 'permit';
  if (HOURS.test(c)) return 'training';
  if (TRAINING.test(c)) return 'training_no_hours';
  if (OPERATIONS.test(c)) return 'operations';
  if (YEARS.test(c) || YEARS_AFTER.test(c)) return 'years';
  return 'other';
}

interface ClauseResult {
  staff: StaffRequirement | null;
  permits: string[];
}

/** Derives one staff requirement (and the permits it names) from one clause (its sentences) of the staff text. */
function deriveClause(sentences: string[]): ClauseResult {
  const text = squash(sentences.join(' '));
  const body = squash(sentences[0] ?? '').replace(/^Штатта\s+/u, '');
  const permits: string[] = [];
  // A clause that only states a permit is not a specialist.
  if (!NAMES_SPECIALIST.test(text) && PERMIT.test(text)) return { staff: null, permits: [piece(text)] };

  const manual: string[] = [];
  let otherwise: string | null = null;
  let count = 1;
  const first = emptyAlternative();
  let rest: string;
  const quoted = body.startsWith('"') || body.startsWith('«');
  const end = INTRO_END.exec(body);
  if (quoted) {
    const at = end ? end.index : body.length;
    Object.assign(first, parseSpecialties(body.slice(0, at)));
    rest = end ? body.slice(at + end[0].length) : '';
  } else {
    // Education instead of a specialty: up to the word "маман…" when no condition comes before it,
    // else up to the first comma.
    const markers = [YEARS.exec(body), HOURS.exec(body), TRAINING.exec(body)].filter((m): m is RegExpExecArray => m !== null).map((m) => m.index);
    const firstMarker = markers.length ? Math.min(...markers) : Infinity;
    if (end && end.index < firstMarker) {
      first.education = piece(body.slice(0, end.index));
      rest = body.slice(end.index + end[0].length);
    } else {
      const [head = '', ...tail] = splitTopLevel(body, ',');
      first.education = piece(head);
      rest = tail.join(', ');
    }
  }
  const countMatch = /^\s*кемінде\s+(\S+)\s+маман/u.exec(rest);
  if (countMatch) count = COUNT_WORDS[countMatch[1]!] ?? (Number(countMatch[1]) || 1);

  const alternatives = [first];
  let alt = first;
  // Chunks: the commas of the first sentence after the specialty, then those of every sentence
  // that joined the clause (a sentence never runs into the next chunk).
  const chunks = [rest, ...sentences.slice(1)].flatMap((s) => splitTopLevel(s, ',')).filter((c) => piece(c) !== '');
  const kinds = chunks.map(classify);
  // A run of unrecognized chunks right before a training chunk is the list of its subjects.
  for (let i = 0; i < chunks.length; i++) {
    if (kinds[i] !== 'other') continue;
    let j = i;
    while (j < chunks.length && kinds[j] === 'other') j++;
    if (j < chunks.length && (kinds[j] === 'training' || kinds[j] === 'training_no_hours')) {
      chunks[j] = chunks.slice(i, j + 1).join(', ');
      for (let k = i; k < j; k++) kinds[k] = 'skip';
    }
    i = j - 1;
  }
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const kind = kinds[i]!;
    switch (kind) {
      case 'skip':
        break;
      case 'alternative': {
        alt = emptyAlternative();
        Object.assign(alt, parseSpecialties(c.replace(/^немесе\s+/u, '')));
        alternatives.push(alt);
        break;
      }
      case 'otherwise':
        otherwise = piece(c.replace(/^немесе\s+/u, ''));
        break;
      case 'permit':
        permits.push(piece(c));
        break;
      case 'years': {
        const m = YEARS.exec(c) ?? YEARS_AFTER.exec(c)!;
        if (alt.minYears !== null) {
          manual.push(piece(c));
          break;
        }
        alt.minYears = Number(m[1]);
        const scope = YEARS.test(c) ? subjectBefore(c, m.index) : subjectBefore(c, c.search(/жұмыс\s+өтілі/u));
        alt.yearsScope = GENERIC_SUBJECT.test(scope) ? null : scope;
        break;
      }
      case 'training': {
        const m = HOURS.exec(c)!;
        if (alt.trainingHours !== null) {
          manual.push(piece(c));
          break;
        }
        alt.trainingHours = Number(m[1]);
        // The window may close the sentence after further subjects ("… 108 сағат, … 108 сағат көлемінде соңғы 5 жылда").
        const win = WINDOW.exec(c) ?? WINDOW.exec(chunks.slice(i + 1).join(', '));
        alt.trainingWithinYears = win ? Number(win[1]) : null;
        const topicEnd = Math.min(...[m.index, c.search(WINDOW)].filter((x) => x >= 0));
        const topic = subjectBefore(c, topicEnd);
        alt.trainingTopic = GENERIC_SUBJECT.test(topic) ? null : topic;
        break;
      }
      case 'training_no_hours':
        manual.push(piece(c));
        break;
      case 'operations': {
        const m = OPERATIONS.exec(c)!;
        if (alt.operationsPerYear !== null) {
          manual.push(piece(c));
          break;
        }
        alt.operationsPerYear = Number(m[2]);
        const scope = squash(`${c.slice(0, m.index)} ${m[1] ?? ''}`.replace(/кемінде/gu, '')).replace(/[,\s]+$/, '');
        alt.operationsScope = scope === '' ? null : scope;
        break;
      }
      case 'other':
        manual.push(piece(c));
        break;
    }
  }
  return {
    staff: { id: '', kind: 'staff', part: 'staff', count, alternatives, otherwise, manual, text: piece(text) + '.' },
    permits,
  };
}

/**
 * The clauses of a staff text, as lists of sentences: a sentence naming a specialist (or stating a
 * permit) opens one; any other sentence ("Репродуктология … 108 сағат …") joins the one before.
 */
export function staffClauses(text: string): string[][] {
  const clauses: string[][] = [];
  for (const s of squash(text).split(SENTENCE_SPLIT)) {
    if (clauses.length === 0 || NAMES_SPECIALIST.test(s) || PERMIT.test(s)) clauses.push([s]);
    else clauses[clauses.length - 1]!.push(s);
  }
  return clauses;
}

/** Derives the staff requirements (specialists, permits, what is checked by hand) of a staff text. */
export function deriveStaff(text: string): Requirement[] {
  const out: Requirement[] = [];
  const permits = new Map<string, string>();
  for (const clause of staffClauses(text)) {
    const r = deriveClause(clause);
    if (r.staff) out.push(r.staff);
    for (const p of r.permits) if (!permits.has(p)) permits.set(p, p);
  }
  for (const p of permits.values()) out.push({ id: '', kind: 'permit', part: 'staff', permit: 'ionizing_radiation', text: p });
  return out;
}

/** Derives the device requirements: the items of the list, or the sentences of a cell written as requirements. */
export function deriveDevices(devices: CharacteristicsEntry['devices']): Requirement[] {
  if (devices.items.length > 0) {
    return devices.items.map((i) => ({ id: '', kind: 'device', part: 'devices', name: squash(i.name), count: i.count ?? 1, text: squash(i.name) + (i.count !== null ? ` — ${i.count}` : '') }));
  }
  return splitTopLevel(squash(devices.text).replace(/;\s*/g, '. '), '. ')
    .map(piece)
    .filter((s) => s !== '')
    .map((s) => ({ id: '', kind: 'manual', part: 'devices', footnote: null, text: s }));
}

function numberIds(reqs: Requirement[]): Requirement[] {
  const seq: Record<string, number> = {};
  return reqs.map((r) => {
    const prefix = r.kind === 'staff' ? 's' : r.kind === 'device' ? 'd' : r.kind === 'permit' ? 'p' : r.part === 'staff' ? 'm' : 'n';
    seq[prefix] = (seq[prefix] ?? 0) + 1;
    return { ...r, id: `${prefix}${seq[prefix]}` };
  });
}

/**
 * The requirements of one entry: derived from its verbatim text, or the reviewed correction of a
 * part when its text is still exactly the reviewed one. Footnotes (IVF indicators, cochlear
 * rehabilitation) are requirements checked by hand, in the staff part.
 */
export function deriveRequirements(entry: CharacteristicsEntry, corrections: readonly RequirementsCorrection[] = []): EntryRequirements {
  const stale: RequirementPart[] = [];
  const pick = (part: RequirementPart, text: string, derive: () => Requirement[]): { reqs: Requirement[]; corrected: boolean } => {
    const c = corrections.find((x) => x.code === entry.code && x.part === part);
    if (c && c.text === text) return { reqs: c.requirements.map((r) => ({ ...r })), corrected: true };
    if (c) stale.push(part);
    return { reqs: derive(), corrected: false };
  };
  const staff = pick('staff', entry.staff.text, () => deriveStaff(entry.staff.text));
  const footnotes: Requirement[] = [];
  for (const n of entry.notes) {
    const lines = (n.text ?? '').split('\n').map((l) => piece(l)).filter(Boolean);
    // The first line of the IVF note is its heading ("… қосымша сипаттамалар:"), the rest are the indicators.
    const items = lines.length > 1 && /:$/.test(lines[0]!) ? lines.slice(1).map((l) => l.replace(/^\d+\.\s*/, '')) : lines;
    for (const t of items) footnotes.push({ id: '', kind: 'manual', part: 'staff', footnote: n.mark, text: t });
  }
  const devices = pick('devices', entry.devices.text, () => deriveDevices(entry.devices));
  return {
    code: entry.code,
    staff: numberIds([...staff.reqs, ...footnotes]),
    devices: numberIds(devices.reqs),
    corrected: { staff: staff.corrected, devices: devices.corrected },
    staleCorrections: stale,
  };
}

/** Every requirement of an entry, staff first. */
export const allRequirements = (e: EntryRequirements): Requirement[] => [...e.staff, ...e.devices];

/** The characteristics file's shape (assets/catalogue/characteristics.json) as far as derivation reads it. */
export interface CharacteristicsFile {
  source: { sha256?: string };
  footnotes: Record<string, { kk?: string; ru?: string }>;
  entries: { code: string; staff: { text: string }; devices: CharacteristicsEntry['devices']; notes: string[] }[];
}

/** The requirements of every entry of a characteristics file (what the review file holds). */
export function deriveCatalogueRequirements(file: CharacteristicsFile, corrections: readonly RequirementsCorrection[]): { source: { sha256: string | null }; entries: EntryRequirements[] } {
  return {
    source: { sha256: file.source.sha256 ?? null },
    entries: file.entries.map((e) =>
      deriveRequirements({ code: e.code, staff: e.staff, devices: e.devices, notes: e.notes.map((mark) => ({ mark, text: file.footnotes[mark]?.kk ?? file.footnotes[mark]?.ru ?? null })) }, corrections),
    ),
  };
}
