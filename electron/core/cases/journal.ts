/** The journal of refusals. */
import type { RefusalJournalEntry } from '../../../shared/contract/cases';
import { REFUSAL_LEGAL_SUBPOINT, type RefusalReason } from '../../../shared/domain/decision';
import { deriveFunding } from '../../../shared/domain/funding';
import type { CoreContext } from '../context';
import { fromBool, protocolLabel, catalogue } from './rows';
import { technologyOf } from './derive';

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
