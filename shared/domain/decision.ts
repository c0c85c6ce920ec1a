/**
 * Rules for the commission's decision (ДСМ-238 points 35-36 and 40).
 *
 * - A refusal (negative decision) is allowed only on one of the three grounds of point 40:
 *   1) no indications for HTMP by the standards and clinical protocols;
 *   2) an incomplete packet of documents;
 *   3) the documents found not authentic.
 * - "Incomplete packet" can only be the ground when a document of point 34 is missing or
 *   defective (`packetDefective`): a wrong IIN, ICD-10 code or HTMP code is a mistake to correct,
 *   not an incomplete packet. An approval (positive decision, followed by registering the referral
 *   on the Portal) needs a complete packet: the commission cannot send a patient on a packet the
 *   rules call incomplete.
 * - The protocol is signed by the commission; it needs at least a chair and a secretary.
 *
 * Checks run in that order and the first failure is returned, so the UI fixes one thing at a time.
 */

export type DecisionOutcome = 'approved' | 'refused';
export type RefusalReason = 'no_indications' | 'incomplete_packet' | 'not_authentic';
export type MemberRole = 'chair' | 'secretary' | 'member';

export const REFUSAL_REASONS: readonly RefusalReason[] = ['no_indications', 'incomplete_packet', 'not_authentic'];

/** Subpoint of point 40 of the rules (ДСМ-238) for each refusal ground. */
export const REFUSAL_LEGAL_SUBPOINT: Readonly<Record<RefusalReason, 1 | 2 | 3>> = {
  no_indications: 1,
  incomplete_packet: 2,
  not_authentic: 3,
};

export interface DecisionInput {
  outcome: DecisionOutcome;
  reason?: RefusalReason | null;
  /** Whether the packet check (validatePacket) found no error at all. */
  complete: boolean;
  /**
   * Whether a document of point 34 is missing or defective (packetDefects); defaults to
   * `!complete` for callers that do not tell the two apart.
   */
  packetDefective?: boolean;
  members: { name: string | { kk: string; ru: string }; role: MemberRole | string }[];
}

export type DecisionErrorCode =
  | 'decision.outcome_invalid'
  | 'decision.reason_required'
  | 'decision.reason_invalid'
  | 'decision.reason_not_allowed'
  | 'decision.incomplete_not_allowed'
  | 'decision.approval_needs_complete_packet'
  | 'decision.member_name_missing'
  | 'decision.chair_required'
  | 'decision.secretary_required';

export const DECISION_ERROR_CODES: readonly DecisionErrorCode[] = [
  'decision.outcome_invalid',
  'decision.reason_required',
  'decision.reason_invalid',
  'decision.reason_not_allowed',
  'decision.incomplete_not_allowed',
  'decision.approval_needs_complete_packet',
  'decision.member_name_missing',
  'decision.chair_required',
  'decision.secretary_required',
];

export type DecisionCheck = { ok: true } | { ok: false; code: DecisionErrorCode };

function isRefusalReason(v: unknown): v is RefusalReason {
  return typeof v === 'string' && (REFUSAL_REASONS as readonly string[]).includes(v);
}

/** Checks a decision against the legal grounds and the packet state; returns the first error. */
export function checkDecision(input: DecisionInput): DecisionCheck {
  const fail = (code: DecisionErrorCode): DecisionCheck => ({ ok: false, code });
  const reason = input.reason ?? null;

  if (input.outcome === 'refused') {
    if (reason === null || reason === ('' as string)) return fail('decision.reason_required');
    if (!isRefusalReason(reason)) return fail('decision.reason_invalid');
    const defective = input.packetDefective ?? !input.complete;
    if (reason === 'incomplete_packet' && !defective) return fail('decision.incomplete_not_allowed');
  } else if (input.outcome === 'approved') {
    // A refusal ground on an approval would be printed on the protocol and mislead.
    if (reason !== null) return fail('decision.reason_not_allowed');
    if (!input.complete) return fail('decision.approval_needs_complete_packet');
  } else {
    return fail('decision.outcome_invalid');
  }

  const members = Array.isArray(input.members) ? input.members : [];
  const blank = (n: unknown): boolean =>
    typeof n === 'string' ? n.trim() === '' : n === null || typeof n !== 'object' || [(n as { kk?: unknown }).kk, (n as { ru?: unknown }).ru].some((x) => typeof x !== 'string' || x.trim() === '');
  if (members.some((m) => blank(m.name))) return fail('decision.member_name_missing');
  if (!members.some((m) => m.role === 'chair')) return fail('decision.chair_required');
  if (!members.some((m) => m.role === 'secretary')) return fail('decision.secretary_required');
  return { ok: true };
}
