/**
 * The cases area's API: the register of patients' packets, their validation, the commission's
 * decisions and protocols, what happens after approval, the refusal journal and the "today" view.
 *
 * STATUS MODEL
 *
 *   case.status:  draft ──register──▶ registered ──issue protocol──▶ approved | refused
 *     - `draft`: being entered (autosave); any content may be stored, with findings.
 *     - `registered`: entered in the register (needs a valid received date-time, names and a valid
 *       IIN: `cases.register`); the review deadline runs from `receivedAt`.
 *     - `approved` / `refused`: the outcome of the latest ISSUED decision. A draft decision does
 *       not change the status. Each issued decision keeps a snapshot of the packet check it was
 *       taken on, and its protocol's statement is stored as issued.
 *
 *   Locking: once a protocol is issued the case's data (patient, packet, files) is read-only
 *   (`cases.locked`) until "Correct the decision" starts a correction (a draft decision with
 *   `correction: true`); issuing the correction (new version, new number, a note saying why)
 *   locks it again, and deleting the correction's draft locks it as it was.
 *
 *   decision.state:  draft ──issue──▶ issued (locked, has a protocol number) ──correction issued──▶ superseded
 *     - `cases.decide` creates (or replaces) the case's draft decision. When the current decision
 *       is issued, a new draft needs `correction: true`; it is a new version (`supersedesId`).
 *     - `cases.issueProtocol` runs the check of `cases.issueCheck` (`cases.not_ready` when a gap
 *       remains), assigns the next protocol number of the
 *       decision's year (a per-year counter that only grows: a number is never reused, a deleted
 *       draft never frees one) and locks the decision. Issuing a correction marks the previous
 *       version `superseded`; it stays in the history with its number.
 *     - only a draft decision can be deleted (`cases.deleteDecision`).
 *
 *   portal.status (approved cases only):
 *       to_export ──▶ exported ──▶ uploaded ──▶ accepted | rejected;  rejected ──▶ to_export
 *     Set to `to_export` automatically when an approval is issued; every change is an event.
 *
 * Dates are 'YYYY-MM-DD'; the received time is a local Kazakhstan date-time as written
 * ('2026-03-20T16:30'). "Today" defaults to the local date in Kazakhstan (UTC+5); methods that
 * depend on it accept `today` so tests and screens can pin it.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';

export const CASE_STATUSES = ['draft', 'registered', 'approved', 'refused'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const DOCUMENT_KINDS = ['identity', 'referral', 'record_extract', 'test_results', 'other'] as const;
export const SIGNATURE_ROLES = ['attending', 'head_of_department', 'deputy_chief'] as const;
export const CASE_CHANNELS = ['paper', 'electronic', 'email'] as const;
export const URGENCIES = ['planned', 'emergency'] as const;
export const SEXES = ['male', 'female'] as const;
export const OUTCOMES = ['approved', 'refused'] as const;
export const REFUSAL_REASONS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;
export const MEMBER_ROLES = ['chair', 'member', 'secretary'] as const;
export const DECISION_STATES = ['draft', 'issued', 'superseded'] as const;
export const PORTAL_STATUSES = ['to_export', 'exported', 'uploaded', 'accepted', 'rejected'] as const;
export const INFORM_CHANNELS = ['voice', 'sms', 'cabinet', 'app'] as const;

export type PortalStatus = (typeof PORTAL_STATUSES)[number];
export type InformChannel = (typeof INFORM_CHANNELS)[number];
export type DecisionState = (typeof DECISION_STATES)[number];

/** Allowed portal status changes (from -> to). */
export const PORTAL_TRANSITIONS: Readonly<Record<PortalStatus, readonly PortalStatus[]>> = {
  to_export: ['exported'],
  exported: ['uploaded', 'to_export'],
  uploaded: ['accepted', 'rejected'],
  accepted: [],
  rejected: ['to_export'],
};

/** Largest file accepted by `cases.attachFile` (bytes of the decoded content). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** Largest page of `cases.list`. */
export const MAX_PAGE = 500;
/** Most cases stored by one `cases.importBatch` (one transaction). */
export const MAX_IMPORT_BATCH = 1000;

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const uuid = z.string().uuid();
const text = (max: number) => z.string().max(max);

// ---------------------------------------------------------------------------------------------
// Inputs. Drafts are deliberately loose: the form autosaves whatever was typed, and the packet
// check reports what is wrong. Only shapes (types, lengths, enums) are enforced here.

export const patientDraftSchema = z
  .object({
    iin: text(32).optional(),
    lastName: text(200).optional(),
    firstName: text(200).optional(),
    middleName: text(200).nullable().optional(),
    birthDate: text(32).nullable().optional(),
    sex: z.enum(SEXES).nullable().optional(),
    phone: text(64).nullable().optional(),
    primaryCareOrg: text(500).nullable().optional(),
    /** OSMS insurance status, when known (decides GOBMP vs OSMS in section 2). */
    insured: z.boolean().nullable().optional(),
  })
  .strict();

export const testItemSchema = z.object({ name: text(500), date: text(32) }).strict();

export const documentDraftSchema = z
  .object({
    /** Existing document (from `cases.get` / `cases.attachFile`); absent = a new document. */
    id: uuid.optional(),
    kind: z.enum(DOCUMENT_KINDS),
    title: text(300).nullable().optional(),
    paper: z.boolean().optional(),
    signatures: z.array(z.enum(SIGNATURE_ROLES)).max(3).optional(),
    seal: z.boolean().optional(),
    clinicalDiagnosis: text(2000).nullable().optional(),
    items: z.array(testItemSchema).max(200).optional(),
  })
  .strict();

/**
 * Case fields for `cases.save` / `cases.validate`. Patch semantics: an absent field is left as
 * stored. `documents`, when present, is the whole list: documents without `id` are created, listed
 * ones updated, stored ones not listed are removed (with their file links). Files are never set
 * here: they are added by `cases.attachFile` and removed by `cases.removeFile`.
 */
export const caseDraftSchema = z
  .object({
    patient: patientDraftSchema.optional(),
    receivedAt: text(40).optional(),
    channel: z.enum(CASE_CHANNELS).nullable().optional(),
    htmpCode: text(40).optional(),
    urgency: z.enum(URGENCIES).nullable().optional(),
    inpatient: z.boolean().optional(),
    diagnosis: z.object({ icd10: text(20).optional(), text: text(2000).optional() }).strict().optional(),
    specialistConclusion: text(5000).nullable().optional(),
    providerOrg: text(500).nullable().optional(),
    notes: text(5000).nullable().optional(),
    documents: z.array(documentDraftSchema).max(100).optional(),
  })
  .strict();

const kkRu = (max: number) => z.object({ kk: text(max), ru: text(max) }).strict();
/**
 * A member present at a decision: the name as signed (one text, or per language when spelled
 * differently), the role, and the position (job title) in both languages when known.
 */
export const memberSchema = z
  .object({ name: z.union([text(200), kkRu(200)]), role: z.enum(MEMBER_ROLES), position: kkRu(300).nullable().optional() })
  .strict();

/** The decision as proposed on the screen or the command line (`cases.decide`, `cases.issueCheck`). */
const decisionArgs = z
  .object({
    caseId: uuid,
    outcome: z.enum(OUTCOMES),
    reason: z.enum(REFUSAL_REASONS).nullable().optional(),
    /** The members present; absent = the standing members of the commission (Settings). */
    members: z.array(memberSchema).max(50).optional(),
    date: isoDate,
    /** For a correction: why the issued decision is corrected (required to issue it). */
    note: text(2000).nullable().optional(),
    /** Required when the current decision is issued: starts a new version that supersedes it. */
    correction: z.boolean().optional(),
  })
  .strict();

/**
 * The case file of `htmp packet validate` and `htmp case import` (a JSON document a primary care
 * organization or a script prepares): shapes only, loose (more fields allowed); what is wrong in
 * the content is reported as findings, not refused. `documents[].files` are references to files
 * beside the case file, resolved by the host that read it (never by the core).
 */
const fileText = z.string().max(5000);
export const caseFileSchema = z
  .object({
    receivedAt: fileText,
    patient: z
      .object({
        iin: fileText,
        lastName: fileText,
        firstName: fileText,
        middleName: fileText.optional(),
        birthDate: fileText.optional(),
        sex: z.enum(SEXES).optional(),
        phone: fileText.optional(),
        primaryCareOrg: fileText.optional(),
        insured: z.boolean().optional(),
      })
      .passthrough(),
    htmpCode: fileText,
    urgency: z.enum(URGENCIES),
    inpatient: z.boolean().default(false),
    channel: z.enum(CASE_CHANNELS).optional(),
    diagnosis: z.object({ icd10: fileText, text: fileText.default('') }).passthrough(),
    documents: z
      .array(
        z
          .object({
            kind: z.enum(DOCUMENT_KINDS),
            paper: z.boolean().default(false),
            files: z.array(z.string().min(1).max(1000)).max(100).default([]),
            signatures: z.array(z.enum(SIGNATURE_ROLES)).max(10).default([]),
            seal: z.boolean().default(false),
            clinicalDiagnosis: fileText.optional(),
            items: z.array(z.object({ name: fileText, date: fileText }).passthrough()).max(200).default([]),
          })
          .passthrough(),
      )
      .max(100),
    specialistConclusion: fileText.optional(),
    providerOrg: fileText.optional(),
    notes: fileText.optional(),
  })
  .passthrough();
export type CaseFile = z.infer<typeof caseFileSchema>;

const importArgs = z
  .object({
    case: caseFileSchema,
    files: z.array(z.object({ ref: z.string().min(1).max(1000), contentBase64: z.string().max(Math.ceil(MAX_FILE_BYTES / 3) * 4 + 1024) }).strict()).max(10_000),
  })
  .strict();

const listArgs = z
  .object({
    status: z.union([z.enum(CASE_STATUSES), z.array(z.enum(CASE_STATUSES)).max(4)]).optional(),
    /** Undecided (draft/registered) cases due on `today`. */
    dueToday: z.boolean().optional(),
    /** Undecided cases whose due date is before `today`. */
    overdue: z.boolean().optional(),
    /** HTMP code: exact, or a prefix when it ends with '*' ("35.*"). */
    code: text(40).optional(),
    /** Received date range, inclusive (date part of receivedAt). */
    receivedFrom: isoDate.optional(),
    receivedTo: isoDate.optional(),
    /** Case-insensitive text in the patient's last/first/middle name, or a prefix of the IIN. */
    query: text(200).optional(),
    today: isoDate.optional(),
    /** Sort: by due date (default; undated last, then received time), or newest received first. */
    sort: z.enum(['due', 'received_desc']).optional(),
    /** Cases whose decision's protocol was issued on this date (local date): Today's "decided today". */
    issuedOn: isoDate.optional(),
    /**
     * Key paging: the `next` of the previous page (an opaque cursor). The page continues after the
     * last row shown, whatever was added or removed before it: no row is skipped or shown twice.
     */
    after: z.string().max(1000).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE).optional(),
    /** Count every matching case into `total` (default true; a reader of every page says false). */
    withTotal: z.boolean().optional(),
  })
  .strict();

export const casesSchemas = lazySchemas(['cases'], () => ({
  'cases.list': listArgs,
  'cases.get': z.object({ id: uuid }).strict(),
  /** Create (no id) or update a case; never refuses content, returns findings with the case. */
  'cases.save': caseDraftSchema
    .extend({
      id: uuid.optional(),
      /** Optimistic check for concurrent edits: the `updatedAt` the form started from. */
      expectedUpdatedAt: z.string().max(40).optional(),
    })
    .strict(),
  /** The packet check of the stored case with the patch applied, without saving anything. */
  'cases.validate': caseDraftSchema.extend({ id: uuid.optional() }).strict(),
  /**
   * The packet check of a case file (nothing stored). `presentFiles` lists the file references of
   * the case file that the host found beside it; the others are reported missing.
   */
  'cases.checkFile': z.object({ case: caseFileSchema, presentFiles: z.array(z.string().min(1).max(1000)).max(10_000) }).strict(),
  /**
   * Stores a case file as a case (registered when its minimum is there), with the content of the
   * files it references, read by the host: one transaction, nothing stored on any error.
   */
  'cases.import': importArgs,
  /**
   * Stores up to MAX_IMPORT_BATCH case files as `cases.import` does each, in ONE transaction: all
   * or nothing. A refused case fails the batch with `cases.batch_case_failed` {index (0-based),
   * position (1-based), causeCode, and the cause's own params}.
   */
  'cases.importBatch': z.object({ cases: z.array(importArgs).min(1).max(MAX_IMPORT_BATCH) }).strict(),
  /** draft -> registered; fails with `cases.register_incomplete` {fields} when the minimum is missing. */
  'cases.register': z.object({ id: uuid }).strict(),
  /** Deletes a case that has no issued decision (drafts entered by mistake). */
  'cases.delete': z.object({ id: uuid }).strict(),
  /** Adds a file to a document (created with `kind` when `documentId` is absent). */
  'cases.attachFile': z
    .object({
      caseId: uuid,
      documentId: uuid.optional(),
      kind: z.enum(DOCUMENT_KINDS).optional(),
      name: text(255).min(1),
      mime: text(127).min(1),
      contentBase64: z.string().max(Math.ceil(MAX_FILE_BYTES / 3) * 4 + 1024),
    })
    .strict(),
  /** Unlinks a file from its document (the content stays in the store: other links may use it). */
  'cases.removeFile': z.object({ caseId: uuid, fileId: uuid }).strict(),
  /** A linked file's content, for preview. */
  'cases.fileContent': z.object({ fileId: uuid }).strict(),
  /**
   * Creates or replaces the case's draft decision (checked against the legal grounds). With
   * `issue: true` it also issues the protocol, in one transaction: when anything the protocol
   * needs is missing (`cases.not_ready`), nothing is stored, not even the draft.
   */
  'cases.decide': decisionArgs.extend({ issue: z.boolean().optional() }).strict(),
  /**
   * Everything a protocol of this decision needs, checked without storing anything: the gaps to
   * fill (named for the user), and the number the protocol would get. "Issue protocol" is
   * offered only when it is ready; issuing runs the same check.
   */
  'cases.issueCheck': decisionArgs,
  'cases.deleteDecision': z.object({ decisionId: uuid }).strict(),
  /** Re-checks the rules, assigns the next protocol number of the decision's year, locks it. */
  'cases.issueProtocol': z.object({ decisionId: uuid }).strict(),
  'cases.portalStatus': z.object({ caseId: uuid, status: z.enum(PORTAL_STATUSES), note: text(2000).nullable().optional(), at: z.string().max(40).optional() }).strict(),
  /**
   * Point 38: the hospitalization date the providing organization set, and the day it set it
   * (`setOn`: it starts point 39's one working day; when not given the stored day is kept, else it
   * stays unknown). Dates that cannot be true are refused (`aftercare.date_*`).
   */
  'cases.hospitalization': z.object({ caseId: uuid, date: isoDate.nullable(), setOn: isoDate.nullable().optional() }).strict(),
  'cases.patientInformed': z.object({ caseId: uuid, channel: z.enum(INFORM_CHANNELS), date: isoDate }).strict(),
  /** Follow-up after care (ДСМ-238 points 41-42); patch semantics. */
  'cases.followUp': z
    .object({
      caseId: uuid,
      operationDate: isoDate.nullable().optional(),
      dischargeDate: isoDate.nullable().optional(),
      complications: z.boolean().nullable().optional(),
      complicationsNote: text(2000).nullable().optional(),
      disability: z.boolean().nullable().optional(),
      death: z.boolean().nullable().optional(),
      deathDate: isoDate.nullable().optional(),
      survivalOneYear: z.boolean().nullable().optional(),
      notes: text(5000).nullable().optional(),
    })
    .strict(),
  /** Issued, not superseded refusals whose decision date is in the period (inclusive). */
  /**
   * The issued refusals of a period in the journal's order (decision date, protocol number), a
   * page at a time: `after` is the previous page's `next` (key paging: no refusal lost or shown
   * twice while others are issued). The PDF of a period (`protocols.refusalJournalPdf`) is whole.
   */
  'cases.refusalJournal': z
    .object({
      from: isoDate.optional(),
      to: isoDate.optional(),
      after: z.string().max(1000).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE).optional(),
      /** Count every refusal of the period into `total` (default true; a reader of every page says false). */
      withTotal: z.boolean().optional(),
    })
    .strict(),
  /** `limit`: the first cases of each list (default 50); the rest through `cases.list` from `next`. */
  'cases.today': z.object({ today: isoDate.optional(), limit: z.number().int().min(1).max(MAX_PAGE).optional() }).strict(),
}));

// ---------------------------------------------------------------------------------------------
// Results: shared/contract/cases-views.ts.

export * from './cases-views';
import type { AttachResult, CaseDetail, CaseList, DecideResult, FileContent, IssueCheckResult, RefusalJournalPage, SaveResult, TodayView, ValidateResult } from './cases-views';

type Args<K extends keyof typeof casesSchemas> = z.infer<(typeof casesSchemas)[K]>;

export interface CasesMethods {
  'cases.list': { args: Args<'cases.list'>; result: CaseList };
  'cases.get': { args: Args<'cases.get'>; result: CaseDetail };
  'cases.save': { args: Args<'cases.save'>; result: SaveResult };
  'cases.validate': { args: Args<'cases.validate'>; result: ValidateResult };
  'cases.checkFile': { args: Args<'cases.checkFile'>; result: ValidateResult };
  'cases.import': { args: Args<'cases.import'>; result: { id: string; status: CaseStatus } };
  'cases.importBatch': { args: Args<'cases.importBatch'>; result: { cases: { id: string; status: CaseStatus }[] } };
  'cases.register': { args: Args<'cases.register'>; result: CaseDetail };
  'cases.delete': { args: Args<'cases.delete'>; result: { deleted: boolean } };
  'cases.attachFile': { args: Args<'cases.attachFile'>; result: AttachResult };
  'cases.removeFile': { args: Args<'cases.removeFile'>; result: CaseDetail };
  'cases.fileContent': { args: Args<'cases.fileContent'>; result: FileContent };
  'cases.decide': { args: Args<'cases.decide'>; result: DecideResult };
  'cases.issueCheck': { args: Args<'cases.issueCheck'>; result: IssueCheckResult };
  'cases.deleteDecision': { args: Args<'cases.deleteDecision'>; result: CaseDetail };
  'cases.issueProtocol': { args: Args<'cases.issueProtocol'>; result: DecideResult };
  'cases.portalStatus': { args: Args<'cases.portalStatus'>; result: CaseDetail };
  'cases.hospitalization': { args: Args<'cases.hospitalization'>; result: CaseDetail };
  'cases.patientInformed': { args: Args<'cases.patientInformed'>; result: CaseDetail };
  'cases.followUp': { args: Args<'cases.followUp'>; result: CaseDetail };
  'cases.refusalJournal': { args: Args<'cases.refusalJournal'>; result: RefusalJournalPage };
  'cases.today': { args: Args<'cases.today'>; result: TodayView };
}

/**
 * Error codes the cases methods throw (AppFailure), translated under `errors.<code>` in
 * locales/<lang>/cases.json; decision rule errors (`decision.*`) are in rules.json.
 */
export const CASES_ERROR_CODES = [
  'cases.not_found',
  'cases.document_not_found',
  'cases.file_not_found',
  'cases.file_too_large',
  'cases.file_content_invalid',
  'cases.conflict',
  'cases.register_incomplete',
  'cases.not_registered',
  'cases.has_issued_decision',
  'cases.decision_not_found',
  'cases.decision_locked',
  'cases.locked',
  'cases.not_ready',
  'cases.correction_needs_issued',
  'cases.not_approved',
  'cases.portal_transition',
  'cases.calendar_unavailable',
  'cases.catalogue_unavailable',
  'cases.batch_case_failed',
] as const;
export type CasesErrorCode = (typeof CASES_ERROR_CODES)[number];
