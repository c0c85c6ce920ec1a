import { createHash } from 'node:crypto';
import { kzNow } from '../../../shared/domain/kz-time';
import type { CaseDetail, DecisionView, IssueGap, Member } from '../../../shared/contract/cases';
import type {
  IssuedProtocol,
  PdfFile,
  ProtocolCaseState,
  ProtocolListItem,
  ProtocolStatement,
  ProtocolsMethods,
  DocLangArg,
  LayoutArg,
  VerifyResult,
} from '../../../shared/contract/protocols';
import {
  CHECKLIST_KINDS,
  PROTOCOL_NUMBER_RE,
  REFUSAL_REASONS,
  findInvalidField,
  isIsoDate,
  type BilingualLayout,
  type ChecklistKind,
  type CommissionInfo,
  type CommissionMember,
  type DocLang,
  type HtmpDocument,
  type LocalizedText,
  type ProtocolDoc,
  type ProtocolRegisterDoc,
  type RefusalJournalDoc,
  type RefusalReason,
} from '../../../shared/documents';
import { deriveFunding } from '../../../shared/domain/funding';
import { checkIin } from '../../../shared/domain/iin';
import { AppFailure } from '../../../shared/result';
import type { CoreContext, Handlers } from '../context';
import { PdfInvalidDocumentError, renderDocument, statementHash, type RenderedPdf } from '../pdf';
import { canonicalJson } from '../../../shared/canonical-json';
import { packStatement, unpackStatement } from '../statement-codec';
import { statementData } from '../../../shared/documents';
import type { Row, TableSpec } from '../store';
import { readSettings, standingMembers } from './app';
import { casesHandlers, onIssueCheck, onProtocolIssued } from './cases';
import { caseProviderOrg } from '../orgs/registry';
import { catalogueLookup, htmpNames } from './catalogue-lookup';
import { scoringSheetDoc } from './scoring';

/** Tables of user data owned by the protocols area (written only through the Store). */
export const protocolsTables: TableSpec[] = [
  {
    name: 'protocol_statements',
    columns: ['case_id', 'decision_id', 'decision_version', 'number', 'protocol_date', 'outcome', 'lang', 'layout', 'statement', 'sha256', 'issued_at'],
  },
];

interface StatementRow {
  id: string;
  created_at: string;
  case_id: string;
  decision_id: string;
  decision_version: number;
  number: string;
  protocol_date: string;
  outcome: 'approved' | 'refused';
  lang: DocLangArg;
  layout: LayoutArg;
  statement: string;
  sha256: string;
  issued_at: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.


export { kzNow };

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The commission and authority as printed, from the local settings, in Kazakh and Russian (a
 * Kazakh document prints the Kazakh names only, a Russian one the Russian ones); refused when a
 * name is missing in either language.
 */
export function commissionFromSettings(ctx: CoreContext): CommissionInfo {
  const s = readSettings(ctx);
  const names = [s.commissionNameKk, s.commissionNameRu, s.authorityNameKk, s.authorityNameRu].map((x) => x.trim());
  if (names.some((x) => x === '')) throw new AppFailure('protocols.commission_missing');
  const [ck, cr, ak, ar] = names as [string, string, string, string];
  return { name: { kk: ck, ru: cr }, authority: { kk: ak, ru: ar } };
}

export { htmpNames } from './catalogue-lookup';

// ---------------------------------------------------------------------------------------------
// Building a protocol's document.

/** What a protocol is built from: a stored case (CaseDetail) or a case file (CLI). */
export interface ProtocolInput {
  number: string;
  date: string;
  commission: CommissionInfo;
  members: { name: CommissionMember['name']; role: CommissionMember['role']; position?: CommissionMember['position'] | null }[];
  patient: { lastName: string; firstName: string; middleName: string | null; iin: string; birthDate: string | null };
  diagnosis: { icd10: string; text: string };
  htmpCode: string;
  /** The section of the list the case's urgency and funding select (its wording of the name), when known. */
  section: 1 | 2 | 3 | null;
  /** The date the HTMP name is looked up on (the case's received date). */
  caseDate: string;
  /** The organization the patient is sent to: from the registry (both languages) or as typed. */
  providerName: LocalizedText | null;
  documents: { kind: string; paper: boolean; fileCount: number }[];
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  /** The patient is in hospital (point 40); null when the source does not say (a case file without it). */
  inpatient: boolean | null;
  /** A correction: the protocol it replaces and why. */
  correction: { replaces: string; reason: string } | null;
}

const CASE_KIND_TO_CHECKLIST: Record<string, ChecklistKind> = {
  identity: 'identity_document',
  referral: 'hospitalization_referral',
  record_extract: 'record_extract',
  test_results: 'tests_and_consultations',
};

/** The provider as printed: trimmed, null when empty. */
function providerOf(name: LocalizedText | null): ProtocolDoc['provider'] {
  if (name === null) return null;
  if (typeof name === 'string') return name.trim() === '' ? null : { name: name.trim() };
  return name.kk.trim() === '' || name.ru.trim() === '' ? null : { name: { kk: name.kk.trim(), ru: name.ru.trim() } };
}

/** The registry organization chosen on a case (orgs area), in both languages. */
function registryProviderName(ctx: CoreContext, caseId: string): LocalizedText | null {
  const o = caseProviderOrg(ctx, caseId);
  return o ? { kk: o.name_kk, ru: o.name_ru } : null;
}

/** The ProtocolDoc of an input; throws `pdf.invalid_document` {field} when it is not printable. */
export function buildProtocolDoc(ctx: CoreContext, input: ProtocolInput, generatedAt: string = kzNow()): ProtocolDoc {
  const birthDate = input.patient.birthDate && isIsoDate(input.patient.birthDate) ? input.patient.birthDate : checkIin(input.patient.iin).birthDate;
  const received = new Set<ChecklistKind>();
  for (const d of input.documents) {
    const kind = CASE_KIND_TO_CHECKLIST[d.kind];
    if (kind && (d.paper || d.fileCount > 0)) received.add(kind);
  }
  // Validate the plain fields before the catalogue is asked, so the first error names the real field.
  const lookupDate = isIsoDate(input.caseDate) ? input.caseDate : input.date;
  const draft: ProtocolDoc = {
    kind: 'protocol',
    number: input.number,
    date: input.date,
    commission: input.commission,
    members: input.members.map((m) => ({
      name: typeof m.name === 'string' ? m.name.trim() : { kk: m.name.kk.trim(), ru: m.name.ru.trim() },
      role: m.role,
      ...(m.position ? { position: typeof m.position === 'string' ? m.position.trim() : { kk: m.position.kk.trim(), ru: m.position.ru.trim() } } : {}),
    })),
    patient: {
      lastName: input.patient.lastName.trim(),
      firstName: input.patient.firstName.trim(),
      ...(input.patient.middleName && input.patient.middleName.trim() !== '' ? { middleName: input.patient.middleName.trim() } : {}),
      iin: input.patient.iin.trim(),
      birthDate: birthDate ?? '',
    },
    diagnosis: { icd10: input.diagnosis.icd10.trim(), text: input.diagnosis.text.trim() },
    htmp: { code: input.htmpCode.trim(), name: { kk: { text: '-', source: '-' }, ru: null } },
    provider: input.outcome === 'approved' ? providerOf(input.providerName) : null,
    checklist: CHECKLIST_KINDS.map((kind) => ({ kind, received: received.has(kind) })),
    decision: input.outcome === 'approved' ? { outcome: 'approved', reason: null } : { outcome: 'refused', reason: input.reason as RefusalReason },
    ...(input.inpatient !== null ? { inpatient: input.inpatient } : {}),
    ...(input.correction ? { correction: { replaces: input.correction.replaces, reason: input.correction.reason.trim() } } : {}),
    generatedAt,
  };
  const bad = findInvalidField(draft);
  if (bad !== null) throw new PdfInvalidDocumentError(bad);
  if (!isIsoDate(lookupDate)) throw new PdfInvalidDocumentError('date');
  const names = htmpNames(ctx, draft.htmp.code, lookupDate, input.section);
  // An approval sends the patient for an HTMP type of the list, so it needs its official name; a
  // refusal may concern a code the list does not carry (the protocol then says so).
  if (!names.kk && !names.ru && draft.decision.outcome === 'approved') throw new AppFailure('protocols.htmp_name_missing', { code: draft.htmp.code });
  const doc: ProtocolDoc = { ...draft, htmp: { code: draft.htmp.code, ...(input.section !== null ? { section: input.section } : {}), name: names } };
  const bad2 = findInvalidField(doc);
  if (bad2 !== null) throw new PdfInvalidDocumentError(bad2);
  return doc;
}

/** A decision as a protocol states it: issued (with its number) or proposed (the issue check). */
export interface DecisionForProtocol {
  number: string;
  date: string;
  members: Member[];
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  note: string | null;
  /** The protocol number a correction replaces. */
  replaces: string | null;
}

/** The protocol input of a stored case and a decision (issued, or as proposed). */
export function inputFor(ctx: CoreContext, detail: CaseDetail, decision: DecisionForProtocol): ProtocolInput {
  const receivedDate = detail.receivedAt.slice(0, 10);
  return {
    number: decision.number,
    date: decision.date,
    commission: commissionFromSettings(ctx),
    members: decision.members,
    patient: {
      lastName: detail.patient.lastName,
      firstName: detail.patient.firstName,
      middleName: detail.patient.middleName,
      iin: detail.patient.iin,
      birthDate: detail.patient.birthDate ?? detail.patient.iinCheck.birthDate ?? null,
    },
    diagnosis: detail.diagnosis,
    htmpCode: detail.htmpCode,
    section: detail.technology?.section ?? null,
    caseDate: isIsoDate(receivedDate) ? receivedDate : decision.date,
    // The organization chosen from the registry (names in both languages), else the text typed before it.
    providerName: registryProviderName(ctx, detail.id) ?? detail.providerOrg,
    documents: detail.documents.map((d) => ({ kind: d.kind, paper: d.paper, fileCount: d.files.length })),
    outcome: decision.outcome,
    reason: decision.reason,
    inpatient: detail.inpatient,
    correction: decision.replaces !== null ? { replaces: decision.replaces, reason: decision.note ?? '' } : null,
  };
}

/** The protocol input of a stored case and one of its issued decisions. */
export function inputFromCase(ctx: CoreContext, detail: CaseDetail, decision: DecisionView): ProtocolInput {
  if (!decision.protocol) throw new AppFailure('protocols.not_issued');
  const replaced = decision.supersedesId ? detail.decisions.find((d) => d.id === decision.supersedesId) : undefined;
  return inputFor(ctx, detail, {
    number: decision.protocol.label,
    date: decision.date,
    members: decision.members,
    outcome: decision.outcome,
    reason: decision.reason,
    note: decision.note,
    replaces: replaced?.protocol?.label ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// The case file of the CLI (`htmp protocol render --case FILE.json`).

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const strOr = (v: unknown, field: string, optional = false): string => {
  if (typeof v === 'string') return v;
  if (optional && (v === undefined || v === null)) return '';
  throw new AppFailure('protocols.invalid_case_file', { field });
};

/**
 * The protocol input of a case file: the cases issue's case shape plus `decision` and
 * `commission`. A missing or wrongly typed value refuses with `protocols.invalid_case_file`
 * {field} naming the path in the file.
 */
export function inputFromCaseFile(file: unknown): ProtocolInput {
  if (!isRec(file)) throw new AppFailure('protocols.invalid_case_file', { field: '(root)' });
  const patient = file['patient'];
  if (!isRec(patient)) throw new AppFailure('protocols.invalid_case_file', { field: 'patient' });
  const decision = file['decision'];
  if (!isRec(decision)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision' });
  const commission = file['commission'];
  if (!isRec(commission)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission' });
  const diagnosis = isRec(file['diagnosis']) ? file['diagnosis'] : {};

  const outcome = decision['outcome'];
  if (outcome !== 'approved' && outcome !== 'refused') throw new AppFailure('protocols.invalid_case_file', { field: 'decision.outcome' });
  const reason = decision['reason'] ?? null;
  if (outcome === 'refused' && !(REFUSAL_REASONS as readonly unknown[]).includes(reason)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.reason' });
  if (outcome === 'approved' && reason !== null) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.reason' });
  const date = strOr(decision['date'], 'decision.date');
  if (!isIsoDate(date)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.date' });
  const rawNumber = decision['number'];
  let number: string;
  if (typeof rawNumber === 'number' && Number.isSafeInteger(rawNumber) && rawNumber > 0) number = `${rawNumber}/${date.slice(0, 4)}`;
  else if (typeof rawNumber === 'string' && PROTOCOL_NUMBER_RE.test(rawNumber.trim())) number = rawNumber.trim();
  else if (typeof rawNumber === 'string' && /^[1-9][0-9]{0,5}$/.test(rawNumber.trim())) number = `${rawNumber.trim()}/${date.slice(0, 4)}`;
  else throw new AppFailure('protocols.invalid_case_file', { field: 'decision.number' });

  const members = decision['members'];
  if (!Array.isArray(members) || members.length === 0) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.members' });
  const kkRu = (v: unknown): v is { kk: string; ru: string } => isRec(v) && typeof v['kk'] === 'string' && typeof v['ru'] === 'string' && v['kk'].trim() !== '' && v['ru'].trim() !== '';
  const parsedMembers: CommissionMember[] = members.map((m: unknown, i) => {
    const name = isRec(m) ? m['name'] : undefined;
    const position = isRec(m) ? m['position'] : undefined;
    if (!isRec(m) || !((typeof name === 'string' && name.trim() !== '') || kkRu(name)) || !['chair', 'member', 'secretary'].includes(m['role'] as string)) {
      throw new AppFailure('protocols.invalid_case_file', { field: `decision.members[${i}]` });
    }
    if (position !== undefined && position !== null && !kkRu(position)) throw new AppFailure('protocols.invalid_case_file', { field: `decision.members[${i}].position` });
    return { name: name as CommissionMember['name'], role: m['role'] as CommissionMember['role'], ...(kkRu(position) ? { position } : {}) };
  });
  if (!parsedMembers.some((m) => m.role === 'chair')) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.members' });

  const provider = decision['provider'];
  let providerName: LocalizedText | null = null;
  if (provider !== undefined && provider !== null) {
    if (!isRec(provider) || typeof provider['name'] !== 'string') throw new AppFailure('protocols.invalid_case_file', { field: 'decision.provider.name' });
    providerName = provider['name'];
  } else if (typeof file['providerOrg'] === 'string') {
    providerName = file['providerOrg'];
  }

  const cName = commission['name'];
  const cAuth = commission['authority'];
  const localized = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || (isRec(v) && typeof v['kk'] === 'string' && typeof v['ru'] === 'string' && v['kk'].trim() !== '' && v['ru'].trim() !== '');
  if (!localized(cName)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission.name' });
  if (!localized(cAuth)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission.authority' });

  const docs = file['documents'];
  if (docs !== undefined && !Array.isArray(docs)) throw new AppFailure('protocols.invalid_case_file', { field: 'documents' });
  const documents = (Array.isArray(docs) ? docs : []).map((d: unknown, i) => {
    if (!isRec(d) || typeof d['kind'] !== 'string') throw new AppFailure('protocols.invalid_case_file', { field: `documents[${i}].kind` });
    return { kind: d['kind'], paper: d['paper'] === true, fileCount: Array.isArray(d['files']) ? d['files'].length : 0 };
  });

  const receivedAt = typeof file['receivedAt'] === 'string' ? file['receivedAt'] : '';
  const inpatient = file['inpatient'];
  if (inpatient !== undefined && typeof inpatient !== 'boolean') throw new AppFailure('protocols.invalid_case_file', { field: 'inpatient' });
  return {
    number,
    date,
    commission: { name: cName as CommissionInfo['name'], authority: cAuth as CommissionInfo['authority'] },
    members: parsedMembers,
    patient: {
      lastName: strOr(patient['lastName'], 'patient.lastName'),
      firstName: strOr(patient['firstName'], 'patient.firstName'),
      middleName: strOr(patient['middleName'], 'patient.middleName', true) || null,
      iin: strOr(patient['iin'], 'patient.iin'),
      birthDate: strOr(patient['birthDate'], 'patient.birthDate', true) || null,
    },
    diagnosis: { icd10: strOr(diagnosis['icd10'], 'diagnosis.icd10'), text: strOr(diagnosis['text'], 'diagnosis.text') },
    htmpCode: strOr(file['htmpCode'], 'htmpCode'),
    // Told by the caller from the file's urgency and the catalogue (see renderCaseFile).
    section: null,
    caseDate: receivedAt.slice(0, 10),
    providerName,
    documents,
    outcome,
    reason: outcome === 'refused' ? (reason as RefusalReason) : null,
    inpatient: typeof inpatient === 'boolean' ? inpatient : null,
    correction: null,
  };
}

// The engine names fields of the document; for a case file name them as they are in the file.
const FILE_FIELD: Record<string, string> = {
  number: 'decision.number',
  date: 'decision.date',
  members: 'decision.members',
  provider: 'decision.provider',
  'htmp.code': 'htmpCode',
  commission: 'commission',
};
function fileField(field: string): string {
  if (FILE_FIELD[field]) return FILE_FIELD[field];
  const m = /^members\[(\d+)\]/.exec(field);
  if (m) return `decision.members[${m[1]}]`;
  return field;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

export interface RenderChoice {
  lang: DocLang;
  layout?: BilingualLayout;
}

export interface CaseProtocolPdf {
  buffer: Buffer;
  pages: number;
  /** SHA-256 of the statement (QR code). */
  sha256: string;
  verification: string;
  number: string;
  issued: IssuedProtocol;
}

const render = (doc: HtmpDocument, choice: RenderChoice): Promise<RenderedPdf> =>
  renderDocument(doc, { lang: choice.lang, ...(choice.layout ? { layout: choice.layout } : {}) });

const pdfFile = (r: RenderedPdf, fileName: string): PdfFile => ({
  pdfBase64: r.buffer.toString('base64'),
  fileName,
  pages: r.pages,
  bytes: r.buffer.length,
  sha256: r.sha256,
  verification: r.verification,
});

const numberSlug = (n: string): string => n.replace('/', '-');

// ---------------------------------------------------------------------------------------------
// Issued statements.

function toIssued(r: StatementRow): IssuedProtocol {
  return {
    id: r.id,
    caseId: r.case_id,
    decisionId: r.decision_id,
    decisionVersion: r.decision_version,
    number: r.number,
    date: r.protocol_date,
    outcome: r.outcome,
    lang: r.lang,
    layout: r.layout,
    sha256: r.sha256,
    issuedAt: r.issued_at,
  };
}

/** The stored statement of a decision (the earliest, should sync have brought two). */
function storedFor(ctx: CoreContext, decisionId: string): StatementRow | undefined {
  return ctx.db.prepare('SELECT * FROM protocol_statements WHERE decision_id = ? ORDER BY created_at, id LIMIT 1').get(decisionId) as StatementRow | undefined;
}

/** The protocol document of a stored statement, exactly as issued, with a new generation time. */
export function docFromStatement(row: Pick<StatementRow, 'statement' | 'sha256' | 'number'>, generatedAt: string = kzNow()): ProtocolDoc {
  // Stored packed (statement-codec.ts); the hash is of the statement text itself.
  const text = unpackStatement(row.statement);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new AppFailure('protocols.statement_corrupt', { number: row.number });
  }
  if (text === null || sha256Hex(text) !== row.sha256 || !isRec(parsed) || parsed['kind'] !== 'protocol') {
    throw new AppFailure('protocols.statement_corrupt', { number: row.number });
  }
  const doc = { ...parsed, generatedAt } as unknown as ProtocolDoc;
  if (findInvalidField(doc) !== null || statementHash(doc) !== row.sha256) throw new AppFailure('protocols.statement_corrupt', { number: row.number });
  return doc;
}

/** Stores the statement of an issued decision as it is now (never replaces one already stored). */
function capture(ctx: CoreContext, detail: CaseDetail, decision: DecisionView, choice: { lang: DocLangArg; layout: LayoutArg }): StatementRow {
  return ctx.store.transaction(() => {
    const existing = storedFor(ctx, decision.id);
    if (existing) return existing;
    const doc = buildProtocolDoc(ctx, inputFromCase(ctx, detail, decision));
    const statement = canonicalJson(statementData(doc));
    const values: Row = {
      case_id: detail.id,
      decision_id: decision.id,
      decision_version: decision.version,
      number: doc.number,
      protocol_date: doc.date,
      outcome: doc.decision.outcome,
      lang: choice.lang,
      layout: choice.layout,
      statement: packStatement(statement),
      sha256: sha256Hex(statement),
      issued_at: decision.issuedAt ?? new Date().toISOString(),
    };
    const row = ctx.store.insert('protocol_statements', values);
    return row as unknown as StatementRow;
  });
}

/** Calls a handler of another area that is synchronous (so it can run inside our transaction). */
function callSync<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('protocols: expected a synchronous handler');
  return value;
}

function caseDetailOf(ctx: CoreContext, caseId: string): CaseDetail {
  return callSync(casesHandlers['cases.get']({ id: caseId }, ctx));
}

/** The latest issued (not superseded) decision of a case. */
function issuedDecision(detail: CaseDetail): DecisionView | null {
  return detail.decisions.find((d) => d.state === 'issued') ?? null;
}

/** The statement of a stored protocol as the case screen shows it (null when it does not read). */
function statementOf(row: StatementRow): ProtocolStatement | null {
  try {
    const { generatedAt: _omit, ...rest } = docFromStatement(row);
    return rest;
  } catch {
    return null;
  }
}

/** What the case screen needs to offer: its decision and whether its protocol is stored. */
export function protocolStateForCase(ctx: CoreContext, caseId: string): ProtocolCaseState {
  const detail = caseDetailOf(ctx, caseId);
  const issued = issuedDecision(detail);
  const current = detail.draftDecision ?? issued ?? detail.currentDecision;
  const row = issued ? storedFor(ctx, issued.id) : undefined;
  return {
    caseId,
    decision: current
      ? { id: current.id, version: current.version, state: current.state, outcome: current.outcome, number: current.protocol?.label ?? null }
      : null,
    issued: row ? toIssued(row) : null,
    statement: row ? statementOf(row) : null,
    renderable: issued !== null,
    canIssue: detail.draftDecision !== null,
  };
}

/** Where a field of the protocol that cannot be built is said in the user's words (issue check). */
function gapOfField(field: string): IssueGap {
  const m = /^members\[(\d+)\]/.exec(field);
  if (m) return { code: 'member_name', params: { n: Number(m[1]) + 1 } };
  if (field === 'members') return { code: 'chair' };
  if (field.startsWith('commission')) return { code: 'commission_name_kk' };
  if (field.startsWith('htmp.name')) return { code: 'htmp_name' };
  const map: Record<string, IssueGap['code']> = {
    'patient.lastName': 'last_name',
    'patient.firstName': 'first_name',
    'patient.iin': 'iin',
    'patient.birthDate': 'iin',
    'diagnosis.icd10': 'icd10',
    'diagnosis.text': 'diagnosis_text',
    'htmp.code': 'htmp_code',
    date: 'date',
    number: 'date',
    'correction.reason': 'correction_note',
  };
  return { code: map[field] ?? 'document' };
}

// The issue check builds the protocol the decision would make (with the number it would get), so
// a protocol that "Issue protocol" offers is one that can be built: it never fails at the last step.
onIssueCheck((ctx, detail, p) => {
  try {
    buildProtocolDoc(
      ctx,
      inputFor(ctx, detail, {
        number: `1/${p.date.slice(0, 4)}`,
        date: p.date,
        members: p.members,
        outcome: p.outcome,
        reason: p.reason,
        note: p.note,
        replaces: p.supersedes?.protocol?.label ?? null,
      }),
    );
    return [];
  } catch (err) {
    if (err instanceof PdfInvalidDocumentError) return [gapOfField(String(err.params?.field ?? ''))];
    if (err instanceof AppFailure && err.code === 'protocols.htmp_name_missing') return [{ code: 'htmp_name' }];
    if (err instanceof AppFailure && err.code === 'protocols.commission_missing') return [{ code: 'commission_name_kk' }];
    return [{ code: 'document' }];
  }
});

// Whatever issues a decision (the case screen, `htmp case decide`, protocols.issue), its statement
// is stored in the same transaction, so the register, the journal and verification see it at once.
onProtocolIssued((ctx, caseId, decision) => {
  capture(ctx, caseDetailOf(ctx, caseId), decision, { lang: 'both', layout: 'columns' });
});

/**
 * Issues a case's protocol: the draft decision is issued by the cases area (number, lock) and its
 * statement stored, in ONE transaction (if the statement cannot be built, nothing is issued).
 * On an already issued decision, stores its statement if it is missing.
 */
export function issueCaseProtocol(ctx: CoreContext, caseId: string, choice: { lang?: DocLangArg; layout?: LayoutArg } = {}): { issued: IssuedProtocol; created: boolean } {
  const lang = choice.lang ?? 'both';
  const layout = choice.layout ?? 'columns';
  const result = ctx.store.transaction(() => {
    let detail = caseDetailOf(ctx, caseId);
    let decision = issuedDecision(detail);
    let issuedNow = false;
    if (detail.draftDecision) {
      // The issue hook below stores the statement inside this call.
      const r = callSync(casesHandlers['cases.issueProtocol']({ decisionId: detail.draftDecision.id }, ctx));
      detail = r.detail;
      decision = r.decision;
      issuedNow = true;
    }
    if (!decision) throw new AppFailure('protocols.no_decision');
    const existing = storedFor(ctx, decision.id);
    if (existing) return { issued: toIssued(existing), created: issuedNow };
    return { issued: toIssued(capture(ctx, detail, decision, { lang, layout })), created: true };
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'protocols', caseId } });
  return result;
}

/**
 * The PDF of a case's issued protocol, from its stored statement (captured now if it was issued
 * elsewhere and not yet stored). This is what the exchange area puts in referral bundles.
 */
export async function renderCaseProtocol(ctx: CoreContext, caseId: string, choice: RenderChoice): Promise<CaseProtocolPdf> {
  const detail = caseDetailOf(ctx, caseId);
  const decision = issuedDecision(detail);
  if (!decision) throw new AppFailure(detail.draftDecision ? 'protocols.not_issued' : 'protocols.no_decision');
  const row =
    storedFor(ctx, decision.id) ??
    capture(ctx, detail, decision, { lang: choice.lang, layout: choice.layout ?? 'columns' });
  const doc = docFromStatement(row);
  const r = await render(doc, choice);
  return { buffer: r.buffer, pages: r.pages, sha256: r.sha256, verification: r.verification, number: row.number, issued: toIssued(row) };
}

/**
 * The technology of a case's issued protocol as it printed it (code, section, name per language),
 * for lists built outside this area (the referral bundle's index). Null when nothing is issued.
 */
export function issuedTechnology(ctx: CoreContext, caseId: string): { code: string; section: 1 | 2 | 3 | null; name: { kk: string | null; ru: string | null } } | null {
  const decision = issuedDecision(caseDetailOf(ctx, caseId));
  const row = decision ? storedFor(ctx, decision.id) : undefined;
  const st = row ? statementOf(row) : null;
  if (!st) return null;
  return { code: st.htmp.code, section: st.htmp.section ?? null, name: { kk: st.htmp.name.kk?.text ?? null, ru: st.htmp.name.ru?.text ?? null } };
}

/** Renders the protocol of a case file (CLI); nothing is stored. */
export async function renderCaseFile(ctx: CoreContext, caseFile: unknown, choice: RenderChoice): Promise<RenderedPdf> {
  const parsed = inputFromCaseFile(caseFile);
  // The section the file's urgency (and the patient's insurance) selects on the received date.
  const file = caseFile as Rec;
  const urgency = file['urgency'];
  let section: 1 | 2 | 3 | null = null;
  if ((urgency === 'planned' || urgency === 'emergency') && isIsoDate(parsed.caseDate)) {
    try {
      const hit = catalogueLookup(ctx).lookup(parsed.htmpCode.trim(), parsed.caseDate);
      const patient = isRec(file['patient']) ? file['patient'] : {};
      if (hit.inForce) section = deriveFunding(hit.sections, urgency, { insured: typeof patient['insured'] === 'boolean' ? patient['insured'] : null }).section;
    } catch {
      /* no catalogue: the name's first section, as the lookup gives it */
    }
  }
  const input: ProtocolInput = { ...parsed, section };
  let doc: ProtocolDoc;
  try {
    doc = buildProtocolDoc(ctx, input);
  } catch (err) {
    if (err instanceof PdfInvalidDocumentError) throw new PdfInvalidDocumentError(fileField(err.params.field));
    throw err;
  }
  return render(doc, choice);
}

/** Does a printed protocol match a stored statement? (number + SHA-256 of the statement). */
export function verifyProtocol(ctx: CoreContext, number: string, sha256: string): VerifyResult {
  const rows = ctx.db.prepare('SELECT decision_id, statement, sha256, protocol_date FROM protocol_statements WHERE number = ?').all(number.trim()) as { decision_id: string; statement: string; sha256: string; protocol_date: string }[];
  const wanted = sha256.replace(/\s+/g, '').toLowerCase();
  // A code that is not 64 hex digits was cut short or mistyped: say which, never "does not match".
  if (/^[0-9a-f]{0,63}$/.test(wanted)) throw new AppFailure('protocols.bad_sha256', { length: wanted.length, context: 'incomplete' });
  if (/^[0-9a-f]{65,}$/.test(wanted)) throw new AppFailure('protocols.bad_sha256', { length: wanted.length, context: 'too_long' });
  if (!/^[0-9a-f]{64}$/.test(wanted)) throw new AppFailure('protocols.bad_sha256', { length: wanted.length });
  // The stored text is re-hashed: a row whose statement was altered does not verify.
  const match = rows.find((r) => {
    if (r.sha256 !== wanted) return false;
    const text = unpackStatement(r.statement);
    return text !== null && sha256Hex(text) === wanted;
  });
  if (!match) return { matches: false, known: rows.length > 0 };
  // What to compare with the paper: the protocol as the archive has it.
  const item = listProtocols(ctx, match.protocol_date, match.protocol_date).find((p) => p.decisionId === match.decision_id);
  return item ? { matches: true, known: true, protocol: item } : { matches: true, known: true };
}

// ---------------------------------------------------------------------------------------------
// Lists: the register of protocols and the journal of refusals, from the stored statements.

function checkPeriod(from?: string, to?: string): void {
  if (from !== undefined && !isIsoDate(from)) throw new AppFailure('protocols.bad_period', { from, to: to ?? '' });
  if (to !== undefined && !isIsoDate(to)) throw new AppFailure('protocols.bad_period', { from: from ?? '', to });
  if (from !== undefined && to !== undefined && from > to) throw new AppFailure('protocols.bad_period', { from, to });
}

const sequenceOf = (number: string): number => Number(number.split('/')[0]);

/** Issued protocols whose date is in the period, by date then number. */
export function listProtocols(ctx: CoreContext, from?: string, to?: string): ProtocolListItem[] {
  checkPeriod(from, to);
  const rows = ctx.db
    .prepare(
      `SELECT s.*, (SELECT max(o.decision_version) FROM protocol_statements o WHERE o.case_id = s.case_id) AS latest_version,
              d.note AS decision_note, sup.protocol_year AS replaced_year, sup.protocol_number AS replaced_number
         FROM protocol_statements s
         LEFT JOIN decisions d ON d.id = s.decision_id
         LEFT JOIN decisions sup ON sup.id = d.supersedes_id
        WHERE (? IS NULL OR s.protocol_date >= ?) AND (? IS NULL OR s.protocol_date <= ?)
        ORDER BY s.protocol_date, s.created_at, s.id`,
    )
    .all(from ?? null, from ?? null, to ?? null, to ?? null) as (StatementRow & {
    latest_version: number;
    decision_note: string | null;
    replaced_year: number | null;
    replaced_number: number | null;
  })[];
  const seen = new Set<string>();
  const items: ProtocolListItem[] = [];
  for (const r of rows) {
    if (seen.has(r.decision_id)) continue;
    seen.add(r.decision_id);
    let s: Rec;
    try {
      s = JSON.parse(unpackStatement(r.statement) ?? '') as Rec;
    } catch {
      throw new AppFailure('protocols.statement_corrupt', { number: r.number });
    }
    const p = (isRec(s['patient']) ? s['patient'] : {}) as Rec;
    const h = (isRec(s['htmp']) ? s['htmp'] : {}) as Rec;
    const d = (isRec(s['decision']) ? s['decision'] : {}) as Rec;
    const names = (isRec(h['name']) ? h['name'] : {}) as Rec;
    const nameIn = (lang: 'kk' | 'ru'): string | null => {
      const n = names[lang];
      return isRec(n) && typeof n['text'] === 'string' ? n['text'] : null;
    };
    const corr = isRec(s['correction']) ? s['correction'] : null;
    const section = h['section'];
    items.push({
      id: r.id,
      caseId: r.case_id,
      decisionId: r.decision_id,
      number: r.number,
      date: r.protocol_date,
      patientName: [p['lastName'], p['firstName'], p['middleName']].filter((x) => typeof x === 'string' && x !== '').join(' '),
      iin: typeof p['iin'] === 'string' ? p['iin'] : '',
      code: typeof h['code'] === 'string' ? h['code'] : '',
      name: { kk: nameIn('kk'), ru: nameIn('ru') },
      section: section === 1 || section === 2 || section === 3 ? section : null,
      outcome: r.outcome,
      reason: (REFUSAL_REASONS as readonly unknown[]).includes(d['reason']) ? (d['reason'] as RefusalReason) : null,
      inpatient: typeof s['inpatient'] === 'boolean' ? s['inpatient'] : null,
      replaces: corr && typeof corr['replaces'] === 'string' ? corr['replaces'] : (r.replaced_year !== null && r.replaced_number !== null ? `${r.replaced_number}/${r.replaced_year}` : null),
      note: r.decision_note !== null && r.decision_note.trim() !== '' ? r.decision_note : corr && typeof corr['reason'] === 'string' ? corr['reason'] : null,
      sha256: r.sha256,
      issuedAt: r.issued_at,
      superseded: r.decision_version < r.latest_version,
      duplicateNumber: false,
    });
  }
  items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number.slice(-4).localeCompare(b.number.slice(-4)) || sequenceOf(a.number) - sequenceOf(b.number)));
  // A number used by protocols of different cases (issued offline on two laptops) is shown as such.
  const casesByNumber = new Map<string, Set<string>>();
  for (const i of items) casesByNumber.set(i.number, (casesByNumber.get(i.number) ?? new Set()).add(i.caseId));
  for (const i of items) i.duplicateNumber = (casesByNumber.get(i.number)?.size ?? 0) > 1;
  return items;
}

/**
 * Who signs the lists (register, journal) as secretary: the secretary of the standing members for
 * now. When sign-in exists this is where the signed-in user takes the place.
 */
export function listSecretary(ctx: CoreContext): CommissionMember['name'] | undefined {
  const s = standingMembers(ctx).find((m) => m.role === 'secretary');
  return s ? (s.name.kk === s.name.ru ? s.name.kk : { ...s.name }) : undefined;
}

/** The head of a list of protocols (register, refusal journal): period, commission, signing secretary. */
function listHead(ctx: CoreContext, from: string, to: string): Pick<ProtocolRegisterDoc, 'period' | 'commission' | 'secretary'> {
  const secretary = listSecretary(ctx);
  return { period: { from, to }, commission: commissionFromSettings(ctx), ...(secretary ? { secretary } : {}) };
}

export function registerDoc(ctx: CoreContext, from: string, to: string, generatedAt: string = kzNow()): ProtocolRegisterDoc {
  const items = listProtocols(ctx, from, to);
  return {
    kind: 'protocol_register',
    ...listHead(ctx, from, to),
    rows: items.map((i) => ({
      number: i.number,
      date: i.date,
      patientName: i.patientName,
      code: i.code,
      ...(i.name.kk !== null || i.name.ru !== null ? { name: i.name } : {}),
      outcome: i.outcome,
      ...(i.replaces !== null ? { replaces: i.replaces } : {}),
      ...(i.note !== null ? { note: i.note } : {}),
    })),
    generatedAt,
  };
}

export function refusalJournalDoc(ctx: CoreContext, from: string, to: string, generatedAt: string = kzNow()): RefusalJournalDoc {
  const items = listProtocols(ctx, from, to).filter((i) => i.outcome === 'refused' && !i.superseded && i.reason !== null);
  return {
    kind: 'refusal_journal',
    ...listHead(ctx, from, to),
    rows: items.map((i) => ({
      number: i.number,
      date: i.date,
      patientName: i.patientName,
      iin: i.iin,
      code: i.code,
      ...(i.name.kk !== null || i.name.ru !== null ? { name: i.name } : {}),
      reason: i.reason as RefusalReason,
      ...(i.inpatient !== null ? { inpatient: i.inpatient } : {}),
    })),
    generatedAt,
  };
}

const langSuffix = (lang: DocLang, layout?: BilingualLayout): string => (lang === 'both' ? `both-${layout ?? 'columns'}` : lang);

// ---------------------------------------------------------------------------------------------
// Handlers.

/** The protocols area's handlers, one per method of ProtocolsMethods. */
export const protocolsHandlers: Pick<Handlers, keyof ProtocolsMethods> = {
  'protocols.forCase': (a, ctx) => protocolStateForCase(ctx, a.caseId),
  'protocols.render': async (a, ctx) => {
    const choice: RenderChoice = { lang: a.lang, ...(a.layout ? { layout: a.layout } : {}) };
    const r = await renderCaseProtocol(ctx, a.caseId, choice);
    const rendered: RenderedPdf = { buffer: r.buffer, pages: r.pages, sha256: r.sha256, verification: r.verification, fileSha256: '' };
    return { ...pdfFile(rendered, `protocol-${numberSlug(r.number)}-${langSuffix(a.lang, a.layout)}.pdf`), number: r.number, issued: r.issued };
  },
  'protocols.renderCaseFile': async (a, ctx) => {
    const r = await renderCaseFile(ctx, a.caseFile, { lang: a.lang, ...(a.layout ? { layout: a.layout } : {}) });
    return pdfFile(r, `protocol-${langSuffix(a.lang, a.layout)}.pdf`);
  },
  'protocols.issue': (a, ctx) =>
    issueCaseProtocol(ctx, a.caseId, { ...(a.lang ? { lang: a.lang } : {}), ...(a.layout ? { layout: a.layout } : {}) }),
  'protocols.verify': (a, ctx) => verifyProtocol(ctx, a.number, a.sha256),
  'protocols.list': (a, ctx) => ({ items: listProtocols(ctx, a.from, a.to) }),
  'protocols.registerPdf': async (a, ctx) => {
    checkPeriod(a.from, a.to);
    const doc = registerDoc(ctx, a.from, a.to);
    const r = await render(doc, { lang: a.lang, ...(a.layout ? { layout: a.layout } : {}) });
    return { ...pdfFile(r, `register-${a.from}_${a.to}-${langSuffix(a.lang, a.layout)}.pdf`), count: doc.rows.length };
  },
  'protocols.refusalJournalPdf': async (a, ctx) => {
    checkPeriod(a.from, a.to);
    const doc = refusalJournalDoc(ctx, a.from, a.to);
    const r = await render(doc, { lang: a.lang, ...(a.layout ? { layout: a.layout } : {}) });
    return { ...pdfFile(r, `refusals-${a.from}_${a.to}-${langSuffix(a.lang, a.layout)}.pdf`), count: doc.rows.length };
  },
  'protocols.scoringSheetPdf': async (a, ctx) => {
    const doc = scoringSheetDoc(ctx, a.sheetId, a.lang);
    const r = await render(doc, { lang: a.lang, ...(a.layout ? { layout: a.layout } : {}) });
    const id = doc.technology.code ? `${doc.technology.code}-${doc.date}` : doc.date;
    return pdfFile(r, `scoring-${id}-${langSuffix(a.lang, a.layout)}.pdf`);
  },
  // Printing needs the system print dialog: the Electron main process answers this method before
  // the core is asked. Any other host (web, CLI) gets a translated refusal saying to use the PDF.
  'shell.printPdf': () => {
    throw new AppFailure('protocols.print_unavailable');
  },
};
