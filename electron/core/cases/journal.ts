/** The journal of refusals. */
import { JOURNAL_PAGE, MAX_PAGE, type RefusalJournalEntry, type RefusalJournalPage } from '../../../shared/contract/cases';
import { REFUSAL_LEGAL_SUBPOINT, type RefusalReason } from '../../../shared/domain/decision';
import { deriveFunding } from '../../../shared/domain/funding';
import type { CoreContext } from '../context';
import { decodeCursor, encodeCursor } from '../cursor';
import { SqlFilter } from '../sql-filter';
import { fromBool, protocolLabel, catalogue, prepared } from './rows';
import { technologyOf } from './derive';

const CURSOR_VERSION = 1;

/**
 * A page of the journal of refusals: the issued refusals of the period in the journal's order
 * (decision date, protocol year and number, decision id), continued after the last one shown
 * (key paging in the partial index `decisions_refusal_pages`, 0019-register-journal): a page late in a
 * year costs what the first does.
 */
export function refusalJournalPage(ctx: CoreContext, a: { from?: string | undefined; to?: string | undefined; after?: string | undefined; limit?: number | undefined; withTotal?: boolean | undefined }): RefusalJournalPage {
  const filter = new SqlFilter();
  filter.add("d.outcome = 'refused' AND d.state = 'issued'");
  filter.atLeast('d.decided_on', a.from).atMost('d.decided_on', a.to);
  const page = filter.copy();
  if (a.after !== undefined) {
    const p = decodeCursor(a.after, (x) => x.length === 5 && x[0] === CURSOR_VERSION && typeof x[1] === 'string' && typeof x[2] === 'number' && typeof x[3] === 'number' && typeof x[4] === 'string');
    page.add('(d.decided_on, d.protocol_year, d.protocol_number, d.id) > (?, ?, ?, ?)', p[1] as string, p[2] as number, p[3] as number, p[4] as string);
  }
  const limit = Math.min(a.limit ?? JOURNAL_PAGE, MAX_PAGE);
  const rows = prepared(
    ctx,
    `SELECT d.id AS decision_id, d.case_id, d.decided_on, d.reason, d.protocol_year, d.protocol_number,
            c.htmp_code, c.diagnosis_icd10, c.diagnosis_text, c.received_date, c.urgency, c.inpatient,
            p.iin, p.last_name, p.first_name, p.middle_name, p.primary_care_org, p.insured
     FROM decisions d INDEXED BY decisions_refusal_pages JOIN cases c ON c.id = d.case_id JOIN patients p ON p.id = c.patient_id
     ${page.where} ORDER BY d.decided_on, d.protocol_year, d.protocol_number, d.id LIMIT ?`,
  ).all(...page.params, limit + 1) as JournalRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  const total = a.withTotal === false ? null : (prepared(ctx, `SELECT count(*) AS n FROM decisions d INDEXED BY decisions_refusal_pages ${filter.where}`).get(...filter.params) as { n: number }).n;
  return {
    from: a.from ?? null,
    to: a.to ?? null,
    items: journalEntries(ctx, rows),
    next: more && last ? encodeCursor([CURSOR_VERSION, last.decided_on, last.protocol_year, last.protocol_number, last.decision_id]) : null,
    total,
    limit,
  };
}

/** Every issued refusal of the period, in the journal's order (all pages). */
export function refusalJournal(ctx: CoreContext, from?: string, to?: string): RefusalJournalEntry[] {
  const out: RefusalJournalEntry[] = [];
  let after: string | undefined;
  for (;;) {
    const page = refusalJournalPage(ctx, { from, to, after, limit: MAX_PAGE, withTotal: false });
    out.push(...page.items);
    if (page.next === null) return out;
    after = page.next;
  }
}

type JournalRow = Record<string, string | number | null> & { decision_id: string; decided_on: string; protocol_year: number; protocol_number: number };

function journalEntries(ctx: CoreContext, rows: JournalRow[]): RefusalJournalEntry[] {
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
