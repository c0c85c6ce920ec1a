/**
 * The protocols area's handlers (shared/contract/protocols.ts) and what other areas call: issuing
 * and rendering a case's protocol, verification, the lists as PDF. Its parts live in
 * electron/core/protocols/: input.ts (a protocol's document from a stored case), case-file.ts (from
 * the CLI's case file), statements.ts (the statements as issued), lists.ts (register, journal).
 */
import { kzNow } from '../../../shared/domain/kz-time';
import type { IssueGap } from '../../../shared/contract/cases';
import type { IssuedProtocol, PdfFile, ProtocolCaseState, ProtocolsMethods, DocLangArg, LayoutArg, VerifyResult } from '../../../shared/contract/protocols';
import { isIsoDate, type BilingualLayout, type DocLang, type HtmpDocument, type ProtocolDoc } from '../../../shared/documents';
import { deriveFunding } from '../../../shared/domain/funding';
import { AppFailure } from '../../../shared/result';
import type { CoreContext, Handlers } from '../context';
import { PdfInvalidDocumentError, renderDocument, type RenderedPdf } from '../pdf';
import { unpackStatement } from '../statement-codec';
import type { TableSpec } from '../store';
import { casesHandlers, onIssueCheck, onProtocolIssued } from './cases';
import { catalogueLookup } from './catalogue-lookup';
import { scoringSheetDoc } from './scoring';
import { fileField, inputFromCaseFile, isRec, type Rec } from '../protocols/case-file';
import { buildProtocolDoc, inputFor, type ProtocolInput } from '../protocols/input';
import { checkPeriod, listProtocols, refusalJournalDoc, registerDoc } from '../protocols/lists';
import { callSync, capture, caseDetailOf, docFromStatement, issuedDecision, sha256Hex, statementOf, storedFor, toIssued } from '../protocols/statements';

/** Tables of user data owned by the protocols area (written only through the Store). */
export const protocolsTables: TableSpec[] = [
  {
    name: 'protocol_statements',
    columns: ['case_id', 'decision_id', 'decision_version', 'number', 'protocol_date', 'outcome', 'lang', 'layout', 'statement', 'sha256', 'issued_at'],
  },
];

// ---------------------------------------------------------------------------------------------
// Small helpers.

export { kzNow };

export { htmpNames } from './catalogue-lookup';
// The parts of the area, in electron/core/protocols/ (what other areas and tools import from here).
export { commissionFromSettings, buildProtocolDoc, inputFor, inputFromCase, type DecisionForProtocol, type ProtocolInput } from '../protocols/input';
export { inputFromCaseFile } from '../protocols/case-file';
export { docFromStatement } from '../protocols/statements';
export { listProtocols, listSecretary, registerDoc, refusalJournalDoc } from '../protocols/lists';

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
