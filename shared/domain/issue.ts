/**
 * What a protocol needs before it can be issued, named for the user: "Issue protocol" is offered
 * only when nothing is missing, and issuing (screen, CLI, API) runs the same check, so a protocol
 * never fails at the last step and never leaves a half-made decision behind.
 *
 * The check covers, in the order the user fixes them: the commission's names in both languages
 * (the letterhead), the members present (a chair and a secretary at least, every name filled),
 * the decision itself (outcome, a ground of point 40 for a refusal, the date, a note for a
 * correction), and the case data the protocol prints. A wrong IIN, ICD-10 code or HTMP code is a
 * mistake to correct before any decision is issued, never a ground for refusal; the ground
 * "incomplete packet" (point 40(2)) is open only when a document of point 34 is missing or
 * defective. Gap texts live in `cases:issueGap.<code>` (kk and ru).
 *
 * Pure: the caller gathers the facts (settings, packet check, catalogue).
 */
import { checkDecision, type DecisionOutcome, type RefusalReason } from './decision';
import { dataErrors, packetDefects, type Finding, type FindingCode } from './packet';

export const ISSUE_GAP_CODES = [
  'commission_name_kk',
  'commission_name_ru',
  'authority_name_kk',
  'authority_name_ru',
  'members_none',
  'member_name',
  'chair',
  'secretary',
  'outcome',
  'reason',
  'reason_incomplete_not_allowed',
  'packet_incomplete',
  'date',
  'date_future',
  'date_before_receipt',
  'correction_note',
  'received_at',
  'last_name',
  'first_name',
  'iin',
  'iin_mismatch',
  'icd10',
  'diagnosis_text',
  'htmp_code',
  'htmp_code_unknown',
  'htmp_code_not_in_force',
  'urgency',
  'urgency_mismatch',
  'htmp_name',
  'data_error',
  'document',
] as const;
export type IssueGapCode = (typeof ISSUE_GAP_CODES)[number];

/** Something a protocol needs that is missing or wrong (`cases:issueGap.<code>`). */
export interface IssueGap {
  code: IssueGapCode;
  params?: Record<string, string | number>;
  /** The packet finding behind it, whose message explains the detail (rules:findings.<code>). */
  finding?: Finding;
}

export interface IssueMember {
  name: string | { kk: string; ru: string };
  role: string;
}

export interface IssueFacts {
  /** The commission's and the authority's names from the settings. */
  names: { commissionKk: string; commissionRu: string; authorityKk: string; authorityRu: string };
  outcome: DecisionOutcome | '' | null;
  reason: RefusalReason | null;
  /** The decision date as entered ('YYYY-MM-DD' when valid). */
  date: string;
  /** Today in Kazakhstan. */
  today: string;
  /** The date part of the received date-time, null when invalid. */
  receivedDate: string | null;
  /** The members present (the standing members when none were given). */
  members: IssueMember[];
  correction: boolean;
  note: string | null;
  /** The packet check of the case as it stands. */
  findings: Finding[];
  diagnosisText: string;
  /** Whether the list gives the technology an official name (in some language) for its section. */
  hasOfficialName: boolean;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Each error in the case data, as the gap that names it (with the finding for the detail). */
const DATA_GAP: Partial<Record<FindingCode, IssueGapCode>> = {
  'case.received_at_invalid': 'received_at',
  'case.urgency_missing': 'urgency',
  'patient.iin_invalid': 'iin',
  'patient.iin_mismatch': 'iin_mismatch',
  'code.missing': 'htmp_code',
  'code.unknown': 'htmp_code_unknown',
  'code.not_in_force': 'htmp_code_not_in_force',
  'code.urgency_mismatch': 'urgency_mismatch',
  'diagnosis.icd10_invalid': 'icd10',
};

const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
const nameBlank = (n: IssueMember['name']): boolean => (typeof n === 'string' ? blank(n) : blank(n.kk) || blank(n.ru));

/** The gaps that keep a protocol from being issued (empty: ready). */
export function issueGaps(f: IssueFacts): IssueGap[] {
  const gaps: IssueGap[] = [];
  const gap = (code: IssueGapCode, extra: Omit<IssueGap, 'code'> = {}) => gaps.push({ code, ...extra });

  // The letterhead, in both languages.
  if (blank(f.names.commissionKk)) gap('commission_name_kk');
  if (blank(f.names.commissionRu)) gap('commission_name_ru');
  if (blank(f.names.authorityKk)) gap('authority_name_kk');
  if (blank(f.names.authorityRu)) gap('authority_name_ru');

  // The members present.
  if (f.members.length === 0) gap('members_none');
  else {
    f.members.forEach((m, i) => {
      if (nameBlank(m.name)) gap('member_name', { params: { n: i + 1 } });
    });
    if (!f.members.some((m) => m.role === 'chair')) gap('chair');
    if (!f.members.some((m) => m.role === 'secretary')) gap('secretary');
  }

  // The decision.
  const defects = packetDefects(f.findings);
  const errors = dataErrors(f.findings);
  if (f.outcome !== 'approved' && f.outcome !== 'refused') gap('outcome');
  else if (f.outcome === 'refused') {
    if (f.reason === null) gap('reason');
    else if (f.reason === 'incomplete_packet' && defects.length === 0) gap('reason_incomplete_not_allowed');
  } else if (defects.length > 0) {
    gap('packet_incomplete', { params: { count: defects.length } });
  }
  if (!DATE_RE.test(f.date)) gap('date');
  else if (f.date > f.today) gap('date_future');
  else if (f.receivedDate !== null && f.date < f.receivedDate) gap('date_before_receipt');
  if (f.correction && blank(f.note)) gap('correction_note');

  // The case data the protocol prints: errors to correct, whatever the outcome.
  for (const e of errors) {
    if (e.code === 'patient.name_missing') gap(e.params.field === 'firstName' ? 'first_name' : 'last_name', { finding: e });
    else gap(DATA_GAP[e.code] ?? 'data_error', { finding: e });
  }
  if (blank(f.diagnosisText)) gap('diagnosis_text');
  // An approval sends the patient for a type of the list: its official name must be there.
  const codeGaps: IssueGapCode[] = ['htmp_code', 'htmp_code_unknown', 'htmp_code_not_in_force', 'urgency', 'urgency_mismatch'];
  if (f.outcome === 'approved' && !f.hasOfficialName && !gaps.some((g) => codeGaps.includes(g.code))) gap('htmp_name');

  // The legal grounds, as a last word (every rule of decision.ts is covered above; this keeps them one).
  if (gaps.length === 0 && (f.outcome === 'approved' || f.outcome === 'refused')) {
    const c = checkDecision({ outcome: f.outcome, reason: f.reason, complete: errors.length === 0 && defects.length === 0, packetDefective: defects.length > 0, members: f.members });
    if (!c.ok) gap('document', { params: { rule: c.code } });
  }
  return gaps;
}
