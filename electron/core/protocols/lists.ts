/**
 * Lists from the stored statements: the register of protocols and the journal of refusals
 * (issued refusals not superseded), with their head (period, commission, signing secretary).
 */
import { kzNow } from '../../../shared/domain/kz-time';
import type { ProtocolListItem } from '../../../shared/contract/protocols';
import {
  REFUSAL_REASONS,
  isIsoDate,
  type CommissionMember,
  type ProtocolRegisterDoc,
  type RefusalJournalDoc,
  type RefusalReason,
} from '../../../shared/documents';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { unpackStatement } from '../statement-codec';
import { standingMembers } from '../services/app';
import { isRec, type Rec } from './case-file';
import { commissionFromSettings } from './input';
import type { StatementRow } from './statements';

// ---------------------------------------------------------------------------------------------
// Lists: the register of protocols and the journal of refusals, from the stored statements.

export function checkPeriod(from?: string, to?: string): void {
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
