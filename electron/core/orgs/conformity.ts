/**
 * Applications (app. 1), assessment and conclusions (app. 3), updates of points 29-30.
 * See shared/contract/orgs.ts for the status model and shared/domain/conformity.ts for the rules.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { canonicalJson } from '../../../shared/canonical-json';
import type {
  ApplicationDetail,
  ApplicationListItem,
  ApplicationStatus,
  AssessmentDecision,
  AssessmentView,
  ConclusionListItem,
  ConclusionView,
  RequirementsView,
  UpdateKind,
  UpdateView,
  applicationDraftSchema,
} from '../../../shared/contract/orgs';
import { POINT29_KINDS } from '../../../shared/contract/orgs';
import { findInvalidField, statementData, type ApplicationDoc, type ConclusionDoc } from '../../../shared/documents';
import {
  applicationWindow,
  assessmentDue,
  checkTiming,
  conclusionValidity,
  daysLeft,
  preAssess,
  reissueDue,
  summarize,
  updateDue,
  type ApplicationData,
  type AssessStatus,
  type DeviceEntry,
  type PermitEntry,
  type StaffEntry,
} from '../../../shared/domain/conformity';
import { kzNow, kzToday } from '../../../shared/domain/kz-time';
import { REGION_NAMES } from '../../../shared/domain/regions';
import { allRequirements, deriveRequirements, type EntryRequirements, type Requirement, type RequirementsCorrection } from '../../../shared/domain/requirements';
import { foldText } from '../../../shared/domain/text-fold';
import { AppFailure } from '../../../shared/result';
import { workCalendar } from '../cases/calendar';
import { catalogueModel } from '../catalogue/model';
import type { CoreContext } from '../context';
import { assetsDir } from '../paths';
import { nameBasedUuid, type Row } from '../store';
import { catalogueLookup } from '../services/catalogue-lookup';
import { orgRow, orgViews, readOrgsSettings, type OrgRow } from './registry';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const json = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

// ---------------------------------------------------------------------------------------------
// Requirements of a code

let corrections: { file: string; mtimeMs: number; list: RequirementsCorrection[] } | undefined;

/** The reviewed corrections (assets/catalogue/requirements-corrections.json), re-read when the file changes. */
export function requirementsCorrections(): RequirementsCorrection[] {
  const file = path.join(assetsDir(), 'catalogue', 'requirements-corrections.json');
  let mtimeMs = -1;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  if (corrections && corrections.file === file && corrections.mtimeMs === mtimeMs) return corrections.list;
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { corrections: RequirementsCorrection[] }).corrections;
  corrections = { file, mtimeMs, list };
  return list;
}

const derived = new Map<string, EntryRequirements>();

/** The requirements of a code, derived from the characteristics the catalogue holds now (null: the code has none). */
export function requirementsFor(ctx: CoreContext, code: string): RequirementsView {
  const m = catalogueModel(ctx);
  const ch = m.characteristics.get(code);
  if (!ch) {
    const names = catalogueLookup(ctx).names(code, kzToday());
    return { code, name: { kk: names.kk?.text ?? null, ru: names.ru?.text ?? null }, staffText: null, devicesText: null, footnotes: [], requirements: null };
  }
  const notes = ch.notes.map((n) => ({ mark: n.mark, text: n.text.kk ?? n.text.ru ?? null }));
  const key = JSON.stringify([code, ch.staff.text, ch.devices.text, ch.devices.items, notes]);
  let reqs = derived.get(key);
  if (!reqs) {
    reqs = deriveRequirements({ code, staff: { text: ch.staff.text }, devices: ch.devices, notes }, requirementsCorrections());
    if (derived.size > 500) derived.clear();
    derived.set(key, reqs);
  }
  return {
    code,
    name: { kk: ch.name.kk, ru: ch.name.ru },
    staffText: ch.staff.text,
    devicesText: ch.devices.text,
    footnotes: notes.filter((n): n is { mark: string; text: string } => n.text !== null),
    requirements: reqs,
  };
}

/** Every code of the catalogue with whether it has characteristics, those with them first (app. 2 order). */
export function conformityCodes(ctx: CoreContext): { code: string; characteristics: boolean; name: { kk: string | null; ru: string | null } }[] {
  const m = catalogueModel(ctx);
  const lookup = catalogueLookup(ctx);
  const today = kzToday();
  const withCh = [...m.characteristics.values()].sort((a, b) => a.position - b.position).map((c) => c.code);
  const rest = m.codes.filter((c) => !m.characteristics.has(c));
  return [...withCh, ...rest].map((code) => {
    const n = lookup.names(code, today);
    return { code, characteristics: m.characteristics.has(code), name: { kk: n.kk && n.kk.source.kind !== 'local' ? n.kk.text : null, ru: n.ru && n.ru.source.kind !== 'local' ? n.ru.text : null } };
  });
}

/** The words a requirement is printed with. */
export function requirementText(r: Requirement): string {
  switch (r.kind) {
    case 'device':
      return r.count > 1 ? `${r.name} — ${r.count}` : r.name;
    default:
      return r.text;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

export interface ApplicationRow {
  id: string;
  created_at: string;
  updated_at: string;
  org_id: string;
  year: number;
  code: string;
  first_time: number;
  status: ApplicationStatus;
  received_on: string | null;
  assessment_due: string | null;
  staff: string;
  devices: string;
  permits: string;
  planned_volume: number | null;
  note: string | null;
  locked_at: string | null;
}

export interface ConclusionRow {
  id: string;
  created_at: string;
  updated_at: string;
  application_id: string;
  org_id: string;
  year: number;
  code: string;
  state: 'draft' | 'issued';
  decisions: string;
  staff_justification: string;
  devices_justification: string;
  note: string;
  staff_conform: number | null;
  devices_conform: number | null;
  overall_conform: number | null;
  number: string | null;
  number_year: number | null;
  number_seq: number | null;
  issued_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  signer_name: string | null;
  signer_position: string | null;
  supersedes_id: string | null;
  statement: string | null;
  sha256: string | null;
  issued_at: string | null;
}

interface UpdateRow {
  id: string;
  created_at: string;
  updated_at: string;
  conclusion_id: string;
  org_id: string;
  kind: UpdateKind;
  event_on: string;
  due_on: string;
  done_on: string | null;
  subject: string;
  new_code: string | null;
  note: string | null;
  new_conclusion_id: string | null;
}

const APPLICATION_COLUMNS = ['org_id', 'year', 'code', 'first_time', 'status', 'received_on', 'assessment_due', 'staff', 'devices', 'permits', 'planned_volume', 'note', 'locked_at'];
const CONCLUSION_COLUMNS = [
  'application_id', 'org_id', 'year', 'code', 'state', 'decisions', 'staff_justification', 'devices_justification', 'note', 'staff_conform',
  'devices_conform', 'overall_conform', 'number', 'number_year', 'number_seq', 'issued_on', 'valid_from', 'valid_to', 'signer_name',
  'signer_position', 'supersedes_id', 'statement', 'sha256', 'issued_at',
];
const UPDATE_COLUMNS = ['conclusion_id', 'org_id', 'kind', 'event_on', 'due_on', 'done_on', 'subject', 'new_code', 'note', 'new_conclusion_id'];

/** Every column named (null where not given), so the change log holds whole rows (a replay never depends on local defaults). */
function full(columns: string[], values: Row): Row {
  const out: Row = {};
  for (const c of columns) out[c] = values[c] ?? null;
  for (const [k, v] of Object.entries(values)) if (k === 'id') out[k] = v;
  return out;
}

export function applicationRow(ctx: CoreContext, id: string): ApplicationRow {
  const r = ctx.db.prepare('SELECT * FROM org_applications WHERE id = ?').get(id) as ApplicationRow | undefined;
  if (!r) throw new AppFailure('conformity.application_not_found', { id });
  return r;
}

function conclusionRowOf(ctx: CoreContext, applicationId: string): ConclusionRow | undefined {
  return ctx.db
    .prepare("SELECT * FROM org_conclusions WHERE application_id = ? AND supersedes_id IS NULL ORDER BY CASE state WHEN 'issued' THEN 0 ELSE 1 END, created_at LIMIT 1")
    .get(applicationId) as ConclusionRow | undefined;
}

function conclusionRow(ctx: CoreContext, id: string): ConclusionRow {
  const r = ctx.db.prepare('SELECT * FROM org_conclusions WHERE id = ?').get(id) as ConclusionRow | undefined;
  if (!r) throw new AppFailure('conformity.conclusion_not_found', { id });
  return r;
}

const applicationData = (r: ApplicationRow): ApplicationData & { permits: PermitEntry[] } => ({
  staff: json<StaffEntry[]>(r.staff, []),
  devices: json<DeviceEntry[]>(r.devices, []),
  permits: json<PermitEntry[]>(r.permits, []),
});

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

function conclusionView(ctx: CoreContext, r: ConclusionRow): ConclusionView {
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

// ---------------------------------------------------------------------------------------------
// Assessment

function assessmentOf(ctx: CoreContext, app: ApplicationRow, reqs: RequirementsView, decisions: AssessmentDecision[], onDate: string): AssessmentView {
  const items = preAssess(reqs.requirements, applicationData(app), onDate);
  const byId = new Map(reqs.requirements ? allRequirements(reqs.requirements).map((r) => [r.id, r] as const) : []);
  const dec = new Map(decisions.map((d) => [d.requirementId, d] as const));
  const undecided: string[] = [];
  const unjustified: string[] = [];
  const out = items.map((i) => {
    const d = dec.get(i.requirementId) ?? null;
    const final: AssessStatus = d?.decision ?? i.status;
    if (final === 'manual') undecided.push(i.requirementId);
    // An override (the assessor disagrees with the machine) is always justified.
    if (d?.decision && i.status !== 'manual' && d.decision !== i.status && d.justification.trim() === '') unjustified.push(i.requirementId);
    return { ...i, requirement: byId.get(i.requirementId) ?? null, decision: d, final };
  });
  const part = (p: 'staff' | 'devices') => summarize(out.filter((i) => i.part === p).map((i) => i.final));
  return { items: out, staff: part('staff'), devices: part('devices'), overall: summarize(out.map((i) => i.final)), open: { undecided, unjustified }, onDate };
}

/** Is this organization a first-time applicant for the code (no conclusion for it yet)? */
function firstTimeAllowed(ctx: CoreContext, orgId: string, code: string, exceptApplication?: string): boolean {
  const n = ctx.db.prepare("SELECT count(*) AS n FROM org_conclusions WHERE org_id = ? AND code = ? AND state = 'issued' AND application_id <> ?").get(orgId, code, exceptApplication ?? '') as { n: number };
  return n.n === 0;
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
    year: r.year,
    code: r.code,
    firstTime: r.first_time === 1,
    status: r.status,
    receivedOn: r.received_on,
    assessmentDue: r.assessment_due,
    daysLeft: r.status === 'received' && r.assessment_due ? daysLeft(today, r.assessment_due) : null,
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

type Draft = z.infer<typeof applicationDraftSchema>;

function emitChanged(ctx: CoreContext, id: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'conformity', id } });
}

/** Creates or updates an application (not once concluded). One application per organization, year and code. */
export function saveApplication(ctx: CoreContext, a: Draft): ApplicationDetail {
  const id = ctx.store.transaction(() => {
    orgRow(ctx, a.orgId);
    const same = ctx.db.prepare('SELECT id FROM org_applications WHERE org_id = ? AND year = ? AND code = ? AND id <> ?').get(a.orgId, a.year, a.code, a.id ?? '') as { id: string } | undefined;
    if (same) throw new AppFailure('conformity.duplicate_application', { id: same.id, code: a.code, year: a.year });
    if (a.firstTime && !firstTimeAllowed(ctx, a.orgId, a.code, a.id)) throw new AppFailure('conformity.not_first_time', { code: a.code });
    const values: Row = {
      org_id: a.orgId,
      year: a.year,
      code: a.code,
      first_time: a.firstTime ? 1 : 0,
      staff: JSON.stringify(a.staff),
      devices: JSON.stringify(a.devices),
      permits: JSON.stringify(a.permits),
      // A first-time applicant leaves the planned volume empty (app. 1, note 2).
      planned_volume: a.firstTime ? null : a.plannedVolume,
      note: a.note ?? null,
    };
    if (a.id === undefined) {
      return String(ctx.store.insert('org_applications', full(APPLICATION_COLUMNS, { ...values, status: 'draft' })).id);
    }
    const r = applicationRow(ctx, a.id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: a.id });
    // The filing date was checked for the year and first-time flag given at receipt.
    if (r.status === 'received' && r.received_on) {
      const p = checkTiming({ year: a.year, receivedOn: r.received_on, firstTime: a.firstTime });
      if (p) throw new AppFailure(p.code, p.params);
    }
    ctx.store.update('org_applications', a.id, values);
    return a.id;
  });
  emitChanged(ctx, id);
  return applicationDetail(ctx, id);
}

/** Registers receipt: the date must be in the filing window for the year (or a first-time current-year application). */
export function receiveApplication(ctx: CoreContext, id: string, receivedOn: string): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id });
    const p = checkTiming({ year: r.year, receivedOn, firstTime: r.first_time === 1 });
    if (p) throw new AppFailure(p.code, p.params);
    ctx.store.update('org_applications', id, { status: 'received', received_on: receivedOn, assessment_due: assessmentDue(receivedOn) });
  });
  emitChanged(ctx, id);
  return applicationDetail(ctx, id);
}

export function deleteApplication(ctx: CoreContext, id: string): boolean {
  const ok = ctx.store.transaction(() => {
    const r = applicationRow(ctx, id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id });
    for (const c of ctx.db.prepare('SELECT id, issued_at FROM org_conclusions WHERE application_id = ?').all(id) as { id: string; issued_at: string | null }[]) {
      if (c.issued_at !== null) throw new AppFailure('conformity.locked', { id });
      ctx.store.remove('org_conclusions', c.id);
    }
    return ctx.store.remove('org_applications', id);
  });
  emitChanged(ctx, id);
  return ok;
}

function listItem(ctx: CoreContext, r: ApplicationRow & { o_bin: string; o_kk: string; o_ru: string }, today: string): ApplicationListItem {
  const c = conclusionRowOf(ctx, r.id);
  return {
    id: r.id,
    org: { id: r.org_id, bin: r.o_bin, nameKk: r.o_kk, nameRu: r.o_ru },
    year: r.year,
    code: r.code,
    firstTime: r.first_time === 1,
    status: r.status,
    receivedOn: r.received_on,
    assessmentDue: r.assessment_due,
    daysLeft: r.status === 'received' && r.assessment_due ? daysLeft(today, r.assessment_due) : null,
    conclusion: c ? { id: c.id, state: c.state, number: c.number, overall: bool(c.overall_conform) } : null,
    updatedAt: r.updated_at,
  };
}

export function listApplications(ctx: CoreContext, a: { year?: number | undefined; status?: ApplicationStatus | undefined; orgId?: string | undefined; today?: string | undefined }): { items: ApplicationListItem[]; today: string } {
  const today = a.today ?? kzToday();
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (a.year !== undefined) {
    where.push('a.year = ?');
    params.push(a.year);
  }
  if (a.status) {
    where.push('a.status = ?');
    params.push(a.status);
  }
  if (a.orgId) {
    where.push('a.org_id = ?');
    params.push(a.orgId);
  }
  const rows = ctx.db
    .prepare(
      `SELECT a.*, o.bin AS o_bin, o.name_kk AS o_kk, o.name_ru AS o_ru FROM org_applications a JOIN organizations o ON o.id = a.org_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY CASE a.status WHEN 'received' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, a.assessment_due IS NULL, a.assessment_due, a.year DESC, a.code, a.id`,
    )
    .all(...params) as (ApplicationRow & { o_bin: string; o_kk: string; o_ru: string })[];
  return { items: rows.map((r) => listItem(ctx, r, today)), today };
}

/** Saves the assessor's decisions (the draft conclusion). */
export function saveAssessment(
  ctx: CoreContext,
  a: { applicationId: string; decisions: AssessmentDecision[]; staffJustification: string; devicesJustification: string; note: string },
): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, a.applicationId);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: r.id });
    if (r.status !== 'received') throw new AppFailure('conformity.not_received', { id: r.id });
    const reqs = requirementsFor(ctx, r.code);
    const known = new Set(reqs.requirements ? allRequirements(reqs.requirements).map((x) => x.id) : ['none']);
    const decisions = a.decisions.filter((d) => known.has(d.requirementId)).map((d) => ({ requirementId: d.requirementId, decision: d.decision, justification: d.justification.trim() }));
    const values: Row = {
      decisions: JSON.stringify(decisions),
      staff_justification: a.staffJustification.trim(),
      devices_justification: a.devicesJustification.trim(),
      note: a.note.trim(),
    };
    const existing = conclusionRowOf(ctx, r.id);
    if (existing) {
      if (existing.issued_at !== null) throw new AppFailure('conformity.locked', { id: existing.id });
      ctx.store.update('org_conclusions', existing.id, values);
    } else {
      ctx.store.insert(
        'org_conclusions',
        full(CONCLUSION_COLUMNS, { id: nameBasedUuid(`org_conclusions/${r.id}`), application_id: r.id, org_id: r.org_id, year: r.year, code: r.code, state: 'draft', ...values }),
      );
    }
  });
  emitChanged(ctx, a.applicationId);
  return applicationDetail(ctx, a.applicationId);
}

// ---------------------------------------------------------------------------------------------
// Documents

function docOrganization(o: OrgRow): ConclusionDoc['organization'] {
  const region = REGION_NAMES[o.region];
  return {
    bin: o.bin,
    name: { kk: o.name_kk, ru: o.name_ru },
    region: { kk: region?.kk ?? o.region, ru: region?.ru ?? o.region },
    ...(o.address ? { address: o.address } : {}),
  };
}

/** The official names of a code on a date: the list's edition in force, else any edition or the characteristics (never a local translation). */
function docHtmp(ctx: CoreContext, code: string, onDate: string): ConclusionDoc['htmp'] {
  let kk: string | null = null;
  let ru: string | null = null;
  try {
    const n = catalogueLookup(ctx).names(code, onDate);
    kk = n.kk && n.kk.source.kind !== 'local' ? n.kk.text : null;
    ru = n.ru && n.ru.source.kind !== 'local' ? n.ru.text : null;
  } catch {
    /* the catalogue is not loaded: the code alone is printed */
  }
  return { code, name: { kk, ru } };
}

export function applicationDoc(ctx: CoreContext, id: string, generatedAt: string = kzNow()): ApplicationDoc {
  const r = applicationRow(ctx, id);
  const o = orgRow(ctx, r.org_id);
  const data = applicationData(r);
  return {
    kind: 'conformity_application',
    reference: `${o.bin}/${r.code}/${r.year}`,
    year: r.year,
    organization: docOrganization(o),
    htmp: docHtmp(ctx, r.code, r.received_on ?? kzToday()),
    firstTime: r.first_time === 1,
    receivedOn: r.received_on,
    staff: data.staff.map((s) => ({ name: s.name, specialty: s.specialty, years: s.years, trainingHours: s.trainingHours, trainingDate: s.trainingDate, operationsPerYear: s.operationsPerYear })),
    devices: data.devices.map((d) => ({ name: d.name, model: d.model, serial: d.serial, inService: d.inService, ...(d.outOfOrderSince ? { outOfOrderSince: d.outOfOrderSince } : {}) })),
    permits: data.permits.map((p) => ({ number: p.number, validUntil: p.validUntil })),
    plannedVolume: r.first_time === 1 ? null : r.planned_volume,
    generatedAt,
  };
}

/** The conclusion document of a stored, issued conclusion (its statement verified against its hash). */
export function conclusionDoc(r: Pick<ConclusionRow, 'statement' | 'sha256' | 'number'>, generatedAt: string = kzNow()): ConclusionDoc {
  if (r.statement === null || r.sha256 === null || sha256Hex(r.statement) !== r.sha256) throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  const parsed = json<Record<string, unknown> | null>(r.statement, null);
  if (!parsed || parsed['kind'] !== 'conformity_conclusion') throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  const doc = { ...parsed, generatedAt } as unknown as ConclusionDoc;
  if (findInvalidField(doc) !== null) throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  return doc;
}

function nextNumber(ctx: CoreContext, year: number): number {
  const counter = ctx.db.prepare('SELECT id, last_number FROM conformity_counters WHERE year = ?').get(year) as { id: string; last_number: number } | undefined;
  const taken = (ctx.db.prepare('SELECT coalesce(max(number_seq), 0) AS n FROM org_conclusions WHERE number_year = ?').get(year) as { n: number }).n;
  const n = Math.max(counter?.last_number ?? 0, taken) + 1;
  if (counter) ctx.store.update('conformity_counters', counter.id, { last_number: n });
  else ctx.store.insert('conformity_counters', { id: nameBasedUuid(`conformity_counters/${year}`), year, last_number: n });
  return n;
}

function issuerOf(ctx: CoreContext): ConclusionDoc['issuer'] {
  const s = readOrgsSettings(ctx);
  if (s.issuer.kk === '' || s.issuer.ru === '') throw new AppFailure('conformity.issuer_missing');
  return { name: s.issuer.kk === s.issuer.ru ? s.issuer.kk : { kk: s.issuer.kk, ru: s.issuer.ru } };
}

function checkSigner(signer: { name: string; position: string }): { name: string; position: string } {
  const s = { name: signer.name.trim(), position: signer.position.trim() };
  if (s.name === '') throw new AppFailure('conformity.signer_missing');
  return s;
}

/**
 * Issues the conclusion of a received application: every requirement decided (none left to check
 * by hand), every override justified, a non-conformity justified; the next number of the year of
 * issue; the statement stored with its SHA-256; the conclusion and the application locked.
 */
export function issueConclusion(ctx: CoreContext, a: { applicationId: string; date: string; signer: { name: string; position: string } }): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, a.applicationId);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: r.id });
    if (r.status !== 'received' || r.received_on === null) throw new AppFailure('conformity.not_received', { id: r.id });
    if (a.date < r.received_on) throw new AppFailure('conformity.issue_before_receipt', { date: a.date, receivedOn: r.received_on });
    const issuer = issuerOf(ctx);
    const signer = checkSigner(a.signer);
    const c = conclusionRowOf(ctx, r.id);
    const reqs = requirementsFor(ctx, r.code);
    const decisions = c ? json<AssessmentDecision[]>(c.decisions, []) : [];
    const view = assessmentOf(ctx, r, reqs, decisions, r.received_on);
    if (view.open.undecided.length > 0) throw new AppFailure('conformity.undecided', { count: view.open.undecided.length, ids: view.open.undecided.join(', ') });
    if (view.open.unjustified.length > 0) throw new AppFailure('conformity.unjustified', { count: view.open.unjustified.length, ids: view.open.unjustified.join(', ') });
    const staffConform = view.staff === 'met';
    const devicesConform = view.devices === 'met';
    const staffJustification = c?.staff_justification ?? '';
    const devicesJustification = c?.devices_justification ?? '';
    if (!staffConform && staffJustification === '') throw new AppFailure('conformity.justification_missing', { part: 'staff' });
    if (!devicesConform && devicesJustification === '') throw new AppFailure('conformity.justification_missing', { part: 'devices' });
    const year = Number(a.date.slice(0, 4));
    const seq = nextNumber(ctx, year);
    const number = `${seq}/${year}`;
    const validity = conclusionValidity({ year: r.year, receivedOn: r.received_on, firstTime: r.first_time === 1 });
    const o = orgRow(ctx, r.org_id);
    const doc: ConclusionDoc = {
      kind: 'conformity_conclusion',
      number,
      date: a.date,
      issuer,
      organization: docOrganization(o),
      htmp: docHtmp(ctx, r.code, validity.from),
      year: r.year,
      validFrom: validity.from,
      validTo: validity.to,
      application: { receivedOn: r.received_on, firstTime: r.first_time === 1 },
      staff: { conform: staffConform, justification: staffJustification },
      devices: { conform: devicesConform, justification: devicesJustification },
      overall: { conform: staffConform && devicesConform, note: c?.note ?? '' },
      requirements: view.items.map((i) => ({
        part: i.part,
        text: i.requirement ? requirementText(i.requirement) : '—',
        auto: i.status,
        status: i.final === 'met' ? 'met' : 'not_met',
        justification: i.decision?.justification ?? '',
      })),
      signer,
      generatedAt: kzNow(),
    };
    const bad = findInvalidField(doc);
    if (bad !== null) throw new AppFailure('pdf.invalid_document', { field: bad });
    const statement = canonicalJson(statementData(doc));
    const issuedAt = new Date().toISOString();
    const values: Row = {
      state: 'issued',
      staff_conform: staffConform ? 1 : 0,
      devices_conform: devicesConform ? 1 : 0,
      overall_conform: staffConform && devicesConform ? 1 : 0,
      number,
      number_year: year,
      number_seq: seq,
      issued_on: a.date,
      valid_from: validity.from,
      valid_to: validity.to,
      signer_name: signer.name,
      signer_position: signer.position,
      statement,
      sha256: sha256Hex(statement),
      issued_at: issuedAt,
    };
    if (c) ctx.store.update('org_conclusions', c.id, values);
    else ctx.store.insert('org_conclusions', full(CONCLUSION_COLUMNS, { id: nameBasedUuid(`org_conclusions/${r.id}`), application_id: r.id, org_id: r.org_id, year: r.year, code: r.code, decisions: '[]', staff_justification: '', devices_justification: '', note: '', ...values }));
    ctx.store.update('org_applications', r.id, { status: 'concluded', locked_at: issuedAt });
  });
  emitChanged(ctx, a.applicationId);
  return applicationDetail(ctx, a.applicationId);
}

export function getConclusion(ctx: CoreContext, id: string): ConclusionView {
  return conclusionView(ctx, conclusionRow(ctx, id));
}

export function issuedConclusionRow(ctx: CoreContext, id: string): ConclusionRow {
  const r = conclusionRow(ctx, id);
  if (r.state !== 'issued') throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  return r;
}

export function listConclusions(ctx: CoreContext, a: { year?: number | undefined; orgId?: string | undefined; code?: string | undefined }): ConclusionListItem[] {
  const where = ["c.state = 'issued'"];
  const params: (string | number)[] = [];
  if (a.year !== undefined) {
    where.push('c.year = ?');
    params.push(a.year);
  }
  if (a.orgId) {
    where.push('c.org_id = ?');
    params.push(a.orgId);
  }
  if (a.code) {
    where.push('c.code = ?');
    params.push(a.code);
  }
  const rows = ctx.db
    .prepare(
      `SELECT c.*, o.bin AS o_bin, o.name_kk AS o_kk, o.name_ru AS o_ru,
              EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued') AS superseded
         FROM org_conclusions c LEFT JOIN organizations o ON o.id = c.org_id
        WHERE ${where.join(' AND ')} ORDER BY c.number_year, c.number_seq, c.id`,
    )
    .all(...params) as (ConclusionRow & { o_bin: string | null; o_kk: string | null; o_ru: string | null; superseded: number })[];
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

// ---------------------------------------------------------------------------------------------
// Points 29 and 30

const same = (a: string, b: string): boolean => foldText(a).replace(/\s+/g, ' ').trim() === foldText(b).replace(/\s+/g, ' ').trim();

/** Point 29: the conclusion's application re-assessed with the change (who left, which device failed). */
function impactOf(ctx: CoreContext, u: UpdateRow): UpdateView['impact'] {
  if (u.kind !== 'staff_left' && u.kind !== 'device_fault') return null;
  const c = ctx.db.prepare('SELECT application_id, code FROM org_conclusions WHERE id = ?').get(u.conclusion_id) as { application_id: string; code: string } | undefined;
  if (!c) return null;
  const app = ctx.db.prepare('SELECT * FROM org_applications WHERE id = ?').get(c.application_id) as ApplicationRow | undefined;
  if (!app) return null;
  const data = applicationData(app);
  const changed: ApplicationData =
    u.kind === 'staff_left'
      ? { ...data, staff: data.staff.filter((s) => !same(s.name, u.subject)) }
      : { ...data, devices: data.devices.map((d) => (same(d.serial, u.subject) || same(d.name, u.subject) ? { ...d, inService: false, outOfOrderSince: u.event_on } : d)) };
  return preAssess(requirementsFor(ctx, c.code).requirements, changed, u.event_on).map((i) => ({ requirementId: i.requirementId, status: i.status }));
}

function updateView(ctx: CoreContext, u: UpdateRow, today: string): UpdateView {
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

function updateRow(ctx: CoreContext, id: string): UpdateRow {
  const r = ctx.db.prepare('SELECT * FROM org_updates WHERE id = ?').get(id) as UpdateRow | undefined;
  if (!r) throw new AppFailure('conformity.update_not_found', { id });
  return r;
}

export function addUpdate(ctx: CoreContext, a: { conclusionId: string; kind: UpdateKind; eventOn: string; subject: string; newCode?: string | null | undefined; note?: string | null | undefined }): UpdateView {
  const row = ctx.store.transaction(() => {
    const c = issuedConclusionRow(ctx, a.conclusionId);
    const superseded = ctx.db.prepare("SELECT 1 FROM org_conclusions WHERE supersedes_id = ? AND state = 'issued'").get(c.id);
    if (superseded) throw new AppFailure('conformity.superseded', { number: c.number ?? '' });
    if (a.kind === 'code_changed' && !a.newCode) throw new AppFailure('conformity.reissue_needs_code');
    const due = POINT29_KINDS.includes(a.kind) ? updateDue(a.eventOn, workCalendar(ctx.db)).due : reissueDue(a.eventOn);
    return ctx.store.insert(
      'org_updates',
      full(UPDATE_COLUMNS, {
        conclusion_id: c.id,
        org_id: c.org_id,
        kind: a.kind,
        event_on: a.eventOn,
        due_on: due,
        subject: a.subject.trim(),
        new_code: a.kind === 'code_changed' ? (a.newCode ?? null) : null,
        note: a.note?.trim() || null,
      }),
    ) as unknown as UpdateRow;
  });
  emitChanged(ctx, row.id);
  return updateView(ctx, row, kzToday());
}

export function completeUpdate(ctx: CoreContext, id: string, doneOn: string): UpdateView {
  const row = ctx.store.transaction(() => {
    const u = updateRow(ctx, id);
    if (u.done_on !== null) throw new AppFailure('conformity.already_done', { id });
    if (!POINT29_KINDS.includes(u.kind)) throw new AppFailure('conformity.wrong_update_kind', { kind: u.kind });
    return ctx.store.update('org_updates', id, { done_on: doneOn }).row as unknown as UpdateRow;
  });
  emitChanged(ctx, id);
  return updateView(ctx, row, kzToday());
}

/**
 * Point 30: a new conclusion for the new code (or the new name of the same code), with the old
 * one's assessment, validity and organization; it supersedes the old one (which stays issued and
 * unchanged) and closes the update.
 */
export function reissue(ctx: CoreContext, a: { updateId: string; date: string; signer: { name: string; position: string } }): { update: UpdateView; conclusion: ConclusionView } {
  const newId = nameBasedUuid(`org_conclusions/reissue/${a.updateId}`);
  ctx.store.transaction(() => {
    const u = updateRow(ctx, a.updateId);
    if (u.kind !== 'code_changed' && u.kind !== 'name_changed') throw new AppFailure('conformity.wrong_update_kind', { kind: u.kind });
    if (u.done_on !== null) throw new AppFailure('conformity.already_done', { id: u.id });
    const old = issuedConclusionRow(ctx, u.conclusion_id);
    if (ctx.db.prepare("SELECT 1 FROM org_conclusions WHERE supersedes_id = ? AND state = 'issued'").get(old.id)) throw new AppFailure('conformity.superseded', { number: old.number ?? '' });
    const prev = conclusionDoc(old);
    const code = u.kind === 'code_changed' ? (u.new_code ?? old.code) : old.code;
    const issuer = issuerOf(ctx);
    const signer = checkSigner(a.signer);
    const year = Number(a.date.slice(0, 4));
    const seq = nextNumber(ctx, year);
    const number = `${seq}/${year}`;
    const doc: ConclusionDoc = {
      ...prev,
      number,
      date: a.date,
      issuer,
      htmp: docHtmp(ctx, code, a.date),
      signer,
      reissueOf: { number: prev.number, date: prev.date, code: prev.htmp.code },
      generatedAt: kzNow(),
    };
    const bad = findInvalidField(doc);
    if (bad !== null) throw new AppFailure('pdf.invalid_document', { field: bad });
    const statement = canonicalJson(statementData(doc));
    ctx.store.insert(
      'org_conclusions',
      full(CONCLUSION_COLUMNS, {
        id: newId,
        application_id: old.application_id,
        org_id: old.org_id,
        year: old.year,
        code,
        state: 'issued',
        decisions: old.decisions,
        staff_justification: old.staff_justification,
        devices_justification: old.devices_justification,
        note: old.note,
        staff_conform: old.staff_conform,
        devices_conform: old.devices_conform,
        overall_conform: old.overall_conform,
        number,
        number_year: year,
        number_seq: seq,
        issued_on: a.date,
        valid_from: old.valid_from,
        valid_to: old.valid_to,
        signer_name: signer.name,
        signer_position: signer.position,
        supersedes_id: old.id,
        statement,
        sha256: sha256Hex(statement),
        issued_at: new Date().toISOString(),
      }),
    );
    ctx.store.update('org_updates', u.id, { done_on: a.date, new_conclusion_id: newId });
  });
  emitChanged(ctx, a.updateId);
  return { update: updateView(ctx, updateRow(ctx, a.updateId), kzToday()), conclusion: getConclusion(ctx, newId) };
}

export function listUpdates(ctx: CoreContext, a: { open?: boolean | undefined; orgId?: string | undefined; today?: string | undefined }): { items: UpdateView[]; today: string } {
  const today = a.today ?? kzToday();
  const where: string[] = [];
  const params: string[] = [];
  if (a.open !== undefined) where.push(a.open ? 'done_on IS NULL' : 'done_on IS NOT NULL');
  if (a.orgId) {
    where.push('org_id = ?');
    params.push(a.orgId);
  }
  const rows = ctx.db.prepare(`SELECT * FROM org_updates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY done_on IS NOT NULL, due_on, event_on, id`).all(...params) as UpdateRow[];
  return { items: rows.map((r) => updateView(ctx, r, today)), today };
}

export { applicationData };
