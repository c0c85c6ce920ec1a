/**
 * Treatment of citizens abroad at the budget's expense (order of the Minister of Health and
 * Social Development No. 544 of 30.06.2015; the seed text 004, in Russian; domain.md §7):
 * who qualifies, the routes from the request to the contract as data, and each step's due date
 * on the working-day calendar.
 *
 * Readings the app makes (the text does not settle them):
 * - "дети в возрасте от 0 до 18 лет": a child qualifies before the 18th birthday, counted on the
 *   day the request started (`startedOn`).
 * - The transplantation group excludes "аутологичных и родственных трансплантаций костного мозга
 *   взрослых и детей": an autologous or related bone-marrow transplant does not qualify, an
 *   unrelated one, an organ or a tissue does.
 * - A step starts on the day the previous step was completed (the first on `startedOn`); its due
 *   date is the end of the N-th working day after that day (the day itself not counted), the same
 *   reading as the commission's review deadline (deadline.ts). A step not reached yet is planned
 *   from the previous step's due date.
 * - The whole route is due N working days after `startedOn` (44 for the current route, 37 for the
 *   proposed one).
 *
 * The Kazakh texts of this area are the app's own translation: the source is Russian only.
 * Pure: no Node, DOM or Electron.
 */
import { addDays, dayNumber, isIsoDate, isWorkingDay, type IsoDate, type WorkCalendar } from './calendar';
import { addWorkingDays } from './deadline';

// ---------------------------------------------------------------------------------------------
// Eligibility

/** The eight disease groups of the list (seed 004), in the order of the text. */
export const DISEASE_GROUPS = [
  'gamma_knife_brain',
  'vascular_endovascular',
  'skull_base',
  'eye_malignant',
  'keratoprosthesis',
  'transplantation',
  'larynx_stenosis',
  'trachea_stenosis',
] as const;
export type DiseaseGroup = (typeof DISEASE_GROUPS)[number];

/** The two categories of citizens (seed 004). */
export const ABROAD_CATEGORIES = ['child', 'service_injury'] as const;
export type AbroadCategory = (typeof ABROAD_CATEGORIES)[number];

/** What each category needs confirmed, each a condition quoted in the text. */
export const CATEGORY_CONFIRMATIONS = {
  // «дети в возрасте от 0 до 18 лет при наличии показаний»
  child: ['indications'],
  // «сотрудники правоохранительных органов, служащие Вооруженных Сил РК, получившие тяжелые травмы
  // и увечья при исполнении служебных обязанностей в исключительных случаях по поручению
  // Президента РК, Премьер-Министра РК, в отношении которых были использованы все разрешенные к
  // применению методы диагностики и лечения в организациях здравоохранения РК без положительного эффекта»
  service_injury: ['service_staff', 'severe_injury_on_duty', 'instruction', 'methods_exhausted'],
} as const satisfies Record<AbroadCategory, readonly string[]>;

export const CONFIRMATION_IDS = ['indications', 'service_staff', 'severe_injury_on_duty', 'instruction', 'methods_exhausted'] as const;
export type ConfirmationId = (typeof CONFIRMATION_IDS)[number];

/** Kinds of transplant for the transplantation group; the last two are excluded by the text. */
export const TRANSPLANT_KINDS = ['organ', 'tissue', 'bone_marrow_unrelated', 'bone_marrow_autologous', 'bone_marrow_related'] as const;
export type TransplantKind = (typeof TRANSPLANT_KINDS)[number];
export const EXCLUDED_TRANSPLANTS: readonly TransplantKind[] = ['bone_marrow_autologous', 'bone_marrow_related'];

/** Age limit of the child category: qualifies while younger than this on `startedOn`. */
export const CHILD_AGE_LIMIT = 18;

/** Why a request does not qualify; each is an error code `abroad.ineligible_<code>` with a message. */
export const INELIGIBLE_REASONS = ['group', 'category', 'age', 'birth_date', 'transplant', 'confirmation'] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

export interface EligibilityInput {
  category: string;
  diseaseGroup: string;
  /** 'YYYY-MM-DD' (from the IIN when not entered). */
  birthDate: string | null;
  startedOn: string;
  transplantKind?: string | null;
  /** true = confirmed, false = stated as not met, null/absent = not yet confirmed. */
  confirmations?: Partial<Record<string, boolean | null>>;
}

export interface IneligibleFinding {
  reason: IneligibleReason;
  params: Record<string, string | number>;
}

export interface EligibilityResult {
  /** No refusal: the request may be registered (confirmations may still be pending). */
  qualifies: boolean;
  /** Qualifies and nothing is pending: the route may go on. */
  complete: boolean;
  refusals: IneligibleFinding[];
  /** Confirmations the category needs, in the order of the text. */
  required: ConfirmationId[];
  /** Required confirmations not given yet, and `transplant_kind` when it is missing. */
  pending: string[];
  /** Full years on `startedOn`, when the birth date is known. */
  ageYears: number | null;
}

export const isDiseaseGroup = (v: unknown): v is DiseaseGroup => (DISEASE_GROUPS as readonly unknown[]).includes(v);
export const isAbroadCategory = (v: unknown): v is AbroadCategory => (ABROAD_CATEGORIES as readonly unknown[]).includes(v);
export const isTransplantKind = (v: unknown): v is TransplantKind => (TRANSPLANT_KINDS as readonly unknown[]).includes(v);

/** Full years between a birth date and a day (a birthday counts on the day itself; 29 Feb on 1 Mar). */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/** Does a request qualify, and what is still to be confirmed. Every refusal is reported, not only the first. */
export function checkEligibility(input: EligibilityInput): EligibilityResult {
  const refusals: IneligibleFinding[] = [];
  const pending: string[] = [];
  if (!isDiseaseGroup(input.diseaseGroup)) refusals.push({ reason: 'group', params: { group: String(input.diseaseGroup) } });
  const category = isAbroadCategory(input.category) ? input.category : null;
  if (!category) refusals.push({ reason: 'category', params: { category: String(input.category) } });

  let ageYears: number | null = null;
  const birth = input.birthDate;
  if (birth !== null && isIsoDate(birth) && isIsoDate(input.startedOn)) {
    if (birth > input.startedOn) refusals.push({ reason: 'birth_date', params: { birthDate: birth, startedOn: input.startedOn } });
    else ageYears = ageOn(birth, input.startedOn);
  }
  if (category === 'child') {
    if (ageYears === null && !refusals.some((r) => r.reason === 'birth_date')) refusals.push({ reason: 'birth_date', params: { birthDate: birth ?? '', startedOn: input.startedOn } });
    else if (ageYears !== null && ageYears >= CHILD_AGE_LIMIT) refusals.push({ reason: 'age', params: { age: ageYears, limit: CHILD_AGE_LIMIT } });
  }

  if (input.diseaseGroup === 'transplantation') {
    const kind = input.transplantKind ?? null;
    if (kind === null || kind === '') pending.push('transplant_kind');
    else if (!isTransplantKind(kind)) refusals.push({ reason: 'transplant', params: { kind: String(kind) } });
    else if (EXCLUDED_TRANSPLANTS.includes(kind)) refusals.push({ reason: 'transplant', params: { kind } });
  }

  const required: ConfirmationId[] = category ? [...CATEGORY_CONFIRMATIONS[category]] : [];
  for (const id of required) {
    const v = input.confirmations?.[id];
    if (v === false) refusals.push({ reason: 'confirmation', params: { confirmation: id } });
    else if (v !== true) pending.push(id);
  }
  const qualifies = refusals.length === 0;
  return { qualifies, complete: qualifies && pending.length === 0, refusals, required, pending, ageYears };
}

// ---------------------------------------------------------------------------------------------
// Routes as data (assets/abroad/routes.json)

export interface AbroadText {
  kk: string;
  ru: string;
}

/** A letter the app prints for a step: the petition, or a cover letter. */
export const STEP_LETTERS = ['petition', 'cover_letter'] as const;
export type StepLetter = (typeof STEP_LETTERS)[number];
/** What a step records besides its completion date. */
export const STEP_RECORDS = ['clinic', 'contract'] as const;
export type StepRecord = (typeof STEP_RECORDS)[number];

export interface RouteStep {
  /** 1..N, as numbered in the scheme. */
  n: number;
  /** Who acts (an actor id of the document); the step's "holder". */
  actor: string;
  /** To whom the result goes (actor id), or null. */
  recipient: string | null;
  workingDays: number;
  /** What is done, as the scheme says it (Russian quoted from the source; Kazakh: the app's translation). */
  action: AbroadText;
  /** Documents of the step (document ids). */
  documents: string[];
  letter: StepLetter | null;
  records: StepRecord | null;
  note?: AbroadText;
}

export interface RouteDefinition {
  id: string;
  version: number;
  /** `current`: may be in force; `proposed`: the text's proposal, shown for comparison. */
  status: 'current' | 'proposed';
  title: AbroadText;
  /** Requests started in [from, to] follow this route (null = open end); null for a proposal. */
  inForce: { from: IsoDate | null; to: IsoDate | null } | null;
  totalWorkingDays: number;
  steps: RouteStep[];
  note?: AbroadText;
}

export interface RoutesDocument {
  schema: 'htmp.abroad-routes/1';
  source: AbroadText;
  /** Always false in the shipped data: there is no Kazakh source text. */
  kkOfficial: boolean;
  actors: Record<string, AbroadText>;
  documents: Record<string, AbroadText>;
  routes: RouteDefinition[];
}

/** What a request keeps of its route: the definition with the names it uses, so it never changes under it. */
export interface RouteSnapshot extends RouteDefinition {
  actors: Record<string, AbroadText>;
  documents: Record<string, AbroadText>;
}

type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): AbroadText | null {
  return isRecord(v) && typeof v.kk === 'string' && v.kk.trim() !== '' && typeof v.ru === 'string' && v.ru.trim() !== '' ? { kk: v.kk, ru: v.ru } : null;
}

const ID = /^[a-z][a-z0-9_-]{0,62}$/;

function parseStep(s: unknown, at: string, actors: Record<string, AbroadText>, documents: Record<string, AbroadText>, expectN: number): ParseResult<RouteStep> {
  const fail = (e: string): ParseResult<RouteStep> => ({ ok: false, error: `${at}${e}` });
  if (!isRecord(s)) return fail(': not an object');
  if (s.n !== expectN) return fail(`.n: expected ${expectN}`);
  if (typeof s.actor !== 'string' || !actors[s.actor]) return fail('.actor: unknown actor');
  if (s.recipient !== null && (typeof s.recipient !== 'string' || !actors[s.recipient])) return fail('.recipient: unknown actor');
  if (typeof s.workingDays !== 'number' || !Number.isInteger(s.workingDays) || s.workingDays < 1 || s.workingDays > 250) return fail('.workingDays: expected an integer 1-250');
  const action = text(s.action);
  if (!action) return fail('.action: expected {kk, ru}');
  if (!Array.isArray(s.documents) || !s.documents.every((d) => typeof d === 'string' && documents[d])) return fail('.documents: unknown document');
  if (s.letter !== null && !(STEP_LETTERS as readonly unknown[]).includes(s.letter)) return fail('.letter: expected petition, cover_letter or null');
  if (s.records !== null && !(STEP_RECORDS as readonly unknown[]).includes(s.records)) return fail('.records: expected clinic, contract or null');
  const step: RouteStep = {
    n: expectN,
    actor: s.actor,
    recipient: s.recipient as string | null,
    workingDays: s.workingDays,
    action,
    documents: [...(s.documents as string[])],
    letter: s.letter as StepLetter | null,
    records: s.records as StepRecord | null,
  };
  if (s.note !== undefined) {
    const note = text(s.note);
    if (!note) return fail('.note: expected {kk, ru}');
    step.note = note;
  }
  return { ok: true, value: step };
}

/**
 * Checks a routes document (the shipped file or one the user imports) and returns a clean copy.
 * Steps are numbered 1..N, their working days add up to the route's total, every actor and
 * document is named in both languages, and no two routes in force overlap.
 */
export function parseRoutes(json: unknown): ParseResult<RoutesDocument> {
  const fail = (error: string): ParseResult<RoutesDocument> => ({ ok: false, error });
  if (!isRecord(json)) return fail('root: not an object');
  if (json.schema !== 'htmp.abroad-routes/1') return fail('schema: expected "htmp.abroad-routes/1"');
  const source = text(json.source);
  if (!source) return fail('source: expected {kk, ru}');
  if (typeof json.kkOfficial !== 'boolean') return fail('kkOfficial: not a boolean');
  const names = (v: unknown, at: string): ParseResult<Record<string, AbroadText>> => {
    if (!isRecord(v)) return { ok: false, error: `${at}: not an object` };
    const out: Record<string, AbroadText> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!ID.test(k)) return { ok: false, error: `${at}.${k}: bad id` };
      const t = text(x);
      if (!t) return { ok: false, error: `${at}.${k}: expected {kk, ru}` };
      out[k] = t;
    }
    return { ok: true, value: out };
  };
  const actors = names(json.actors, 'actors');
  if (!actors.ok) return actors;
  const documents = names(json.documents, 'documents');
  if (!documents.ok) return documents;
  if (!Array.isArray(json.routes) || json.routes.length === 0) return fail('routes: expected a non-empty array');

  const routes: RouteDefinition[] = [];
  const keys = new Set<string>();
  for (const [i, r] of json.routes.entries()) {
    const at = `routes[${i}]`;
    if (!isRecord(r)) return fail(`${at}: not an object`);
    if (typeof r.id !== 'string' || !ID.test(r.id)) return fail(`${at}.id: bad id`);
    if (typeof r.version !== 'number' || !Number.isInteger(r.version) || r.version < 1) return fail(`${at}.version: expected a positive integer`);
    const key = `${r.id}@${r.version}`;
    if (keys.has(key)) return fail(`${at}: duplicate ${key}`);
    keys.add(key);
    if (r.status !== 'current' && r.status !== 'proposed') return fail(`${at}.status: expected current or proposed`);
    const title = text(r.title);
    if (!title) return fail(`${at}.title: expected {kk, ru}`);
    let inForce: RouteDefinition['inForce'] = null;
    if (r.inForce !== null) {
      if (!isRecord(r.inForce)) return fail(`${at}.inForce: expected {from, to} or null`);
      const { from, to } = r.inForce;
      if (from !== null && !isIsoDate(from)) return fail(`${at}.inForce.from: expected a date or null`);
      if (to !== null && !isIsoDate(to)) return fail(`${at}.inForce.to: expected a date or null`);
      if (from !== null && to !== null && (to as string) < (from as string)) return fail(`${at}.inForce: ends before it starts`);
      inForce = { from: from as IsoDate | null, to: to as IsoDate | null };
    }
    if (r.status === 'proposed' && inForce !== null) return fail(`${at}.inForce: a proposed route is not in force`);
    if (!Array.isArray(r.steps) || r.steps.length === 0 || r.steps.length > 50) return fail(`${at}.steps: expected 1-50 steps`);
    const steps: RouteStep[] = [];
    for (const [j, s] of r.steps.entries()) {
      const p = parseStep(s, `${at}.steps[${j}]`, actors.value, documents.value, j + 1);
      if (!p.ok) return p;
      steps.push(p.value);
    }
    const sum = steps.reduce((a, s) => a + s.workingDays, 0);
    if (r.totalWorkingDays !== sum) return fail(`${at}.totalWorkingDays: the steps add up to ${sum}`);
    const route: RouteDefinition = { id: r.id, version: r.version, status: r.status, title, inForce, totalWorkingDays: sum, steps };
    if (r.note !== undefined) {
      const note = text(r.note);
      if (!note) return fail(`${at}.note: expected {kk, ru}`);
      route.note = note;
    }
    routes.push(route);
  }
  const inForce = routes.filter((r) => r.inForce !== null);
  for (let a = 0; a < inForce.length; a++) {
    for (let b = a + 1; b < inForce.length; b++) {
      const x = inForce[a]!.inForce!;
      const y = inForce[b]!.inForce!;
      const overlap = (x.from ?? '0000-01-01') <= (y.to ?? '9999-12-31') && (y.from ?? '0000-01-01') <= (x.to ?? '9999-12-31');
      if (overlap) return fail(`routes: ${inForce[a]!.id}@${inForce[a]!.version} and ${inForce[b]!.id}@${inForce[b]!.version} are in force at the same time`);
    }
  }
  return { ok: true, value: { schema: 'htmp.abroad-routes/1', source, kkOfficial: json.kkOfficial, actors: actors.value, documents: documents.value, routes } };
}

/** The route in force on a day, or null when none is. */
export function routeInForce(doc: RoutesDocument, on: IsoDate): RouteDefinition | null {
  return doc.routes.find((r) => r.inForce !== null && (r.inForce.from ?? '0000-01-01') <= on && on <= (r.inForce.to ?? '9999-12-31')) ?? null;
}

/** The route with the names of the actors and documents it uses, as a request keeps it. */
export function snapshotRoute(doc: RoutesDocument, route: RouteDefinition): RouteSnapshot {
  const actors: Record<string, AbroadText> = {};
  const documents: Record<string, AbroadText> = {};
  for (const s of route.steps) {
    for (const a of [s.actor, s.recipient]) if (a) actors[a] = { ...doc.actors[a]! };
    for (const d of s.documents) documents[d] = { ...doc.documents[d]! };
  }
  return { ...structuredCloneJson(route), actors, documents };
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---------------------------------------------------------------------------------------------
// Schedule: each step's start, due date and lateness on the working-day calendar

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: WorkCalendar): number {
  if (to <= from) return 0;
  let n = 0;
  for (let d = addDays(from, 1), guard = 0; d <= to && guard < 3700; d = addDays(d, 1), guard++) if (isWorkingDay(d, cal)) n++;
  return n;
}

export type StepState = 'done' | 'current' | 'planned';

export interface StepSchedule {
  n: number;
  actor: string;
  workingDays: number;
  /** The day the step started (not counted), or for a planned step the day it would start. */
  start: IsoDate;
  due: IsoDate;
  completedOn: IsoDate | null;
  state: StepState;
  /** A done step completed after its due date, or a current one past it on `today`. */
  late: boolean;
  /** Working days past the due date (0 when not late). */
  lateDays: number;
  /** Working days the step took (done) or has taken so far (current); null when planned. */
  usedDays: number | null;
  /** Working days from the request's start to this step's start (for the timeline). */
  offsetDays: number;
  /** False when the step's due date was counted through a year missing or unconfirmed in the calendar. */
  calendarConfirmed: boolean;
}

export interface Schedule {
  steps: StepSchedule[];
  /** The step in progress, or null when every step is done. */
  currentStep: number | null;
  /** End of the whole route: `totalWorkingDays` after `startedOn`. */
  routeDue: IsoDate;
  /** Working days used from the start to the last completion (done) or to `today`. */
  elapsedDays: number;
  done: boolean;
  lateSteps: number;
  /** False when a date of the schedule lies in a year whose calendar is missing or unconfirmed. */
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
}

/**
 * The schedule of a request: `completions` maps a step number to the day it was completed. Steps
 * are completed in order; a completion for a step after a missing one is ignored.
 */
export function computeSchedule(route: Pick<RouteDefinition, 'steps' | 'totalWorkingDays'>, startedOn: IsoDate, completions: ReadonlyMap<number, IsoDate>, today: IsoDate, cal: WorkCalendar): Schedule {
  const unconfirmed = new Set<number>();
  let lastConfirmed = true;
  const due = (from: IsoDate, n: number): IsoDate => {
    const d = addWorkingDays(from, n, cal);
    for (const y of d.unconfirmedYears) unconfirmed.add(y);
    lastConfirmed = d.calendarConfirmed;
    return d.due;
  };
  const steps: StepSchedule[] = [];
  let start = startedOn;
  let currentStep: number | null = null;
  let reachedEnd = true;
  for (const s of route.steps) {
    const stepDue = due(start, s.workingDays);
    const completedOn = reachedEnd ? completions.get(s.n) ?? null : null;
    let state: StepState;
    if (!reachedEnd) state = 'planned';
    else if (completedOn !== null) state = 'done';
    else {
      state = 'current';
      currentStep = s.n;
      reachedEnd = false;
    }
    const endForLate = state === 'done' ? completedOn! : state === 'current' ? today : null;
    const lateDays = endForLate !== null && endForLate > stepDue ? workingDaysBetween(stepDue, endForLate, cal) : 0;
    const late = endForLate !== null && endForLate > stepDue;
    const usedDays = state === 'done' ? workingDaysBetween(start, completedOn!, cal) : state === 'current' ? workingDaysBetween(start, today, cal) : null;
    const stepConfirmed = lastConfirmed;
    steps.push({ n: s.n, actor: s.actor, workingDays: s.workingDays, start, due: stepDue, completedOn, state, late, lateDays, usedDays, offsetDays: workingDaysBetween(startedOn, start, cal), calendarConfirmed: stepConfirmed });
    // The next step starts when this one was completed; a step not done is planned from its due date.
    start = state === 'done' ? completedOn! : stepDue > today || state === 'planned' ? stepDue : today;
  }
  const done = currentStep === null;
  const last = steps[steps.length - 1];
  const routeDue = due(startedOn, route.totalWorkingDays);
  const elapsedDays = workingDaysBetween(startedOn, done && last?.completedOn ? last.completedOn : today, cal);
  const unconfirmedYears = [...unconfirmed].sort((a, b) => a - b);
  return { steps, currentStep, routeDue, elapsedDays, done, lateSteps: steps.filter((s) => s.late).length, calendarConfirmed: unconfirmedYears.length === 0, unconfirmedYears };
}

/** Calendar days between two ISO dates (for sorting and display; never for deadlines). */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

// ---------------------------------------------------------------------------------------------
// Request numbers

/** A request's number as printed: `7/2026`. */
export function formatRequestNumber(seq: number, year: number): string {
  return `${seq}/${year}`;
}
