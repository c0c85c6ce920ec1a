import type {
  AftercareFileRef,
  AftercareMethods,
  AftercareToday,
  DischargeSummaryView,
  FollowUpReminder,
  InpatientRefusalItem,
  JournalEntryView,
  OverdueItem,
  OverdueList,
  OverdueStepId,
  PatientRef,
  RecordedBy,
  TimelineEvent,
  TimelineView,
} from '../../../shared/contract/aftercare';
import { FOLLOW_UP_REMINDER_DAYS, MAX_AFTERCARE_FILE_BYTES, MAX_OVERDUE_PAGE, OVERDUE_STEPS } from '../../../shared/contract/aftercare';
import { afterApprovalSteps } from '../../../shared/domain/aftercare';
import { addDays, isIsoDate } from '../../../shared/domain/calendar';
import { kzToday } from '../../../shared/domain/kz-time';
import { AppFailure } from '../../../shared/result';
import { afterFactsOf, CASE_FACTS_SQL, ensureFacts, localMoment } from '../aftercare/facts';
import { assertAfterDates } from '../aftercare/dates';
import { workCalendar } from '../cases/calendar';
import { putStoredFile, readStoredFile } from '../cases/files';
import type { CoreContext, Handlers } from '../context';
import type { Row, SqlValue, TableSpec } from '../store';
import { nameBasedUuid } from '../store';
import { decodeCursor, encodeCursor } from '../cursor';

/** Tables of user data owned by the aftercare area (written only through the Store). */
export const aftercareTables: TableSpec[] = [
  { name: 'discharge_summaries', columns: ['case_id', 'received_on', 'recommendations', 'follow_up_plan'] },
  { name: 'aftercare_files', columns: ['case_id', 'kind', 'sha256', 'name', 'mime', 'size'] },
  { name: 'inpatient_refusal_entries', columns: ['case_id', 'decision_id', 'entered_on', 'entry_number', 'note'] },
];

type H<M extends keyof AftercareMethods> = (args: AftercareMethods[M]['args'], ctx: CoreContext) => AftercareMethods[M]['result'];

const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const patientRef = (r: { iin: string; last_name: string; first_name: string; middle_name: string | null }): PatientRef => ({
  iin: r.iin,
  lastName: r.last_name,
  firstName: r.first_name,
  middleName: r.middle_name,
});

function changed(ctx: CoreContext, caseId: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'cases', id: caseId } });
}

interface CaseBase {
  id: string;
  status: TimelineView['status'];
  inpatient: number;
  received_at: string;
  registered_at: string | null;
  channel: string | null;
  provider_org: string | null;
  primary_care_org: string | null;
  created_at: string;
}

function caseBase(ctx: CoreContext, caseId: string): CaseBase {
  const c = ctx.db
    .prepare(
      `SELECT c.id, c.status, c.inpatient, c.received_at, c.registered_at, c.channel, c.provider_org, p.primary_care_org, c.created_at
         FROM cases c JOIN patients p ON p.id = c.patient_id WHERE c.id = ?`,
    )
    .get(caseId) as CaseBase | undefined;
  if (!c) throw new AppFailure('cases.not_found', { id: caseId });
  return c;
}

function requireApproved(ctx: CoreContext, caseId: string): CaseBase {
  const c = caseBase(ctx, caseId);
  if (c.status !== 'approved') throw new AppFailure('cases.not_approved');
  return c;
}

// ---------------------------------------------------------------------------------------------
// Who recorded what: the change log.

interface LogRow {
  table_name: string;
  record_id: string;
  fields: string;
  installation_id: string;
  at: string;
  origin: string | null;
}

/** The last logged change of each field of some records: "who recorded it, and when". */
class Recorder {
  private readonly last = new Map<string, LogRow>();
  private readonly peers: Map<string, string | null>;

  constructor(
    private readonly ctx: CoreContext,
    records: { table: string; id: string }[],
  ) {
    const q = ctx.db.prepare('SELECT table_name, record_id, fields, installation_id, at, origin FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq');
    for (const r of records) {
      for (const row of q.all(r.table, r.id) as LogRow[]) {
        let fields: Record<string, unknown>;
        try {
          fields = JSON.parse(row.fields) as Record<string, unknown>;
        } catch {
          continue;
        }
        for (const f of Object.keys(fields)) this.last.set(`${r.table}/${r.id}/${f}`, row);
      }
    }
    this.peers = new Map((ctx.db.prepare('SELECT installation_id, name FROM exchange_peers').all() as { installation_id: string; name: string | null }[]).map((p) => [p.installation_id, p.name]));
  }

  of(table: string, id: string, field: string): RecordedBy | null {
    const row = this.last.get(`${table}/${id}/${field}`);
    if (!row) return null;
    return {
      at: row.at,
      installationId: row.installation_id,
      thisInstallation: row.installation_id === this.ctx.installationId,
      peerName: this.peers.get(row.installation_id) ?? null,
      user: null,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline.

interface FollowRow {
  id: string;
  operation_date: string | null;
  discharge_date: string | null;
  complications: number | null;
  complications_note: string | null;
  disability: number | null;
  death: number | null;
  death_date: string | null;
  survival_one_year: number | null;
}

function dischargeView(ctx: CoreContext, caseId: string): DischargeSummaryView | null {
  const s = ctx.db.prepare('SELECT * FROM discharge_summaries WHERE case_id = ?').get(caseId) as Record<string, string | null> | undefined;
  const files = filesOf(ctx, caseId);
  if (!s && files.length === 0) return null;
  return {
    receivedOn: s?.received_on ?? null,
    recommendations: s?.recommendations ?? null,
    followUpPlan: s?.follow_up_plan ?? null,
    files,
    updatedAt: s?.updated_at ?? files.at(-1)?.addedAt ?? '',
  };
}

function filesOf(ctx: CoreContext, caseId: string): AftercareFileRef[] {
  return (ctx.db.prepare('SELECT * FROM aftercare_files WHERE case_id = ? ORDER BY created_at, id').all(caseId) as Record<string, string | number>[]).map(fileRef);
}

const fileRef = (f: Record<string, string | number>): AftercareFileRef => ({
  id: String(f.id),
  sha256: String(f.sha256),
  name: String(f.name),
  mime: String(f.mime),
  size: Number(f.size),
  addedAt: String(f.created_at),
});

interface DecisionRow {
  id: string;
  version: number;
  outcome: 'approved' | 'refused';
  reason: string | null;
  decided_on: string;
  state: string;
  protocol_year: number | null;
  protocol_number: number | null;
  issued_at: string | null;
}

/** The issued refusal of an inpatient that the journal of point 40 wants, or null. */
function journalDecision(ctx: CoreContext, c: CaseBase): DecisionRow | null {
  if (c.status !== 'refused' || c.inpatient !== 1) return null;
  return (ctx.db.prepare("SELECT * FROM decisions WHERE case_id = ? AND state = 'issued' AND outcome = 'refused' ORDER BY version DESC LIMIT 1").get(c.id) as DecisionRow | undefined) ?? null;
}

function journalView(ctx: CoreContext, decisionId: string): JournalEntryView | null {
  const j = ctx.db.prepare('SELECT * FROM inpatient_refusal_entries WHERE decision_id = ?').get(decisionId) as Record<string, string | null> | undefined;
  return j ? { decisionId, enteredOn: j.entered_on ?? null, entryNumber: j.entry_number ?? null, note: j.note ?? null, updatedAt: String(j.updated_at) } : null;
}

/** A sortable key of an event time: dates and local times as written, zoned instants in Kazakhstan time. */
const timeKey = (at: string): string => localMoment(at);
/** Within one day the steps keep the order of the procedure (a date has no time to sort by). */
const KIND_ORDER = ['received', 'registered', 'decision', 'portal', 'hospitalization_set', 'informed', 'operation', 'discharge', 'discharge_summary', 'complications', 'disability', 'survival', 'death', 'journal_entry'];
function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  const ka = timeKey(a.at);
  const kb = timeKey(b.at);
  const day = ka.slice(0, 10).localeCompare(kb.slice(0, 10));
  if (day !== 0) return day;
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || ka.localeCompare(kb);
}

export function timeline(ctx: CoreContext, caseId: string, today: string = kzToday()): TimelineView {
  const c = caseBase(ctx, caseId);
  const row = ctx.db.prepare(`${CASE_FACTS_SQL} WHERE c.id = ?`).get(caseId) as Parameters<typeof afterFactsOf>[0] & { decided_on: string | null };
  const fu = ctx.db.prepare('SELECT * FROM follow_ups WHERE case_id = ?').get(caseId) as FollowRow | undefined;
  const summary = ctx.db.prepare('SELECT id, received_on FROM discharge_summaries WHERE case_id = ?').get(caseId) as { id: string; received_on: string | null } | undefined;
  const decisions = ctx.db.prepare("SELECT * FROM decisions WHERE case_id = ? AND state <> 'draft' ORDER BY version").all(caseId) as DecisionRow[];
  const portal = ctx.db.prepare('SELECT id, status, at, note FROM portal_events WHERE case_id = ? ORDER BY at, created_at').all(caseId) as { id: string; status: string; at: string; note: string | null }[];
  const journals = ctx.db.prepare('SELECT * FROM inpatient_refusal_entries WHERE case_id = ?').all(caseId) as { id: string; entered_on: string | null; entry_number: string | null }[];

  const rec = new Recorder(ctx, [
    { table: 'cases', id: caseId },
    ...(fu ? [{ table: 'follow_ups', id: fu.id }] : []),
    ...(summary ? [{ table: 'discharge_summaries', id: summary.id }] : []),
    ...decisions.map((d) => ({ table: 'decisions', id: d.id })),
    ...portal.map((p) => ({ table: 'portal_events', id: p.id })),
    ...journals.map((j) => ({ table: 'inpatient_refusal_entries', id: j.id })),
  ]);
  const commission = { role: 'commission' as const, name: null };
  const provider = { role: 'provider' as const, name: c.provider_org };
  const primary = { role: 'primary_care' as const, name: c.primary_care_org };
  const events: TimelineEvent[] = [];
  const push = (e: TimelineEvent) => events.push(e);

  if (c.received_at) push({ kind: 'received', at: c.received_at, actor: primary, detail: { channel: c.channel }, recorded: rec.of('cases', caseId, 'received_at') });
  if (c.registered_at) push({ kind: 'registered', at: c.registered_at, actor: commission, detail: {}, recorded: rec.of('cases', caseId, 'registered_at') });
  for (const d of decisions) {
    push({
      kind: 'decision',
      at: d.decided_on,
      actor: commission,
      detail: {
        outcome: d.outcome,
        reason: d.reason,
        date: d.decided_on,
        protocol: d.protocol_number !== null ? `${d.protocol_number}/${d.protocol_year}` : null,
        version: d.version,
        superseded: d.state === 'superseded',
      },
      recorded: rec.of('decisions', d.id, 'issued_at'),
    });
  }
  for (const p of portal) push({ kind: 'portal', at: p.at, actor: commission, detail: { status: p.status, note: p.note }, recorded: rec.of('portal_events', p.id, 'status') });
  if (row.hospitalization_date !== null) {
    const recorded = rec.of('cases', caseId, 'hospitalization_date');
    push({
      kind: 'hospitalization_set',
      at: row.hospitalization_set_on ?? (recorded ? localMoment(recorded.at).slice(0, 10) : row.hospitalization_date),
      actor: provider,
      detail: { date: row.hospitalization_date, setOn: row.hospitalization_set_on },
      recorded,
    });
  }
  if (row.informed_date !== null) {
    const ch = ctx.db.prepare('SELECT informed_channel FROM cases WHERE id = ?').get(caseId) as { informed_channel: string | null };
    push({ kind: 'informed', at: row.informed_date, actor: primary, detail: { channel: ch.informed_channel }, recorded: rec.of('cases', caseId, 'informed_date') });
  }
  if (fu) {
    const recDate = (field: string) => {
      const r = rec.of('follow_ups', fu.id, field);
      return { r, day: r ? localMoment(r.at).slice(0, 10) : today };
    };
    if (fu.operation_date) push({ kind: 'operation', at: fu.operation_date, actor: provider, detail: {}, recorded: rec.of('follow_ups', fu.id, 'operation_date') });
    if (fu.discharge_date) push({ kind: 'discharge', at: fu.discharge_date, actor: provider, detail: {}, recorded: rec.of('follow_ups', fu.id, 'discharge_date') });
    if (fu.complications !== null) {
      const { r, day } = recDate('complications');
      push({ kind: 'complications', at: day, actor: primary, detail: { value: fu.complications === 1, note: fu.complications_note }, recorded: r });
    }
    if (fu.disability !== null) {
      const { r, day } = recDate('disability');
      push({ kind: 'disability', at: day, actor: primary, detail: { value: fu.disability === 1 }, recorded: r });
    }
    if (fu.survival_one_year !== null) {
      const { r, day } = recDate('survival_one_year');
      push({ kind: 'survival', at: day, actor: primary, detail: { value: fu.survival_one_year === 1 }, recorded: r });
    }
    if (fu.death === 1) {
      const { r, day } = recDate('death');
      push({ kind: 'death', at: fu.death_date ?? day, actor: primary, detail: { date: fu.death_date }, recorded: r });
    }
  }
  if (summary?.received_on) {
    push({ kind: 'discharge_summary', at: summary.received_on, actor: provider, detail: { files: filesOf(ctx, caseId).length }, recorded: rec.of('discharge_summaries', summary.id, 'received_on') });
  }
  for (const j of journals) {
    if (j.entered_on) push({ kind: 'journal_entry', at: j.entered_on, actor: commission, detail: { entryNumber: j.entry_number }, recorded: rec.of('inpatient_refusal_entries', j.id, 'entered_on') });
  }
  events.sort(compareEvents);

  const jd = journalDecision(ctx, c);
  return {
    caseId,
    today,
    status: c.status,
    steps: c.status === 'approved' ? afterApprovalSteps(afterFactsOf(row), workCalendar(ctx.db), today) : [],
    events,
    discharge: dischargeView(ctx, caseId),
    journalRequired: jd !== null,
    journal: jd ? journalView(ctx, jd.id) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Overdue steps: two indexed queries (the review deadline on `cases`, the after-approval steps on
// the derived `case_deadlines`), merged by due date.

const STEP_POINT: Record<OverdueStepId, number> = { review: 35, hospitalization_date: 38, inform: 39, follow_up: 42 };

const COLUMNS = `c.status, c.htmp_code, c.provider_org, c.portal_status, p.iin, p.last_name, p.first_name, p.middle_name, p.primary_care_org`;
// Each query walks an index in due-date order and stops at the page's end (`@n` rows): the open
// steps' partial index on `case_deadlines`, and `cases_status_due` once per undecided status.
// With a cursor (key paging) each query starts after the last row shown, by the same order
// (due date, step, case): row values compared as the index orders them.
const overdueSql = (after: boolean) => ({
  steps: `SELECT d.case_id, d.step, d.start_at AS start, d.due_date AS due, d.calendar_confirmed, ${COLUMNS}
            FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN patients p ON p.id = c.patient_id
           WHERE d.done = 0 AND d.due_date < @today AND (@step IS NULL OR d.step = @step)
             ${after ? 'AND d.due_date >= @aDue AND (d.due_date, d.step, d.case_id) > (@aDue, @aStep, @aCase)' : ''}
           ORDER BY d.due_date, d.step, d.case_id LIMIT @n`,
  review: `SELECT c.id AS case_id, 'review' AS step, c.received_at AS start, c.due_date AS due, c.calendar_confirmed, ${COLUMNS}
             FROM cases c JOIN patients p ON p.id = c.patient_id
            WHERE c.status = @status AND c.due_date < @today
              ${after ? "AND c.due_date >= @aDue AND (c.due_date, 'review', c.id) > (@aDue, @aStep, @aCase)" : ''}
            ORDER BY c.due_date, c.id LIMIT @n`,
});
const OVERDUE_SQL = overdueSql(false);
const OVERDUE_AFTER_SQL = overdueSql(true);

const OVERDUE_CURSOR = 1;
type OverdueCursor = { due: string; step: OverdueStepId; caseId: string };

function encodeOverdueCursor(r: { due: string; step: OverdueStepId; case_id: string }): string {
  return encodeCursor([OVERDUE_CURSOR, 'overdue', r.due, r.step, r.case_id]);
}

function decodeOverdueCursor(text: string): OverdueCursor {
  const [, , due, step, caseId] = decodeCursor(
    text,
    ([v, kind, due, step, caseId, ...rest]) =>
      rest.length === 0 && v === OVERDUE_CURSOR && kind === 'overdue' && typeof due === 'string' && isIsoDate(due) && typeof step === 'string' && (OVERDUE_STEPS as readonly string[]).includes(step) && typeof caseId === 'string' && caseId.length <= 64,
  ) as [number, string, string, OverdueStepId, string];
  return { due, step, caseId };
}

type OverdueRow = { case_id: string; step: OverdueStepId; start: string; due: string; calendar_confirmed: number; status: OverdueItem['status']; htmp_code: string; provider_org: string | null; portal_status: OverdueItem['portalStatus']; iin: string; last_name: string; first_name: string; middle_name: string | null; primary_care_org: string | null };

const overdueItem = (r: OverdueRow, today: string): OverdueItem => ({
  caseId: r.case_id,
  step: r.step,
  point: STEP_POINT[r.step],
  start: r.start,
  due: r.due,
  daysOverdue: daysBetween(r.due, today),
  calendarConfirmed: r.calendar_confirmed === 1,
  status: r.status,
  patient: patientRef(r),
  htmpCode: r.htmp_code,
  providerOrg: r.provider_org,
  primaryCareOrg: r.primary_care_org,
  portalStatus: r.portal_status,
});

/** Overdue steps per kind on `today` (index-only counts). */
export function overdueCounts(ctx: CoreContext, today: string): Record<OverdueStepId, number> {
  ensureFacts(ctx);
  const byStep = Object.fromEntries(OVERDUE_STEPS.map((s) => [s, 0])) as Record<OverdueStepId, number>;
  for (const r of ctx.db.prepare('SELECT step, count(*) AS n FROM case_deadlines WHERE done = 0 AND due_date < ? GROUP BY step').all(today) as { step: OverdueStepId; n: number }[]) byStep[r.step] = r.n;
  byStep.review = (ctx.db.prepare("SELECT count(*) AS n FROM cases WHERE status IN ('draft', 'registered') AND due_date < ?").get(today) as { n: number }).n;
  return byStep;
}

const overdueOrder = (a: OverdueRow, b: OverdueRow): number => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.step < b.step ? -1 : a.step > b.step ? 1 : a.case_id < b.case_id ? -1 : a.case_id > b.case_id ? 1 : 0);

/**
 * Every step past its due date on `today`, oldest first (then by step and case), one page: by
 * key after a cursor (`after`, the `next` of the previous page), or by offset.
 */
export function overdueSteps(ctx: CoreContext, a: { today?: string | undefined; step?: OverdueStepId | undefined; after?: string | undefined; offset?: number | undefined; limit?: number | undefined }): OverdueList {
  ensureFacts(ctx);
  const today = a.today ?? kzToday();
  const limit = Math.min(a.limit ?? 50, MAX_OVERDUE_PAGE);
  const cursor = a.after !== undefined ? decodeOverdueCursor(a.after) : null;
  const offset = cursor ? 0 : a.offset ?? 0;
  // One row more than the page: whether a next page exists.
  const n = offset + limit + 1;
  const sql = cursor ? OVERDUE_AFTER_SQL : OVERDUE_SQL;
  const keys = cursor ? { aDue: cursor.due, aStep: cursor.step, aCase: cursor.caseId } : {};
  const rows: OverdueRow[] = [];
  if (a.step !== 'review') rows.push(...(ctx.db.prepare(sql.steps).all({ today, step: a.step ?? null, n, ...keys }) as OverdueRow[]));
  if (a.step === undefined || a.step === 'review') {
    for (const status of ['draft', 'registered']) rows.push(...(ctx.db.prepare(sql.review).all({ today, status, n, ...keys }) as OverdueRow[]));
  }
  const byStep = overdueCounts(ctx, today);
  const total = a.step ? byStep[a.step] : OVERDUE_STEPS.reduce((s, k) => s + byStep[k], 0);
  const sorted = rows.sort(overdueOrder);
  const page = sorted.slice(offset, offset + limit);
  const last = page.at(-1);
  const next = sorted.length > offset + limit && last ? encodeOverdueCursor(last) : null;
  return { today, items: page.map((r) => overdueItem(r, today)), total, offset, limit, next, byStep };
}

// ---------------------------------------------------------------------------------------------
// Inpatients' refusals (point 40) and the journal.

export function inpatientRefusals(ctx: CoreContext, a: { from?: string | undefined; to?: string | undefined; pending?: boolean | undefined }): InpatientRefusalItem[] {
  if ((a.from && !isIsoDate(a.from)) || (a.to && !isIsoDate(a.to)) || (a.from && a.to && a.from > a.to)) throw new AppFailure('aftercare.bad_period', { from: a.from ?? '', to: a.to ?? '' });
  const rows = ctx.db
    .prepare(
      `SELECT c.id AS case_id, d.id AS decision_id, d.decided_on, d.reason, d.protocol_year, d.protocol_number, c.htmp_code, c.provider_org,
              p.iin, p.last_name, p.first_name, p.middle_name, j.entered_on, j.entry_number, j.note, j.updated_at AS j_updated
         FROM cases c
         JOIN decisions d ON d.case_id = c.id AND d.state = 'issued' AND d.outcome = 'refused'
         JOIN patients p ON p.id = c.patient_id
         LEFT JOIN inpatient_refusal_entries j ON j.decision_id = d.id
        WHERE c.status = 'refused' AND c.inpatient = 1
          AND (@from IS NULL OR d.decided_on >= @from) AND (@to IS NULL OR d.decided_on <= @to)
          AND (@pending = 0 OR j.entered_on IS NULL)
        ORDER BY d.decided_on, d.protocol_year, d.protocol_number`,
    )
    .all({ from: a.from ?? null, to: a.to ?? null, pending: a.pending ? 1 : 0 }) as Record<string, SqlValue>[];
  return rows.map((r) => ({
    caseId: String(r.case_id),
    decisionId: String(r.decision_id),
    protocol: `${r.protocol_number}/${r.protocol_year}`,
    date: String(r.decided_on),
    patient: patientRef(r as never),
    htmpCode: String(r.htmp_code),
    reason: r.reason as InpatientRefusalItem['reason'],
    providerOrg: r.provider_org as string | null,
    entry: r.j_updated ? { decisionId: String(r.decision_id), enteredOn: r.entered_on as string | null, entryNumber: r.entry_number as string | null, note: r.note as string | null, updatedAt: String(r.j_updated) } : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Today.

export function aftercareToday(ctx: CoreContext, today: string = kzToday()): AftercareToday {
  ensureFacts(ctx);
  const steps = ['hospitalization_date', 'inform'] as const;
  const overdue = steps.flatMap((step) => overdueSteps(ctx, { today, step, limit: MAX_OVERDUE_PAGE }).items).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const horizon = addDays(today, FOLLOW_UP_REMINDER_DAYS);
  const fu = ctx.db
    .prepare(
      `SELECT d.case_id, d.start_at, d.due_date, c.htmp_code, p.iin, p.last_name, p.first_name, p.middle_name, p.primary_care_org
         FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN patients p ON p.id = c.patient_id
        WHERE d.done = 0 AND d.step = 'follow_up' AND d.due_date <= ? ORDER BY d.due_date, d.case_id LIMIT ?`,
    )
    .all(horizon, MAX_OVERDUE_PAGE) as Record<string, string | null>[];
  const followUpsDue: FollowUpReminder[] = fu.map((r) => ({
    caseId: String(r.case_id),
    patient: patientRef(r as never),
    htmpCode: String(r.htmp_code),
    operationDate: String(r.start_at),
    due: String(r.due_date),
    daysLeft: daysBetween(today, String(r.due_date)),
    primaryCareOrg: r.primary_care_org ?? null,
  }));
  return { today, overdue, followUpsDue, journalPending: inpatientRefusals(ctx, { pending: true }) };
}

// ---------------------------------------------------------------------------------------------
// Files.

function decodeBase64(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AppFailure('aftercare.file_content_invalid');
  return Buffer.from(clean, 'base64');
}

function summaryId(caseId: string): string {
  return nameBasedUuid(`discharge_summaries/${caseId}`);
}

/** Creates the case's discharge summary row when missing (all columns, so sync replays it whole). */
function ensureSummary(ctx: CoreContext, caseId: string): string {
  const existing = ctx.db.prepare('SELECT id FROM discharge_summaries WHERE case_id = ?').get(caseId) as { id: string } | undefined;
  if (existing) return existing.id;
  return String(ctx.store.insert('discharge_summaries', { id: summaryId(caseId), case_id: caseId, received_on: null, recommendations: null, follow_up_plan: null }).id);
}

// ---------------------------------------------------------------------------------------------
// Handlers.

export const aftercareHandlers: { [M in keyof AftercareMethods]: H<M> } & Pick<Handlers, keyof AftercareMethods> = {
  'aftercare.timeline': (a, ctx) => timeline(ctx, a.caseId, a.today),
  'aftercare.overdue': (a, ctx) => overdueSteps(ctx, a),
  'aftercare.today': (a, ctx) => aftercareToday(ctx, a.today),
  'aftercare.dischargeSummary': (a, ctx) => {
    ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      if (a.receivedOn !== undefined) assertAfterDates(ctx, a.caseId, { dischargeSummaryOn: a.receivedOn });
      const id = ensureSummary(ctx, a.caseId);
      const patch: Row = {};
      if (a.receivedOn !== undefined) patch.received_on = a.receivedOn;
      if (a.recommendations !== undefined) patch.recommendations = a.recommendations === null || a.recommendations.trim() === '' ? null : a.recommendations;
      if (a.followUpPlan !== undefined) patch.follow_up_plan = a.followUpPlan === null || a.followUpPlan.trim() === '' ? null : a.followUpPlan;
      if (Object.keys(patch).length > 0) ctx.store.update('discharge_summaries', id, patch);
    });
    changed(ctx, a.caseId);
    return timeline(ctx, a.caseId);
  },
  'aftercare.attachFile': (a, ctx) => {
    const content = decodeBase64(a.contentBase64);
    if (content.length > MAX_AFTERCARE_FILE_BYTES) {
      throw new AppFailure('aftercare.file_too_large', { size: content.length, maxMb: Math.round(MAX_AFTERCARE_FILE_BYTES / 1024 / 1024) });
    }
    requireApproved(ctx, a.caseId);
    const put = putStoredFile(ctx.dataDir, content);
    const file = ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      if (!ctx.db.prepare('SELECT 1 FROM stored_files WHERE sha256 = ?').get(put.sha256)) {
        ctx.store.insert('stored_files', { id: nameBasedUuid(`stored_files/${put.sha256}`), sha256: put.sha256, size: put.size });
      }
      ensureSummary(ctx, a.caseId);
      const same = ctx.db.prepare("SELECT * FROM aftercare_files WHERE case_id = ? AND kind = 'discharge_summary' AND sha256 = ?").get(a.caseId, put.sha256) as Record<string, string | number> | undefined;
      return fileRef(same ?? (ctx.store.insert('aftercare_files', { case_id: a.caseId, kind: 'discharge_summary', sha256: put.sha256, name: a.name, mime: a.mime, size: put.size }) as Record<string, string | number>));
    });
    changed(ctx, a.caseId);
    return { file, timeline: timeline(ctx, a.caseId) };
  },
  'aftercare.removeFile': (a, ctx) => {
    ctx.store.transaction(() => {
      const f = ctx.db.prepare('SELECT case_id FROM aftercare_files WHERE id = ?').get(a.fileId) as { case_id: string } | undefined;
      if (!f || f.case_id !== a.caseId) throw new AppFailure('aftercare.file_not_found', { id: a.fileId });
      ctx.store.remove('aftercare_files', a.fileId);
    });
    changed(ctx, a.caseId);
    return timeline(ctx, a.caseId);
  },
  'aftercare.fileContent': (a, ctx) => {
    const f = ctx.db.prepare('SELECT * FROM aftercare_files WHERE id = ?').get(a.fileId) as Record<string, string | number> | undefined;
    if (!f) throw new AppFailure('aftercare.file_not_found', { id: a.fileId });
    const content = readStoredFile(ctx.dataDir, String(f.sha256));
    if (!content) throw new AppFailure('aftercare.file_not_found', { id: a.fileId });
    return { file: fileRef(f), contentBase64: content.toString('base64') };
  },
  'aftercare.inpatientRefusals': (a, ctx) => ({ items: inpatientRefusals(ctx, a) }),
  'aftercare.journalEntry': (a, ctx) => {
    ctx.store.transaction(() => {
      const c = caseBase(ctx, a.caseId);
      const d = journalDecision(ctx, c);
      if (!d) throw new AppFailure('aftercare.not_inpatient_refusal');
      if (a.enteredOn !== null) {
        if (a.enteredOn < d.decided_on) throw new AppFailure('aftercare.date_before_decision', { field: 'enteredOn', date: fmt(a.enteredOn), decision: fmt(d.decided_on) });
        if (a.enteredOn > kzToday()) throw new AppFailure('aftercare.date_in_future', { field: 'enteredOn', date: fmt(a.enteredOn), today: fmt(kzToday()) });
      }
      const values: Row = {
        entered_on: a.enteredOn,
        ...(a.entryNumber !== undefined ? { entry_number: a.entryNumber === null || a.entryNumber.trim() === '' ? null : a.entryNumber.trim() } : {}),
        ...(a.note !== undefined ? { note: a.note === null || a.note.trim() === '' ? null : a.note } : {}),
      };
      const existing = ctx.db.prepare('SELECT id FROM inpatient_refusal_entries WHERE decision_id = ?').get(d.id) as { id: string } | undefined;
      if (existing) ctx.store.update('inpatient_refusal_entries', existing.id, values);
      else ctx.store.insert('inpatient_refusal_entries', { id: nameBasedUuid(`inpatient_refusal_entries/${d.id}`), case_id: a.caseId, decision_id: d.id, entry_number: null, note: null, ...values });
    });
    changed(ctx, a.caseId);
    return timeline(ctx, a.caseId);
  },
};

const fmt = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
