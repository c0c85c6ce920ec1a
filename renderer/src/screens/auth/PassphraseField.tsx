import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passphraseStrength } from '../../../../shared/contract';

/** A new passphrase with its strength shown as it is typed, and its confirmation. */
export function NewPassphrase({ value, confirm, onChange, onConfirm, label, testId = 'new-passphrase' }: { value: string; confirm: string; onChange(v: string): void; onConfirm(v: string): void; label?: string; testId?: string }) {
  const { t } = useTranslation('auth');
  const id = useId();
  const [left, setLeft] = useState(false);
  const strength = passphraseStrength(value);
  const mismatch = left && confirm !== '' && confirm !== value;
  return (
    <>
      <label>
        {label ?? t('fields.passphrase')}
        <input type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-s ${id}-h`} data-testid={testId} />
      </label>
      <div className="strength" id={`${id}-s`} aria-live="polite">
        <meter min={0} max={4} low={2} high={3} optimum={4} value={strength} aria-label={t('strength.label')} />
        <span data-testid={`${testId}-strength`}>{t(`strength.${strength}`)}</span>
      </div>
      <small className="muted" id={`${id}-h`}>
        {t('fields.passphraseHint')}
      </small>
      <label>
        {t('fields.confirm')}
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => onConfirm(e.target.value)} onBlur={() => setLeft(true)} aria-invalid={mismatch} data-testid={`${testId}-confirm`} />
      </label>
      {mismatch && (
        <p className="error" role="alert">
          {t('mismatch')}
        </p>
      )}
    </>
  );
}

export const passphraseOk = (p: string, c: string): boolean => passphraseStrength(p) > 0 && p === c;
