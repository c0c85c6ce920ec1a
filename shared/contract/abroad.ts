/**
 * The treatment-abroad area's API: requests to send a patient abroad at the budget's expense
 * (order No. 544; seed 004), their eligibility, the route each follows from the request to the
 * contract with its working-day deadlines, the documents of each step (attached files and the
 * letters the app prints), and the yearly summary.
 *
 * MODEL
 *   A request records the patient, the disease group, the category and that category's
 *   confirmations; `abroad.create` refuses one that does not qualify, naming the reason
 *   (`abroad.ineligible_<reason>`). It keeps a snapshot of the route in force on `startedOn`
 *   (routes are data: assets/abroad/routes.json, or a local document set by
 *   `abroad.routesReplace`), so a later route version never changes a running request.
 *   Steps are completed in order (`abroad.advance`); each step's due date is computed on the
 *   working-day calendar from the day the previous step was completed (shared/domain/abroad.ts).
 *   The request is `contracted` when its last step is completed.
 *
 *   Letters (the petition of the step whose `letter` is `petition`, the cover letters of the steps
 *   whose `letter` is `cover_letter`) are stored as issued on their first rendering (statement +
 *   SHA-256, like protocols), so a re-print gives the same text and verification code.
 *
 * Dates are 'YYYY-MM-DD'. "Today" is the Kazakhstan date unless `today` pins it (tests, screens).
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { AbroadCategory, AbroadText, ConfirmationId, DiseaseGroup, EligibilityResult, RoutesDocument, RouteSnapshot, StepSchedule, TransplantKind } from '../domain/abroad';
import { CONFIRMATION_IDS, TRANSPLANT_KINDS } from '../domain/abroad';
import type { PdfFile } from './protocols';

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const uuid = z.string().uuid();
const text = (max: number) => z.string().max(max);

/** Largest file accepted by `abroad.attachFile` (bytes of the decoded content), as for case files. */
export const ABROAD_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const ABROAD_LETTER_KINDS = ['petition', 'cover_letter'] as const;
export type AbroadLetterKind = (typeof ABROAD_LETTER_KINDS)[number];
export const ABROAD_DOC_LANGS = ['kk', 'ru'] as const;

const confirmationsSchema = z.partialRecord(z.enum(CONFIRMATION_IDS), z.boolean().nullable());

export const abroadPatientSchema = z
  .object({
    iin: text(32),
    lastName: text(200).min(1),
    firstName: text(200).min(1),
    middleName: text(200).nullable().optional(),
    /** Taken from the IIN when absent; must agree with it when given. */
    birthDate: isoDate.nullable().optional(),
    sex: z.enum(['male', 'female']).nullable().optional(),
  })
  .strict();

/**
 * A new request. `category` and `diseaseGroup` are plain strings on purpose: a value outside the
 * text's lists is a refusal with its reason (`abroad.ineligible_group` / `_category`), not a
 * malformed argument.
 */
export const abroadCreateSchema = z
  .object({
    patient: abroadPatientSchema,
    category: text(60).min(1),
    diseaseGroup: text(60).min(1),
    startedOn: isoDate,
    transplantKind: z.enum(TRANSPLANT_KINDS).nullable().optional(),
    confirmations: confirmationsSchema.optional(),
    /** The instruction (поручение) of the President or the Prime Minister: its reference. */
    instructionRef: text(300).nullable().optional(),
    diagnosis: z.object({ icd10: text(20).optional(), text: text(2000).optional() }).strict().optional(),
    notes: text(5000).nullable().optional(),
  })
  .strict();

export const abroadSchemas = lazySchemas(['abroad'], () => ({
  /** The routes (effective document), where they come from and the one in force today. */
  'abroad.reference': z.object({ today: isoDate.optional() }).strict(),
  /** Replaces the routes with a document (e.g. from a file); validated first; running requests keep theirs. */
  'abroad.routesReplace': z.object({ routes: z.unknown() }).strict(),
  /** Drops the local routes document: the shipped one is used again. */
  'abroad.routesReset': z.object({}).strict(),
  'abroad.create': abroadCreateSchema,
  /** Patch: confirmations (merged), transplant kind, instruction, diagnosis, notes, names. A change that makes the request not qualify is refused. */
  'abroad.update': z
    .object({
      id: uuid,
      confirmations: confirmationsSchema.optional(),
      transplantKind: z.enum(TRANSPLANT_KINDS).nullable().optional(),
      instructionRef: text(300).nullable().optional(),
      diagnosis: z.object({ icd10: text(20).optional(), text: text(2000).optional() }).strict().optional(),
      notes: text(5000).nullable().optional(),
      lastName: text(200).min(1).optional(),
      firstName: text(200).min(1).optional(),
      middleName: text(200).nullable().optional(),
    })
    .strict(),
  'abroad.get': z.object({ id: uuid, today: isoDate.optional() }).strict(),
  /** Requests, most recent start first; `late`: only those whose current step is past its due date. */
  'abroad.list': z
    .object({
      late: z.boolean().optional(),
      status: z.enum(['open', 'contracted', 'all']).optional(),
      year: z.number().int().min(2000).max(2100).optional(),
      today: isoDate.optional(),
    })
    .strict(),
  /** Completes step `step` (it must be the current one) on `date`; a clinic is recorded on the steps that choose it or contract it. */
  'abroad.advance': z
    .object({ id: uuid, step: z.number().int().min(1).max(50), date: isoDate, note: text(2000).nullable().optional(), clinic: text(300).nullable().optional(), today: isoDate.optional() })
    .strict(),
  /** Undoes the completion of the last completed step (a mistake); not once a letter of a later step is issued. */
  'abroad.reopenStep': z.object({ id: uuid, step: z.number().int().min(1).max(50) }).strict(),
  /** Deletes a request entered by mistake: only while no letter is issued. */
  'abroad.delete': z.object({ id: uuid }).strict(),
  /** Attaches a file to a document of a step (stored like case files: content-addressed store). */
  'abroad.attachFile': z
    .object({
      requestId: uuid,
      step: z.number().int().min(1).max(50),
      /** A document id of the step (routes), or `other`. */
      document: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
      name: text(255).min(1),
      mime: text(127).min(1),
      contentBase64: z.string().max(Math.ceil(ABROAD_MAX_FILE_BYTES / 3) * 4 + 1024),
    })
    .strict(),
  'abroad.removeFile': z.object({ requestId: uuid, fileId: uuid }).strict(),
  'abroad.fileContent': z.object({ fileId: uuid }).strict(),
  /** A letter of the request as PDF; stored as issued on its first rendering. */
  'abroad.renderDocument': z
    .object({ id: uuid, doc: z.enum(ABROAD_LETTER_KINDS), step: z.number().int().min(1).max(50).optional(), lang: z.enum(ABROAD_DOC_LANGS) })
    .strict(),
  /** Does a printed letter (number + SHA-256 from its QR code or footer) match a stored one? */
  'abroad.verifyDocument': z.object({ number: z.string().min(1).max(60), sha256: z.string().min(1).max(128) }).strict(),
  /** The yearly summary (requests started in the year). */
  'abroad.summary': z.object({ year: z.number().int().min(2000).max(2100), today: isoDate.optional() }).strict(),
  'abroad.summaryPdf': z.object({ year: z.number().int().min(2000).max(2100), lang: z.enum(ABROAD_DOC_LANGS), today: isoDate.optional() }).strict(),
  'abroad.summaryXlsx': z.object({ year: z.number().int().min(2000).max(2100), lang: z.enum(ABROAD_DOC_LANGS), today: isoDate.optional() }).strict(),
}));

// ---------------------------------------------------------------------------------------------
// Results

export interface AbroadReference {
  routes: RoutesDocument;
  source: 'shipped' | 'local';
  /** The route a request started today would follow. */
  inForce: { id: string; version: number; totalWorkingDays: number } | null;
  today: string;
}

export interface AbroadFileRef {
  id: string;
  step: number;
  document: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  addedAt: string;
}

export interface AbroadIssuedLetter {
  kind: AbroadLetterKind;
  step: number;
  number: string;
  sha256: string;
  issuedAt: string;
}

export interface AbroadStepView extends StepSchedule {
  /** Who holds the step (its actor) and to whom it goes. */
  holder: AbroadText;
  recipient: AbroadText | null;
  action: AbroadText;
  documents: { id: string; name: AbroadText }[];
  letter: AbroadLetterKind | null;
  records: 'clinic' | 'contract' | null;
  note: string | null;
  routeNote: AbroadText | null;
  files: AbroadFileRef[];
  issued: AbroadIssuedLetter | null;
}

export interface AbroadRequestDetail {
  id: string;
  number: string;
  createdAt: string;
  updatedAt: string;
  patient: { iin: string; lastName: string; firstName: string; middleName: string | null; birthDate: string; sex: 'male' | 'female' | null };
  category: AbroadCategory;
  diseaseGroup: DiseaseGroup;
  transplantKind: TransplantKind | null;
  confirmations: Partial<Record<ConfirmationId, boolean | null>>;
  instructionRef: string | null;
  diagnosis: { icd10: string; text: string };
  notes: string | null;
  startedOn: string;
  eligibility: EligibilityResult;
  route: RouteSnapshot;
  status: 'open' | 'contracted';
  steps: AbroadStepView[];
  currentStep: number | null;
  routeDue: string;
  elapsedDays: number;
  lateSteps: number;
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
  clinic: string | null;
  contractDate: string | null;
  today: string;
}

export interface AbroadListItem {
  id: string;
  number: string;
  patientName: string;
  iin: string;
  category: AbroadCategory;
  diseaseGroup: DiseaseGroup;
  startedOn: string;
  route: { id: string; version: number; totalWorkingDays: number; title: AbroadText };
  status: 'open' | 'contracted';
  currentStep: number | null;
  stepCount: number;
  holder: AbroadText | null;
  due: string | null;
  late: boolean;
  lateDays: number;
  lateSteps: number;
  routeDue: string;
  elapsedDays: number;
  pending: string[];
  calendarConfirmed: boolean;
  clinic: string | null;
}

export interface AbroadSummary {
  year: number;
  today: string;
  total: number;
  contracted: number;
  /** Requests by disease group and category (every group and category listed, zeros included). */
  byGroup: { group: DiseaseGroup; child: number; service_injury: number; total: number }[];
  /** Per route version and step: norm, completed count, mean and max working days used, late count. */
  steps: { routeId: string; routeVersion: number; n: number; actor: AbroadText; norm: number; completed: number; meanDays: number | null; maxDays: number | null; late: number }[];
  /** Every late step (done late, or current and past due on `today`). */
  late: { requestId: string; number: string; patientName: string; n: number; actor: AbroadText; due: string; completedOn: string | null; lateDays: number }[];
  /** Whole route: requests contracted within the norm, and mean working days to the contract. */
  route: { withinNorm: number; overNorm: number; meanDaysToContract: number | null };
}

export interface AbroadXlsxFile {
  xlsxBase64: string;
  fileName: string;
  bytes: number;
}

type Args<K extends keyof typeof abroadSchemas> = z.infer<(typeof abroadSchemas)[K]>;

export interface AbroadMethods {
  'abroad.reference': { args: Args<'abroad.reference'>; result: AbroadReference };
  'abroad.routesReplace': { args: Args<'abroad.routesReplace'>; result: AbroadReference };
  'abroad.routesReset': { args: Args<'abroad.routesReset'>; result: AbroadReference };
  'abroad.create': { args: Args<'abroad.create'>; result: AbroadRequestDetail };
  'abroad.update': { args: Args<'abroad.update'>; result: AbroadRequestDetail };
  'abroad.get': { args: Args<'abroad.get'>; result: AbroadRequestDetail };
  'abroad.list': { args: Args<'abroad.list'>; result: { items: AbroadListItem[]; today: string } };
  'abroad.advance': { args: Args<'abroad.advance'>; result: AbroadRequestDetail };
  'abroad.reopenStep': { args: Args<'abroad.reopenStep'>; result: AbroadRequestDetail };
  'abroad.delete': { args: Args<'abroad.delete'>; result: { deleted: boolean } };
  'abroad.attachFile': { args: Args<'abroad.attachFile'>; result: { file: AbroadFileRef; deduplicated: boolean; detail: AbroadRequestDetail } };
  'abroad.removeFile': { args: Args<'abroad.removeFile'>; result: AbroadRequestDetail };
  'abroad.fileContent': { args: Args<'abroad.fileContent'>; result: { file: AbroadFileRef; contentBase64: string } };
  'abroad.renderDocument': { args: Args<'abroad.renderDocument'>; result: PdfFile & { number: string; issued: AbroadIssuedLetter; created: boolean } };
  'abroad.verifyDocument': { args: Args<'abroad.verifyDocument'>; result: { matches: boolean; known: boolean } };
  'abroad.summary': { args: Args<'abroad.summary'>; result: AbroadSummary };
  'abroad.summaryPdf': { args: Args<'abroad.summaryPdf'>; result: PdfFile };
  'abroad.summaryXlsx': { args: Args<'abroad.summaryXlsx'>; result: AbroadXlsxFile };
}

/** Error codes of the area, translated under `errors.<code>` in locales/<lang>/abroad.json. */
export const ABROAD_ERROR_CODES = [
  'abroad.ineligible_group',
  'abroad.ineligible_category',
  'abroad.ineligible_age',
  'abroad.ineligible_birth_date',
  'abroad.ineligible_transplant',
  'abroad.ineligible_confirmation',
  'abroad.invalid_iin',
  'abroad.iin_mismatch',
  'abroad.not_found',
  'abroad.no_route',
  'abroad.routes_invalid',
  'abroad.routes_unavailable',
  'abroad.step_not_current',
  'abroad.step_not_last_done',
  'abroad.route_done',
  'abroad.date_before_start',
  'abroad.date_in_future',
  'abroad.invalid_date',
  'abroad.confirmations_pending',
  'abroad.clinic_required',
  'abroad.unknown_document',
  'abroad.file_not_found',
  'abroad.file_too_large',
  'abroad.file_content_invalid',
  'abroad.no_letter',
  'abroad.step_not_reached',
  'abroad.authority_missing',
  'abroad.statement_corrupt',
  'abroad.letter_issued',
  'abroad.missing_option',
  'abroad.bad_format',
] as const;
export type AbroadErrorCode = (typeof ABROAD_ERROR_CODES)[number];
