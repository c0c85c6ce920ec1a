import type { z } from 'zod';
import type {
  AttachResult,
  CaseDetail,
  IssueCheckResult,
  TechnologyView,
  CaseDocumentView,
  CaseList,
  CaseListItem,
  CasesMethods,
  CaseStatus,
  DecideResult,
  DecisionView,
  DueView,
  FileRef,
  FollowUpView,
  InformChannel,
  Member,
  PortalEvent,
  PortalStatus,
  RefusalJournalEntry,
  SameIinCase,
  ValidateResult,
  caseDraftSchema,
} from '../../../shared/contract/cases';
import { CASE_STATUSES, MAX_FILE_BYTES, MAX_PAGE, PORTAL_TRANSITIONS } from '../../../shared/contract/cases';
import { checkDecision, REFUSAL_LEGAL_SUBPOINT, type RefusalReason } from '../../../shared/domain/decision';
import { localDatePart, reviewDue, type Deadline } from '../../../shared/domain/deadline';
import { deriveFunding, selectSection, type FundingResult } from '../../../shared/domain/funding';
import { issueGaps, type IssueGap } from '../../../shared/domain/issue';
import { checkIin } from '../../../shared/domain/iin';
import { foldText } from '../../../shared/domain/text-fold';
import { FINDING_SEVERITY, packetDefects, validatePacket, type CaseInput, type Finding, type FindingCode, type PacketCheck, type PacketContext } from '../../../shared/domain/packet';
import { AppFailure } from '../../../shared/result';
import { assertAfterDates } from '../aftercare/dates';
import { deferFacts } from '../aftercare/facts';
import { withBulkCache } from '../db';
import { kzToday, workCalendar } from '../cases/calendar';
import { hasStoredFile, putStoredFile, readStoredFile } from '../files';
import { currentActor } from '../auth/current';
import { decodeCursor, encodeCursor } from '../cursor';
import type { CoreContext, Handlers } from '../context';
import type { Statement } from 'better-sqlite3';
import { SqlFilter } from '../sql-filter';
import type { Row, SqlValue, TableSpec } from '../store';
import { nameBasedUuid } from '../store';
import { readSettings, standingMembers } from './app';
import { catalogueLookup, type CatalogueLookup, type CodeOnDate } from './catalogue-lookup';
import { catalogueModel } from '../catalogue/model';

export { hasStoredFile } from '../files';

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
function insertRow(ctx: CoreContext, table: string, values: Row): Row {
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

interface CaseRow {
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

interface PatientRow {
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

interface DocumentRow {
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

interface LinkRow {
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

interface DecisionRow {
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

const bool = (v: boolean | null | undefined): number | null => (v === null || v === undefined ? null : v ? 1 : 0);
const fromBool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const json = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};
const protocolLabel = (year: number, number: number) => ({ year, number, label: `${number}/${year}` });
const UNDECIDED: readonly CaseStatus[] = ['draft', 'registered'];

/** Lower-cases for the text search the same way for stored text and the query (ё = е). */
export function foldSearch(s: string): string {
  return s.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Catalogue, calendar and the packet check.

const lookups = new WeakMap<CoreContext, CatalogueLookup>();

function catalogue(ctx: CoreContext): CatalogueLookup {
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

export interface Derived {
  check: PacketCheck;
  due: DueView | null;
  code: CodeOnDate | null;
  funding: FundingResult | null;
  technology: TechnologyView | null;
}

/**
 * The technology of a case named as the section its urgency (and funding) selects words it, on
 * the received date: never simply the first section the code stands in.
 */
function technologyOf(cat: CatalogueLookup, codeText: string, receivedDate: string | null, code: CodeOnDate | null, urgency: unknown, funding: FundingResult | null): TechnologyView | null {
  if (codeText === '' || receivedDate === null || code === null || !code.known) return null;
  const section = funding?.section ?? (code.inForce && (urgency === 'planned' || urgency === 'emergency') ? selectSection(code.sections, urgency) : null);
  const names = cat.names(codeText, receivedDate, section);
  const official = (lang: 'kk' | 'ru') => (names[lang] && names[lang].source.kind !== 'local' ? names[lang] : null);
  const kk = official('kk');
  const ru = official('ru');
  return {
    code: codeText,
    editionId: code.editionId,
    section,
    name: { kk: kk?.text ?? null, ru: ru?.text ?? null },
    nameEdition: { kk: kk?.source.kind === 'edition' ? kk.source.id : null, ru: ru?.source.kind === 'edition' ? ru.source.id : null },
  };
}

/**
 * The packet check, deadline and funding of a case input. `fileExists` says whether a document's
 * file reference (a sha256 for stored cases, a path for a case file) is there.
 */
export function deriveCase(ctx: CoreContext, input: CaseInput, fileExists: (ref: string) => boolean, insured: boolean | null = null): Derived {
  const cat = catalogue(ctx);
  const packetCtx: PacketContext = { catalogue: { lookup: (c, d) => cat.lookup(c, d) }, fileExists, today: kzToday() };
  const check = validatePacket(input, packetCtx);
  const receivedDate = localDatePart(input.receivedAt);
  let due: DueView | null = null;
  if (receivedDate !== null) {
    const d: Deadline = reviewDue(input.receivedAt, workCalendar(ctx.db));
    due = { due: d.due, workingDays: d.workingDays, calendarConfirmed: d.calendarConfirmed, unconfirmedYears: d.unconfirmedYears };
  }
  const codeText = typeof input.htmpCode === 'string' ? input.htmpCode.trim() : '';
  const code = codeText !== '' && receivedDate !== null ? cat.lookup(codeText, receivedDate) : null;
  const funding = code && code.known && code.inForce && (input.urgency === 'planned' || input.urgency === 'emergency')
    ? deriveFunding(code.sections, input.urgency, { insured })
    : null;
  return { check, due, code, funding, technology: technologyOf(cat, codeText, receivedDate, code, input.urgency, funding) };
}

// ---------------------------------------------------------------------------------------------
// Loading a stored case.

interface Loaded {
  c: CaseRow;
  p: PatientRow;
  docs: DocumentRow[];
  links: LinkRow[];
}

const statements = new WeakMap<object, Map<string, Statement>>();

/**
 * A prepared statement of this database, compiled once (preparing costs more than running the
 * small queries of a case; an import of 10,000 cases runs them 100,000 times). Bounded: the
 * register builds its SQL from the filters used, a few hundred shapes at most.
 */
function prepared(ctx: CoreContext, sql: string): Statement {
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

function loadCase(ctx: CoreContext, id: string): Loaded {
  const c = prepared(ctx, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!c) throw new AppFailure('cases.not_found', { id });
  const p = prepared(ctx, 'SELECT * FROM patients WHERE id = ?').get(c.patient_id) as PatientRow;
  const docs = prepared(ctx, 'SELECT * FROM case_documents WHERE case_id = ? ORDER BY position, created_at, id').all(id) as DocumentRow[];
  const links = prepared(ctx, 'SELECT * FROM document_files WHERE case_id = ? ORDER BY created_at, id').all(id) as LinkRow[];
  return { c, p, docs, links };
}

function toInput(l: Loaded): CaseInput {
  const p = l.p;
  const patient: CaseInput['patient'] = { iin: p.iin, lastName: p.last_name, firstName: p.first_name };
  if (p.middle_name !== null) patient.middleName = p.middle_name;
  if (p.birth_date !== null && p.birth_date !== '') patient.birthDate = p.birth_date;
  if (p.sex !== null) patient.sex = p.sex;
  const input: CaseInput = {
    receivedAt: l.c.received_at,
    patient,
    htmpCode: l.c.htmp_code,
    urgency: (l.c.urgency ?? '') as CaseInput['urgency'],
    inpatient: l.c.inpatient === 1,
    diagnosis: { icd10: l.c.diagnosis_icd10, text: l.c.diagnosis_text },
    documents: l.docs.map((d) => {
      const doc: CaseInput['documents'][number] = {
        kind: d.kind,
        paper: d.paper === 1,
        files: l.links.filter((f) => f.document_id === d.id).map((f) => f.sha256),
        signatures: json(d.signatures, []),
        seal: d.seal === 1,
        items: json(d.items, []),
      };
      if (d.clinical_diagnosis !== null) doc.clinicalDiagnosis = d.clinical_diagnosis;
      return doc;
    }),
  };
  if (l.c.channel !== null) input.channel = l.c.channel;
  return input;
}

function deriveStored(ctx: CoreContext, l: Loaded): Derived {
  return deriveCase(ctx, toInput(l), (sha) => hasStoredFile(ctx.dataDir, sha), fromBool(l.p.insured));
}

function searchText(p: Pick<PatientRow, 'iin' | 'last_name' | 'first_name' | 'middle_name'>): string {
  return foldSearch([p.iin, p.last_name, p.first_name, p.middle_name ?? ''].join(' '));
}

/** The derived columns of `cases` for the register's SQL filters and sort. */
function derivedColumns(l: Loaded, d: Derived): Row {
  return {
    received_date: localDatePart(l.c.received_at),
    due_date: d.due?.due ?? null,
    calendar_confirmed: d.due === null || d.due.calendarConfirmed ? 1 : 0,
    complete: d.check.complete ? 1 : 0,
    error_count: d.check.findings.filter((f) => f.severity === 'error').length,
    warning_count: d.check.findings.filter((f) => f.severity === 'warning').length,
    search_text: searchText(l.p),
  };
}

/** Recomputes due dates and checks of every open case (after the calendar or catalogue changed). */
export function refreshOpenCases(ctx: CoreContext): number {
  const ids = ctx.db.prepare("SELECT id FROM cases WHERE status IN ('draft', 'registered')").all() as { id: string }[];
  ctx.store.transaction(() => {
    for (const { id } of ids) refresh(ctx, id);
  });
  return ids.length;
}

/** Recomputes the derived columns of a stored case (after any change to it or its packet). */
function refresh(ctx: CoreContext, id: string): Derived {
  const l = loadCase(ctx, id);
  const d = deriveStored(ctx, l);
  ctx.store.update('cases', id, derivedColumns(l, d));
  return d;
}

// ---------------------------------------------------------------------------------------------
// Views.

function decisionView(r: DecisionRow): DecisionView {
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

function fileRef(f: LinkRow): FileRef {
  return { id: f.id, documentId: f.document_id, sha256: f.sha256, name: f.name, size: f.size, mime: f.mime, addedAt: f.created_at };
}

function latestUpdate(l: Loaded): string {
  return [l.c.updated_at, l.p.updated_at, ...l.docs.map((d) => d.updated_at), ...l.links.map((f) => f.updated_at)].reduce((a, b) => (b > a ? b : a));
}

function isOverdue(status: CaseStatus, due: string | null, today: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// Saving.

type CaseDraft = z.infer<typeof caseDraftSchema>;

function patientPatch(p: NonNullable<CaseDraft['patient']>): Row {
  const out: Row = {};
  if (p.iin !== undefined) out.iin = p.iin.trim();
  if (p.lastName !== undefined) out.last_name = p.lastName;
  if (p.firstName !== undefined) out.first_name = p.firstName;
  if (p.middleName !== undefined) out.middle_name = p.middleName;
  if (p.birthDate !== undefined) out.birth_date = p.birthDate === '' ? null : p.birthDate;
  if (p.sex !== undefined) out.sex = p.sex;
  if (p.phone !== undefined) out.phone = p.phone;
  if (p.primaryCareOrg !== undefined) out.primary_care_org = p.primaryCareOrg;
  if (p.insured !== undefined) out.insured = bool(p.insured);
  return out;
}

function casePatch(a: CaseDraft): Row {
  const out: Row = {};
  if (a.receivedAt !== undefined) out.received_at = a.receivedAt.trim();
  if (a.channel !== undefined) out.channel = a.channel;
  if (a.htmpCode !== undefined) out.htmp_code = a.htmpCode.trim();
  if (a.urgency !== undefined) out.urgency = a.urgency;
  if (a.inpatient !== undefined) out.inpatient = a.inpatient ? 1 : 0;
  if (a.diagnosis?.icd10 !== undefined) out.diagnosis_icd10 = a.diagnosis.icd10.trim();
  if (a.diagnosis?.text !== undefined) out.diagnosis_text = a.diagnosis.text;
  if (a.specialistConclusion !== undefined) out.specialist_conclusion = a.specialistConclusion;
  if (a.providerOrg !== undefined) out.provider_org = a.providerOrg;
  if (a.notes !== undefined) out.notes = a.notes;
  return out;
}

function documentPatch(d: NonNullable<CaseDraft['documents']>[number], position: number): Row {
  const out: Row = { kind: d.kind, position };
  if (d.title !== undefined) out.title = d.title;
  if (d.paper !== undefined) out.paper = d.paper ? 1 : 0;
  if (d.signatures !== undefined) out.signatures = JSON.stringify([...new Set(d.signatures)]);
  if (d.seal !== undefined) out.seal = d.seal ? 1 : 0;
  if (d.clinicalDiagnosis !== undefined) out.clinical_diagnosis = d.clinicalDiagnosis;
  if (d.items !== undefined) out.items = JSON.stringify(d.items);
  return out;
}

function removeDocument(ctx: CoreContext, documentId: string): void {
  for (const f of ctx.db.prepare('SELECT id FROM document_files WHERE document_id = ?').all(documentId) as { id: string }[]) {
    ctx.store.remove('document_files', f.id);
  }
  ctx.store.remove('case_documents', documentId);
}

/** Writes a draft (create when `id` is absent). Never refuses content; returns the case id. */
function writeDraft(ctx: CoreContext, id: string | undefined, a: CaseDraft): { id: string; created: boolean } {
  let caseId = id;
  let created = false;
  if (caseId === undefined) {
    const p = insertRow(ctx, 'patients', patientPatch(a.patient ?? {}));
    // search_text now (not only when derived): the name index is written once, not twice.
    const search_text = searchText({ iin: String(p.iin ?? ''), last_name: String(p.last_name ?? ''), first_name: String(p.first_name ?? ''), middle_name: (p.middle_name ?? null) as string | null });
    caseId = String(insertRow(ctx, 'cases', { patient_id: String(p.id), status: 'draft', search_text, ...casePatch(a) }).id);
    created = true;
  } else {
    const l = loadCase(ctx, caseId);
    if (a.patient) {
      const patch = patientPatch(a.patient);
      if (Object.keys(patch).length > 0) ctx.store.update('patients', l.p.id, patch);
    }
    const patch = casePatch(a);
    if (Object.keys(patch).length > 0) ctx.store.update('cases', caseId, patch);
  }
  if (a.documents !== undefined) {
    const existing = ctx.db.prepare('SELECT id FROM case_documents WHERE case_id = ?').all(caseId) as { id: string }[];
    const keep = new Set(a.documents.map((d) => d.id).filter((x): x is string => x !== undefined));
    for (const d of existing) if (!keep.has(d.id)) removeDocument(ctx, d.id);
    const known = new Set(existing.map((d) => d.id));
    a.documents.forEach((d, i) => {
      const patch = documentPatch(d, i);
      if (d.id !== undefined) {
        if (!known.has(d.id)) throw new AppFailure('cases.document_not_found', { id: d.id });
        ctx.store.update('case_documents', d.id, patch);
      } else {
        insertRow(ctx, 'case_documents', { case_id: caseId, ...patch });
      }
    });
  }
  return { id: caseId, created };
}

/**
 * Saves data first and derives second, in one transaction, except that a failure to derive (no
 * catalogue, a broken calendar) never undoes the save: the data is committed and the error thrown.
 */
function saveCase(ctx: CoreContext, id: string | undefined, a: CaseDraft, expectedUpdatedAt?: string): { id: string; created: boolean; derived: Derived } {
  let deriveError: unknown = null;
  const out = ctx.store.transaction(() => {
    if (id !== undefined) assertCaseEditable(ctx, id);
    if (id !== undefined && expectedUpdatedAt !== undefined) {
      const current = latestUpdate(loadCase(ctx, id));
      if (current !== expectedUpdatedAt) throw new AppFailure('cases.conflict', { id, expected: expectedUpdatedAt, current });
    }
    const w = writeDraft(ctx, id, a);
    let derived: Derived | null = null;
    try {
      derived = refresh(ctx, w.id);
    } catch (err) {
      deriveError = err;
    }
    return { ...w, derived };
  });
  if (deriveError !== null || out.derived === null) throw deriveError;
  return { id: out.id, created: out.created, derived: out.derived };
}

function changed(ctx: CoreContext, caseId: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'cases', id: caseId } });
}

/**
 * An issued protocol locks the case's data: what the protocol printed must stay what the case
 * says. A change goes through "Correct the decision" (a correction's draft unlocks the case until
 * it is issued, with a new number, or deleted).
 */
export function assertCaseEditable(ctx: CoreContext, caseId: string): void {
  const rows = ctx.db.prepare("SELECT state, protocol_year, protocol_number FROM decisions WHERE case_id = ? AND state IN ('issued', 'draft')").all(caseId) as {
    state: string;
    protocol_year: number | null;
    protocol_number: number | null;
  }[];
  const issued = rows.find((r) => r.state === 'issued');
  if (issued && !rows.some((r) => r.state === 'draft')) throw new AppFailure('cases.locked', { protocol: `${issued.protocol_number}/${issued.protocol_year}` });
}

// ---------------------------------------------------------------------------------------------
// The register.

export interface ListArgs {
  status?: CaseStatus | CaseStatus[] | undefined;
  dueToday?: boolean | undefined;
  overdue?: boolean | undefined;
  code?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  query?: string | undefined;
  today?: string | undefined;
  sort?: 'due' | 'received_desc' | undefined;
  issuedOn?: string | undefined;
  after?: string | undefined;
  limit?: number | undefined;
  withTotal?: boolean | undefined;
}

type ListRow = CaseRow & { p_iin: string; p_last: string; p_first: string; p_middle: string | null };

function listItem(r: ListRow, today: string): CaseListItem {
  return {
    id: r.id,
    status: r.status,
    patient: { iin: r.p_iin, lastName: r.p_last, firstName: r.p_first, middleName: r.p_middle },
    htmpCode: r.htmp_code,
    urgency: r.urgency,
    receivedAt: r.received_at,
    due: r.due_date,
    calendarConfirmed: r.calendar_confirmed === 1,
    overdue: isOverdue(r.status, r.due_date, today),
    complete: r.complete === 1,
    errorCount: r.error_count,
    warningCount: r.warning_count,
    outcome: r.outcome,
    reason: r.reason,
    protocol: r.protocol_year !== null && r.protocol_number !== null ? protocolLabel(r.protocol_year, r.protocol_number) : null,
    portalStatus: r.portal_status,
    updatedAt: r.updated_at,
  };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The text query folded as `case_search.text` is (migration 0013-register): lower case, ё = е, spaces
 * collapsed (foldSearch), then Kazakh letters and Latin look-alikes to Russian ones (foldText).
 */
export function foldQuery(s: string): string {
  return foldText(foldSearch(s));
}

/**
 * The register's sort key: undated cases last, then due date (migration 0007 indexes it). The
 * filters "due today" and "overdue" are ranges of the same key, so they walk the same indexes.
 */
const DUE_KEY = "coalesce(c.due_date, '~')";
/** Up to this many cases in a date range, a page is sorted from the date index (see listCases). */
const DATE_INDEX_BELOW = 20_000;
const CURSOR_VERSION = 1;

type Cursor = { sort: 'due'; key: string; receivedAt: string; id: string } | { sort: 'received_desc'; receivedAt: string; id: string };

function encodeRegisterCursor(c: Cursor): string {
  return encodeCursor(c.sort === 'due' ? [CURSOR_VERSION, c.sort, c.key, c.receivedAt, c.id] : [CURSOR_VERSION, c.sort, c.receivedAt, c.id]);
}

function decodeRegisterCursor(text: string, sort: 'due' | 'received_desc'): Cursor {
  const parts = decodeCursor(text, (p) => p[0] === CURSOR_VERSION && p[1] === sort && p.length === (sort === 'due' ? 5 : 4) && p.slice(2).every((x) => typeof x === 'string')) as [number, string, ...string[]];
  return sort === 'due' ? { sort, key: parts[2]!, receivedAt: parts[3]!, id: parts[4]! } : { sort, receivedAt: parts[2]!, id: parts[3]! };
}

/** The smallest string above every string that starts with `prefix` (for a prefix range). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The register's query: filters in SQL on indexed columns, one page in the register's order,
 * continued with a cursor (key paging: the next page starts after the last row's sort key, so
 * a deep page costs what the first does). Text is looked up in the trigram index of names and
 * IINs (`case_search_fts`), never by scanning the cases.
 */
export function listCases(ctx: CoreContext, a: ListArgs, tuning: { textWalkAbove?: number; dateIndexBelow?: number } = {}): CaseList {
  const today = a.today ?? kzToday();
  const sort = a.sort ?? 'due';
  const filter = new SqlFilter();
  const statuses = [...new Set(a.status === undefined ? [] : Array.isArray(a.status) ? a.status : [a.status])].filter((x) => (CASE_STATUSES as readonly string[]).includes(x)).sort();
  // Exactly the undecided cases, or some of them by due date: the partial indexes hold them.
  const undecidedOnly = a.dueToday === true || a.overdue === true || (statuses.length === UNDECIDED.length && UNDECIDED.every((x) => statuses.includes(x)));
  if (a.status !== undefined) {
    // Written as literals (the values are the fixed status names): SQLite then knows each
    // status's share from its statistics.
    filter.add(statuses.length > 0 ? `c.status IN (${statuses.map((x) => `'${x}'`).join(', ')})` : '0');
  }
  if (a.dueToday || a.overdue) {
    filter.add("c.status IN ('draft', 'registered')");
    filter.add(`${DUE_KEY} ${a.dueToday && a.overdue ? '<=' : a.overdue ? '<' : '='} ?`, today);
  }
  const code = a.code?.trim() ?? '';
  if (code !== '') {
    if (!code.endsWith('*')) {
      // With a date range the date index answers both (it holds the code): a frequent code
      // walked in its own index would read every case of it to find the dates.
      filter.add(a.receivedFrom || a.receivedTo ? '+c.htmp_code = ?' : 'c.htmp_code = ?', code);
    } else if (/^[0-9.]+\*$/.test(code)) {
      // A prefix of digits and dots (what codes are made of): an index range. LIKE gives the
      // same rows (its case folding touches only Latin letters) but cannot use an index.
      const prefix = code.slice(0, -1);
      filter.add('c.htmp_code >= ? AND c.htmp_code < ?', prefix, prefixEnd(prefix));
    } else if (code !== '*') {
      filter.add("c.htmp_code LIKE ? ESCAPE '\\'", `${likeEscape(code.slice(0, -1))}%`);
    }
  }
  filter.atLeast('c.received_date', a.receivedFrom).atMost('c.received_date', a.receivedTo).equals('c.issued_on', a.issuedOn);

  // The text: the cases whose folded names and IIN contain the query, an exact substring. Three
  // letters or more are looked up in the trigram index (a phrase of the query's trigrams); one or
  // two letters have no trigram, so the narrow table of folded names is scanned.
  const q = foldQuery(a.query ?? '');
  let text: { matches: number | null; few: string; many: string; param: string; folded: string } | null = null;
  if (q !== '') {
    const trigram = [...q].length >= 3;
    const param = trigram ? `"${q.replace(/"/g, '""')}"` : q;
    const ids = trigram ? 'SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH ?' : 'SELECT id FROM case_search WHERE instr(text, ?) > 0';
    text = {
      // One or two letters have no index to count them in: such a query matches most names, and
      // is walked (its count, when shown alone, is taken below).
      matches: trigram ? (prepared(ctx, `SELECT count(*) AS n FROM (${ids})`).get(param) as { n: number }).n : null,
      // Few matches: read them, then their cases, and sort those.
      few: `c.id IN (SELECT s.case_id FROM case_search s WHERE s.id IN (${ids}))`,
      // Many: walk the register's order (or another filter's index) and check each case's own
      // folded names for the substring (what the trigram phrase matches), never every match first.
      many: 'instr((SELECT s.text FROM case_search s WHERE s.case_id = c.id), ?) > 0',
      param,
      folded: q,
    };
  }
  const walk = text === null || text.matches === null || text.matches > (tuning.textWalkAbove ?? 2000);

  const page = filter.copy();
  if (text) page.add(walk ? text.many : text.few, walk ? text.folded : text.param);
  if (a.after !== undefined) {
    const cur = decodeRegisterCursor(a.after, sort);
    if (cur.sort === 'due') {
      page.add(`${DUE_KEY} >= ? AND (${DUE_KEY} > ? OR (c.received_at, c.id) > (?, ?))`, cur.key, cur.key, cur.receivedAt, cur.id);
    } else {
      page.add('c.received_at <= ? AND (c.received_at < ? OR c.id > ?)', cur.receivedAt, cur.receivedAt, cur.id);
    }
  }
  const order = sort === 'received_desc' ? 'c.received_at DESC, c.id' : `${DUE_KEY}, c.received_at, c.id`;
  // Undecided cases are walked in their partial index, in the order shown: SQLite would rather
  // read both statuses from cases_status_key and sort them (measured: 100x slower at 100,000).
  // A date range matching up to DATE_INDEX_BELOW cases: its page is chosen in the date index
  // (0017-register-pages: it holds status, code and both orders), whatever the planner guesses
  // from a LIMIT it cannot see; a wider range walks the register's order like any other filter.
  const count = (f: SqlFilter) => (prepared(ctx, `SELECT count(*) AS n FROM cases c ${f.where}`).get(...f.params) as { n: number }).n;
  const dated = a.receivedFrom !== undefined || a.receivedTo !== undefined;
  const datedCount = dated ? count(filter) : null;
  const indexed =
    datedCount !== null && datedCount <= (tuning.dateIndexBelow ?? DATE_INDEX_BELOW)
      ? 'INDEXED BY cases_received_key'
      : walk && undecidedOnly
        ? `INDEXED BY ${sort === 'received_desc' ? 'cases_open_received' : 'cases_open_key'}`
        : '';
  const limit = Math.min(a.limit ?? 50, MAX_PAGE);
  // The page's ids first, from the indexes alone where they hold the filters and the order
  // (every filter index ends with the sort keys), then only those cases are read: a filter
  // matching thousands of cases sorts index entries, not cases.
  const rows = prepared(
    ctx,
    `SELECT c.*, ${DUE_KEY} AS sort_key, p.iin AS p_iin, p.last_name AS p_last, p.first_name AS p_first, p.middle_name AS p_middle
     FROM cases c JOIN patients p ON p.id = c.patient_id
     WHERE c.id IN (SELECT c.id FROM cases c ${indexed} ${page.where} ORDER BY ${order} LIMIT ?) ORDER BY ${order}`,
  ).all(...page.params, limit + 1) as (ListRow & { sort_key: string })[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  const next =
    more && last
      ? encodeRegisterCursor(sort === 'due' ? { sort, key: last.sort_key, receivedAt: last.received_at, id: last.id } : { sort, receivedAt: last.received_at, id: last.id })
      : null;

  let total: number | null = null;
  if (a.withTotal !== false) {
    if (text === null) total = datedCount ?? count(filter);
    else if (filter.conditions.length === 0) {
      // One name-index entry per case.
      total = text.matches ?? (prepared(ctx, 'SELECT count(*) AS n FROM case_search WHERE instr(text, ?) > 0').get(text.param) as { n: number }).n;
    } else {
      // Text and other filters: count from the smaller side (the other filters alone are counted
      // in their indexes, cheaply).
      const filtered = datedCount ?? count(filter);
      const few = text.matches !== null && text.matches <= filtered;
      total = filtered === 0 ? 0 : count(filter.copy().add(few ? text.few : text.many, few ? text.param : text.folded));
    }
  }
  return { items: rows.map((r) => listItem(r, today)), total, limit, next, today };
}

// ---------------------------------------------------------------------------------------------
// Files.

function decodeBase64(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AppFailure('cases.file_content_invalid');
  return Buffer.from(clean, 'base64');
}

function tooLarge(size: number): AppFailure {
  return new AppFailure('cases.file_too_large', { size, maxBytes: MAX_FILE_BYTES, maxMb: Math.round(MAX_FILE_BYTES / 1024 / 1024) });
}

/** Stores content and links it to a document of the case (created with `kind` when not given). */
export function attachContent(
  ctx: CoreContext,
  a: { caseId: string; documentId?: string | undefined; kind?: CaseDocumentView['kind'] | undefined; name: string; mime: string },
  content: Buffer,
): { documentId: string; file: FileRef; deduplicated: boolean } {
  if (content.length > MAX_FILE_BYTES) throw tooLarge(content.length);
  loadCase(ctx, a.caseId);
  assertCaseEditable(ctx, a.caseId);
  const put = putStoredFile(ctx.dataDir, content);
  return ctx.store.transaction(() => {
    let documentId = a.documentId;
    if (documentId !== undefined) {
      const doc = ctx.db.prepare('SELECT case_id FROM case_documents WHERE id = ?').get(documentId) as { case_id: string } | undefined;
      if (!doc || doc.case_id !== a.caseId) throw new AppFailure('cases.document_not_found', { id: documentId });
    } else {
      const pos = (ctx.db.prepare('SELECT coalesce(max(position) + 1, 0) AS n FROM case_documents WHERE case_id = ?').get(a.caseId) as { n: number }).n;
      documentId = String(insertRow(ctx, 'case_documents', { case_id: a.caseId, kind: a.kind ?? 'other', position: pos }).id);
    }
    const known = ctx.db.prepare('SELECT id FROM stored_files WHERE sha256 = ?').get(put.sha256) as { id: string } | undefined;
    if (!known) insertRow(ctx, 'stored_files', { id: nameBasedUuid(`stored_files/${put.sha256}`), sha256: put.sha256, size: put.size });
    const same = ctx.db.prepare('SELECT * FROM document_files WHERE document_id = ? AND sha256 = ?').get(documentId, put.sha256) as LinkRow | undefined;
    const link = same ?? (insertRow(ctx, 'document_files', { document_id: documentId, case_id: a.caseId, sha256: put.sha256, name: a.name, mime: a.mime, size: put.size }) as unknown as LinkRow);
    try {
      refresh(ctx, a.caseId);
    } catch {
      /* derived columns are recomputed on the next save; the file is attached */
    }
    return { documentId, file: fileRef(link), deduplicated: put.existed || known !== undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions.

function decisionRow(ctx: CoreContext, id: string): DecisionRow {
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

function requireApproved(ctx: CoreContext, caseId: string): CaseRow {
  const l = loadCase(ctx, caseId);
  if (l.c.status !== 'approved') throw new AppFailure('cases.not_approved');
  return l.c;
}

// ---------------------------------------------------------------------------------------------
// Refusal journal.

export function refusalJournal(ctx: CoreContext, from?: string, to?: string): RefusalJournalEntry[] {
  const where = ["d.outcome = 'refused'", "d.state = 'issued'"];
  const params: string[] = [];
  if (from) {
    where.push('d.decided_on >= ?');
    params.push(from);
  }
  if (to) {
    where.push('d.decided_on <= ?');
    params.push(to);
  }
  const rows = ctx.db
    .prepare(
      `SELECT d.id AS decision_id, d.case_id, d.decided_on, d.reason, d.protocol_year, d.protocol_number,
              c.htmp_code, c.diagnosis_icd10, c.diagnosis_text, c.received_date, c.urgency, c.inpatient,
              p.iin, p.last_name, p.first_name, p.middle_name, p.primary_care_org, p.insured
       FROM decisions d JOIN cases c ON c.id = d.case_id JOIN patients p ON p.id = c.patient_id
       WHERE ${where.join(' AND ')} ORDER BY d.decided_on, d.protocol_year, d.protocol_number`,
    )
    .all(...params) as Record<string, string | number | null>[];
  const cat = rows.length > 0 ? catalogue(ctx) : null;
  return rows.map((r) => {
    const reason = r.reason as RefusalReason;
    const code = String(r.htmp_code);
    const received = typeof r.received_date === 'string' ? r.received_date : null;
    const hit = cat && received ? cat.lookup(code, received) : null;
    const urgency = r.urgency;
    const funding = hit && hit.known && hit.inForce && (urgency === 'planned' || urgency === 'emergency') ? deriveFunding(hit.sections, urgency, { insured: fromBool(r.insured as number | null) }) : null;
    const tech = cat ? technologyOf(cat, code, received, hit, urgency, funding) : null;
    return {
      caseId: String(r.case_id),
      decisionId: String(r.decision_id),
      date: String(r.decided_on),
      protocol: protocolLabel(Number(r.protocol_year), Number(r.protocol_number)),
      patient: { iin: String(r.iin), lastName: String(r.last_name), firstName: String(r.first_name), middleName: r.middle_name as string | null },
      htmpCode: code,
      htmpName: tech?.name ?? { kk: null, ru: null },
      inpatient: r.inpatient === 1,
      diagnosis: { icd10: String(r.diagnosis_icd10), text: String(r.diagnosis_text) },
      reason,
      legalSubpoint: REFUSAL_LEGAL_SUBPOINT[reason],
      primaryCareOrg: r.primary_care_org as string | null,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Handlers.

type H<M extends keyof CasesMethods> = (args: CasesMethods[M]['args'], ctx: CoreContext) => CasesMethods[M]['result'];

const validateHandler: H<'cases.validate'> = (a, ctx) => {
  const { id, ...draft } = a;
  // A dry run: write inside a transaction that is always rolled back.
  let result: ValidateResult | null = null;
  const rollback = new Error('rollback');
  try {
    ctx.db.transaction(() => {
      const w = writeDraftNoLog(ctx, id, draft);
      const l = loadCase(ctx, w);
      const d = deriveStored(ctx, l);
      result = { complete: d.check.complete, findings: d.check.findings, due: d.due, funding: d.funding };
      throw rollback;
    })();
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return result as unknown as ValidateResult;
};

/**
 * For the dry run of `cases.validate`: the same writes on the raw database (rolled back by the
 * caller, so nothing reaches the change log).
 */
function writeDraftNoLog(ctx: CoreContext, id: string | undefined, a: CaseDraft): string {
  const scratch = {
    ...ctx,
    store: {
      insert: (table: string, values: Row) => {
        const row: Row = { id: `00000000-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`, created_at: '', updated_at: '', ...values };
        const cols = Object.keys(row);
        ctx.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c] ?? null));
        return row;
      },
      update: (table: string, rid: string, patch: Row) => {
        const cols = Object.keys(patch);
        if (cols.length > 0) ctx.db.prepare(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map((c) => patch[c] ?? null), rid);
        return { row: patch, changed: cols };
      },
      remove: (table: string, rid: string) => ctx.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(rid).changes > 0,
      transaction: <T>(fn: () => T) => fn(),
    },
  } as unknown as CoreContext;
  return writeDraft(scratch, id, a).id;
}

export const casesHandlers: { [M in keyof CasesMethods]: H<M> } & Pick<Handlers, keyof CasesMethods> = {
  'cases.list': (a, ctx) => listCases(ctx, a),
  'cases.get': (a, ctx) => caseDetail(ctx, a.id),
  'cases.save': (a, ctx) => {
    const { id, expectedUpdatedAt, ...draft } = a;
    const r = saveCase(ctx, id, draft, expectedUpdatedAt);
    changed(ctx, r.id);
    return { id: r.id, created: r.created, detail: caseDetail(ctx, r.id, { derived: r.derived }) };
  },
  'cases.validate': validateHandler,
  'cases.register': (a, ctx) => {
    const l = loadCase(ctx, a.id);
    if (l.c.status === 'draft') {
      const missing: string[] = [];
      const received = localDatePart(l.c.received_at);
      // A date not yet come (a slip of the year or month) is as wrong as none.
      if (received === null || received > kzToday()) missing.push('receivedAt');
      if (l.p.last_name.trim() === '') missing.push('patient.lastName');
      if (l.p.first_name.trim() === '') missing.push('patient.firstName');
      if (!checkIin(l.p.iin, kzToday()).valid) missing.push('patient.iin');
      if (missing.length > 0) throw new AppFailure('cases.register_incomplete', { fields: missing.join(', ') });
      ctx.store.update('cases', a.id, { status: 'registered', registered_at: new Date().toISOString() });
      changed(ctx, a.id);
    }
    return caseDetail(ctx, a.id);
  },
  'cases.delete': (a, ctx) => {
    const deleted = ctx.store.transaction(() => {
      const l = loadCase(ctx, a.id);
      const issued = ctx.db.prepare("SELECT count(*) AS n FROM decisions WHERE case_id = ? AND state <> 'draft'").get(a.id) as { n: number };
      if (issued.n > 0) throw new AppFailure('cases.has_issued_decision');
      for (const d of l.docs) removeDocument(ctx, d.id);
      for (const t of ['decisions', 'portal_events', 'follow_ups']) {
        for (const r of ctx.db.prepare(`SELECT id FROM ${t} WHERE case_id = ?`).all(a.id) as { id: string }[]) ctx.store.remove(t, r.id);
      }
      ctx.store.remove('cases', a.id);
      const others = ctx.db.prepare('SELECT count(*) AS n FROM cases WHERE patient_id = ?').get(l.p.id) as { n: number };
      if (others.n === 0) ctx.store.remove('patients', l.p.id);
      return true;
    });
    changed(ctx, a.id);
    return { deleted };
  },
  'cases.attachFile': (a, ctx) => {
    const content = decodeBase64(a.contentBase64);
    const r = attachContent(ctx, a, content);
    changed(ctx, a.caseId);
    const out: AttachResult = { ...r, detail: caseDetail(ctx, a.caseId) };
    return out;
  },
  'cases.removeFile': (a, ctx) => {
    ctx.store.transaction(() => {
      const link = ctx.db.prepare('SELECT case_id FROM document_files WHERE id = ?').get(a.fileId) as { case_id: string } | undefined;
      if (!link || link.case_id !== a.caseId) throw new AppFailure('cases.file_not_found', { id: a.fileId });
      assertCaseEditable(ctx, a.caseId);
      ctx.store.remove('document_files', a.fileId);
      refresh(ctx, a.caseId);
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.fileContent': (a, ctx) => {
    const link = ctx.db.prepare('SELECT * FROM document_files WHERE id = ?').get(a.fileId) as LinkRow | undefined;
    if (!link) throw new AppFailure('cases.file_not_found', { id: a.fileId });
    const content = readStoredFile(ctx.dataDir, link.sha256);
    if (!content) throw new AppFailure('cases.file_not_found', { id: a.fileId, sha256: link.sha256 });
    return { file: fileRef(link), contentBase64: content.toString('base64') };
  },
  'cases.checkFile': (a, ctx) => {
    const present = new Set(a.presentFiles);
    const input = a.case as unknown as CaseInput;
    const d = deriveCase(ctx, input, (ref) => present.has(ref), typeof a.case.patient.insured === 'boolean' ? a.case.patient.insured : null);
    return { complete: d.check.complete, findings: d.check.findings, due: d.due, funding: d.funding };
  },
  'cases.import': (a, ctx) => {
    const contents = new Map(a.files.map((f) => [f.ref, decodeBase64(f.contentBase64)]));
    const { id, status } = importCase(ctx, a.case as unknown as CaseInput & Record<string, unknown>, (ref) => contents.get(ref) ?? null);
    changed(ctx, id);
    return { id, status };
  },
  'cases.importBatch': (a, ctx) => {
    try {
      catalogueModel(ctx); // built before the write lock is taken (see importCase)
    } catch {
      /* reported in words by the packet check inside */
    }
    // A bulk write: report facts once per case at the end of the batch, and a page cache that
    // holds the batch's working set (see deferFacts, withBulkCache).
    const out = withBulkCache(ctx.db, () => ctx.store.transaction(() => deferFacts(ctx, () =>
      a.cases.map((item, index) => {
        try {
          const contents = new Map(item.files.map((f) => [f.ref, decodeBase64(f.contentBase64)]));
          return importCase(ctx, item.case as unknown as CaseInput & Record<string, unknown>, (ref) => contents.get(ref) ?? null);
        } catch (err) {
          if (!(err instanceof AppFailure)) throw err;
          throw new AppFailure('cases.batch_case_failed', { ...err.params, index, position: index + 1, causeCode: err.code });
        }
      }),
    )));
    // One event for the batch: a screen reloads its list once, not a thousand times.
    ctx.emit({ type: 'data.changed', payload: { area: 'cases' } });
    return { cases: out };
  },
  'cases.decide': (a, ctx) => {
    const { issue, ...rest } = a;
    // The signed-in user is the commission's secretary when the members given name none (without
    // members, the standing members of the settings sit, their secretary included).
    const actor = currentActor();
    const args = actor && rest.members && !rest.members.some((m) => m.role === 'secretary') ? { ...rest, members: [...rest.members, { name: actor.displayName, role: 'secretary' as const }] } : rest;
    // Deciding and issuing in one call are one transaction: a refusal at issue (no commission
    // set, no name of the code) must not leave a draft decision behind.
    const decision = ctx.store.transaction(() => {
      const draft = decide(ctx, args);
      return issue === true ? issueProtocol(ctx, draft.id) : draft;
    });
    changed(ctx, a.caseId);
    const out: DecideResult = { decision, detail: caseDetail(ctx, a.caseId) };
    return out;
  },
  'cases.issueCheck': (a, ctx) => issueCheck(ctx, a),
  'cases.deleteDecision': (a, ctx) => {
    const r = decisionRow(ctx, a.decisionId);
    if (r.state !== 'draft') throw new AppFailure('cases.decision_locked', { protocol: `${r.protocol_number}/${r.protocol_year}` });
    ctx.store.remove('decisions', r.id);
    changed(ctx, r.case_id);
    return caseDetail(ctx, r.case_id);
  },
  'cases.issueProtocol': (a, ctx) => {
    const decision = issueProtocol(ctx, a.decisionId);
    changed(ctx, decision.caseId);
    return { decision, detail: caseDetail(ctx, decision.caseId) };
  },
  'cases.portalStatus': (a, ctx) => {
    ctx.store.transaction(() => {
      const c = requireApproved(ctx, a.caseId);
      const from = c.portal_status;
      const allowed = from === null ? ['to_export'] : PORTAL_TRANSITIONS[from];
      if (!allowed.includes(a.status)) throw new AppFailure('cases.portal_transition', { from: from ?? '', to: a.status });
      insertRow(ctx, 'portal_events', { case_id: a.caseId, status: a.status, at: a.at ?? new Date().toISOString(), note: a.note ?? null });
      ctx.store.update('cases', a.caseId, { portal_status: a.status });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.hospitalization': (a, ctx) => {
    ctx.store.transaction(() => {
      const c = requireApproved(ctx, a.caseId);
      // Point 38: the day it was set starts point 39's working day. Not given: as stored, else
      // unknown (never guessed: a date entered late would make a timely informing look early).
      const setOn = a.date === null ? null : a.setOn !== undefined ? a.setOn : c.hospitalization_set_on;
      assertAfterDates(ctx, a.caseId, { hospitalizationDate: a.date, hospitalizationSetOn: setOn });
      ctx.store.update('cases', a.caseId, { hospitalization_date: a.date, hospitalization_set_on: setOn });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.patientInformed': (a, ctx) => {
    ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      assertAfterDates(ctx, a.caseId, { informedOn: a.date });
      ctx.store.update('cases', a.caseId, { informed_channel: a.channel, informed_date: a.date });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.followUp': (a, ctx) => {
    ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      const patch: Row = {};
      if (a.operationDate !== undefined) patch.operation_date = a.operationDate;
      if (a.dischargeDate !== undefined) patch.discharge_date = a.dischargeDate;
      if (a.complications !== undefined) patch.complications = bool(a.complications);
      if (a.complicationsNote !== undefined) patch.complications_note = a.complicationsNote;
      if (a.disability !== undefined) patch.disability = bool(a.disability);
      if (a.death !== undefined) patch.death = bool(a.death);
      if (a.deathDate !== undefined) patch.death_date = a.deathDate;
      if (a.survivalOneYear !== undefined) patch.survival_one_year = bool(a.survivalOneYear);
      if (a.notes !== undefined) patch.notes = a.notes;
      const dates: Parameters<typeof assertAfterDates>[2] = {};
      if (a.operationDate !== undefined) dates.operationDate = a.operationDate;
      if (a.dischargeDate !== undefined) dates.dischargeDate = a.dischargeDate;
      if (a.deathDate !== undefined) dates.deathDate = a.deathDate;
      if (a.death === false) patch.death_date = dates.deathDate = null;
      assertAfterDates(ctx, a.caseId, dates);
      const existing = ctx.db.prepare('SELECT id FROM follow_ups WHERE case_id = ?').get(a.caseId) as { id: string } | undefined;
      if (existing) ctx.store.update('follow_ups', existing.id, patch);
      else insertRow(ctx, 'follow_ups', { id: nameBasedUuid(`follow_ups/${a.caseId}`), case_id: a.caseId, ...patch });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.refusalJournal': (a, ctx) => ({ from: a.from ?? null, to: a.to ?? null, items: refusalJournal(ctx, a.from, a.to) }),
  'cases.today': (a, ctx) => {
    const today = a.today ?? kzToday();
    const all = (x: ListArgs) => listCases(ctx, { ...x, today, limit: MAX_PAGE, withTotal: false }).items;
    return {
      today,
      dueToday: all({ dueToday: true }),
      overdue: all({ overdue: true }),
      decidedToday: all({ issuedOn: today, sort: 'received_desc' }),
    };
  },
};

/** Imports a case (CLI `case import`): the data as a draft, files copied into the store, then registered when possible. */
export function importCase(ctx: CoreContext, input: CaseInput & Record<string, unknown>, readFile: (ref: string) => Buffer | null): { id: string; status: CaseStatus } {
  const docs = Array.isArray(input.documents) ? input.documents : [];
  const contents = docs.map((d) =>
    (Array.isArray(d.files) ? d.files : []).map((ref) => {
      const content = readFile(ref);
      if (content === null) throw new AppFailure('cases.file_not_found', { path: ref });
      if (content.length > MAX_FILE_BYTES) throw tooLarge(content.length);
      return { ref, content };
    }),
  );
  const p = input.patient ?? { iin: '', lastName: '', firstName: '' };
  const draft: CaseDraft = {
    patient: {
      iin: String(p.iin ?? ''),
      lastName: String(p.lastName ?? ''),
      firstName: String(p.firstName ?? ''),
      middleName: p.middleName ?? null,
      birthDate: p.birthDate ?? null,
      sex: p.sex ?? null,
      ...(typeof (p as Record<string, unknown>).phone === 'string' ? { phone: (p as Record<string, unknown>).phone as string } : {}),
      ...(typeof (p as Record<string, unknown>).primaryCareOrg === 'string' ? { primaryCareOrg: (p as Record<string, unknown>).primaryCareOrg as string } : {}),
      ...(typeof (p as Record<string, unknown>).insured === 'boolean' ? { insured: (p as Record<string, unknown>).insured as boolean } : {}),
    },
    receivedAt: String(input.receivedAt ?? ''),
    channel: input.channel ?? null,
    htmpCode: String(input.htmpCode ?? ''),
    urgency: input.urgency === 'planned' || input.urgency === 'emergency' ? input.urgency : null,
    inpatient: input.inpatient === true,
    diagnosis: { icd10: String(input.diagnosis?.icd10 ?? ''), text: String(input.diagnosis?.text ?? '') },
    ...(typeof input.specialistConclusion === 'string' ? { specialistConclusion: input.specialistConclusion } : {}),
    ...(typeof input.providerOrg === 'string' ? { providerOrg: input.providerOrg } : {}),
    ...(typeof input.notes === 'string' ? { notes: input.notes } : {}),
    documents: docs.map((d) => ({
      kind: d.kind,
      paper: d.paper === true,
      signatures: Array.isArray(d.signatures) ? d.signatures : [],
      seal: d.seal === true,
      clinicalDiagnosis: d.clinicalDiagnosis ?? null,
      items: Array.isArray(d.items) ? d.items : [],
    })),
  };
  // The catalogue is read (built on a cold start) before the write lock is taken, so parallel
  // writers (the app, the web host, CLI imports) hold the lock only for the writes.
  try {
    catalogueModel(ctx);
  } catch {
    /* reported in words by the packet check inside */
  }
  return ctx.store.transaction(() => {
    const { id } = writeDraft(ctx, undefined, draft);
    const docIds = (prepared(ctx, 'SELECT id FROM case_documents WHERE case_id = ? ORDER BY position').all(id) as { id: string }[]).map((r) => r.id);
    contents.forEach((files, i) => {
      for (const f of files) {
        const name = f.ref.split(/[\\/]/).pop() ?? f.ref;
        attachContent(ctx, { caseId: id, documentId: docIds[i], name, mime: guessMime(name) }, f.content);
      }
    });
    // The derived columns and the registration in one update (one change-log row, not two).
    const l = loadCase(ctx, id);
    const patch = derivedColumns(l, deriveStored(ctx, l));
    const received = localDatePart(l.c.received_at);
    const today = kzToday();
    const status: CaseStatus = received !== null && received <= today && l.p.last_name.trim() !== '' && l.p.first_name.trim() !== '' && checkIin(l.p.iin, today).valid ? 'registered' : 'draft';
    if (status === 'registered') Object.assign(patch, { status, registered_at: new Date().toISOString() });
    ctx.store.update('cases', id, patch);
    return { id, status };
  });
}

const MIME: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', txt: 'text/plain', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };

export function guessMime(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}
