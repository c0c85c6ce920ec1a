/**
 * Issued protocols' statements: stored exactly as issued (packed, statement-codec.ts), read back
 * and checked against their SHA-256, captured in the transaction that issues a decision.
 */
import { createHash } from 'node:crypto';
import { kzNow } from '../../../shared/domain/kz-time';
import type { CaseDetail, DecisionView } from '../../../shared/contract/cases';
import type { IssuedProtocol, ProtocolStatement, DocLangArg, LayoutArg } from '../../../shared/contract/protocols';
import { findInvalidField, type ProtocolDoc } from '../../../shared/documents';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { statementHash } from '../pdf';
import { canonicalJson } from '../../../shared/canonical-json';
import { packStatement, unpackStatement } from '../statement-codec';
import { statementData } from '../../../shared/documents';
import type { Row } from '../store';
import { casesHandlers } from '../services/cases';
import { isRec } from './case-file';
import { buildProtocolDoc, inputFromCase } from './input';

export interface StatementRow {
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

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------
// Issued statements.

export function toIssued(r: StatementRow): IssuedProtocol {
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
export function storedFor(ctx: CoreContext, decisionId: string): StatementRow | undefined {
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
export function capture(ctx: CoreContext, detail: CaseDetail, decision: DecisionView, choice: { lang: DocLangArg; layout: LayoutArg }): StatementRow {
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
export function callSync<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('protocols: expected a synchronous handler');
  return value;
}

export function caseDetailOf(ctx: CoreContext, caseId: string): CaseDetail {
  return callSync(casesHandlers['cases.get']({ id: caseId }, ctx));
}

/** The latest issued (not superseded) decision of a case. */
export function issuedDecision(detail: CaseDetail): DecisionView | null {
  return detail.decisions.find((d) => d.state === 'issued') ?? null;
}

/** The statement of a stored protocol as the case screen shows it (null when it does not read). */
export function statementOf(row: StatementRow): ProtocolStatement | null {
  try {
    const { generatedAt: _omit, ...rest } = docFromStatement(row);
    return rest;
  } catch {
    return null;
  }
}
