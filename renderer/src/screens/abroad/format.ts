import type { TFunction } from 'i18next';
import type { AbroadText } from '../../../../shared/domain/abroad';
import type { AppError } from '../../../../shared/result';

/** A text of the routes data in the interface language. */
export function pick(v: AbroadText | null | undefined, lang: string): string {
  if (!v) return '';
  return lang === 'ru' ? v.ru : v.kk;
}

/** Names of pending items (confirmations and the transplant kind) in the interface language. */
export function pendingLabel(t: TFunction, id: string): string {
  return id === 'transplant_kind' ? t('pending.transplant_kind', { ns: 'abroad' }) : t(`confirmations.${id}.label`, { ns: 'abroad' });
}

/** An eligibility refusal as the same translated message the core's error gives. */
export function refusalError(f: { reason: string; params: Record<string, string | number> }): AppError {
  const context = f.reason === 'confirmation' ? f.params.confirmation : f.reason === 'transplant' ? f.params.kind : undefined;
  return { code: `abroad.ineligible_${f.reason}`, params: { ...f.params, ...(context !== undefined ? { context: String(context) } : {}) } };
}

export { fmtDate } from '../cases/format';
