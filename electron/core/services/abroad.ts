import type {
  AbroadFileRef,
  AbroadIssuedLetter,
  AbroadLetterKind,
  AbroadListItem,
  AbroadMethods,
  AbroadReference,
  AbroadRequestDetail,
  AbroadStepView,
  AbroadSummary,
} from '../../../shared/contract/abroad';
import { ABROAD_MAX_FILE_BYTES } from '../../../shared/contract/abroad';
import type { PdfFile } from '../../../shared/contract/protocols';
import {
  checkEligibility,
  computeSchedule,
  formatRequestNumber,
  routeInForce,
  snapshotRoute,
  type AbroadCategory,
  type AbroadText,
  type ConfirmationId,
  type DiseaseGroup,
  type EligibilityResult,
  type IneligibleFinding,
  type RouteSnapshot,
  type Schedule,
  type TransplantKind,
} from '../../../shared/domain/abroad';
import { letterNumber, type AbroadLetterDoc, type AbroadSummaryDoc } from '../../../shared/domain/abroad-documents';
import { isIsoDate } from '../../../shared/domain/calendar';
import { checkIin } from '../../../shared/domain/iin';
import { kzNow } from '../../../shared/domain/kz-time';
import { canonicalJson } from '../../../shared/canonical-json';
import { AppFailure } from '../../../shared/result';
import { abroadStatementHash, renderAbroadPdf } from '../abroad/pdf';
import { effectiveRoutes, setLocalRoutes } from '../abroad/routes';
import { abroadSummaryXlsx } from '../abroad/xlsx';
import { kzToday, workCalendar } from '../cases/calendar';
import { putStoredFile, readStoredFile } from '../cases/files';
import type { CoreContext, Handlers } from '../context';
import { t } from '../i18n';
import type { Row, TableSpec } from '../store';
import { nameBasedUuid } from '../store';
import { readSettings } from './app';

/** Tables of user data owned by the treatment-abroad area (written only through the Store). */
export const abroadTables: TableSpec[] = [
  {
    name: 'abroad_requests',
    columns: [
      'year', 'seq', 'started_on', 'iin', 'last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'category', 'disease_group',
      'transplant_kind', 'confirmations', 'instruction_ref', 'diagnosis_icd10', 'diagnosis_text', 'route_id', 'route_version',
      'route_snapshot', 'clinic', 'contract_date', 'notes',
    ],
  },
  { name: 'abroad_steps', columns: ['request_id', 'step', 'completed_on', 'note'] },
  { name: 'abroad_files', columns: ['request_id', 'step', 'document', 'sha256', 'name', 'mime', 'size'] },
  { name: 'abroad_letters', columns: ['request_id', 'kind', 'step', 'number', 'statement', 'sha256', 'issued_at'] },
  { name: 'abroad_counters', columns: ['year', 'last_number'] },
];

// ---------------------------------------------------------------------------------------------
// Rows

interface RequestRow {
  id: string;
  created_at: string;
  updated_at: string;
  year: number;
  seq: number;
  started_on: string;
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  sex: 'male' | 'female' | null;
  category: AbroadCategory;
  disease_group: DiseaseGroup;
  transplant_kind: TransplantKind | null;
  confirmations: string;
  instruction_ref: string | null;
  diagnosis_icd10: string;
  diagnosis_text: string;
  route_id: string;
  route_version: number;
  route_snapshot: string;
  clinic: string | null;
  contract_date: string | null;
  notes: string | null;
}

interface StepRow {
  id: string;
  request_id: string;
  step: number;
  completed_on: string;
  note: string | null;
}

interface FileRow {
  id: string;
  created_at: string;
  request_id: string;
  step: number;
  document: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

interface LetterRow {
  id: string;
  created_at: string;
  request_id: string;
  kind: AbroadLetterKind;
  step: number;
  number: string;
  statement: string;
  sha256: string;
  issued_at: string;
}

interface Loaded {
  r: RequestRow;
  route: RouteSnapshot;
  confirmations: Partial<Record<ConfirmationId, boolean | null>>;
  completions: Map<number, string>;
  stepRows: StepRow[];
}

function loadRequest(ctx: CoreContext, id: string): Loaded {
  const r = ctx.db.prepare('SELECT * FROM abroad_requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!r) throw new AppFailure('abroad.not_found', { id });
  return withSteps(ctx, r);
}

function withSteps(ctx: CoreContext, r: RequestRow): Loaded {
  const stepRows = ctx.db.prepare('SELECT * FROM abroad_steps WHERE request_id = ? ORDER BY step').all(r.id) as StepRow[];
  return {
    r,
    route: JSON.parse(r.route_snapshot) as RouteSnapshot,
    confirmations: JSON.parse(r.confirmations) as Loaded['confirmations'],
    completions: new Map(stepRows.map((s) => [s.step, s.completed_on])),
    stepRows,
  };
}

const personName = (r: Pick<RequestRow, 'last_name' | 'first_name' | 'middle_name'>) => [r.last_name, r.first_name, r.middle_name].filter((s) => s && s.trim()).join(' ');

function eligibilityOf(l: Loaded): EligibilityResult {
  return checkEligibility({
    category: l.r.category,
    diseaseGroup: l.r.disease_group,
    birthDate: l.r.birth_date,
    startedOn: l.r.started_on,
    transplantKind: l.r.transplant_kind,
    confirmations: l.confirmations,
  });
}

function scheduleOf(ctx: CoreContext, l: Loaded, today: string): Schedule {
  return computeSchedule(l.route, l.r.started_on, l.completions, today, workCalendar(ctx.db));
}

/** The refusal of a request that does not qualify: the first reason as the error, with how many more. */
function ineligible(refusals: IneligibleFinding[]): AppFailure {
  const first = refusals[0]!;
  // `context` picks the message of the exact condition (`…_methods_exhausted`, `…_bone_marrow_related`).
  const context = first.reason === 'confirmation' ? first.params.confirmation : first.reason === 'transplant' ? first.params.kind : undefined;
  return new AppFailure(`abroad.ineligible_${first.reason}`, { ...first.params, more: refusals.length - 1, ...(context !== undefined ? { context: String(context) } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Views

function fileRef(f: FileRow): AbroadFileRef {
  return { id: f.id, step: f.step, document: f.document, sha256: f.sha256, name: f.name, mime: f.mime, size: f.size, addedAt: f.created_at };
}

function issuedOf(row: LetterRow): AbroadIssuedLetter {
  return { kind: row.kind, step: row.step, number: row.number, sha256: row.sha256, issuedAt: row.issued_at };
}

/** The first stored letter of a kind for a step (two laptops may both have printed one: the earliest counts). */
function storedLetter(ctx: CoreContext, requestId: string, kind: AbroadLetterKind, step: number): LetterRow | undefined {
  return ctx.db.prepare('SELECT * FROM abroad_letters WHERE request_id = ? AND kind = ? AND step = ? ORDER BY created_at, id LIMIT 1').get(requestId, kind, step) as LetterRow | undefined;
}

export function requestDetail(ctx: CoreContext, id: string, today: string = kzToday()): AbroadRequestDetail {
  const l = loadRequest(ctx, id);
  const schedule = scheduleOf(ctx, l, today);
  const files = ctx.db.prepare('SELECT * FROM abroad_files WHERE request_id = ? ORDER BY step, created_at, id').all(id) as FileRow[];
  const letters = ctx.db.prepare('SELECT * FROM abroad_letters WHERE request_id = ? ORDER BY created_at, id').all(id) as LetterRow[];
  const steps: AbroadStepView[] = schedule.steps.map((s) => {
    const def = l.route.steps[s.n - 1]!;
    const letter = letters.find((x) => x.step === s.n && x.kind === def.letter);
    return {
      ...s,
      holder: l.route.actors[def.actor]!,
      recipient: def.recipient ? l.route.actors[def.recipient]! : null,
      action: def.action,
      documents: def.documents.map((d) => ({ id: d, name: l.route.documents[d]! })),
      letter: def.letter,
      records: def.records,
      note: l.stepRows.find((x) => x.step === s.n)?.note ?? null,
      routeNote: def.note ?? null,
      files: files.filter((f) => f.step === s.n).map(fileRef),
      issued: letter ? issuedOf(letter) : null,
    };
  });
  return {
    id: l.r.id,
    number: formatRequestNumber(l.r.seq, l.r.year),
    createdAt: l.r.created_at,
    updatedAt: l.r.updated_at,
    patient: { iin: l.r.iin, lastName: l.r.last_name, firstName: l.r.first_name, middleName: l.r.middle_name, birthDate: l.r.birth_date, sex: l.r.sex },
    category: l.r.category,
    diseaseGroup: l.r.disease_group,
    transplantKind: l.r.transplant_kind,
    confirmations: l.confirmations,
    instructionRef: l.r.instruction_ref,
    diagnosis: { icd10: l.r.diagnosis_icd10, text: l.r.diagnosis_text },
    notes: l.r.notes,
    startedOn: l.r.started_on,
    eligibility: eligibilityOf(l),
    route: l.route,
    status: schedule.done ? 'contracted' : 'open',
    steps,
    currentStep: schedule.currentStep,
    routeDue: schedule.routeDue,
    elapsedDays: schedule.elapsedDays,
    lateSteps: schedule.lateSteps,
    calendarConfirmed: schedule.calendarConfirmed,
    unconfirmedYears: schedule.unconfirmedYears,
    clinic: l.r.clinic,
    contractDate: l.r.contract_date,
    today,
  };
}

function listItem(ctx: CoreContext, l: Loaded, today: string): AbroadListItem {
  const s = scheduleOf(ctx, l, today);
  const cur = s.currentStep === null ? null : s.steps[s.currentStep - 1]!;
  return {
    id: l.r.id,
    number: formatRequestNumber(l.r.seq, l.r.year),
    patientName: personName(l.r),
    iin: l.r.iin,
    category: l.r.category,
    diseaseGroup: l.r.disease_group,
    startedOn: l.r.started_on,
    route: { id: l.route.id, version: l.route.version, totalWorkingDays: l.route.totalWorkingDays, title: l.route.title },
    status: s.done ? 'contracted' : 'open',
    currentStep: s.currentStep,
    stepCount: l.route.steps.length,
    holder: cur ? l.route.actors[cur.actor]! : null,
    due: cur?.due ?? null,
    late: cur?.late ?? false,
    lateDays: cur?.lateDays ?? 0,
    lateSteps: s.lateSteps,
    routeDue: s.routeDue,
    elapsedDays: s.elapsedDays,
    pending: eligibilityOf(l).pending,
    // The current step's own due date (the whole route may run into a year not yet confirmed).
    calendarConfirmed: cur ? cur.calendarConfirmed : s.calendarConfirmed,
    clinic: l.r.clinic,
  };
}

function allLoaded(ctx: CoreContext, where = '', params: unknown[] = []): Loaded[] {
  const rows = ctx.db.prepare(`SELECT * FROM abroad_requests ${where} ORDER BY started_on DESC, year DESC, seq DESC`).all(...params) as RequestRow[];
  const steps = ctx.db.prepare('SELECT * FROM abroad_steps ORDER BY request_id, step').all() as StepRow[];
  const byRequest = new Map<string, StepRow[]>();
  for (const s of steps) (byRequest.get(s.request_id) ?? byRequest.set(s.request_id, []).get(s.request_id)!).push(s);
  return rows.map((r) => {
    const stepRows = byRequest.get(r.id) ?? [];
    return {
      r,
      route: JSON.parse(r.route_snapshot) as RouteSnapshot,
      confirmations: JSON.parse(r.confirmations) as Loaded['confirmations'],
      completions: new Map(stepRows.map((s) => [s.step, s.completed_on])),
      stepRows,
    };
  });
}

function changed(ctx: CoreContext, id: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'abroad', id } });
}

function reference(ctx: CoreContext, today: string): AbroadReference {
  const { doc, source } = effectiveRoutes(ctx.db);
  const r = routeInForce(doc, today);
  return { routes: doc, source, inForce: r ? { id: r.id, version: r.version, totalWorkingDays: r.totalWorkingDays } : null, today };
}

// ---------------------------------------------------------------------------------------------
// Writes

function nextSeq(ctx: CoreContext, year: number): number {
  const row = ctx.db.prepare('SELECT id, last_number FROM abroad_counters WHERE year = ?').get(year) as { id: string; last_number: number } | undefined;
  // A counter lost on this laptop never gives a number twice: it starts after the largest one stored.
  const stored = (ctx.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM abroad_requests WHERE year = ?').get(year) as { n: number }).n;
  const next = Math.max(row?.last_number ?? 0, stored) + 1;
  if (row) ctx.store.update('abroad_counters', row.id, { last_number: next });
  else ctx.store.insert('abroad_counters', { id: nameBasedUuid(`abroad_counters/${year}`), year, last_number: next });
  return next;
}

type CreateArgs = AbroadMethods['abroad.create']['args'];

/** Creates a request that qualifies; refuses one that does not, with the first reason. */
export function createRequest(ctx: CoreContext, a: CreateArgs, today: string = kzToday()): string {
  const iin = a.patient.iin.trim();
  const check = checkIin(iin);
  if (!check.valid) throw new AppFailure('abroad.invalid_iin', { iin, reason: check.reason ?? 'format' });
  if (a.patient.birthDate && a.patient.birthDate !== check.birthDate) throw new AppFailure('abroad.iin_mismatch', { field: 'birthDate', context: 'birthDate', fromIin: check.birthDate ?? '' });
  if (a.patient.sex && a.patient.sex !== check.sex) throw new AppFailure('abroad.iin_mismatch', { field: 'sex', context: 'sex', fromIin: check.sex ?? '' });
  if (!isIsoDate(a.startedOn)) throw new AppFailure('abroad.invalid_date', { date: a.startedOn });
  if (a.startedOn > today) throw new AppFailure('abroad.date_in_future', { date: a.startedOn, today });
  const birthDate = check.birthDate!;
  const eligibility = checkEligibility({
    category: a.category,
    diseaseGroup: a.diseaseGroup,
    birthDate,
    startedOn: a.startedOn,
    transplantKind: a.transplantKind ?? null,
    confirmations: a.confirmations ?? {},
  });
  if (!eligibility.qualifies) throw ineligible(eligibility.refusals);
  const { doc } = effectiveRoutes(ctx.db);
  const route = routeInForce(doc, a.startedOn);
  if (!route) throw new AppFailure('abroad.no_route', { date: a.startedOn });
  const snapshot = snapshotRoute(doc, route);
  const year = Number(a.startedOn.slice(0, 4));
  return ctx.store.transaction(() => {
    const seq = nextSeq(ctx, year);
    const row = ctx.store.insert('abroad_requests', {
      year,
      seq,
      started_on: a.startedOn,
      iin,
      last_name: a.patient.lastName.trim(),
      first_name: a.patient.firstName.trim(),
      middle_name: a.patient.middleName?.trim() || null,
      birth_date: birthDate,
      sex: check.sex,
      category: a.category,
      disease_group: a.diseaseGroup,
      transplant_kind: a.diseaseGroup === 'transplantation' ? a.transplantKind ?? null : null,
      confirmations: JSON.stringify(a.confirmations ?? {}),
      instruction_ref: a.instructionRef ?? null,
      diagnosis_icd10: a.diagnosis?.icd10?.trim() ?? '',
      diagnosis_text: a.diagnosis?.text?.trim() ?? '',
      route_id: snapshot.id,
      route_version: snapshot.version,
      route_snapshot: JSON.stringify(snapshot),
      clinic: null,
      contract_date: null,
      notes: a.notes ?? null,
    });
    return String(row.id);
  });
}

function advance(ctx: CoreContext, a: AbroadMethods['abroad.advance']['args']): void {
  const today = a.today ?? kzToday();
  ctx.store.transaction(() => {
    const l = loadRequest(ctx, a.id);
    const s = scheduleOf(ctx, l, today);
    if (s.currentStep === null) throw new AppFailure('abroad.route_done', { number: formatRequestNumber(l.r.seq, l.r.year) });
    if (a.step !== s.currentStep) throw new AppFailure('abroad.step_not_current', { step: a.step, current: s.currentStep });
    const e = eligibilityOf(l);
    if (!e.complete) throw new AppFailure('abroad.confirmations_pending', { pending: e.pending.join(', ') });
    const step = s.steps[a.step - 1]!;
    if (!isIsoDate(a.date)) throw new AppFailure('abroad.invalid_date', { date: a.date });
    if (a.date < step.start) throw new AppFailure('abroad.date_before_start', { date: a.date, start: step.start });
    if (a.date > today) throw new AppFailure('abroad.date_in_future', { date: a.date, today });
    const def = l.route.steps[a.step - 1]!;
    const clinic = a.clinic?.trim() || null;
    if (def.records === 'clinic' && !clinic) throw new AppFailure('abroad.clinic_required', { step: a.step });
    const id = nameBasedUuid(`abroad_steps/${a.id}/${a.step}`);
    const existing = ctx.db.prepare('SELECT id FROM abroad_steps WHERE id = ?').get(id) as { id: string } | undefined;
    if (existing) ctx.store.update('abroad_steps', id, { completed_on: a.date, note: a.note ?? null });
    else ctx.store.insert('abroad_steps', { id, request_id: a.id, step: a.step, completed_on: a.date, note: a.note ?? null });
    const patch: Row = {};
    if (def.records && clinic) patch.clinic = clinic;
    if (def.records === 'contract') patch.contract_date = a.date;
    if (Object.keys(patch).length) ctx.store.update('abroad_requests', a.id, patch);
  });
}

function decodeBase64(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AppFailure('abroad.file_content_invalid');
  return Buffer.from(clean, 'base64');
}

function attachFile(ctx: CoreContext, a: AbroadMethods['abroad.attachFile']['args']): { file: AbroadFileRef; deduplicated: boolean } {
  const content = decodeBase64(a.contentBase64);
  if (content.length > ABROAD_MAX_FILE_BYTES) throw new AppFailure('abroad.file_too_large', { size: content.length, maxMb: Math.round(ABROAD_MAX_FILE_BYTES / 1024 / 1024) });
  const l = loadRequest(ctx, a.requestId);
  const def = l.route.steps[a.step - 1];
  if (!def) throw new AppFailure('abroad.unknown_document', { step: a.step, document: a.document });
  if (a.document !== 'other' && !def.documents.includes(a.document)) throw new AppFailure('abroad.unknown_document', { step: a.step, document: a.document });
  // The same store, with the same integrity (content-addressed) and protection, as case files.
  const put = putStoredFile(ctx.dataDir, content);
  return ctx.store.transaction(() => {
    const known = ctx.db.prepare('SELECT id FROM stored_files WHERE sha256 = ?').get(put.sha256) as { id: string } | undefined;
    if (!known) ctx.store.insert('stored_files', { id: nameBasedUuid(`stored_files/${put.sha256}`), sha256: put.sha256, size: put.size });
    const same = ctx.db.prepare('SELECT * FROM abroad_files WHERE request_id = ? AND step = ? AND document = ? AND sha256 = ?').get(a.requestId, a.step, a.document, put.sha256) as FileRow | undefined;
    const row =
      same ??
      (ctx.store.insert('abroad_files', { request_id: a.requestId, step: a.step, document: a.document, sha256: put.sha256, name: a.name, mime: a.mime, size: put.size }) as unknown as FileRow);
    return { file: fileRef(row), deduplicated: put.existed || known !== undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// Letters

const both = (key: string, params: Record<string, unknown> = {}): AbroadText => ({ kk: t('kk', `abroad:${key}`, params), ru: t('ru', `abroad:${key}`, params) });

/** The health authority's and the commission's names in Kazakh and Russian (null unless both are set). */
function namesOf(ctx: CoreContext): { authority: AbroadText | null; commission: AbroadText | null } {
  const s = readSettings(ctx);
  const pair = (kk: string, ru: string): AbroadText | null => (kk.trim() !== '' && ru.trim() !== '' ? { kk: kk.trim(), ru: ru.trim() } : null);
  return { authority: pair(s.authorityNameKk, s.authorityNameRu), commission: pair(s.commissionNameKk, s.commissionNameRu) };
}

function buildLetter(ctx: CoreContext, l: Loaded, kind: AbroadLetterKind, stepN: number, today: string): AbroadLetterDoc {
  const s = scheduleOf(ctx, l, today);
  const step = s.steps[stepN - 1]!;
  const def = l.route.steps[stepN - 1]!;
  const e = eligibilityOf(l);
  if (!e.complete) throw new AppFailure('abroad.confirmations_pending', { pending: e.pending.join(', ') });
  let sender = l.route.actors[def.actor]!;
  let commission: AbroadText | null = null;
  if (def.actor === 'health_authority') {
    // The letterhead in each language from Settings (both names needed, like a protocol's).
    const { authority, commission: c } = namesOf(ctx);
    if (authority === null) throw new AppFailure('abroad.authority_missing');
    sender = authority;
    commission = c;
  }
  const files = ctx.db.prepare('SELECT document, count(*) AS n FROM abroad_files WHERE request_id = ? AND step = ? GROUP BY document').all(l.r.id, stepN) as { document: string; n: number }[];
  const number = formatRequestNumber(l.r.seq, l.r.year);
  return {
    kind: kind === 'petition' ? 'abroad_petition' : 'abroad_cover_letter',
    number: letterNumber(number, stepN),
    date: today < step.start ? step.start : today,
    sender,
    commission,
    recipient: def.recipient ? l.route.actors[def.recipient]! : both('pdf.common.noRecipient'),
    request: { number, startedOn: l.r.started_on, routeTitle: l.route.title, routeVersion: l.route.version, totalWorkingDays: l.route.totalWorkingDays, routeDue: s.routeDue },
    patient: { name: personName(l.r), iin: l.r.iin, birthDate: l.r.birth_date },
    diseaseGroup: both(`groups.${l.r.disease_group}.quote`),
    category: both(`categories.${l.r.category}.quote`),
    confirmations: e.required.map((c) => both(`confirmations.${c}.label`)),
    transplant: l.r.disease_group === 'transplantation' && l.r.transplant_kind ? both(`transplantKinds.${l.r.transplant_kind}`) : null,
    instructionRef: l.r.category === 'service_injury' ? l.r.instruction_ref : null,
    diagnosis: [l.r.diagnosis_icd10, l.r.diagnosis_text].filter((x) => x.trim()).join(' ') || null,
    step: { n: stepN, action: def.action, workingDays: def.workingDays, start: step.start, due: step.due, holder: l.route.actors[def.actor]! },
    enclosures: def.documents.filter((d) => !(kind === 'petition' && d === 'petition')).map((d) => ({ name: l.route.documents[d]!, files: files.find((f) => f.document === d)?.n ?? 0 })),
    source: both('source'),
    generatedAt: kzNow(),
  };
}

/** The letter as stored when first printed (issued now when it never was). */
function issueLetter(ctx: CoreContext, id: string, kind: AbroadLetterKind, stepArg: number | undefined, today: string): { doc: AbroadLetterDoc; row: LetterRow; created: boolean } {
  const l = loadRequest(ctx, id);
  const stepN = stepArg ?? (kind === 'petition' ? l.route.steps.find((s) => s.letter === 'petition')?.n : undefined);
  const def = stepN === undefined ? undefined : l.route.steps[stepN - 1];
  if (!def || def.letter !== kind) throw new AppFailure('abroad.no_letter', { kind, step: stepN ?? 0 });
  const stepNo = def.n;
  const stored = storedLetter(ctx, id, kind, stepNo);
  if (stored) {
    const statement = JSON.parse(stored.statement) as Omit<AbroadLetterDoc, 'generatedAt'>;
    const doc = { ...statement, generatedAt: kzNow() } as AbroadLetterDoc;
    if (abroadStatementHash(doc) !== stored.sha256) throw new AppFailure('abroad.statement_corrupt', { number: stored.number });
    return { doc, row: stored, created: false };
  }
  const s = scheduleOf(ctx, l, today);
  if (s.currentStep !== null && stepNo > s.currentStep) throw new AppFailure('abroad.step_not_reached', { step: stepNo, current: s.currentStep });
  const doc = buildLetter(ctx, l, kind, stepNo, today);
  const { generatedAt: _g, ...statement } = doc;
  const sha256 = abroadStatementHash(doc);
  const row = ctx.store.insert('abroad_letters', { request_id: id, kind, step: stepNo, number: doc.number, statement: canonicalJson(statement), sha256, issued_at: new Date().toISOString() }) as unknown as LetterRow;
  return { doc, row, created: true };
}

function pdfFile(buffer: Buffer, fileName: string, pages: number, sha256: string, verification: string): PdfFile {
  return { pdfBase64: buffer.toString('base64'), fileName, pages, bytes: buffer.length, sha256, verification };
}

// ---------------------------------------------------------------------------------------------
// Yearly summary

const fmtMean = (xs: number[]): string => (xs.length === 0 ? '—' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1).replace('.', ','));

export function summary(ctx: CoreContext, year: number, today: string = kzToday()): AbroadSummary {
  const loaded = allLoaded(ctx, 'WHERE year = ?', [year]);
  const byGroup = (['gamma_knife_brain', 'vascular_endovascular', 'skull_base', 'eye_malignant', 'keratoprosthesis', 'transplantation', 'larynx_stenosis', 'trachea_stenosis'] as DiseaseGroup[]).map((group) => {
    const child = loaded.filter((l) => l.r.disease_group === group && l.r.category === 'child').length;
    const service = loaded.filter((l) => l.r.disease_group === group && l.r.category === 'service_injury').length;
    return { group, child, service_injury: service, total: child + service };
  });
  const stepStats = new Map<string, AbroadSummary['steps'][number] & { used: number[] }>();
  const late: AbroadSummary['late'] = [];
  let withinNorm = 0;
  let overNorm = 0;
  const toContract: number[] = [];
  for (const l of loaded) {
    const s = scheduleOf(ctx, l, today);
    for (const st of s.steps) {
      const key = `${l.route.id}@${l.route.version}#${st.n}`;
      let e = stepStats.get(key);
      if (!e) {
        e = { routeId: l.route.id, routeVersion: l.route.version, n: st.n, actor: l.route.actors[st.actor]!, norm: st.workingDays, completed: 0, meanDays: null, maxDays: null, late: 0, used: [] };
        stepStats.set(key, e);
      }
      if (st.state === 'done') {
        e.completed++;
        e.used.push(st.usedDays ?? 0);
      }
      if (st.late) {
        e.late++;
        late.push({ requestId: l.r.id, number: formatRequestNumber(l.r.seq, l.r.year), patientName: personName(l.r), n: st.n, actor: l.route.actors[st.actor]!, due: st.due, completedOn: st.completedOn, lateDays: st.lateDays });
      }
    }
    if (s.done) {
      toContract.push(s.elapsedDays);
      if (s.elapsedDays <= l.route.totalWorkingDays) withinNorm++;
      else overNorm++;
    }
  }
  const steps = [...stepStats.values()]
    .sort((a, b) => a.routeId.localeCompare(b.routeId) || a.routeVersion - b.routeVersion || a.n - b.n)
    .map(({ used, ...e }) => ({ ...e, meanDays: used.length ? used.reduce((a, b) => a + b, 0) / used.length : null, maxDays: used.length ? Math.max(...used) : null }));
  return {
    year,
    today,
    total: loaded.length,
    contracted: loaded.filter((l) => l.r.contract_date !== null || l.completions.size === l.route.steps.length).length,
    byGroup,
    steps,
    late: late.sort((a, b) => a.due.localeCompare(b.due) || a.number.localeCompare(b.number)),
    route: { withinNorm, overNorm, meanDaysToContract: toContract.length ? toContract.reduce((a, b) => a + b, 0) / toContract.length : null },
  };
}

function summaryDoc(ctx: CoreContext, s: AbroadSummary): AbroadSummaryDoc {
  const names = namesOf(ctx);
  const mean = (v: number | null) => (v === null ? '—' : v.toFixed(1).replace('.', ','));
  return {
    kind: 'abroad_summary',
    year: s.year,
    asOf: s.today,
    authority: names.authority,
    commission: names.commission,
    total: s.total,
    contracted: s.contracted,
    byGroup: s.byGroup.map((g) => ({ group: both(`groups.${g.group}.short`), child: g.child, service_injury: g.service_injury, total: g.total })),
    steps: s.steps.map((x) => ({ route: `${x.routeId} v${x.routeVersion}`, n: x.n, actor: x.actor, norm: x.norm, completed: x.completed, mean: mean(x.meanDays), max: x.maxDays === null ? '—' : String(x.maxDays), late: x.late })),
    late: s.late.map((x) => ({ number: x.number, patientName: x.patientName, n: x.n, actor: x.actor, due: x.due, completedOn: x.completedOn, lateDays: x.lateDays })),
    route: { withinNorm: s.route.withinNorm, overNorm: s.route.overNorm, meanDaysToContract: mean(s.route.meanDaysToContract) },
    generatedAt: kzNow(),
  };
}

// ---------------------------------------------------------------------------------------------
// Handlers

export const abroadHandlers: Pick<Handlers, keyof AbroadMethods> = {
  'abroad.reference': (a, ctx) => reference(ctx, a.today ?? kzToday()),
  'abroad.routesReplace': (a, ctx) => {
    setLocalRoutes(ctx.db, a.routes);
    changed(ctx, '');
    return reference(ctx, kzToday());
  },
  'abroad.routesReset': (_a, ctx) => {
    setLocalRoutes(ctx.db, null);
    changed(ctx, '');
    return reference(ctx, kzToday());
  },
  'abroad.create': (a, ctx) => {
    const id = createRequest(ctx, a);
    changed(ctx, id);
    return requestDetail(ctx, id);
  },
  'abroad.update': (a, ctx) => {
    ctx.store.transaction(() => {
      const l = loadRequest(ctx, a.id);
      const confirmations = a.confirmations ? { ...l.confirmations, ...a.confirmations } : l.confirmations;
      const transplantKind = a.transplantKind !== undefined ? a.transplantKind : l.r.transplant_kind;
      const e = checkEligibility({ category: l.r.category, diseaseGroup: l.r.disease_group, birthDate: l.r.birth_date, startedOn: l.r.started_on, transplantKind, confirmations });
      if (!e.qualifies) throw ineligible(e.refusals);
      const patch: Row = { confirmations: JSON.stringify(confirmations) };
      if (a.transplantKind !== undefined) patch.transplant_kind = l.r.disease_group === 'transplantation' ? a.transplantKind : null;
      if (a.instructionRef !== undefined) patch.instruction_ref = a.instructionRef;
      if (a.diagnosis?.icd10 !== undefined) patch.diagnosis_icd10 = a.diagnosis.icd10.trim();
      if (a.diagnosis?.text !== undefined) patch.diagnosis_text = a.diagnosis.text.trim();
      if (a.notes !== undefined) patch.notes = a.notes;
      if (a.lastName !== undefined) patch.last_name = a.lastName.trim();
      if (a.firstName !== undefined) patch.first_name = a.firstName.trim();
      if (a.middleName !== undefined) patch.middle_name = a.middleName?.trim() || null;
      ctx.store.update('abroad_requests', a.id, patch);
    });
    changed(ctx, a.id);
    return requestDetail(ctx, a.id);
  },
  'abroad.get': (a, ctx) => requestDetail(ctx, a.id, a.today ?? kzToday()),
  'abroad.list': (a, ctx) => {
    const today = a.today ?? kzToday();
    const loaded = a.year !== undefined ? allLoaded(ctx, 'WHERE year = ?', [a.year]) : allLoaded(ctx);
    let items = loaded.map((l) => listItem(ctx, l, today));
    const status = a.status ?? 'all';
    if (status !== 'all') items = items.filter((i) => i.status === status);
    if (a.late) items = items.filter((i) => i.late).sort((x, y) => y.lateDays - x.lateDays || (x.due ?? '').localeCompare(y.due ?? ''));
    return { items, today };
  },
  'abroad.advance': (a, ctx) => {
    advance(ctx, a);
    changed(ctx, a.id);
    return requestDetail(ctx, a.id, a.today ?? kzToday());
  },
  'abroad.reopenStep': (a, ctx) => {
    ctx.store.transaction(() => {
      const l = loadRequest(ctx, a.id);
      const last = l.stepRows[l.stepRows.length - 1];
      if (!last || last.step !== a.step) throw new AppFailure('abroad.step_not_last_done', { step: a.step, last: last?.step ?? 0 });
      const later = ctx.db.prepare('SELECT number FROM abroad_letters WHERE request_id = ? AND step > ? LIMIT 1').get(a.id, a.step) as { number: string } | undefined;
      if (later) throw new AppFailure('abroad.letter_issued', { number: later.number });
      ctx.store.remove('abroad_steps', last.id);
      const def = l.route.steps[a.step - 1]!;
      if (def.records === 'contract') ctx.store.update('abroad_requests', a.id, { contract_date: null });
      if (def.records === 'clinic') ctx.store.update('abroad_requests', a.id, { clinic: null });
    });
    changed(ctx, a.id);
    return requestDetail(ctx, a.id);
  },
  'abroad.delete': (a, ctx) => {
    const deleted = ctx.store.transaction(() => {
      const l = loadRequest(ctx, a.id);
      const letter = ctx.db.prepare('SELECT number FROM abroad_letters WHERE request_id = ? LIMIT 1').get(a.id) as { number: string } | undefined;
      if (letter) throw new AppFailure('abroad.letter_issued', { number: letter.number });
      for (const f of ctx.db.prepare('SELECT id FROM abroad_files WHERE request_id = ?').all(a.id) as { id: string }[]) ctx.store.remove('abroad_files', f.id);
      for (const s of l.stepRows) ctx.store.remove('abroad_steps', s.id);
      return ctx.store.remove('abroad_requests', a.id);
    });
    changed(ctx, a.id);
    return { deleted };
  },
  'abroad.attachFile': (a, ctx) => {
    const r = attachFile(ctx, a);
    changed(ctx, a.requestId);
    return { ...r, detail: requestDetail(ctx, a.requestId) };
  },
  'abroad.removeFile': (a, ctx) => {
    const f = ctx.db.prepare('SELECT request_id FROM abroad_files WHERE id = ?').get(a.fileId) as { request_id: string } | undefined;
    if (!f || f.request_id !== a.requestId) throw new AppFailure('abroad.file_not_found', { id: a.fileId });
    // The content stays in the store: other links (case files, other steps) may use it.
    ctx.store.remove('abroad_files', a.fileId);
    changed(ctx, a.requestId);
    return requestDetail(ctx, a.requestId);
  },
  'abroad.fileContent': (a, ctx) => {
    const f = ctx.db.prepare('SELECT * FROM abroad_files WHERE id = ?').get(a.fileId) as FileRow | undefined;
    if (!f) throw new AppFailure('abroad.file_not_found', { id: a.fileId });
    const content = readStoredFile(ctx.dataDir, f.sha256);
    if (!content) throw new AppFailure('abroad.file_not_found', { id: a.fileId, sha256: f.sha256 });
    return { file: fileRef(f), contentBase64: content.toString('base64') };
  },
  'abroad.renderDocument': async (a, ctx) => {
    const { doc, row, created } = ctx.store.transaction(() => issueLetter(ctx, a.id, a.doc, a.step, kzToday()));
    if (created) changed(ctx, a.id);
    const pdf = await renderAbroadPdf(doc, a.lang);
    const fileName = `${a.doc === 'petition' ? 'petition' : 'letter'}-${doc.number.replace(/[/]/g, '-')}-${a.lang}.pdf`;
    return { ...pdfFile(pdf.buffer, fileName, pdf.pages, pdf.sha256, pdf.verification), number: doc.number, issued: issuedOf(row), created };
  },
  'abroad.verifyDocument': (a, ctx) => {
    const rows = ctx.db.prepare('SELECT * FROM abroad_letters WHERE number = ?').all(a.number.trim()) as LetterRow[];
    const sha = a.sha256.trim().toLowerCase();
    // The stored text is hashed again: a row whose text was altered does not verify.
    const matches = rows.some((r) => r.sha256 === sha && abroadStatementHash({ ...(JSON.parse(r.statement) as AbroadLetterDoc), generatedAt: '' }) === sha);
    return { matches, known: rows.length > 0 };
  },
  'abroad.summary': (a, ctx) => summary(ctx, a.year, a.today ?? kzToday()),
  'abroad.summaryPdf': async (a, ctx) => {
    const doc = summaryDoc(ctx, summary(ctx, a.year, a.today ?? kzToday()));
    const pdf = await renderAbroadPdf(doc, a.lang);
    return pdfFile(pdf.buffer, `abroad-summary-${a.year}-${a.lang}.pdf`, pdf.pages, pdf.sha256, pdf.verification);
  },
  'abroad.summaryXlsx': async (a, ctx) => {
    const s = summary(ctx, a.year, a.today ?? kzToday());
    const buffer = await abroadSummaryXlsx(s, summaryDoc(ctx, s), a.lang);
    return { xlsxBase64: buffer.toString('base64'), fileName: `abroad-summary-${a.year}-${a.lang}.xlsx`, bytes: buffer.length };
  },
};

