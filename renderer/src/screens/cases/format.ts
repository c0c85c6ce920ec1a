import { kzLocal, kzToday } from '../../../../shared/domain/kz-time';
import type { TFunction } from 'i18next';
import type { Finding } from '../../../../shared/domain/packet';
import type { AppError } from '../../../../shared/result';

/** 'YYYY-MM-DD' -> 'DD.MM.YYYY' (how dates are written in Kazakhstan, in both languages). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** 'YYYY-MM-DDTHH:mm…' -> 'DD.MM.YYYY HH:mm'. */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  return m ? `${fmtDate(m[1])} ${m[2]}` : fmtDate(iso);
}

/** A moment stored with a zone ('…Z', '+06:00') shown in Kazakhstan time; a local one as written. */
export function fmtInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return fmtDateTime(iso);
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : fmtDateTime(kzLocal(ms));
}

/** Now in Kazakhstan as 'YYYY-MM-DDTHH:mm', the form the register stores. */
export function nowKz(): string {
  return kzLocal().slice(0, 16);
}

export { kzToday as todayKz };

/** Calendar days from `a` to `b` (both 'YYYY-MM-DD'). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function personName(p: { lastName: string; firstName: string; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter((s) => s && s.trim()).join(' ');
}

/** A packet finding in the user's language (messages live in the rules namespace). */
export function findingText(t: TFunction, f: Finding): string {
  const params: Record<string, string | number> = { ...f.params };
  for (const k of ['date', 'fromIin', 'entered']) {
    const v = params[k];
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) params[k] = fmtDate(v);
  }
  let text = t(`findings.${f.code}`, { ns: 'rules', ...params });
  if (f.code === 'diagnosis.icd10_invalid' && typeof f.params.suggestion === 'string') {
    text += ` ${t('icd10Suggestion', { ns: 'rules', suggestion: f.params.suggestion })}`;
  }
  return text;
}

const FIELD_LABEL: Record<string, string> = {
  receivedAt: 'ui.case.receivedDate',
  'patient.lastName': 'ui.patient.lastName',
  'patient.firstName': 'ui.patient.firstName',
  'patient.iin': 'ui.patient.iin',
};

/** Names the fields of `cases.register_incomplete` as the form labels them. */
export function localizeError(t: TFunction, e: AppError | undefined): AppError | undefined {
  if (!e || e.code !== 'cases.register_incomplete' || typeof e.params?.fields !== 'string') return e;
  const fields = e.params.fields
    .split(',')
    .map((f) => f.trim())
    .map((f) => (FIELD_LABEL[f] ? `«${t(FIELD_LABEL[f], { ns: 'cases' })}»` : f))
    .join(', ');
  return { ...e, params: { ...e.params, fields } };
}
