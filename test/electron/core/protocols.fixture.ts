import type { Core } from '../../../electron/core/core';
import { iinCheckDigit } from '../../../shared/domain/iin';

/** A valid IIN: born 1990-02-15, female (digit 7 = 4), with its check digit. */
export const IIN = (() => {
  const first = '90021545012';
  return `${first}${iinCheckDigit(first)}`;
})();

/** Names with every Kazakh-specific letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І, both cases) somewhere in the protocol. */
export const PATIENT = { lastName: 'Жұмабекова', firstName: 'Әйгерім', middleName: 'Серікқызы' };
export const MEMBERS = [
  { name: 'Сейітқали Әлия Нұрланқызы', role: 'chair' as const },
  { name: 'Шаһмарданов Ғалым Өтегенұлы', role: 'member' as const },
  { name: 'Үмбетова Іңкәр Һадиқызы', role: 'secretary' as const },
];
export const COMMISSION = {
  commissionNameKk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы',
  commissionNameRu: 'Комиссия по ВТМП Карагандинской области',
  authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы',
  authorityNameRu: 'Управление здравоохранения Карагандинской области',
};
/** In both editions (kk order 90 and ru order 103), section 1 (emergency). */
export const CODE = '00.50';

export function caseDraft(overrides: Record<string, unknown> = {}) {
  return {
    patient: { iin: IIN, ...PATIENT, birthDate: '1990-02-15', sex: 'female' as const },
    receivedAt: '2026-03-10T10:00',
    channel: 'paper' as const,
    htmpCode: CODE,
    urgency: 'emergency' as const,
    inpatient: false,
    diagnosis: { icd10: 'I50.0', text: 'Созылмалы жүрек жеткіліксіздігі, NYHA III' },
    providerOrg: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ',
    documents: [
      { kind: 'identity' as const, paper: true },
      { kind: 'referral' as const, paper: true },
      {
        kind: 'record_extract' as const,
        paper: true,
        signatures: ['attending' as const, 'head_of_department' as const, 'deputy_chief' as const],
        seal: true,
        clinicalDiagnosis: 'Созылмалы жүрек жеткіліксіздігі',
      },
      { kind: 'test_results' as const, paper: true, items: [{ name: 'ЭхоКГ', date: '2026-03-01' }] },
    ],
    ...overrides,
  };
}

/** Settings + a registered case with a draft decision; returns the case id. */
export async function decidedCase(core: Core, opts: { outcome?: 'approved' | 'refused'; reason?: 'no_indications' | null; date?: string; draft?: Record<string, unknown> } = {}): Promise<string> {
  await core.call('settings.update', COMMISSION);
  const saved = await core.call('cases.save', caseDraft(opts.draft));
  const id = saved.id;
  await core.call('cases.register', { id });
  await core.call('cases.decide', {
    caseId: id,
    outcome: opts.outcome ?? 'approved',
    reason: opts.reason ?? null,
    members: MEMBERS,
    date: opts.date ?? '2026-03-12',
  });
  return id;
}
