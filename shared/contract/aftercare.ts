/**
 * The aftercare area's API: what follows a decision (ДСМ-238 points 36-42). The steps of an approved
 * case with their due dates on the working-day calendar and a timeline of who did what and when;
 * every overdue step of every case; the discharge summary with its follow-up plan and scans; the
 * journal entries of inpatients' refusals (point 40); what the Today screen needs from all of it.
 *
 * The facts themselves are written by the cases area's methods (`cases.portalStatus`,
 * `cases.hospitalization`, `cases.patientInformed`, `cases.followUp`) and by the methods here.
 * Rules and steps: shared/domain/aftercare.ts. Dates are 'YYYY-MM-DD' in Kazakhstan time.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { AfterStep, DeadlineStepId } from '../domain/aftercare';
import type { CaseStatus, InformChannel, PortalStatus } from './cases';

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const uuid = z.string().uuid();
const text = (max: number) => z.string().max(max);

/** Largest file accepted for a discharge summary (bytes of the decoded content), as for the packet. */
export const MAX_AFTERCARE_FILE_BYTES = 25 * 1024 * 1024;
/** Largest page of `aftercare.overdue`. */
export const MAX_OVERDUE_PAGE = 1000;
/** The Today screen reminds of one-year follow-ups falling due within this many days. */
export const FOLLOW_UP_REMINDER_DAYS = 30;

/** Overdue step kinds: the commission's review (point 35) and the steps after approval. */
export const OVERDUE_STEPS = ['review', 'hospitalization_date', 'inform', 'follow_up'] as const;
export type OverdueStepId = (typeof OVERDUE_STEPS)[number];

export const aftercareSchemas = lazySchemas(['aftercare'], () => ({
  /** The steps of a case with their due dates, and every recorded event with who and when. */
  'aftercare.timeline': z.object({ caseId: uuid, today: isoDate.optional() }).strict(),
  /**
   * Every step past its due date on `today`, oldest due first: undecided cases past the review
   * deadline and approved cases past a step's deadline. Paged; `step` narrows to one kind.
   */
  'aftercare.overdue': z
    .object({
      today: isoDate.optional(),
      step: z.enum(OVERDUE_STEPS).optional(),
      /**
       * Key paging: the `next` of the previous page (an opaque cursor). The page continues after
       * that row's (due date, step, case), so rows added or removed meanwhile never make a row
       * shown twice or skipped. `offset` is the older way (kept for callers that count rows).
       */
      after: z.string().max(1000).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(MAX_OVERDUE_PAGE).optional(),
    })
    .strict(),
  /** What the Today screen shows from this area. */
  'aftercare.today': z.object({ today: isoDate.optional() }).strict(),
  /** Point 41: the discharge summary's receipt day, recommendations and follow-up plan (patch). */
  'aftercare.dischargeSummary': z
    .object({
      caseId: uuid,
      receivedOn: isoDate.nullable().optional(),
      recommendations: text(5000).nullable().optional(),
      followUpPlan: text(5000).nullable().optional(),
    })
    .strict(),
  /** Adds a scan to the discharge summary. */
  'aftercare.attachFile': z
    .object({
      caseId: uuid,
      name: text(255).min(1),
      mime: text(127).min(1),
      contentBase64: z.string().max(Math.ceil(MAX_AFTERCARE_FILE_BYTES / 3) * 4 + 1024),
    })
    .strict(),
  'aftercare.removeFile': z.object({ caseId: uuid, fileId: uuid }).strict(),
  'aftercare.fileContent': z.object({ fileId: uuid }).strict(),
  /**
   * Issued refusals of inpatients (point 40), each with its journal entry if made; decision date
   * in the period (inclusive); `pending` keeps those not yet entered.
   */
  'aftercare.inpatientRefusals': z.object({ from: isoDate.optional(), to: isoDate.optional(), pending: z.boolean().optional() }).strict(),
  /** Records (or clears, with `enteredOn: null`) the journal entry of an inpatient's refusal. */
  'aftercare.journalEntry': z
    .object({
      caseId: uuid,
      enteredOn: isoDate.nullable(),
      entryNumber: text(60).nullable().optional(),
      note: text(2000).nullable().optional(),
    })
    .strict(),
}));

export interface PatientRef {
  iin: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
}

/** Who recorded a fact in the app: this laptop or another one of the commission (by sync). */
export interface RecordedBy {
  at: string;
  installationId: string;
  thisInstallation: boolean;
  /** The other laptop's name, when it is a known sync peer. */
  peerName: string | null;
  /** The user who recorded it, once the app has users (issue 10); null until then. */
  user: string | null;
}

export const TIMELINE_KINDS = [
  'received',
  'registered',
  'decision',
  'portal',
  'hospitalization_set',
  'informed',
  'operation',
  'discharge',
  'discharge_summary',
  'complications',
  'disability',
  'survival',
  'death',
  'journal_entry',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  kind: TimelineKind;
  /** When it happened: a date, or a local date-time as written. */
  at: string;
  /** The organization (or the commission) that did it, by law; `name` as recorded in the case. */
  actor: { role: 'primary_care' | 'commission' | 'provider'; name: string | null };
  /** Details in plain values (status, date, channel, protocol label, yes/no...). */
  detail: Record<string, string | number | boolean | null>;
  /** When and where it was entered in the app (from the change log), null when unknown. */
  recorded: RecordedBy | null;
}

export interface AftercareFileRef {
  id: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  addedAt: string;
}

export interface DischargeSummaryView {
  receivedOn: string | null;
  recommendations: string | null;
  followUpPlan: string | null;
  files: AftercareFileRef[];
  updatedAt: string;
}

export interface JournalEntryView {
  decisionId: string;
  enteredOn: string | null;
  entryNumber: string | null;
  note: string | null;
  updatedAt: string;
}

export interface TimelineView {
  caseId: string;
  today: string;
  status: CaseStatus;
  /** The steps after approval (empty unless the case is approved). */
  steps: AfterStep[];
  /** Everything recorded, oldest first. */
  events: TimelineEvent[];
  discharge: DischargeSummaryView | null;
  /** Point 40: an issued refusal of an inpatient must be entered in the journal. */
  journalRequired: boolean;
  journal: JournalEntryView | null;
}

export interface OverdueItem {
  caseId: string;
  step: OverdueStepId;
  point: number;
  /** When the clock started (date or local date-time). */
  start: string;
  due: string;
  /** Calendar days past the due date on `today`. */
  daysOverdue: number;
  calendarConfirmed: boolean;
  status: CaseStatus;
  patient: PatientRef;
  htmpCode: string;
  providerOrg: string | null;
  primaryCareOrg: string | null;
  portalStatus: PortalStatus | null;
}

export interface OverdueList {
  today: string;
  items: OverdueItem[];
  total: number;
  offset: number;
  limit: number;
  /** The cursor of the next page (`after`), null on the last page. */
  next: string | null;
  /** Overdue steps per kind (all pages). */
  byStep: Record<OverdueStepId, number>;
}

export interface FollowUpReminder {
  caseId: string;
  patient: PatientRef;
  htmpCode: string;
  operationDate: string;
  due: string;
  /** Calendar days until the due date (negative: past it). */
  daysLeft: number;
  primaryCareOrg: string | null;
}

export interface InpatientRefusalItem {
  caseId: string;
  decisionId: string;
  protocol: string;
  date: string;
  patient: PatientRef;
  htmpCode: string;
  reason: 'no_indications' | 'incomplete_packet' | 'not_authentic';
  providerOrg: string | null;
  entry: JournalEntryView | null;
}

export interface AftercareToday {
  today: string;
  /** Overdue steps after approval (points 38, 39, 42), oldest due first. */
  overdue: OverdueItem[];
  /** One-year follow-ups falling due within FOLLOW_UP_REMINDER_DAYS days, or past due. */
  followUpsDue: FollowUpReminder[];
  /** Inpatients' refusals not yet entered in the journal of point 40. */
  journalPending: InpatientRefusalItem[];
}

type Args<K extends keyof typeof aftercareSchemas> = z.infer<(typeof aftercareSchemas)[K]>;

export interface AftercareMethods {
  'aftercare.timeline': { args: Args<'aftercare.timeline'>; result: TimelineView };
  'aftercare.overdue': { args: Args<'aftercare.overdue'>; result: OverdueList };
  'aftercare.today': { args: Args<'aftercare.today'>; result: AftercareToday };
  'aftercare.dischargeSummary': { args: Args<'aftercare.dischargeSummary'>; result: TimelineView };
  'aftercare.attachFile': { args: Args<'aftercare.attachFile'>; result: { file: AftercareFileRef; timeline: TimelineView } };
  'aftercare.removeFile': { args: Args<'aftercare.removeFile'>; result: TimelineView };
  'aftercare.fileContent': { args: Args<'aftercare.fileContent'>; result: { file: AftercareFileRef; contentBase64: string } };
  'aftercare.inpatientRefusals': { args: Args<'aftercare.inpatientRefusals'>; result: { items: InpatientRefusalItem[] } };
  'aftercare.journalEntry': { args: Args<'aftercare.journalEntry'>; result: TimelineView };
}

/** Error codes of the aftercare area, translated under `errors.<code>` in locales/<lang>/aftercare.json. */
export const AFTERCARE_ERROR_CODES = [
  'aftercare.date_in_future',
  'aftercare.date_before_decision',
  'aftercare.date_order',
  'aftercare.not_inpatient_refusal',
  'aftercare.file_not_found',
  'aftercare.file_too_large',
  'aftercare.file_content_invalid',
  'aftercare.bad_period',
  'aftercare.bad_step',
] as const;

export type { AfterStep, DeadlineStepId, InformChannel };
