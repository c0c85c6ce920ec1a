import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { downloadFile, transferErrorOf } from './transfer';

/**
 * A file the core made (a bundle, a backup), handed to the user: "ready", a download button,
 * then "handed over as <name>" once the browser has it. `children` (what the file holds) go
 * between the line and the button. Give it a `key` of the file so a new one starts undownloaded.
 */
export function HandOver({ name, testId, onError, children }: { name: string | null; testId: string; onError: (e: AppError) => void; children?: ReactNode }) {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const [downloaded, setDownloaded] = useState(false);
  return (
    <>
      <p>{downloaded && name ? t('exportForm.handedOver', { name }) : t('exportForm.ready')}</p>
      {children}
      {name && (
        <button
          type="button"
          onClick={() =>
            void downloadFile(api, name, () => undefined)
              .then(() => setDownloaded(true))
              .catch((e: unknown) => onError(transferErrorOf(e)))
          }
          data-testid={testId}
        >
          {t('exportForm.download')}
        </button>
      )}
    </>
  );
}
