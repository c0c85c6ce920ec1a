/** The cases area's tables, their rows and the small helpers every part of the area uses. */
import type { CaseDetail, CaseDocumentView, CaseStatus, DecisionView, InformChannel, PortalStatus } from '../../../shared/contract/cases';
import { type RefusalReason } from '../../../shared/domain/decision';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { Statement } from 'better-sqlite3';
import type { Row, TableSpec } from '../store';
import { catalogueLookup, type CatalogueLookup } from '../services/catalogue-lookup';

/** Tables of user data owned by the cases area (written only through the Store). */
export const casesTables: TableSpec[] = [
  {
    name: 'patients',
    columns: ['iin', 'last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'phone', 'primary_care_org', 'insured'],
  },
  {
    name: 'cases',
    columns: [
      'patient_id', 'status', 'registered_at', 'received_at', 'received_date', 'channel', 'htmp_code', 'urgency', 'inpatient',
      'diagnosis_icd10', 'diagnosis_text', 'specialist_conclusion', 'provider_org', 'notes', 'due_date', 'calendar_confirmed',
      'complete', 'error_count', 'warning_count', 'search_text', 'outcome', 'reason', 'decided_on', 'issued_on', 'protocol_year',
      'protocol_number', 'portal_status', 'hospitalization_date', 'informed_channel', 'informed_date', 'hospitalization_set_on',
    ],
  },
  { name: 'case_documents', columns: ['case_id', 'position', 'kind', 'title', 'paper', 'signatures', 'seal', 'clinical_diagnosis', 'items'] },
  { name: 'stored_files', columns: ['sha256', 'size'] },
  { name: 'document_files', columns: ['document_id', 'case_id', 'sha256', 'name', 'mime', 'size'] },
  {
    name: 'decisions',
    columns: [
      'case_id', 'version', 'outcome', 'reason', 'decided_on', 'members', 'note', 'state', 'protocol_year', 'protocol_number', 'issued_by', 'issued_by_name',
      'issued_at', 'supersedes_id', 'superseded_by_id', 'packet_at_issue',
    ],
  },
  { name: 'protocol_counters', columns: ['year', 'last_number'] },
  { name: 'portal_events', columns: ['case_id', 'status', 'at', 'note'] },
  {
    name: 'follow_ups',
    columns: [
      'case_id', 'operation_date', 'discharge_date', 'complications', 'complications_note', 'disability', 'death', 'death_date',
      'survival_one_year', 'notes',
    ],
  },
];

const defaultsCache = new WeakMap<object, Map<string, Row>>();

/**
 * Inserts through the Store with EVERY declared column set (SQL defaults filled in explicitly), so
 * the change log holds the whole row: a replay elsewhere never depends on a local default.
 */
export function insertRow(ctx: CoreContext, table: string, values: Row): Row {
  let perDb = defaultsCache.get(ctx.db);
  if (!perDb) defaultsCache.set(ctx.db, (perDb = new Map()));
  let defaults = perDb.get(table);
  if (!defaults) {
    defaults = {};
    const spec = casesTables.find((t) => t.name === table);
    const info = ctx.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; dflt_value: string | null }[];
    for (const col of spec?.columns ?? []) {
      const d = info.find((i) => i.name === col)?.dflt_value ?? null;
      defaults[col] = d === null || d === 'NULL' ? null : /^'.*'$/s.test(d) ? d.slice(1, -1).replace(/''/g, "'") : Number(d);
    }
    perDb.set(table, defaults);
  }
  return ctx.store.insert(table, { ...defaults, ...values });
}

// ---------------------------------------------------------------------------------------------
// Rows and small conversions.

export interface CaseRow {
  id: string;
  created_at: string;
  updated_at: string;
  patient_id: string;
  status: CaseStatus;
  registered_at: string | null;
  received_at: string;
  received_date: string | null;
  channel: CaseDetail['channel'];
  htmp_code: string;
  urgency: CaseDetail['urgency'];
  inpatient: number;
  diagnosis_icd10: string;
  diagnosis_text: string;
  specialist_conclusion: string | null;
  provider_org: string | null;
  notes: string | null;
  due_date: string | null;
  calendar_confirmed: number;
  complete: number;
  error_count: number;
  warning_count: number;
  search_text: string;
  outcome: 'approved' | 'refused' | null;
  reason: RefusalReason | null;
  decided_on: string | null;
  issued_on: string | null;
  protocol_year: number | null;
  protocol_number: number | null;
  portal_status: PortalStatus | null;
  hospitalization_date: string | null;
  informed_channel: InformChannel | null;
  informed_date: string | null;
  hospitalization_set_on: string | null;
}

export interface PatientRow {
  id: string;
  created_at: string;
  updated_at: string;
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  primary_care_org: string | null;
  insured: number | null;
}

export interface DocumentRow {
  id: string;
  created_at: string;
  updated_at: string;
  case_id: string;
  position: number;
  kind: CaseDocumentView['kind'];
  title: string | null;
  paper: number;
  signatures: string;
  seal: number;
  clinical_diagnosis: string | null;
  items: string;
}

export interface LinkRow {
  id: string;
  created_at: string;
  updated_at: string;
  document_id: string;
  case_id: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

export interface DecisionRow {
  id: string;
  created_at: string;
  updated_at: string;
  case_id: string;
  version: number;
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  decided_on: string;
  members: string;
  note: string | null;
  state: DecisionView['state'];
  protocol_year: number | null;
  protocol_number: number | null;
  issued_at: string | null;
  supersedes_id: string | null;
  superseded_by_id: string | null;
  packet_at_issue: string | null;
}

export const bool = (v: boolean | null | undefined): number | null => (v === null || v === undefined ? null : v ? 1 : 0);
export const fromBool = (v: number | null): boolean | null => (v === null ? null : v === 1);
export const json = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};
export const protocolLabel = (year: number, number: number) => ({ year, number, label: `${number}/${year}` });
export const UNDECIDED: readonly CaseStatus[] = ['draft', 'registered'];

/** Lower-cases for the text search the same way for stored text and the query (ё = е). */
export function foldSearch(s: string): string {
  return s.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Catalogue, calendar and the packet check.

const lookups = new WeakMap<CoreContext, CatalogueLookup>();

export function catalogue(ctx: CoreContext): CatalogueLookup {
  let l = lookups.get(ctx);
  if (!l) {
    try {
      l = catalogueLookup(ctx);
    } catch (err) {
      throw new AppFailure('cases.catalogue_unavailable', { message: err instanceof Error ? err.message : String(err) });
    }
    lookups.set(ctx, l);
  }
  return l;
}

const statements = new WeakMap<object, Map<string, Statement>>();

/**
 * A prepared statement of this database, compiled once (preparing costs more than running the
 * small queries of a case; an import of 10,000 cases runs them 100,000 times). Bounded: the
 * register builds its SQL from the filters used, a few hundred shapes at most.
 */
export function prepared(ctx: CoreContext, sql: string): Statement {
  let perDb = statements.get(ctx.db);
  if (!perDb) statements.set(ctx.db, (perDb = new Map()));
  let st = perDb.get(sql);
  if (!st) {
    if (perDb.size >= 500) perDb.clear();
    st = ctx.db.prepare(sql);
    perDb.set(sql, st);
  }
  return st;
}
