/**
 * The organizations area's API (ДСМ-238, points 22-31, appendices 1-3):
 *
 * - `orgs.*`: the registry of health organizations that provide HTMP (BIN, names in Kazakh and
 *   Russian, region, level, contacts), its import from CSV / XLSX and export, search with the
 *   catalogue's letter folding; which organizations may receive a patient for a code on a date
 *   (point 31) and the provider chosen on a case.
 * - `conformity.*`: applications (app. 1), the requirements derived from the characteristics
 *   (app. 2), the pre-assessment and the assessor's decisions, the numbered conclusion (app. 3)
 *   with its PDF, and the updates of points 29 and 30 with their deadlines.
 *
 * STATUS MODEL
 *   application.status:  draft ──receive──▶ received ──issue conclusion──▶ concluded (locked)
 *     - `received`: the filing date is checked against the window (point 23/24) and the 30-day
 *       assessment deadline (point 26 1) runs from it.
 *   conclusion.state:  draft (the assessment being made) ──issue──▶ issued (numbered, locked)
 *     - issued conclusions never change (sync refuses changes to them); a reissue (point 30) is a
 *       new conclusion that supersedes the old one.
 *
 * Dates are 'YYYY-MM-DD' (Kazakhstan local dates); "today" defaults to Kazakhstan's date.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { ApplicationData, AssessStatus, AssessedRequirement } from '../domain/conformity';
import { PERMIT_KINDS } from '../domain/conformity';
import type { ImportRowError, OrgClean } from '../domain/orgs';
import { ORG_LEVELS } from '../domain/orgs';
import type { EntryRequirements, Requirement } from '../domain/requirements';
import { docLangSchema, layoutSchema, type PdfFile } from './protocols';

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const uuid = z.string().uuid();
const text = (max: number) => z.string().max(max);
const code = z.string().regex(/^[0-9]{2}\.[0-9]{1,4}(?:\.[0-9]{1,4})?$/, 'code');
const year = z.number().int().min(2000).max(2100);
const count = z.number().int().min(0).max(1_000_000);
/** The language names are sorted in (Kazakh by default). */
const sortLang = z.enum(['kk', 'ru']).optional();

/** Largest import file accepted (decoded bytes). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_STAFF = 200;
export const MAX_DEVICES = 1000;

export const orgInputSchema = z
  .object({
    bin: text(40),
    nameKk: text(600),
    nameRu: text(600),
    region: text(40),
    level: text(40),
    address: text(600).nullable().optional(),
    phone: text(80).nullable().optional(),
    email: text(200).nullable().optional(),
    head: text(600).nullable().optional(),
  })
  .strict();

export const staffEntrySchema = z
  .object({
    name: text(300),
    specialty: text(500),
    years: count.nullable(),
    trainingHours: count.nullable(),
    trainingDate: isoDate.nullable(),
    operationsPerYear: count.nullable(),
    requirement: text(20).nullable().optional(),
  })
  .strict();

export const deviceEntrySchema = z
  .object({
    name: text(500),
    model: text(300),
    serial: text(200),
    inService: z.boolean(),
    outOfOrderSince: isoDate.nullable().optional(),
    requirement: text(20).nullable().optional(),
  })
  .strict();

export const permitEntrySchema = z.object({ kind: z.enum(PERMIT_KINDS), number: text(200), validUntil: isoDate.nullable() }).strict();

export const applicationDraftSchema = z
  .object({
    id: uuid.optional(),
    orgId: uuid,
    year,
    code,
    firstTime: z.boolean(),
    staff: z.array(staffEntrySchema).max(MAX_STAFF),
    devices: z.array(deviceEntrySchema).max(MAX_DEVICES),
    permits: z.array(permitEntrySchema).max(50),
    /** Planned volume of HTMP (cases a year); null for a first application (app. 1, note 2). */
    plannedVolume: count.nullable(),
    note: text(5000).nullable().optional(),
  })
  .strict();

/** The application file of `htmp conformity assess FILE.json` (nothing is stored). */
export const assessFileSchema = z
  .object({
    bin: text(40),
    year,
    code,
    staff: z
      .array(
        z
          .object({
            name: text(300),
            specialty: text(500),
            years: count.nullable(),
            trainingHours: count.nullable(),
            trainingDate: isoDate.nullable(),
            operationsPerYear: count.nullable(),
            requirement: text(20).nullable().optional(),
          })
          .strict(),
      )
      .max(MAX_STAFF),
    devices: z
      .array(
        z
          .object({ name: text(500), model: text(300), serial: text(200), inService: z.boolean(), requirement: text(20).nullable().optional() })
          .strict(),
      )
      .max(MAX_DEVICES),
    permits: z.array(permitEntrySchema).max(50).optional(),
  })
  .strict();

const decisionSchema = z
  .object({
    requirementId: text(20),
    /** null: not decided yet (a requirement to check by hand stays open). */
    decision: z.enum(['met', 'not_met']).nullable(),
    justification: text(2000),
  })
  .strict();

const signerSchema = z.object({ name: text(300), position: text(300) }).strict();

export const UPDATE_KINDS = ['staff_left', 'staff_replaced', 'device_fault', 'code_changed', 'name_changed'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];
/** Point 29 kinds (10 working days) and point 30 kinds (30 calendar days). */
export const POINT29_KINDS: readonly UpdateKind[] = ['staff_left', 'staff_replaced', 'device_fault'];

export const orgsSchemas = lazySchemas(['conformity', 'orgs'], () => ({
  /** The registry: text search (folded), filters, one page. */
  'orgs.list': z
    .object({
      query: text(200).optional(),
      region: text(40).optional(),
      level: z.enum(ORG_LEVELS).optional(),
      /**
       * Key paging: the `next` of the previous page (an opaque cursor, of the same `lang`). The
       * page continues after that organization's place in the name order, so organizations added
       * or removed meanwhile never make one shown twice or skipped. `offset` is the older way.
       */
      after: z.string().max(2000).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      lang: sortLang,
    })
    .strict(),
  'orgs.get': z.object({ id: uuid }).strict(),
  /** Creates (no id) or updates an organization; refuses with `orgs.invalid` {field, reason}. */
  'orgs.save': orgInputSchema.extend({ id: uuid.optional() }).strict(),
  /** Deletes an organization without applications, conclusions or cases. */
  'orgs.delete': z.object({ id: uuid }).strict(),
  /**
   * Imports a CSV or XLSX file (columns: bin, name_kk, name_ru, region, level, address?, phone?).
   * Every row is checked first; with any wrong row nothing is written. `dryRun`: check only.
   */
  'orgs.import': z.object({ fileName: text(255).min(1), contentBase64: z.string().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 8), dryRun: z.boolean().optional() }).strict(),
  /** The registry as a CSV or XLSX file (the import's columns, plus email and head). */
  'orgs.export': z.object({ format: z.enum(['csv', 'xlsx']) }).strict(),
  /** Organizations with a valid conclusion for a code on a date (point 31: where a patient may go). */
  'orgs.eligible': z.object({ code, on: isoDate, lang: sortLang }).strict(),
  /** The provider of a case: the chosen organization, the eligible ones for its code and decision date, the warning. */
  'orgs.forCase': z.object({ caseId: uuid, lang: sortLang }).strict(),
  /** Chooses (or clears) the provider of a case from the registry. */
  'orgs.setCaseProvider': z.object({ caseId: uuid, orgId: uuid.nullable(), lang: sortLang }).strict(),
  /** The issuer of conclusions (Бөлімше) and the default signer, kept per installation. */
  'orgs.settings': z.object({}).strict(),
  'orgs.updateSettings': z
    .object({
      issuerKk: text(500).optional(),
      issuerRu: text(500).optional(),
      signerName: text(300).optional(),
      signerPosition: text(300).optional(),
    })
    .strict(),

  /** Codes an application may be for: every code of the catalogue, those with characteristics first. */
  'conformity.codes': z.object({}).strict(),
  /** The requirements of a code: the verbatim characteristics beside the structured requirements. */
  'conformity.requirements': z.object({ code }).strict(),
  /** Creates or updates an application (draft or received, not concluded). */
  'conformity.saveApplication': applicationDraftSchema,
  /** Registers the application as received on a date: checks the window (points 23-24), starts the 30 days. */
  'conformity.receiveApplication': z.object({ id: uuid, receivedOn: isoDate }).strict(),
  'conformity.deleteApplication': z.object({ id: uuid }).strict(),
  'conformity.getApplication': z.object({ id: uuid, today: isoDate.optional() }).strict(),
  'conformity.listApplications': z
    .object({ year: year.optional(), status: z.enum(['draft', 'received', 'concluded']).optional(), orgId: uuid.optional(), today: isoDate.optional() })
    .strict(),
  /** Pre-assessment of an application file (CLI `conformity assess`): nothing is stored. */
  'conformity.assessFile': z.object({ file: assessFileSchema, on: isoDate.optional() }).strict(),
  /** Saves the assessor's decisions (the draft conclusion) of a received application. */
  'conformity.saveAssessment': z
    .object({
      applicationId: uuid,
      decisions: z.array(decisionSchema).max(2000),
      staffJustification: text(5000),
      devicesJustification: text(5000),
      note: text(5000),
    })
    .strict(),
  /** Issues the conclusion: every requirement decided, overrides justified; numbered and locked. */
  'conformity.issue': z.object({ applicationId: uuid, date: isoDate, signer: signerSchema }).strict(),
  'conformity.listConclusions': z.object({ year: year.optional(), orgId: uuid.optional(), code: code.optional() }).strict(),
  'conformity.getConclusion': z.object({ id: uuid }).strict(),
  'conformity.renderConclusion': z.object({ id: uuid, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  'conformity.renderApplication': z.object({ id: uuid, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  /** Does a printed conclusion (number + SHA-256) match an issued one? */
  'conformity.verify': z.object({ number: z.string().min(1).max(40), sha256: z.string().min(1).max(128) }).strict(),
  /** Records a point-29 event (staff, device) or a point-30 application (code or name changed). */
  'conformity.addUpdate': z
    .object({
      conclusionId: uuid,
      kind: z.enum(UPDATE_KINDS),
      /** Point 29: the day of the event; point 30: the day the organization's application came in. */
      eventOn: isoDate,
      /** Who left / who replaced them / which device; the new code or name for point 30. */
      subject: text(500),
      newCode: code.nullable().optional(),
      note: text(2000).nullable().optional(),
    })
    .strict(),
  /** Marks an update done (the organization updated its data, point 29) on a date. */
  'conformity.completeUpdate': z.object({ id: uuid, doneOn: isoDate }).strict(),
  /** Point 30: reissues the conclusion for the new code (or name) of a code/name update. */
  'conformity.reissue': z.object({ updateId: uuid, date: isoDate, signer: signerSchema }).strict(),
  'conformity.listUpdates': z.object({ open: z.boolean().optional(), orgId: uuid.optional(), today: isoDate.optional() }).strict(),
}));

// ---------------------------------------------------------------------------------------------
// Results

/** An organization of the registry: its checked data (OrgClean) and the record's own fields. */
export interface OrgView extends OrgClean {
  id: string;
  /** Another organization of the registry has the same BIN (two laptops, synced). */
  duplicateBin: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface OrgList {
  items: OrgView[];
  total: number;
  offset: number;
  limit: number;
  /** The cursor of the next page (`after`), null on the last page. */
  next: string | null;
}

export interface ImportResult {
  dryRun: boolean;
  /** Data rows read (blank lines not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
}

export interface ExportFile {
  fileName: string;
  contentBase64: string;
  count: number;
}

export interface ConclusionRef {
  id: string;
  number: string;
  year: number;
  code: string;
  validFrom: string;
  validTo: string;
  issuedOn: string;
}

export interface EligibleOrg {
  org: OrgView;
  conclusion: ConclusionRef;
  /** Point-29/30 updates of this conclusion not done yet. */
  openUpdates: number;
}

export interface EligibleList {
  code: string;
  on: string;
  items: EligibleOrg[];
}

export interface CaseProvider {
  caseId: string;
  code: string;
  /** The decision date (issued decision, else the draft's), else today. */
  on: string;
  onSource: 'decision' | 'today';
  chosen: OrgView | null;
  /** The chosen organization's valid conclusion for the code on the date, if any. */
  chosenConclusion: ConclusionRef | null;
  eligible: EligibleOrg[];
  /** `no_conclusion`: the chosen one has no valid conclusion; `no_code`: the case has no code yet. */
  warning: 'no_conclusion' | 'no_code' | null;
  /** The free-text provider entered before the registry (kept, shown). */
  legacyText: string | null;
  /** The case's provider text as stored (the registry name once one is chosen: orgs.setCaseProvider writes it). */
  providerText: string | null;
}

export interface OrgsSettings {
  issuer: { kk: string; ru: string };
  signer: { name: string; position: string };
}

/** The requirements of a code beside the verbatim text they come from. */
export interface RequirementsView {
  code: string;
  /** Names of the type (the characteristics give Kazakh only). */
  name: { kk: string | null; ru: string | null };
  staffText: string | null;
  devicesText: string | null;
  footnotes: { mark: string; text: string }[];
  requirements: EntryRequirements | null;
}

export type ApplicationStatus = 'draft' | 'received' | 'concluded';

/** What the list of applications and an application's detail both show of it. */
export interface ApplicationHead {
  id: string;
  year: number;
  code: string;
  firstTime: boolean;
  status: ApplicationStatus;
  receivedOn: string | null;
  /** Point 26 1): received + 30 calendar days; null before receipt. */
  assessmentDue: string | null;
  /** Days left to the assessment deadline (negative: overdue); null when not running. */
  daysLeft: number | null;
  updatedAt: string;
}

export interface ApplicationListItem extends ApplicationHead {
  org: { id: string; bin: string; nameKk: string; nameRu: string };
  conclusion: { id: string; state: 'draft' | 'issued'; number: string | null; overall: boolean | null } | null;
}

export interface AssessmentDecision {
  requirementId: string;
  decision: 'met' | 'not_met' | null;
  justification: string;
}

export interface AssessmentView {
  /** Pre-assessment of the stored data on the assessment date. */
  items: (AssessedRequirement & { requirement: Requirement | null; decision: AssessmentDecision | null; final: AssessStatus })[];
  staff: AssessStatus;
  devices: AssessStatus;
  overall: AssessStatus;
  /** Requirements still to decide by hand, overrides without justification. */
  open: { undecided: string[]; unjustified: string[] };
  onDate: string;
}

export interface ConclusionView {
  id: string;
  applicationId: string;
  orgId: string;
  year: number;
  code: string;
  state: 'draft' | 'issued';
  number: string | null;
  issuedOn: string | null;
  validFrom: string | null;
  validTo: string | null;
  staffConform: boolean | null;
  devicesConform: boolean | null;
  overallConform: boolean | null;
  staffJustification: string;
  devicesJustification: string;
  note: string;
  decisions: AssessmentDecision[];
  signer: { name: string; position: string } | null;
  sha256: string | null;
  supersedesId: string | null;
  /** An issued conclusion that reissues this one (point 30). */
  supersededBy: { id: string; number: string | null } | null;
  updatedAt: string;
}

export interface ApplicationDetail extends ApplicationHead {
  org: OrgView;
  data: ApplicationData & { permits: NonNullable<ApplicationData['permits']> };
  plannedVolume: number | null;
  note: string | null;
  locked: boolean;
  requirements: RequirementsView;
  assessment: AssessmentView;
  conclusion: ConclusionView | null;
  /** The filing window for the application's year, and whether the organization is a first-time applicant for the code. */
  window: { from: string; to: string };
  firstTimeAllowed: boolean;
}

export interface ConclusionListItem {
  id: string;
  number: string;
  issuedOn: string;
  year: number;
  code: string;
  org: { id: string; bin: string; nameKk: string; nameRu: string };
  overallConform: boolean;
  validFrom: string;
  validTo: string;
  superseded: boolean;
  sha256: string;
}

export interface UpdateView {
  id: string;
  conclusionId: string;
  conclusionNumber: string | null;
  org: { id: string; bin: string; nameKk: string; nameRu: string };
  code: string;
  kind: UpdateKind;
  /** 29 or 30. */
  point: 29 | 30;
  eventOn: string;
  dueOn: string;
  doneOn: string | null;
  subject: string;
  newCode: string | null;
  note: string | null;
  /** Days left (negative: overdue); null when done. */
  daysLeft: number | null;
  overdue: boolean;
  /** Point 30 done: the new conclusion. */
  newConclusionId: string | null;
  /** Point 29: the pre-assessment of the conclusion's application with this change applied. */
  impact: { requirementId: string; status: AssessStatus }[] | null;
}

export interface AssessFileResult {
  bin: string;
  binValid: boolean;
  year: number;
  code: string;
  on: string;
  /** False when the code has no characteristics (every requirement is then checked by hand). */
  characteristics: boolean;
  requirements: { id: string; part: 'staff' | 'devices'; kind: Requirement['kind']; text: string; status: AssessStatus; reasons: AssessedRequirement['reasons']; why: string; matched: string[] }[];
  staff: AssessStatus;
  devices: AssessStatus;
  overall: AssessStatus;
}

type Args<K extends keyof typeof orgsSchemas> = z.infer<(typeof orgsSchemas)[K]>;

export interface OrgsMethods {
  'orgs.list': { args: Args<'orgs.list'>; result: OrgList };
  'orgs.get': { args: Args<'orgs.get'>; result: OrgView & { applications: ApplicationListItem[]; conclusions: ConclusionListItem[] } };
  'orgs.save': { args: Args<'orgs.save'>; result: OrgView };
  'orgs.delete': { args: Args<'orgs.delete'>; result: { deleted: boolean } };
  'orgs.import': { args: Args<'orgs.import'>; result: ImportResult };
  'orgs.export': { args: Args<'orgs.export'>; result: ExportFile };
  'orgs.eligible': { args: Args<'orgs.eligible'>; result: EligibleList };
  'orgs.forCase': { args: Args<'orgs.forCase'>; result: CaseProvider };
  'orgs.setCaseProvider': { args: Args<'orgs.setCaseProvider'>; result: CaseProvider };
  'orgs.settings': { args: Args<'orgs.settings'>; result: OrgsSettings };
  'orgs.updateSettings': { args: Args<'orgs.updateSettings'>; result: OrgsSettings };
  'conformity.codes': { args: Args<'conformity.codes'>; result: { items: { code: string; characteristics: boolean; name: { kk: string | null; ru: string | null } }[] } };
  'conformity.requirements': { args: Args<'conformity.requirements'>; result: RequirementsView };
  'conformity.saveApplication': { args: Args<'conformity.saveApplication'>; result: ApplicationDetail };
  'conformity.receiveApplication': { args: Args<'conformity.receiveApplication'>; result: ApplicationDetail };
  'conformity.deleteApplication': { args: Args<'conformity.deleteApplication'>; result: { deleted: boolean } };
  'conformity.getApplication': { args: Args<'conformity.getApplication'>; result: ApplicationDetail };
  'conformity.listApplications': { args: Args<'conformity.listApplications'>; result: { items: ApplicationListItem[]; today: string } };
  'conformity.assessFile': { args: Args<'conformity.assessFile'>; result: Omit<AssessFileResult, 'requirements'> & { requirements: Omit<AssessFileResult['requirements'][number], 'why'>[] } };
  'conformity.saveAssessment': { args: Args<'conformity.saveAssessment'>; result: ApplicationDetail };
  'conformity.issue': { args: Args<'conformity.issue'>; result: ApplicationDetail };
  'conformity.listConclusions': { args: Args<'conformity.listConclusions'>; result: { items: ConclusionListItem[] } };
  'conformity.getConclusion': { args: Args<'conformity.getConclusion'>; result: ConclusionView };
  'conformity.renderConclusion': { args: Args<'conformity.renderConclusion'>; result: PdfFile & { number: string } };
  'conformity.renderApplication': { args: Args<'conformity.renderApplication'>; result: PdfFile };
  'conformity.verify': { args: Args<'conformity.verify'>; result: { matches: boolean; known: boolean } };
  'conformity.addUpdate': { args: Args<'conformity.addUpdate'>; result: UpdateView };
  'conformity.completeUpdate': { args: Args<'conformity.completeUpdate'>; result: UpdateView };
  'conformity.reissue': { args: Args<'conformity.reissue'>; result: { update: UpdateView; conclusion: ConclusionView } };
  'conformity.listUpdates': { args: Args<'conformity.listUpdates'>; result: { items: UpdateView[]; today: string } };
}

/** Error codes of the area (errors.<code> in locales/<lang>/orgs.json). */
export const ORGS_ERROR_CODES = [
  'orgs.not_found',
  'orgs.invalid',
  'orgs.duplicate_bin',
  'orgs.in_use',
  'orgs.import_invalid',
  'orgs.import_unreadable',
  'orgs.import_too_large',
  'conformity.application_not_found',
  'conformity.conclusion_not_found',
  'conformity.update_not_found',
  'conformity.duplicate_application',
  'conformity.locked',
  'conformity.not_received',
  'conformity.outside_window',
  'conformity.year_not_open',
  'conformity.not_first_time',
  'conformity.undecided',
  'conformity.unjustified',
  'conformity.justification_missing',
  'conformity.issuer_missing',
  'conformity.signer_missing',
  'conformity.issue_before_receipt',
  'conformity.not_issued',
  'conformity.already_done',
  'conformity.reissue_needs_code',
  'conformity.wrong_update_kind',
  'conformity.superseded',
  'conformity.case_not_found',
] as const;
