import { describe, expect, it } from 'vitest';
import { issueGaps, type IssueFacts } from '../../../shared/domain/issue';
import { FINDING_SEVERITY, type Finding, type FindingCode } from '../../../shared/domain/packet';

const f = (code: FindingCode, field: string, params: Record<string, string> = {}): Finding => ({ code, severity: FINDING_SEVERITY[code], field, params });

const ready: IssueFacts = {
  names: { commissionKk: 'ЖТМК комиссиясы', commissionRu: 'Комиссия по ВТМП', authorityKk: 'Басқарма', authorityRu: 'Управление' },
  outcome: 'approved',
  reason: null,
  date: '2026-03-23',
  today: '2026-03-24',
  receivedDate: '2026-03-20',
  members: [
    { name: 'Сапаров А.', role: 'chair' },
    { name: { kk: 'Омарова Д.', ru: 'Омарова Д.' }, role: 'secretary' },
  ],
  correction: false,
  note: null,
  findings: [],
  diagnosisText: 'ИБС',
  hasOfficialName: true,
};
const codes = (over: Partial<IssueFacts>) => issueGaps({ ...ready, ...over }).map((g) => g.code);

describe('issueGaps', () => {
  it('is empty for a decision a protocol can be made of', () => {
    expect(issueGaps(ready)).toEqual([]);
  });

  it('names the letterhead per language, then the members, the decision and the case data, in that order', () => {
    expect(
      codes({
        names: { commissionKk: '', commissionRu: ' ', authorityKk: 'Басқарма', authorityRu: '' },
        members: [{ name: '', role: 'member' }],
        outcome: 'refused',
        reason: null,
        date: '23.03.2026',
        diagnosisText: '',
      }),
    ).toEqual(['commission_name_kk', 'commission_name_ru', 'authority_name_ru', 'member_name', 'chair', 'secretary', 'reason', 'date', 'diagnosis_text']);
  });

  it('opens "incomplete packet" only on a defect of point 34; an approval needs none', () => {
    const defect = [f('extract.seal_missing', 'documents[2].seal')];
    expect(codes({ outcome: 'refused', reason: 'incomplete_packet' })).toEqual(['reason_incomplete_not_allowed']);
    expect(codes({ outcome: 'refused', reason: 'incomplete_packet', findings: defect })).toEqual([]);
    expect(issueGaps({ ...ready, findings: defect })).toEqual([{ code: 'packet_incomplete', params: { count: 1 } }]);
  });

  it('a wrong IIN, ICD-10 or HTMP code is a gap for every outcome, with the finding that explains it', () => {
    const errors = [f('patient.iin_invalid', 'patient.iin', { reason: 'checksum' }), f('diagnosis.icd10_invalid', 'diagnosis.icd10', { reason: 'format', value: 'X' }), f('code.not_in_force', 'htmpCode', { code: '35.21', date: '2026-03-20' })];
    for (const outcome of ['approved', 'refused'] as const) {
      const gaps = issueGaps({ ...ready, outcome, reason: outcome === 'refused' ? 'no_indications' : null, findings: errors });
      expect(gaps.map((g) => g.code)).toEqual(['iin', 'icd10', 'htmp_code_not_in_force']);
      expect(gaps.map((g) => g.finding?.code)).toEqual(['patient.iin_invalid', 'diagnosis.icd10_invalid', 'code.not_in_force']);
    }
    // A wrong code is not an incomplete packet either.
    expect(codes({ outcome: 'refused', reason: 'incomplete_packet', findings: errors })).toContain('reason_incomplete_not_allowed');
  });

  it('dates: never before receipt, never in the future; a correction says why', () => {
    expect(codes({ date: '2026-03-19' })).toEqual(['date_before_receipt']);
    expect(codes({ date: '2026-03-25' })).toEqual(['date_future']);
    expect(codes({ correction: true, note: ' ' })).toEqual(['correction_note']);
    expect(codes({ correction: true, note: 'Уточнён диагноз' })).toEqual([]);
  });

  it('an approval needs an official name of the technology', () => {
    expect(codes({ hasOfficialName: false })).toEqual(['htmp_name']);
    expect(codes({ hasOfficialName: false, outcome: 'refused', reason: 'no_indications' })).toEqual([]);
    // When the code itself is wrong, that is the gap named, not the name.
    expect(codes({ hasOfficialName: false, findings: [f('code.unknown', 'htmpCode', { code: '99.99' })] })).toEqual(['htmp_code_unknown']);
  });
});
