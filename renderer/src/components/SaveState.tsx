import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { errorMessage } from '../i18n';

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** Autosave state, announced politely: "saving…", "saved at 14:32", "not saved: …". */
export function SaveState({ status, at, error }: { status: SaveStatus; at?: string | null; error?: AppError | null }) {
  const { t } = useTranslation('cases');
  let text = '';
  if (status === 'pending') text = t('ui.save.pending');
  else if (status === 'saving') text = t('ui.save.saving');
  else if (status === 'saved') text = at ? t('ui.save.savedAt', { time: at }) : t('ui.save.saved');
  else if (status === 'error') text = t('ui.save.failed', { message: error ? errorMessage(error) : '' });
  return (
    <span className={`save-state save-${status}`} role="status" aria-live="polite" data-testid="save-state" data-status={status}>
      {text}
    </span>
  );
}
