/** Decisions and protocols: deciding, the checks before issue, issuing with a number. */
import type { CaseDetail, IssueCheckResult, CasesMethods, DecisionView, Member } from '../../../shared/contract/cases';
import { checkDecision, type RefusalReason } from '../../../shared/domain/decision';
import { localDatePart } from '../../../shared/domain/deadline';
import { issueGaps, type IssueGap } from '../../../shared/domain/issue';
import { packetDefects, type PacketCheck } from '../../../shared/domain/packet';
import { AppFailure } from '../../../shared/result';
import { kzToday } from './calendar';
import { currentActor } from '../auth/current';
import type { CoreContext } from '../context';
import type { Row } from '../store';
import { nameBasedUuid } from '../store';
import { readSettings, standingMembers } from '../services/app';
import { insertRow, json } from './rows';
import type { CaseRow, DecisionRow } from './rows';
import { loadCase, deriveStored } from './derive';
import { decisionView, caseDetail } from './detail';
import { casePatch } from './save';

export function decisionRow(ctx: CoreContext, id: string): DecisionRow {
  const r = ctx.db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as DecisionRow | undefined;
  if (!r) throw new AppFailure('cases.decision_not_found', { id });
  return r;
}

function ruleCheck(outcome: 'approved' | 'refused', reason: RefusalReason | null, check: PacketCheck, members: Member[]): void {
  const r = checkDecision({ outcome, reason, complete: check.complete, packetDefective: packetDefects(check.findings).length > 0, members });
  if (!r.ok) throw new AppFailure(r.code);
}

type DecideArgs = Omit<CasesMethods['cases.decide']['args'], 'issue'>;


/** A member present at a decision, from a standing member (one name when both languages agree). */

function memberOf(m: { role: Member['role']; name: { kk: string; ru: string }; position: { kk: string; ru: string } | null }): Member {
  return { name: m.name.kk === m.name.ru ? m.name.kk : { ...m.name }, role: m.role, ...(m.position ? { position: { ...m.position } } : {}) };
}

/**
 * The members present: as given, else the standing members of the commission (Settings).
 * (When sign-in exists, the secretary will be the signed-in user: this is the one place to do it.)
 */
export function membersFor(ctx: CoreContext, given: Member[] | undefined): Member[] {
  if (given !== undefined) return given.map((m) => (typeof m.name === 'string' ? { ...m, name: m.name.trim() } : { ...m, name: { kk: m.name.kk.trim(), ru: m.name.ru.trim() } }));
  return standingMembers(ctx).map(memberOf);
}

export function decide(ctx: CoreContext, a: DecideArgs): DecisionView {
  return ctx.store.transaction(() => {
    const l = loadCase(ctx, a.caseId);
    if (l.c.status === 'draft') throw new AppFailure('cases.not_registered');
    const d = deriveStored(ctx, l);
    const reason = a.reason ?? null;
    const members = membersFor(ctx, a.members);
    ruleCheck(a.outcome, reason, d.check, members);
    const all = ctx.db.prepare('SELECT * FROM decisions WHERE case_id = ? ORDER BY version DESC').all(a.caseId) as DecisionRow[];
    const draft = all.find((x) => x.state === 'draft');
    const issued = all.find((x) => x.state === 'issued');
    if (a.correction && !issued) throw new AppFailure('cases.correction_needs_issued');
    if (issued && !draft && !a.correction) throw new AppFailure('cases.decision_locked', { protocol: `${issued.protocol_number}/${issued.protocol_year}` });
    const values: Row = { outcome: a.outcome, reason, decided_on: a.date, members: JSON.stringify(members), note: a.note ?? null };
    let id: string;
    if (draft) {
      ctx.store.update('decisions', draft.id, values);
      id = draft.id;
    } else {
      const version = (all[0]?.version ?? 0) + 1;
      id = String(insertRow(ctx, 'decisions', { case_id: a.caseId, version, state: 'draft', supersedes_id: issued?.id ?? null, ...values }).id);
    }
    return decisionView(decisionRow(ctx, id));
  });
}

type IssueHook = (ctx: CoreContext, caseId: string, decision: DecisionView) => void;
const issueHooks: IssueHook[] = [];

/**
 * Lets another area act inside the issuing transaction, whatever the entry point (screen, CLI,
 * protocols): the protocols area stores the statement as issued. A hook that throws cancels the
 * issue, so a protocol is never numbered without its stored text.
 */
export function onProtocolIssued(hook: IssueHook): void {
  if (!issueHooks.includes(hook)) issueHooks.push(hook);
}

/** A decision as it would be issued: what the check and the document are built from. */
export interface ProposedDecision {
  caseId: string;
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  date: string;
  members: Member[];
  note: string | null;
  /** The issued decision a correction supersedes. */
  supersedes: DecisionView | null;
}

type CheckHook = (ctx: CoreContext, detail: CaseDetail, proposal: ProposedDecision) => IssueGap[];
const checkHooks: CheckHook[] = [];

/**
 * Lets another area add what its document needs to the issue check (the protocols area builds
 * the protocol it would issue): "Issue protocol" is offered only when every area is satisfied.
 */
export function onIssueCheck(hook: CheckHook): void {
  if (!checkHooks.includes(hook)) checkHooks.push(hook);
}

/** The number the next protocol of a year gets (a per-year counter that only grows). */
function nextProtocolNumber(ctx: CoreContext, year: number): number {
  const counter = ctx.db.prepare('SELECT last_number FROM protocol_counters WHERE year = ?').get(year) as { last_number: number } | undefined;
  const taken = (ctx.db.prepare('SELECT coalesce(max(protocol_number), 0) AS n FROM decisions WHERE protocol_year = ?').get(year) as { n: number }).n;
  return Math.max(counter?.last_number ?? 0, taken) + 1;
}

const fullName = (p: { lastName: string; firstName: string; middleName: string | null }): string =>
  [p.lastName, p.firstName, p.middleName].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');

/** The gaps of a proposed decision on a case (see shared/domain/issue.ts), every area included. */
function gapsOf(ctx: CoreContext, detail: CaseDetail, p: ProposedDecision, today: string): IssueGap[] {
  const settings = readSettings(ctx);
  const gaps = issueGaps({
    names: { commissionKk: settings.commissionNameKk, commissionRu: settings.commissionNameRu, authorityKk: settings.authorityNameKk, authorityRu: settings.authorityNameRu },
    outcome: p.outcome,
    reason: p.reason,
    date: p.date,
    today,
    receivedDate: localDatePart(detail.receivedAt),
    members: p.members,
    correction: p.supersedes !== null,
    note: p.note,
    findings: detail.findings,
    diagnosisText: detail.diagnosis.text,
    hasOfficialName: detail.technology !== null && (detail.technology.name.kk !== null || detail.technology.name.ru !== null),
  });
  // The document itself is built only from data the check above found in order.
  if (gaps.length === 0) for (const hook of checkHooks) gaps.push(...hook(ctx, detail, p));
  return gaps;
}

/** `cases.issueCheck`: the gaps of a decision as proposed, and what the confirmation shows. */
export function issueCheck(ctx: CoreContext, a: DecideArgs, today: string = kzToday()): IssueCheckResult {
  const detail = caseDetail(ctx, a.caseId, { today });
  const issued = detail.decisions.find((x) => x.state === 'issued') ?? null;
  const members = membersFor(ctx, a.members);
  const proposal: ProposedDecision = {
    caseId: a.caseId,
    outcome: a.outcome,
    reason: a.reason ?? null,
    date: a.date,
    members,
    note: a.note ?? null,
    supersedes: issued && (a.correction || detail.draftDecision?.supersedesId === issued.id) ? issued : null,
  };
  const gaps = gapsOf(ctx, detail, proposal, today);
  const year = /^\d{4}-/.test(a.date) ? Number(a.date.slice(0, 4)) : null;
  return {
    ready: gaps.length === 0,
    gaps,
    nextNumber: year !== null ? `${nextProtocolNumber(ctx, year)}/${year}` : null,
    outcome: a.outcome,
    reason: proposal.reason,
    date: a.date,
    members,
    patient: { name: fullName(detail.patient), iin: detail.patient.iin },
    technology: detail.technology,
    replaces: proposal.supersedes?.protocol?.label ?? null,
  };
}

/** Issues the protocol of a draft decision: next number of its year, locked from then on. */
export function issueProtocol(ctx: CoreContext, decisionId: string, now: Date = new Date()): DecisionView {
  return ctx.store.transaction(() => {
    const r = decisionRow(ctx, decisionId);
    if (r.state !== 'draft') throw new AppFailure('cases.decision_locked', { protocol: `${r.protocol_number}/${r.protocol_year}` });
    const l = loadCase(ctx, r.case_id);
    const d = deriveStored(ctx, l);
    const members = json<Member[]>(r.members, []);
    ruleCheck(r.outcome, r.reason, d.check, members);
    // Everything the protocol needs, named: a gap refuses the issue before anything is numbered.
    const detail = caseDetail(ctx, r.case_id, { derived: d, today: kzToday(now) });
    const supersedes = r.supersedes_id ? decisionView(decisionRow(ctx, r.supersedes_id)) : null;
    const gaps = gapsOf(ctx, detail, { caseId: r.case_id, outcome: r.outcome, reason: r.reason, date: r.decided_on, members, note: r.note, supersedes }, kzToday(now));
    if (gaps.length > 0) throw new AppFailure('cases.not_ready', { count: gaps.length, gap: gaps[0]!.code, ...(gaps[0]!.params ?? {}) });
    const year = Number(r.decided_on.slice(0, 4));
    const counter = ctx.db.prepare('SELECT id FROM protocol_counters WHERE year = ?').get(year) as { id: string } | undefined;
    const number = nextProtocolNumber(ctx, year);
    if (counter) ctx.store.update('protocol_counters', counter.id, { last_number: number });
    else insertRow(ctx, 'protocol_counters', { id: nameBasedUuid(`protocol_counters/${year}`), year, last_number: number });
    const issuedAt = now.toISOString();
    // The signed-in user who issues it is recorded (issue 10); cases.decide named them the
    // secretary when the members given name none.
    const actor = currentActor();
    ctx.store.update('decisions', r.id, {
      ...(actor ? { issued_by: actor.userId, issued_by_name: actor.displayName } : {}),
      state: 'issued',
      protocol_year: year,
      protocol_number: number,
      issued_at: issuedAt,
      packet_at_issue: JSON.stringify({ complete: d.check.complete, findings: d.check.findings }),
    });
    if (r.supersedes_id) ctx.store.update('decisions', r.supersedes_id, { state: 'superseded', superseded_by_id: r.id });
    const casePatch: Row = {
      status: r.outcome,
      outcome: r.outcome,
      reason: r.reason,
      decided_on: r.decided_on,
      issued_on: kzToday(now),
      protocol_year: year,
      protocol_number: number,
    };
    if (r.outcome === 'approved' && l.c.portal_status === null) {
      insertRow(ctx, 'portal_events', { case_id: r.case_id, status: 'to_export', at: issuedAt, note: null });
      casePatch.portal_status = 'to_export';
    }
    ctx.store.update('cases', r.case_id, casePatch);
    const view = decisionView(decisionRow(ctx, r.id));
    for (const hook of issueHooks) hook(ctx, r.case_id, view);
    return view;
  });
}

export function requireApproved(ctx: CoreContext, caseId: string): CaseRow {
  const l = loadCase(ctx, caseId);
  if (l.c.status !== 'approved') throw new AppFailure('cases.not_approved');
  return l.c;
}
