/** What a case's data implies: the packet check, the deadline, funding and technology; loading a stored case and refreshing its derived columns. */
import type { TechnologyView, DueView } from '../../../shared/contract/cases';
import { localDatePart, reviewDue, type Deadline } from '../../../shared/domain/deadline';
import { deriveFunding, selectSection, type FundingResult } from '../../../shared/domain/funding';
import { validatePacket, type CaseInput, type PacketCheck, type PacketContext } from '../../../shared/domain/packet';
import { AppFailure } from '../../../shared/result';
import { kzToday, workCalendar } from './calendar';
import { hasStoredFile } from '../files';
import type { CoreContext } from '../context';
import type { Row } from '../store';
import { type CatalogueLookup, type CodeOnDate } from '../services/catalogue-lookup';
import { fromBool, json, foldSearch, catalogue, prepared } from './rows';
import type { CaseRow, PatientRow, DocumentRow, LinkRow } from './rows';
import { changed } from './save';
import { decodeRows } from '../stored-form';

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
export function technologyOf(cat: CatalogueLookup, codeText: string, receivedDate: string | null, code: CodeOnDate | null, urgency: unknown, funding: FundingResult | null): TechnologyView | null {
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

export interface Loaded {
  c: CaseRow;
  p: PatientRow;
  docs: DocumentRow[];
  links: LinkRow[];
}


export function loadCase(ctx: CoreContext, id: string): Loaded {
  const c = prepared(ctx, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!c) throw new AppFailure('cases.not_found', { id });
  const p = prepared(ctx, 'SELECT * FROM patients WHERE id = ?').get(c.patient_id) as PatientRow;
  const docs = decodeRows('case_documents', prepared(ctx, 'SELECT * FROM case_documents WHERE case_id = ? ORDER BY position, created_at, id').all(id) as DocumentRow[]);
  const links = decodeRows('document_files', prepared(ctx, 'SELECT * FROM document_files WHERE case_id = ? ORDER BY created_at, id').all(id) as LinkRow[]);
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

export function deriveStored(ctx: CoreContext, l: Loaded): Derived {
  return deriveCase(ctx, toInput(l), (sha) => hasStoredFile(ctx.dataDir, sha), fromBool(l.p.insured));
}

export function searchText(p: Pick<PatientRow, 'iin' | 'last_name' | 'first_name' | 'middle_name'>): string {
  return foldSearch([p.iin, p.last_name, p.first_name, p.middle_name ?? ''].join(' '));
}

/** The derived columns of `cases` for the register's SQL filters and sort. */
export function derivedColumns(l: Loaded, d: Derived): Row {
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
export function refresh(ctx: CoreContext, id: string): Derived {
  const l = loadCase(ctx, id);
  const d = deriveStored(ctx, l);
  ctx.store.update('cases', id, derivedColumns(l, d));
  return d;
}
