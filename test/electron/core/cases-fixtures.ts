import { checkIin, iinCheckDigit } from '../../../shared/domain/iin';

/** A valid IIN for a birth date and sex (the first serial with a usable check digit). */
export function makeIin(birthDate: string, sex: 'male' | 'female', serial = 1): string {
  const [y, m, d] = birthDate.split('-');
  const year = Number(y);
  const century = year >= 2000 ? (sex === 'male' ? 5 : 6) : year >= 1900 ? (sex === 'male' ? 3 : 4) : sex === 'male' ? 1 : 2;
  for (let s = serial; s < serial + 100; s++) {
    const first11 = `${y!.slice(2)}${m}${d}${century}${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no IIN');
}

export const IIN_MALE_1980 = makeIin('1980-05-12', 'male');

/** A case draft whose packet is complete (for `cases.save`): planned, code 54.970.059 (section 2). */
export function completeDraft(over: { receivedAt?: string; iin?: string; lastName?: string; htmpCode?: string } = {}) {
  const iin = over.iin ?? IIN_MALE_1980;
  const check = checkIin(iin);
  return {
    patient: { iin, lastName: over.lastName ?? 'Абаев', firstName: 'Ерлан', birthDate: check.birthDate ?? '1980-05-12', sex: check.sex ?? 'male', insured: true },
    receivedAt: over.receivedAt ?? '2026-03-20T16:30',
    channel: 'paper' as const,
    htmpCode: over.htmpCode ?? '54.970.059',
    urgency: 'planned' as const,
    inpatient: false,
    diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца' },
    documents: [
      { kind: 'identity' as const, paper: true },
      { kind: 'referral' as const, paper: true },
      { kind: 'record_extract' as const, paper: true, signatures: ['attending' as const, 'head_of_department' as const, 'deputy_chief' as const], seal: true, clinicalDiagnosis: 'ИБС' },
      { kind: 'test_results' as const, paper: true, items: [{ name: 'ЭКГ', date: '2026-03-10' }] },
    ],
  };
}

export const MEMBERS = [
  { name: 'Сапаров А.', role: 'chair' as const },
  { name: 'Ким Л.', role: 'member' as const },
  { name: 'Омарова Д.', role: 'secretary' as const },
];
