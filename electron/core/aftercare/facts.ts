import { createHash } from 'node:crypto';
import { afterApprovalSteps, DEADLINE_STEPS, type AfterFacts } from '../../../shared/domain/aftercare';
import type { WorkCalendar } from '../../../shared/domain/calendar';
import { deriveFact, type CaseFact, type FactInput } from '../../../shared/domain/reports';
import { kzLocal } from '../../../shared/domain/kz-time';
import { kzToday, workCalendar } from '../cases/calendar';
import type { CoreContext } from '../context';
import type { ChangeRecord } from '../store';
import { catalogueLookup } from '../services/catalogue-lookup';

/**
 * The derived tables `report_facts` (one row per case) and `case_deadlines` (one row per step with
 * a due date of an approved case): what the Today screen, the overdue filter, the dashboard and the
 * annual report read, so that none of them recomputes 10,000 cases.
 *
 * Policy: they are an index, not user data. They are never synchronised and never written through
 * the Store. They follow the user data two ways:
 * - every logged change of a case's data (a local write or one applied by sync: the Store calls its
 *   listeners for both) recomputes that case's rows in the same transaction (`installFacts`);
 * - what every row depends on besides the case (the working-day calendar, the catalogue and its
 *   in-force dates, the rules' version FACTS_VERSION) is summed up in a key kept in `meta`; a reader
 *   calls `ensureFacts`, which rebuilds everything when the key differs (first start after the
 *   migration, a calendar or catalogue update, another laptop's process that changed them).
 * A failure while recomputing one case never fails the user's write: the key is dropped instead,
 * so the next reader rebuilds.
 */

/** Bump when the derivation changes: every installation then rebuilds its facts once. */
export const FACTS_VERSION = 2;
const KEY = 'report_facts_key';

interface CaseSqlRow {
  id: string;
  status: CaseFact['status'];
  received_at: string;
  htmp_code: string;
  urgency: 'planned' | 'emergency' | null;
  provider_org: string | null;
  provider_org_id: string | null;
  inpatient: number;
  outcome: 'approved' | 'refused' | null;
  reason: CaseFact['reason'];
  decided_on: string | null;
  portal_status: string | null;
  hospitalization_date: string | null;
  hospitalization_set_on: string | null;
  informed_date: string | null;
  insured: number | null;
  operation_date: string | null;
  discharge_date: string | null;
  complications: number | null;
  disability: number | null;
  death: number | null;
  death_date: string | null;
  survival_one_year: number | null;
  summary_on: string | null;
  uploaded_at: string | null;
}

/** Everything a case's facts are derived from, in one query. */
export const CASE_FACTS_SQL = `
  SELECT c.id, c.status, c.received_at, c.htmp_code, c.urgency, c.provider_org, c.inpatient, c.outcome, c.reason, c.decided_on,
         c.portal_status, c.hospitalization_date, c.hospitalization_set_on, c.informed_date, p.insured,
         f.operation_date, f.discharge_date, f.complications, f.disability, f.death, f.death_date, f.survival_one_year,
         s.received_on AS summary_on,
         (SELECT cp.org_id FROM case_providers cp JOIN organizations o ON o.id = cp.org_id
           WHERE cp.case_id = c.id ORDER BY cp.updated_at DESC, cp.id LIMIT 1) AS provider_org_id,
         (SELECT e.at FROM portal_events e WHERE e.case_id = c.id AND e.status = 'uploaded' ORDER BY e.at DESC, e.created_at DESC LIMIT 1) AS uploaded_at
    FROM cases c
    JOIN patients p ON p.id = c.patient_id
    LEFT JOIN follow_ups f ON f.case_id = c.id
    LEFT JOIN discharge_summaries s ON s.case_id = c.id`;

const fromBool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const toInt = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

/** A moment as written ('2026-03-20T16:30') or stored with a zone ('...Z'): Kazakhstan local time. */
export function localMoment(at: string): string {
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(at)) return at;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : kzLocal(ms);
}

/** The after-approval facts of a stored case (the Portal receipt only while it stands). */
export function afterFactsOf(r: Pick<CaseSqlRow, 'status' | 'decided_on' | 'portal_status' | 'uploaded_at' | 'hospitalization_date' | 'hospitalization_set_on' | 'informed_date' | 'operation_date' | 'discharge_date' | 'summary_on' | 'survival_one_year' | 'death' | 'death_date'>): AfterFacts {
  const onPortal = r.portal_status === 'uploaded' || r.portal_status === 'accepted';
  return {
    approvedOn: r.status === 'approved' ? r.decided_on : null,
    portalReceivedAt: onPortal && r.uploaded_at ? localMoment(r.uploaded_at) : null,
    hospitalizationDate: r.hospitalization_date,
    hospitalizationSetOn: r.hospitalization_set_on,
    informedOn: r.informed_date,
    operationDate: r.operation_date,
    dischargeDate: r.discharge_date,
    dischargeSummaryOn: r.summary_on,
    survivalOneYear: fromBool(r.survival_one_year),
    death: fromBool(r.death),
    deathDate: r.death_date,
  };
}

export function factInputOf(r: CaseSqlRow): FactInput {
  return {
    caseId: r.id,
    status: r.status,
    receivedAt: r.received_at,
    htmpCode: r.htmp_code,
    urgency: r.urgency,
    insured: fromBool(r.insured),
    providerOrg: r.provider_org,
    providerOrgId: r.provider_org_id,
    inpatient: r.inpatient === 1,
    outcome: r.outcome,
    reason: r.reason,
    decidedOn: r.decided_on,
    operationDate: r.operation_date,
    complications: fromBool(r.complications),
    disability: fromBool(r.disability),
    death: fromBool(r.death),
    deathDate: r.death_date,
    survivalOneYear: fromBool(r.survival_one_year),
  };
}

/**
 * The facts rows as `factFromRow` reads them: `report_facts` with its provider's name (the table
 * keeps a number, `report_providers` the name: migration 0021-size). Add a WHERE on `f.`.
 */
// (A subquery, not a join: the planner would put the small providers table outside, and run a
// WHERE with ORs once per provider.)
export const FACTS_SQL = 'SELECT f.*, (SELECT name FROM report_providers WHERE id = f.provider_no) AS provider FROM report_facts f';

/** Reads the facts table's row back as a CaseFact (a row of `FACTS_SQL`). */
export function factFromRow(r: Record<string, unknown>): CaseFact {
  return {
    caseId: r.case_id as string,
    status: r.status as CaseFact['status'],
    // '' is the key of a case without a received date (report_facts is keyed by it).
    receivedDate: (r.received_date as string | null) || null,
    htmpCode: r.htmp_code as string,
    section: r.section as CaseFact['section'],
    funding: r.funding as CaseFact['funding'],
    provider: r.provider as string,
    inpatient: r.inpatient === 1,
    outcome: r.outcome as CaseFact['outcome'],
    reason: r.reason as CaseFact['reason'],
    decidedOn: r.decided_on as string | null,
    reviewDue: r.review_due as string | null,
    reviewWd: r.review_wd as number | null,
    reviewOnTime: fromBool(r.review_on_time as number | null),
    operationDate: r.operation_date as string | null,
    complications: fromBool(r.complications as number | null),
    disability: fromBool(r.disability as number | null),
    death: fromBool(r.death as number | null),
    deathDate: r.death_date as string | null,
    survivalOneYear: fromBool(r.survival_one_year as number | null),
    followUpDue: r.follow_up_due as string | null,
  };
}

interface Derivation {
  fact: CaseFact;
  deadlines: { step: string; start: string; due: string; done: boolean; doneOn: string | null; confirmed: boolean }[];
}

/** The facts and deadline rows of one case (pure apart from the catalogue lookup). */
export function deriveCaseRows(r: CaseSqlRow, cal: WorkCalendar, lookup: ReturnType<typeof catalogueLookup>): Derivation {
  const fact = deriveFact(factInputOf(r), cal, (code, onDate) => {
    try {
      return lookup.lookup(code, onDate);
    } catch {
      // No catalogue yet: no section. Loading one changes the facts key, and so rebuilds.
      return { known: false, inForce: false, sections: [] };
    }
  });
  const deadlines: Derivation['deadlines'] = [];
  if (r.status === 'approved') {
    // `today` does not change due dates; the stored rows carry no state.
    for (const s of afterApprovalSteps(afterFactsOf(r), cal, '1970-01-01')) {
      if (!(DEADLINE_STEPS as readonly string[]).includes(s.id) || s.due === null || s.start === null) continue;
      deadlines.push({ step: s.id, start: s.start, due: s.due, done: s.done, doneOn: s.doneOn, confirmed: s.calendarConfirmed });
    }
  }
  return { fact, deadlines };
}

function statements(ctx: CoreContext) {
  const db = ctx.db;
  return {
    one: db.prepare(`${CASE_FACTS_SQL} WHERE c.id = ?`),
    all: db.prepare(CASE_FACTS_SQL),
    delFact: db.prepare('DELETE FROM report_facts WHERE case_id = ?'),
    delDeadlines: db.prepare('DELETE FROM case_deadlines WHERE case_id = ?'),
    // The provider's number (a new name gets one); REPLACE also removes the case's row stored
    // under another received date (case_id is unique).
    providerNo: db.prepare('SELECT id FROM report_providers WHERE name = ?').pluck(),
    addProvider: db.prepare('INSERT INTO report_providers (name) VALUES (?) RETURNING id').pluck(),
    putFact: db.prepare(
      `INSERT OR REPLACE INTO report_facts (case_id, status, received_date, htmp_code, section, funding, provider_no, inpatient, outcome, reason, decided_on,
         review_due, review_wd, review_on_time, operation_date, complications, disability, death, death_date, survival_one_year, follow_up_due)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    putDeadline: db.prepare('INSERT INTO case_deadlines (case_id, step, start_at, due_date, done, done_on, calendar_confirmed) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    casesOfPatient: db.prepare('SELECT id FROM cases WHERE patient_id = ?').pluck(),
    caseOfChild: new Map([...CHILD_TABLES].map((t) => [t, db.prepare(`SELECT case_id FROM ${t} WHERE id = ?`).pluck()] as const)),
  };
}
const stmtCache = new WeakMap<CoreContext['db'], ReturnType<typeof statements>>();
const stmts = (ctx: CoreContext) => {
  let s = stmtCache.get(ctx.db);
  if (!s) stmtCache.set(ctx.db, (s = statements(ctx)));
  return s;
};

/** The number of a provider's name in `report_providers` (a new name is added). */
function providerNo(s: ReturnType<typeof statements>, name: string): number {
  return (s.providerNo.get(name) as number | undefined) ?? (s.addProvider.get(name) as number);
}

function write(ctx: CoreContext, caseId: string, d: Derivation | null): void {
  const s = stmts(ctx);
  s.delDeadlines.run(caseId);
  if (d === null) {
    s.delFact.run(caseId);
    return;
  }
  const f = d.fact;
  s.putFact.run(
    f.caseId, f.status, f.receivedDate ?? '', f.htmpCode, f.section, f.funding, providerNo(s, f.provider), f.inpatient ? 1 : 0, f.outcome, f.reason, f.decidedOn,
    f.reviewDue, f.reviewWd, toInt(f.reviewOnTime), f.operationDate, toInt(f.complications), toInt(f.disability), toInt(f.death), f.deathDate,
    toInt(f.survivalOneYear), f.followUpDue,
  );
  for (const x of d.deadlines) s.putDeadline.run(caseId, x.step, x.start, x.due, x.done ? 1 : 0, x.doneOn, x.confirmed ? 1 : 0);
}

/** Recomputes one case's rows (removes them when the case is gone). */
export function refreshCaseFacts(ctx: CoreContext, caseId: string, cal: WorkCalendar = workCalendar(ctx.db), lookup: ReturnType<typeof catalogueLookup> = catalogueLookup(ctx)): void {
  const row = stmts(ctx).one.get(caseId) as CaseSqlRow | undefined;
  write(ctx, caseId, row ? deriveCaseRows(row, cal, lookup) : null);
}

/** Cases whose facts wait for the end of a bulk write (per database), see `deferFacts`. */
const deferred = new WeakMap<CoreContext['db'], Set<string>>();

/**
 * Runs a bulk write (a sync import, a batch of imported cases) with the facts of the cases it
 * touches recomputed ONCE each at its end, instead of after every logged change (a synced case
 * arrives as a dozen changes). Call it inside the write's transaction: the facts are written in
 * the same transaction, so nothing is seen half done. Nested calls join the outer one.
 */
export function deferFacts<T>(ctx: CoreContext, fn: () => T): T {
  if (deferred.has(ctx.db)) return fn();
  const pending = new Set<string>();
  deferred.set(ctx.db, pending);
  let out: T;
  try {
    out = fn();
  } finally {
    deferred.delete(ctx.db);
  }
  if (pending.size > 0) guarded(ctx, () => {
    const cal = workCalendar(ctx.db);
    const lookup = catalogueLookup(ctx);
    for (const id of pending) refreshCaseFacts(ctx, id, cal, lookup);
  });
  return out;
}

/** Never fails the user's write for an index: on an error the key is dropped, the next reader rebuilds. */
function guarded(ctx: CoreContext, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('[htmp] report facts: recomputing failed, will rebuild:', err);
    try {
      ctx.db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
    } catch {
      /* the rebuild happens on the next start at the latest */
    }
  }
}

/** Rebuilds both tables from every case (one transaction). Returns the number of cases. */
export function rebuildFacts(ctx: CoreContext): number {
  const cal = workCalendar(ctx.db);
  const lookup = catalogueLookup(ctx);
  return ctx.db.transaction(() => {
    ctx.db.exec('DELETE FROM case_deadlines; DELETE FROM report_facts;');
    let n = 0;
    // All rows first: better-sqlite3 cannot write while a statement is iterating.
    for (const r of stmts(ctx).all.all() as CaseSqlRow[]) {
      write(ctx, r.id, deriveCaseRows(r, cal, lookup));
      n++;
    }
    // Names no row uses any more (the numbers of the others stay as they were).
    ctx.db.exec('DELETE FROM report_providers WHERE id NOT IN (SELECT provider_no FROM report_facts)');
    ctx.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, factsKey(ctx));
    return n;
  })();
}

const calendarHashes = new WeakMap<WorkCalendar, string>();

/** What every fact depends on besides its case: rules version, calendar, catalogue and its dates. */
export function factsKey(ctx: CoreContext): string {
  const cal = workCalendar(ctx.db);
  let h = calendarHashes.get(cal);
  if (!h) calendarHashes.set(cal, (h = createHash('sha256').update(JSON.stringify(cal)).digest('hex').slice(0, 16)));
  const data = (ctx.db.prepare("SELECT value FROM catalogue_info WHERE key = 'data_hash'").get() as { value: string } | undefined)?.value ?? '';
  const dates = (ctx.db.prepare('SELECT edition_id, in_force_from FROM catalogue_edition_dates ORDER BY edition_id, in_force_from').all() as { edition_id: string; in_force_from: string }[])
    .map((r) => `${r.edition_id}=${r.in_force_from}`)
    .join(',');
  return `${FACTS_VERSION}|${h}|${data}|${createHash('sha256').update(dates).digest('hex').slice(0, 16)}`;
}

/** Makes sure the derived tables are current before they are read (rebuilds when they are not). */
export function ensureFacts(ctx: CoreContext): void {
  const stored = (ctx.db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined)?.value;
  if (stored !== factsKey(ctx)) rebuildFacts(ctx);
}

// Fields of `cases` the facts read: a change of any other (derived columns, search text) is ignored.
const CASE_FIELDS = new Set([
  'status', 'received_at', 'htmp_code', 'urgency', 'provider_org', 'inpatient', 'outcome', 'reason', 'decided_on', 'portal_status',
  'hospitalization_date', 'hospitalization_set_on', 'informed_date', 'patient_id',
]);
const CHILD_TABLES = new Set(['follow_ups', 'discharge_summaries', 'portal_events', 'case_providers']);

/** The cases a logged change concerns, as far as the facts go. */
function casesOf(ctx: CoreContext, c: ChangeRecord): string[] {
  if (c.table === 'cases') {
    if (c.op !== 'update') return [c.recordId];
    return Object.keys(c.fields).some((f) => CASE_FIELDS.has(f)) ? [c.recordId] : [];
  }
  if (c.table === 'patients') {
    // A case that arrived (by sync) before its patient gets its facts when the patient comes.
    if (c.op === 'delete' || (c.op === 'update' && !('insured' in c.fields))) return [];
    return stmts(ctx).casesOfPatient.all(c.recordId) as string[];
  }
  if (CHILD_TABLES.has(c.table)) {
    const fromFields = c.fields.case_id?.[c.op === 'delete' ? 0 : 1];
    if (typeof fromFields === 'string') return [fromFields];
    const caseId = stmts(ctx).caseOfChild.get(c.table)!.get(c.recordId) as string | undefined;
    return caseId !== undefined ? [caseId] : [];
  }
  return [];
}

/** Keeps the derived tables in step with every logged change of this core's Store. */
export function installFacts(ctx: CoreContext): () => void {
  return ctx.store.onChange((change) => {
    const pending = deferred.get(ctx.db);
    guarded(ctx, () => {
      for (const id of casesOf(ctx, change)) {
        if (pending) pending.add(id);
        else refreshCaseFacts(ctx, id);
      }
    });
  });
}

export { kzToday };
