/**
 * What the cases area's methods answer (shared/contract/cases.ts holds their arguments and the
 * method list): a case's detail, list rows and pages, Today, the journal of refusals. Pure
 * TypeScript types and the few constants the hosts share.
 */
import type { CatalogueLookup as PacketCatalogueLookup, Finding } from '../domain/packet';
import type { FundingResult } from '../domain/funding';
import type { IinCheck } from '../domain/iin';
import type { IssueGap } from '../domain/issue';
import type {
  CASE_CHANNELS,
  CaseStatus,
  DecisionState,
  DOCUMENT_KINDS,
  InformChannel,
  MEMBER_ROLES,
  OUTCOMES,
  PortalStatus,
  REFUSAL_REASONS,
  SIGNATURE_ROLES,
  URGENCIES,
} from './cases';

export interface FileRef {
  /** Link id (the file as attached to this document). */
  id: string;
  documentId: string;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  addedAt: string;
}

export interface CaseDocumentView {
  id: string;
  kind: (typeof DOCUMENT_KINDS)[number];
  title: string | null;
  paper: boolean;
  signatures: (typeof SIGNATURE_ROLES)[number][];
  seal: boolean;
  clinicalDiagnosis: string | null;
  items: { name: string; date: string }[];
  files: FileRef[];
}

export interface PatientView {
  id: string;
  iin: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  primaryCareOrg: string | null;
  insured: boolean | null;
  /** The IIN check (birth date and sex derived from it). */
  iinCheck: IinCheck;
}

export interface Member {
  /** The name as signed: one text, or per language when spelled differently. */
  name: string | { kk: string; ru: string };
  role: (typeof MEMBER_ROLES)[number];
  position?: { kk: string; ru: string } | null;
}

/**
 * The technology a case is about, named as the section selected by its urgency and funding
 * words it (a code can carry a different name in each section), on the received date.
 */
export interface TechnologyView {
  code: string;
  /** The edition in force on the received date. */
  editionId: string | null;
  /** The section the urgency (and funding) selects, null while it cannot be told. */
  section: 1 | 2 | 3 | null;
  /** The official name per language in that section's wording (another edition's when this one has no such language), null when none. */
  name: { kk: string | null; ru: string | null };
  /** The edition each name comes from (null for the characteristics or none). */
  nameEdition: { kk: string | null; ru: string | null };
}

export { ISSUE_GAP_CODES, type IssueGap, type IssueGapCode } from '../domain/issue';

export interface IssueCheckResult {
  ready: boolean;
  gaps: IssueGap[];
  /** The number the protocol would get if issued now ('5/2026'), null when the date is invalid. */
  nextNumber: string | null;
  /** What the confirmation shows: the decision as it would be issued. */
  outcome: (typeof OUTCOMES)[number];
  reason: (typeof REFUSAL_REASONS)[number] | null;
  date: string;
  members: Member[];
  patient: { name: string; iin: string };
  technology: TechnologyView | null;
  /** The protocol a correction replaces. */
  replaces: string | null;
}

export interface ProtocolNumber {
  year: number;
  number: number;
  /** As printed: '15/2026'. */
  label: string;
}

export interface DecisionView {
  id: string;
  caseId: string;
  version: number;
  outcome: (typeof OUTCOMES)[number];
  reason: (typeof REFUSAL_REASONS)[number] | null;
  /** Subpoint of point 40 (1-3) for a refusal. */
  legalSubpoint: 1 | 2 | 3 | null;
  date: string;
  members: Member[];
  note: string | null;
  state: DecisionState;
  /** True once issued (also when superseded): nothing in it can change. */
  locked: boolean;
  protocol: ProtocolNumber | null;
  issuedAt: string | null;
  supersedesId: string | null;
  supersededById: string | null;
  /** The packet check at issue time (null for a draft). */
  packetAtIssue: { complete: boolean; findings: Finding[] } | null;
  createdAt: string;
  updatedAt: string;
}

export interface PortalEvent {
  id: string;
  status: PortalStatus;
  at: string;
  note: string | null;
}

export interface FollowUpView {
  operationDate: string | null;
  dischargeDate: string | null;
  complications: boolean | null;
  complicationsNote: string | null;
  disability: boolean | null;
  death: boolean | null;
  deathDate: string | null;
  survivalOneYear: boolean | null;
  notes: string | null;
  updatedAt: string;
}

export interface DueView {
  /** End of this day. */
  due: string;
  workingDays: string[];
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
}

export interface CaseDetail {
  id: string;
  status: CaseStatus;
  createdAt: string;
  updatedAt: string;
  registeredAt: string | null;
  patient: PatientView;
  receivedAt: string;
  channel: (typeof CASE_CHANNELS)[number] | null;
  htmpCode: string;
  urgency: (typeof URGENCIES)[number] | null;
  inpatient: boolean;
  diagnosis: { icd10: string; text: string };
  specialistConclusion: string | null;
  providerOrg: string | null;
  notes: string | null;
  documents: CaseDocumentView[];
  /** Packet check (validatePacket) of the stored data. */
  complete: boolean;
  findings: Finding[];
  /** Review deadline (null while receivedAt is not a valid date-time). */
  due: DueView | null;
  /** Undecided and past due on the server's "today". */
  overdue: boolean;
  /** The code on the received date (null when the code or date is missing). */
  code: (PacketCatalogueLookup & { editionId: string | null }) | null;
  /** Funding channel with its reason (rules namespace `funding.*`), null when not derivable. */
  funding: FundingResult | null;
  /** The technology named as its section words it (null while the code or date is missing). */
  technology: TechnologyView | null;
  /**
   * True when an issued protocol locks the case: its data cannot change until a correction of
   * the decision is started ("Correct the decision").
   */
  locked: boolean;
  /** Every decision version, newest first. */
  decisions: DecisionView[];
  /** The decision in force: latest issued, else the draft; null when none. */
  currentDecision: DecisionView | null;
  /** The draft decision, if one is being prepared. */
  draftDecision: DecisionView | null;
  portal: { status: PortalStatus; updatedAt: string; events: PortalEvent[] } | null;
  hospitalizationDate: string | null;
  /** The day the providing organization set the hospitalization date (point 38). */
  hospitalizationSetOn: string | null;
  patientInformed: { channel: InformChannel; date: string } | null;
  followUp: FollowUpView | null;
  /**
   * The other cases of a patient with the same (valid) IIN, newest first, each with the protocols
   * issued in it: a second open case is a warning (`patient.open_case_exists`), registering it
   * stays possible.
   */
  sameIin: SameIinCase[];
}

/** Another case of the same IIN, as the case screen links to it. */
export interface SameIinCase {
  id: string;
  status: CaseStatus;
  receivedAt: string;
  htmpCode: string;
  /** Issued protocols of that case (corrections included), newest first. */
  protocols: { decisionId: string; number: string; date: string; outcome: 'approved' | 'refused'; state: 'issued' | 'superseded' }[];
}

export interface CaseListItem {
  id: string;
  status: CaseStatus;
  patient: { iin: string; lastName: string; firstName: string; middleName: string | null };
  htmpCode: string;
  urgency: (typeof URGENCIES)[number] | null;
  receivedAt: string;
  due: string | null;
  calendarConfirmed: boolean;
  overdue: boolean;
  complete: boolean;
  errorCount: number;
  warningCount: number;
  outcome: (typeof OUTCOMES)[number] | null;
  reason: (typeof REFUSAL_REASONS)[number] | null;
  protocol: ProtocolNumber | null;
  portalStatus: PortalStatus | null;
  updatedAt: string;
}

export interface CaseList {
  items: CaseListItem[];
  /** Every matching case (all pages); null when asked `withTotal: false`. */
  total: number | null;
  /**
   * True when `total` is a lower bound: a text of one or two letters (no trigram to look it up
   * by) is counted only up to 1,000 matches, and the screen says "more than 1,000". Absent
   * when `total` is exact.
   */
  totalAtLeast?: boolean;
  limit: number;
  /** The cursor of the next page (`after`), null on the last page. */
  next: string | null;
  today: string;
}

export interface ValidateResult {
  complete: boolean;
  findings: Finding[];
  due: DueView | null;
  funding: FundingResult | null;
}

export interface SaveResult {
  id: string;
  created: boolean;
  detail: CaseDetail;
}

export interface AttachResult {
  documentId: string;
  file: FileRef;
  /** True when the same content was already in the store (not written again). */
  deduplicated: boolean;
  detail: CaseDetail;
}

export interface FileContent {
  file: FileRef;
  contentBase64: string;
}

export interface DecideResult {
  decision: DecisionView;
  detail: CaseDetail;
}

export interface RefusalJournalEntry {
  caseId: string;
  decisionId: string;
  date: string;
  protocol: ProtocolNumber;
  patient: { iin: string; lastName: string; firstName: string; middleName: string | null };
  htmpCode: string;
  /** The technology's name in its section's wording. */
  htmpName: { kk: string | null; ru: string | null };
  /** The patient was in hospital: point 40 has the refusal entered in the journal of refusals of admission and hospitalization. */
  inpatient: boolean;
  diagnosis: { icd10: string; text: string };
  reason: (typeof REFUSAL_REASONS)[number];
  legalSubpoint: 1 | 2 | 3;
  primaryCareOrg: string | null;
}

/** A page of the journal of refusals. */
export interface RefusalJournalPage {
  from: string | null;
  to: string | null;
  items: RefusalJournalEntry[];
  /** The cursor of the next page (`after`); null on the last page. */
  next: string | null;
  /** Every refusal of the period (null when not asked: `withTotal: false`). */
  total: number | null;
  limit: number;
}

/** A page of the journal by default. */
export const JOURNAL_PAGE = 100;

export interface TodayView {
  today: string;
  dueToday: CaseListItem[];
  overdue: CaseListItem[];
  /** Cases with a decision issued today (protocol issued on `today`, local date). */
  decidedToday: CaseListItem[];
  /** How many cases each list has (exact; its items are the first `limit` of them). */
  totals: { dueToday: number; overdue: number; decidedToday: number };
  /**
   * The rest of each list: `cases.list` with the list's filter (`todayListArgs`) and `after` =
   * this cursor; null when the list is shown whole.
   */
  next: { dueToday: string | null; overdue: string | null; decidedToday: string | null };
}

export type TodayList = 'dueToday' | 'overdue' | 'decidedToday';

/** The register filter of each list of Today (`cases.list` reads the rest of it from `next`). */
export function todayListArgs(list: TodayList, today: string): { today: string; dueToday?: true; overdue?: true; issuedOn?: string; sort?: 'received_desc' } {
  if (list === 'dueToday') return { today, dueToday: true };
  if (list === 'overdue') return { today, overdue: true };
  return { today, issuedOn: today, sort: 'received_desc' };
}
/** Today's first page of each list by default. */
export const TODAY_LIMIT = 50;
