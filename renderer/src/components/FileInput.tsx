import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A file chooser whose button and "no file chosen" text are in the interface language (the
 * browser's own file input speaks the system's language, often English). The real input covers
 * the button, so a click or Space/Enter on it opens the system dialog; the chosen file's name is
 * shown next to it.
 */
export function FileInput({
  label,
  button,
  accept,
  testId,
  onChange,
}: {
  /** A caption above the button (optional). */
  label?: string;
  /** The button text; "Choose file…" in the interface language by default. */
  button?: string;
  accept?: string;
  testId?: string;
  onChange: (file: File | null, e: ChangeEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation('common');
  const [name, setName] = useState('');
  const text = button ?? t('file.choose');
  return (
    <div className="file-field">
      {label && <span className="file-caption">{label}</span>}
      <div className="files">
        <label className="file-button">
          <span>{text}</span>
          <input
            type="file"
            accept={accept}
            aria-label={label ? `${label}: ${text}` : text}
            data-testid={testId}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setName(f?.name ?? '');
              onChange(f, e);
            }}
          />
        </label>
        <span className={name ? 'file-name' : 'file-name muted'}>{name || t('file.none')}</span>
      </div>
    </div>
  );
}
