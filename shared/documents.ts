/**
 * Input data of the official documents the commission prints (protocol, journal of refusals,
 * scoring sheet, register of protocols), their validation, and the verification string printed
 * in each document's QR code.
 *
 * Policy: a document is plain JSON (ISO date strings, integer numbers, string codes) so it
 * crosses IPC/HTTP unchanged and hashes the same everywhere (see canonical-json.ts). Everything
 * except `generatedAt` is the "statement": what the commission signs. Its SHA-256 is printed on
 * every page, so a paper copy can be checked against the archive later.
 *
 * Pure TypeScript: no Node, DOM or Electron imports.
 */
import type { ConformityDocument } from './documents-conformity';
import type { Measures } from './domain/reports';

export type { ApplicationDoc, ConclusionDoc, ConformityDocument } from './documents-conformity';

/** A language of a single-language part of a document. */
export type PdfLang = 'kk' | 'ru';
/** Language of a printed document: Kazakh, Russian, or both. */
export type DocLang = PdfLang | 'both';
/** How a document in both languages is laid out: side by side (kk | ru) or Kazakh then Russian. */
export type BilingualLayout = 'columns' | 'sequential';

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/**
 * A moment with its local time as written, `YYYY-MM-DDTHH:mm[:ss[.sss]](Z|±HH:MM)`.
 * Documents print the local time as written (not converted to the printing machine's zone).
 */
export type IsoDateTime = string;

/** Text given either once for both languages (a proper name) or per language. */
export type LocalizedText = string | { kk: string; ru: string };

/** The commission and the local health authority it belongs to, as printed in the title block. */
export interface CommissionInfo {
  name: LocalizedText;
  authority: LocalizedText;
}

export type MemberRole = 'chair' | 'member' | 'secretary';
export interface CommissionMember {
  /**
   * Full name as it is signed, e.g. "Сейтқали Ә. Н."; per language when it is spelled differently
   * in Kazakh and Russian (the standing members of the settings always give both).
   */
  name: LocalizedText;
  role: MemberRole;
  /** The member's position (job title), per language; absent when not given. */
  position?: LocalizedText;
}

export interface PatientInfo {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** 12 digits. */
  iin: string;
  birthDate: IsoDate;
}

/** A name of an HTMP type in one language and where it was taken from. */
export interface SourcedName {
  text: string;
  /** Which edition / characteristics the name comes from, e.g. "ҚР ДСМ-134/2020, ред. № 103 от 01.10.2025". */
  source: string;
}

/** Kinds of documents of the packet, point 34 of the rules approved by order ҚР ДСМ-238/2020. */
export const CHECKLIST_KINDS = ['identity_document', 'hospitalization_referral', 'record_extract', 'tests_and_consultations'] as const;
export type ChecklistKind = (typeof CHECKLIST_KINDS)[number];

/** Grounds of a negative decision, point 40 subpoints 1)-3) of the rules approved by order ҚР ДСМ-238/2020. */
export const REFUSAL_REASONS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type DecisionOutcome = 'approved' | 'refused';

/**
 * Protocol number: sequence within the year, a slash, the year: `12/2026`.
 * Leading zeros are not allowed, so one protocol has one spelling (and one hash).
 */
export const PROTOCOL_NUMBER_RE = /^[1-9][0-9]{0,5}\/[0-9]{4}$/;

/** Formats a protocol number from its sequence within the year and the year (12, 2026 -> "12/2026"). */
export function formatProtocolNumber(sequence: number, year: number): string {
  return `${sequence}/${year}`;
}

export interface ProtocolDoc {
  kind: 'protocol';
  number: string;
  date: IsoDate;
  commission: CommissionInfo;
  members: CommissionMember[];
  patient: PatientInfo;
  diagnosis: { icd10: string; text: string };
  htmp: {
    code: string;
    /**
     * The section of the list the case's urgency and funding select (1 emergency within GOBMP,
     * 2 planned within GOBMP and the OSMS, 3 planned within the OSMS): a code may be worded
     * differently in each section, and `name` is this section's wording. Absent in protocols
     * issued before the section was recorded.
     */
    section?: 1 | 2 | 3;
    /** The official name per language; null where the edition has no name in that language. */
    name: { kk: SourcedName | null; ru: SourcedName | null };
  };
  /**
   * The patient is in hospital (point 40 of the rules): a refusal is then entered in the journal
   * of refusals of admission and hospitalization, and the protocol says so. Absent in protocols
   * issued before this was recorded (they printed that sentence on every refusal).
   */
  inpatient?: boolean;
  /** A correction: the protocol it replaces and why (the decision's note). */
  correction?: { replaces: string; reason: string };
  /** The organization the patient is sent to; null when not chosen (or on refusal). */
  provider: { name: LocalizedText } | null;
  checklist: { kind: ChecklistKind; received: boolean; note?: string }[];
  decision: { outcome: 'approved'; reason: null } | { outcome: 'refused'; reason: RefusalReason };
  generatedAt: IsoDateTime;
}

/** The name of an HTMP type per language as a protocol printed it (null where it had none). */
export interface NamePair {
  kk: string | null;
  ru: string | null;
}

export interface RefusalJournalRow {
  /** Protocol number of the refusal. */
  number: string;
  date: IsoDate;
  /** Full name of the patient as printed. */
  patientName: string;
  iin: string;
  /** HTMP code. */
  code: string;
  /** The technology's name as the protocol printed it (the section's wording). */
  name?: NamePair;
  reason: RefusalReason;
  /** The patient was in hospital: the refusal goes to the journal of point 40. */
  inpatient?: boolean;
}

export interface RefusalJournalDoc {
  kind: 'refusal_journal';
  period: { from: IsoDate; to: IsoDate };
  commission: CommissionInfo;
  /** The secretary who signs the list (printed under the signature line), when known. */
  secretary?: LocalizedText;
  rows: RefusalJournalRow[];
  generatedAt: IsoDateTime;
}

export const SCORING_CRITERIA = ['innovation', 'resource', 'uniqueness', 'complexity'] as const;
export type ScoringCriterionId = (typeof SCORING_CRITERIA)[number];

/**
 * One criterion of a scoring sheet (order ҚР ДСМ-134/2020, appendix to the rules).
 * `value`, `weight` and `points` are integer hundredths (7.5 -> 750, 0.3 -> 30, 2.25 -> 225).
 */
export interface ScoringCriterionRow {
  id: ScoringCriterionId;
  /** 1 is the top row of the official table (value 10), 4 the bottom (2.5). */
  level: 1 | 2 | 3 | 4;
  value: number;
  weight: number;
  points: number;
  /** The band applied for the innovation criterion: under_5 | from_5_to_10 | over_10_to_15 | over_15. */
  band?: 'under_5' | 'from_5_to_10' | 'over_10_to_15' | 'over_15';
  rationale: string;
}

/** What the total would be if one criterion were scored at another level. */
export interface ScoringSensitivityRow {
  id: ScoringCriterionId;
  level: 1 | 2 | 3 | 4;
  /** Integer hundredths. */
  total: number;
  included: boolean;
}

/** Inclusion threshold in hundredths: technologies with 7 to 10 points enter the HTMP list (ДСМ-134, point 2). */
export const SCORING_INCLUSION_THRESHOLD = 700;

export interface ScoringSheetDoc {
  kind: 'scoring_sheet';
  /**
   * `name` is the name as entered (or both official names); `names`, when the code is in the list,
   * the official names with their source, printed in the document's language (the other
   * language's official name, marked, where there is none).
   */
  technology: { code?: string; name: LocalizedText; names?: { kk: SourcedName | null; ru: SourcedName | null } };
  evaluator: string;
  date: IsoDate;
  criteria: ScoringCriterionRow[];
  /** Integer hundredths, 250..1000. */
  total: number;
  included: boolean;
  sensitivity?: ScoringSensitivityRow[];
  commission?: CommissionInfo;
  generatedAt: IsoDateTime;
}

export interface ProtocolRegisterRow {
  number: string;
  date: IsoDate;
  patientName: string;
  code: string;
  /** The technology's name as the protocol printed it (the section's wording). */
  name?: NamePair;
  outcome: DecisionOutcome;
  /** The protocol this one replaces (a correction). */
  replaces?: string;
  /** The decision's note (for a correction: why it was corrected). */
  note?: string;
}

export interface ProtocolRegisterDoc {
  kind: 'protocol_register';
  period: { from: IsoDate; to: IsoDate };
  commission: CommissionInfo;
  /** The secretary who signs the list (printed under the signature line), when known. */
  secretary?: LocalizedText;
  rows: ProtocolRegisterRow[];
  generatedAt: IsoDateTime;
}

/** The counts of one row of the annual report of point 42 (how each is counted: docs/reports.md). */
export type AnnualReportMeasures = Measures;

/** The annual report of ДСМ-238 point 42: per HTMP code, section of the list and provider. */
export interface AnnualReportDoc {
  kind: 'annual_report';
  year: number;
  /** The last day of the first quarter of the next year. */
  dueBy: IsoDate;
  commission: CommissionInfo;
  /** `provider`: a registry organization's names (both languages), else the case's text ('' when none). */
  rows: ({ code: string; section: 1 | 2 | 3 | null; provider: LocalizedText } & AnnualReportMeasures)[];
  bySection: ({ section: 1 | 2 | 3 | null } & AnnualReportMeasures)[];
  totals: AnnualReportMeasures;
  generatedAt: IsoDateTime;
}

export type HtmpDocument = ProtocolDoc | RefusalJournalDoc | ScoringSheetDoc | ProtocolRegisterDoc | AnnualReportDoc | ConformityDocument;
export type HtmpDocumentKind = HtmpDocument['kind'];

/** The statement of a document: everything but `generatedAt`, with absent optional fields dropped. */
export function statementData(doc: HtmpDocument): unknown {
  const { generatedAt: _omit, ...rest } = doc;
  return dropUndefined(rest);
}

// An optional field set to undefined and one left out say the same thing, so they must hash the same.
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Verification string

const VERIFICATION_PREFIX: Record<HtmpDocumentKind, string> = {
  protocol: 'HTMP-PROTOCOL',
  refusal_journal: 'HTMP-REFUSALS',
  scoring_sheet: 'HTMP-SCORING',
  protocol_register: 'HTMP-REGISTER',
  conformity_application: 'HTMP-APPLICATION',
  conformity_conclusion: 'HTMP-CONCLUSION',
  annual_report: 'HTMP-ANNUAL',
};

const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * The text in a document's QR code: `HTMP-PROTOCOL|12/2026|<sha256 hex>`.
 * `number` is the protocol number, or for the other documents their identifier (see documentNumber).
 */
export function verificationString(number: string, sha256: string, kind: HtmpDocumentKind = 'protocol'): string {
  if (number === '' || number.includes('|') || /[\r\n]/.test(number)) {
    throw new TypeError('verificationString: number must be non-empty, without "|" or line breaks');
  }
  if (!SHA256_RE.test(sha256)) throw new TypeError('verificationString: sha256 must be 64 lowercase hex digits');
  return `${VERIFICATION_PREFIX[kind]}|${number}|${sha256}`;
}

export interface ParsedVerification {
  kind: HtmpDocumentKind;
  number: string;
  sha256: string;
}

/** Parses a verification string (e.g. scanned from a QR code); null when it is not one. */
export function parseVerificationString(text: string): ParsedVerification | null {
  const parts = text.trim().split('|');
  if (parts.length !== 3) return null;
  const [prefix, number, sha] = parts as [string, string, string];
  const kind = (Object.keys(VERIFICATION_PREFIX) as HtmpDocumentKind[]).find((k) => VERIFICATION_PREFIX[k] === prefix);
  if (!kind || number === '') return null;
  const sha256 = sha.toLowerCase();
  if (!SHA256_RE.test(sha256)) return null;
  return { kind, number, sha256 };
}

/** The identifier printed in the verification string: protocol number, or period / date for lists and sheets. */
export function documentNumber(doc: HtmpDocument): string {
  switch (doc.kind) {
    case 'protocol':
      return doc.number;
    case 'refusal_journal':
    case 'protocol_register':
      return `${doc.period.from}/${doc.period.to}`;
    case 'scoring_sheet':
      return doc.technology.code ? `${doc.technology.code}@${doc.date}` : doc.date;
    case 'conformity_application':
      return doc.reference;
    case 'conformity_conclusion':
      return doc.number;
    case 'annual_report':
      return String(doc.year);
  }
}

export { findInvalidField, isIsoDate, isIsoDateTime } from './documents-validation';
