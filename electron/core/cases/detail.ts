/** A case's detail view (what the screens, the protocol PDF and referral bundles read). */
import type { CaseDetail, CaseStatus, DecisionView, FileRef, FollowUpView, Member, PortalEvent, SameIinCase } from '../../../shared/contract/cases';
import { REFUSAL_LEGAL_SUBPOINT } from '../../../shared/domain/decision';
import { checkIin } from '../../../shared/domain/iin';
import { FINDING_SEVERITY, type Finding, type FindingCode } from '../../../shared/domain/packet';
import { kzToday } from './calendar';
import type { CoreContext } from '../context';
import type { Row, SqlValue } from '../store';
import { fromBool, json, protocolLabel, UNDECIDED } from './rows';
import type { LinkRow, DecisionRow } from './rows';
import { loadCase, deriveStored } from './derive';
import type { Derived, Loaded } from './derive';

export function decisionView(r: DecisionRow): DecisionView {
  return {
    id: r.id,
    caseId: r.case_id,
    version: r.version,
    outcome: r.outcome,
    reason: r.reason,
    legalSubpoint: r.reason ? REFUSAL_LEGAL_SUBPOINT[r.reason] : null,
    date: r.decided_on,
    members: json<Member[]>(r.members, []),
    note: r.note,
    state: r.state,
    locked: r.state !== 'draft',
    protocol: r.protocol_year !== null && r.protocol_number !== null ? protocolLabel(r.protocol_year, r.protocol_number) : null,
    issuedAt: r.issued_at,
    supersedesId: r.supersedes_id,
    supersededById: r.superseded_by_id,
    packetAtIssue: json<{ complete: boolean; findings: Finding[] } | null>(r.packet_at_issue, null),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function fileRef(f: LinkRow): FileRef {
  return { id: f.id, documentId: f.document_id, sha256: f.sha256, name: f.name, size: f.size, mime: f.mime, addedAt: f.created_at };
}

export function latestUpdate(l: Loaded): string {
  return [l.c.updated_at, l.p.updated_at, ...l.docs.map((d) => d.updated_at), ...l.links.map((f) => f.updated_at)].reduce((a, b) => (b > a ? b : a));
}

export function isOverdue(status: CaseStatus, due: string | null, today: string): boolean {
  return UNDECIDED.includes(status) && due !== null && due < today;
}


/** Everything about one case: used by the screens, the protocol PDF and the referral bundles. */

export function caseDetail(ctx: CoreContext, id: string, options: { today?: string; derived?: Derived } = {}): CaseDetail {
  const l = loadCase(ctx, id);
  const d = options.derived ?? deriveStored(ctx, l);
  const today = options.today ?? kzToday();
  const decisions = (ctx.db.prepare('SELECT * FROM decisions WHERE case_id = ? ORDER BY version DESC, created_at DESC').all(id) as DecisionRow[]).map(decisionView);
  const issued = decisions.find((x) => x.state === 'issued') ?? null;
  const draft = decisions.find((x) => x.state === 'draft') ?? null;
  const events = (ctx.db.prepare('SELECT * FROM portal_events WHERE case_id = ? ORDER BY at, created_at').all(id) as (Row & PortalEvent)[]).map(
    (e): PortalEvent => ({ id: e.id, status: e.status, at: e.at, note: e.note }),
  );
  const fu = ctx.db.prepare('SELECT * FROM follow_ups WHERE case_id = ?').get(id) as Record<string, SqlValue> | undefined;
  const followUp: FollowUpView | null = fu
    ? {
        operationDate: fu.operation_date as string | null,
        dischargeDate: fu.discharge_date as string | null,
        complications: fromBool(fu.complications as number | null),
        complicationsNote: fu.complications_note as string | null,
        disability: fromBool(fu.disability as number | null),
        death: fromBool(fu.death as number | null),
        deathDate: fu.death_date as string | null,
        survivalOneYear: fromBool(fu.survival_one_year as number | null),
        notes: fu.notes as string | null,
        updatedAt: fu.updated_at as string,
      }
    : null;
  const { c, p } = l;
  const sameIin = casesOfSameIin(ctx, c.id, p.iin);
  const openOthers = sameIin.filter((x) => OPEN_STATUSES.includes(x.status));
  // A second open case of one patient is most often the same referral entered twice: a warning
  // for the open case (it can still be registered: a patient may have two referrals).
  const findings = OPEN_STATUSES.includes(c.status) && openOthers.length > 0
    ? [...d.check.findings, sameIinFinding(openOthers.length)]
    : d.check.findings;
  return {
    id: c.id,
    status: c.status,
    createdAt: c.created_at,
    updatedAt: latestUpdate(l),
    registeredAt: c.registered_at,
    patient: {
      id: p.id,
      iin: p.iin,
      lastName: p.last_name,
      firstName: p.first_name,
      middleName: p.middle_name,
      birthDate: p.birth_date,
      sex: p.sex,
      phone: p.phone,
      primaryCareOrg: p.primary_care_org,
      insured: fromBool(p.insured),
      iinCheck: checkIin(p.iin, kzToday()),
    },
    receivedAt: c.received_at,
    channel: c.channel,
    htmpCode: c.htmp_code,
    urgency: c.urgency,
    inpatient: c.inpatient === 1,
    diagnosis: { icd10: c.diagnosis_icd10, text: c.diagnosis_text },
    specialistConclusion: c.specialist_conclusion,
    providerOrg: c.provider_org,
    notes: c.notes,
    documents: l.docs.map((doc) => ({
      id: doc.id,
      kind: doc.kind,
      title: doc.title,
      paper: doc.paper === 1,
      signatures: json(doc.signatures, []),
      seal: doc.seal === 1,
      clinicalDiagnosis: doc.clinical_diagnosis,
      items: json(doc.items, []),
      files: l.links.filter((f) => f.document_id === doc.id).map(fileRef),
    })),
    complete: d.check.complete,
    findings,
    due: d.due,
    overdue: isOverdue(c.status, d.due?.due ?? null, today),
    code: d.code ? { known: d.code.known, inForce: d.code.inForce, sections: d.code.sections, editionId: d.code.editionId } : null,
    funding: d.funding,
    technology: d.technology,
    locked: issued !== null && draft === null,
    decisions,
    currentDecision: issued ?? draft,
    draftDecision: draft,
    portal: c.portal_status ? { status: c.portal_status, updatedAt: events.at(-1)?.at ?? c.updated_at, events } : null,
    hospitalizationDate: c.hospitalization_date,
    hospitalizationSetOn: c.hospitalization_set_on,
    patientInformed: c.informed_channel && c.informed_date ? { channel: c.informed_channel, date: c.informed_date } : null,
    followUp,
    sameIin,
  };
}

const OPEN_STATUSES: readonly CaseStatus[] = ['draft', 'registered'];

/** The packet finding (not an error code) for other open cases of the same IIN. */
function sameIinFinding(count: number): Finding {
  const finding: FindingCode = 'patient.open_case_exists';
  return { code: finding, severity: FINDING_SEVERITY[finding], field: 'patient.sameIin', params: { count } };
}

/** The other cases whose patient has this IIN (a valid one only), newest first, with their protocols. */
function casesOfSameIin(ctx: CoreContext, caseId: string, iin: string): SameIinCase[] {
  if (!checkIin(iin).valid) return [];
  const rows = ctx.db
    .prepare(
      `SELECT c.id, c.status, c.received_at, c.htmp_code FROM cases c JOIN patients p ON p.id = c.patient_id
        WHERE p.iin = ? AND c.id <> ? ORDER BY c.received_at DESC, c.created_at DESC LIMIT 20`,
    )
    .all(iin, caseId) as { id: string; status: CaseStatus; received_at: string; htmp_code: string }[];
  const protocols = ctx.db.prepare(
    `SELECT id, protocol_year, protocol_number, decided_on, outcome, state FROM decisions
      WHERE case_id = ? AND state <> 'draft' AND protocol_number IS NOT NULL ORDER BY version DESC`,
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    receivedAt: r.received_at,
    htmpCode: r.htmp_code,
    protocols: (protocols.all(r.id) as { id: string; protocol_year: number; protocol_number: number; decided_on: string; outcome: 'approved' | 'refused'; state: 'issued' | 'superseded' }[]).map((d) => ({
      decisionId: d.id,
      number: `${d.protocol_number}/${d.protocol_year}`,
      date: d.decided_on,
      outcome: d.outcome,
      state: d.state,
    })),
  }));
}
