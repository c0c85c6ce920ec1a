import type {
  AbroadFileRef,
  AbroadIssuedLetter,
  AbroadListItem,
  AbroadMethods,
  AbroadReference,
  AbroadRequestDetail,
  AbroadStepView,
} from '../../../shared/contract/abroad';
import { ABROAD_MAX_FILE_BYTES } from '../../../shared/contract/abroad';
import type { PdfFile } from '../../../shared/contract/protocols';
import { checkEligibility, formatRequestNumber, routeInForce, snapshotRoute } from '../../../shared/domain/abroad';
import type { AbroadLetterDoc } from '../../../shared/domain/abroad-documents';
import { isIsoDate } from '../../../shared/domain/calendar';
import { checkIin } from '../../../shared/domain/iin';
import { AppFailure } from '../../../shared/result';
import { issueLetter } from '../abroad/letters';
import { abroadStatementHash, renderAbroadPdf } from '../abroad/pdf';
import { allLoaded, eligibilityOf, ineligible, loadRequest, personName, scheduleOf, type FileRow, type LetterRow, type Loaded } from '../abroad/requests';
import { effectiveRoutes, setLocalRoutes } from '../abroad/routes';
import { summary, summaryDoc } from '../abroad/summary';
import { abroadSummaryXlsx } from '../abroad/xlsx';
import { kzToday } from '../cases/calendar';
import { putStoredFile, readStoredFile } from '../cases/files';
import type { CoreContext, Handlers } from '../context';
import type { Row, TableSpec } from '../store';
import { nameBasedUuid } from '../store';

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
// Views

function fileRef(f: FileRow): AbroadFileRef {
  return { id: f.id, step: f.step, document: f.document, sha256: f.sha256, name: f.name, mime: f.mime, size: f.size, addedAt: f.created_at };
}

function issuedOf(row: LetterRow): AbroadIssuedLetter {
  return { kind: row.kind, step: row.step, number: row.number, sha256: row.sha256, issuedAt: row.issued_at };
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

function pdfFile(buffer: Buffer, fileName: string, pages: number, sha256: string, verification: string): PdfFile {
  return { pdfBase64: buffer.toString('base64'), fileName, pages, bytes: buffer.length, sha256, verification };
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

