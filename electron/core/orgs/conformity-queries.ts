/** What the conformity screens and the CLI read: application details, the lists, conclusions, updates. */
import type { ApplicationDetail, ApplicationHead, ApplicationListItem, ApplicationStatus, AssessmentDecision, ConclusionListItem, ConclusionView, UpdateView } from '../../../shared/contract/orgs';
import { POINT29_KINDS } from '../../../shared/contract/orgs';
import { applicationWindow, daysLeft } from '../../../shared/domain/conformity';
import { kzToday } from '../../../shared/domain/kz-time';
import type { CoreContext } from '../context';
import { SqlFilter } from '../sql-filter';
import { assessmentOf, impactOf } from './conformity-assessment';
import { requirementsFor } from './conformity-requirements';
import { applicationData, applicationRow, bool, conclusionRow, conclusionRowOf, json, sha256Hex, type ApplicationRow, type ConclusionRow, type UpdateRow } from './conformity-rows';
import { orgRow, orgViews } from './registry';

export function conclusionView(ctx: CoreContext, r: ConclusionRow): ConclusionView {
  const by = ctx.db.prepare("SELECT id, number FROM org_conclusions WHERE supersedes_id = ? AND state = 'issued' ORDER BY issued_at LIMIT 1").get(r.id) as { id: string; number: string | null } | undefined;
  return {
    id: r.id,
    applicationId: r.application_id,
    orgId: r.org_id,
    year: r.year,
    code: r.code,
    state: r.state,
    number: r.number,
    issuedOn: r.issued_on,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    staffConform: bool(r.staff_conform),
    devicesConform: bool(r.devices_conform),
    overallConform: bool(r.overall_conform),
    staffJustification: r.staff_justification,
    devicesJustification: r.devices_justification,
    note: r.note,
    decisions: json<AssessmentDecision[]>(r.decisions, []),
    signer: r.signer_name !== null ? { name: r.signer_name, position: r.signer_position ?? '' } : null,
    sha256: r.sha256,
    supersedesId: r.supersedes_id,
    supersededBy: by ?? null,
    updatedAt: r.updated_at,
  };
}

export function firstTimeAllowed(ctx: CoreContext, orgId: string, code: string, exceptApplication?: string): boolean {
  const n = ctx.db.prepare("SELECT count(*) AS n FROM org_conclusions WHERE org_id = ? AND code = ? AND state = 'issued' AND application_id <> ?").get(orgId, code, exceptApplication ?? '') as { n: number };
  return n.n === 0;
}

/** What the list and the detail both show of an application (the id first and updatedAt last are each one's own). */
function applicationHead(r: ApplicationRow, today: string): Omit<ApplicationHead, 'id' | 'updatedAt'> {
  return {
    year: r.year,
    code: r.code,
    firstTime: r.first_time === 1,
    status: r.status,
    receivedOn: r.received_on,
    assessmentDue: r.assessment_due,
    daysLeft: r.status === 'received' && r.assessment_due ? daysLeft(today, r.assessment_due) : null,
  };
}

export function applicationDetail(ctx: CoreContext, id: string, today: string = kzToday()): ApplicationDetail {
  const r = applicationRow(ctx, id);
  const org = orgViews(ctx, [orgRow(ctx, r.org_id)])[0]!;
  const reqs = requirementsFor(ctx, r.code);
  const c = conclusionRowOf(ctx, r.id);
  const decisions = c ? json<AssessmentDecision[]>(c.decisions, []) : [];
  const onDate = r.received_on ?? today;
  const data = applicationData(r);
  return {
    id: r.id,
    org,
    ...applicationHead(r, today),
    data,
    plannedVolume: r.planned_volume,
    note: r.note,
    locked: r.locked_at !== null,
    requirements: reqs,
    assessment: assessmentOf(ctx, r, reqs, decisions, onDate),
    conclusion: c ? conclusionView(ctx, c) : null,
    window: applicationWindow(r.year),
    firstTimeAllowed: firstTimeAllowed(ctx, r.org_id, r.code, r.id),
    updatedAt: r.updated_at,
  };
}

function listItem(ctx: CoreContext, r: ApplicationRow & { o_bin: string; o_kk: string; o_ru: string }, today: string): ApplicationListItem {
  const c = conclusionRowOf(ctx, r.id);
  return {
    id: r.id,
    org: { id: r.org_id, bin: r.o_bin, nameKk: r.o_kk, nameRu: r.o_ru },
    ...applicationHead(r, today),
    conclusion: c ? { id: c.id, state: c.state, number: c.number, overall: bool(c.overall_conform) } : null,
    updatedAt: r.updated_at,
  };
}

export function listApplications(ctx: CoreContext, a: { year?: number | undefined; status?: ApplicationStatus | undefined; orgId?: string | undefined; today?: string | undefined }): { items: ApplicationListItem[]; today: string } {
  const today = a.today ?? kzToday();
  const filter = new SqlFilter().equals('a.year', a.year).equals('a.status', a.status).equals('a.org_id', a.orgId);
  const rows = ctx.db
    .prepare(
      `SELECT a.*, o.bin AS o_bin, o.name_kk AS o_kk, o.name_ru AS o_ru FROM org_applications a JOIN organizations o ON o.id = a.org_id
        ${filter.where}
        ORDER BY CASE a.status WHEN 'received' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, a.assessment_due IS NULL, a.assessment_due, a.year DESC, a.code, a.id`,
    )
    .all(...filter.params) as (ApplicationRow & { o_bin: string; o_kk: string; o_ru: string })[];
  return { items: rows.map((r) => listItem(ctx, r, today)), today };
}


export function getConclusion(ctx: CoreContext, id: string): ConclusionView {
  return conclusionView(ctx, conclusionRow(ctx, id));
}

export function listConclusions(ctx: CoreContext, a: { year?: number | undefined; orgId?: string | undefined; code?: string | undefined }): ConclusionListItem[] {
  const filter = new SqlFilter(["c.state = 'issued'"]).equals('c.year', a.year).equals('c.org_id', a.orgId).equals('c.code', a.code);
  const rows = ctx.db
    .prepare(
      `SELECT c.*, o.bin AS o_bin, o.name_kk AS o_kk, o.name_ru AS o_ru,
              EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued') AS superseded
         FROM org_conclusions c LEFT JOIN organizations o ON o.id = c.org_id
        ${filter.where} ORDER BY c.number_year, c.number_seq, c.id`,
    )
    .all(...filter.params) as (ConclusionRow & { o_bin: string | null; o_kk: string | null; o_ru: string | null; superseded: number })[];
  return rows.map((r) => ({
    id: r.id,
    number: r.number ?? '',
    issuedOn: r.issued_on ?? '',
    year: r.year,
    code: r.code,
    org: { id: r.org_id, bin: r.o_bin ?? '', nameKk: r.o_kk ?? '', nameRu: r.o_ru ?? '' },
    overallConform: r.overall_conform === 1,
    validFrom: r.valid_from ?? '',
    validTo: r.valid_to ?? '',
    superseded: r.superseded === 1,
    sha256: r.sha256 ?? '',
  }));
}

export function verifyConclusion(ctx: CoreContext, number: string, sha256: string): { matches: boolean; known: boolean } {
  const rows = ctx.db.prepare("SELECT statement, sha256 FROM org_conclusions WHERE number = ? AND state = 'issued'").all(number.trim()) as { statement: string | null; sha256: string | null }[];
  const wanted = sha256.trim().toLowerCase();
  const matches = /^[0-9a-f]{64}$/.test(wanted) && rows.some((r) => r.sha256 === wanted && r.statement !== null && sha256Hex(r.statement) === wanted);
  return { matches, known: rows.length > 0 };
}

export function updateView(ctx: CoreContext, u: UpdateRow, today: string): UpdateView {
  const c = ctx.db.prepare('SELECT number, code FROM org_conclusions WHERE id = ?').get(u.conclusion_id) as { number: string | null; code: string } | undefined;
  const o = ctx.db.prepare('SELECT id, bin, name_kk, name_ru FROM organizations WHERE id = ?').get(u.org_id) as { id: string; bin: string; name_kk: string; name_ru: string } | undefined;
  const left = u.done_on === null ? daysLeft(today, u.due_on) : null;
  return {
    id: u.id,
    conclusionId: u.conclusion_id,
    conclusionNumber: c?.number ?? null,
    org: { id: u.org_id, bin: o?.bin ?? '', nameKk: o?.name_kk ?? '', nameRu: o?.name_ru ?? '' },
    code: c?.code ?? '',
    kind: u.kind,
    point: POINT29_KINDS.includes(u.kind) ? 29 : 30,
    eventOn: u.event_on,
    dueOn: u.due_on,
    doneOn: u.done_on,
    subject: u.subject,
    newCode: u.new_code,
    note: u.note,
    daysLeft: left,
    overdue: left !== null && left < 0,
    newConclusionId: u.new_conclusion_id,
    impact: impactOf(ctx, u),
  };
}

export function listUpdates(ctx: CoreContext, a: { open?: boolean | undefined; orgId?: string | undefined; today?: string | undefined }): { items: UpdateView[]; today: string } {
  const today = a.today ?? kzToday();
  const filter = new SqlFilter(a.open === undefined ? [] : [a.open ? 'done_on IS NULL' : 'done_on IS NOT NULL']).equals('org_id', a.orgId);
  const rows = ctx.db.prepare(`SELECT * FROM org_updates ${filter.where} ORDER BY done_on IS NOT NULL, due_on, event_on, id`).all(...filter.params) as UpdateRow[];
  return { items: rows.map((r) => updateView(ctx, r, today)), today };
}
