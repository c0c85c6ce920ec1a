import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { Dialog } from './Dialog';

/** What the core says about a backup of another installation (`exchange.backup_untrusted`). */
export interface BackupTrustAsk {
  fingerprint: string;
  installationId: string;
  createdAt: string;
}

export function backupTrustAskOf(e: AppError | undefined): BackupTrustAsk | null {
  if (!e || e.code !== 'exchange.backup_untrusted' || !e.params) return null;
  return { fingerprint: String(e.params.fingerprint), installationId: String(e.params.installationId), createdAt: String(e.params.createdAt ?? '') };
}

/**
 * Issue 12.4: a backup made by another installation restores only after its key fingerprint was
 * shown and the user confirmed it (compared with the computer that made it).
 */
export function BackupTrustDialog({ ask, onTrust, onReject }: { ask: BackupTrustAsk; onTrust: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
  return (
    <Dialog labelledBy="backup-trust-title" onCancel={onReject} testId="backup-trust-dialog">
      <h2 id="backup-trust-title">{t('backupTrust.title')}</h2>
      <p>{t('backupTrust.intro')}</p>
      <p className="muted">{t('backupTrust.installation', { installationId: ask.installationId, createdAt: ask.createdAt.slice(0, 16).replace('T', ' ') })}</p>
      <p>
        {t('backupTrust.fingerprint')}: <strong data-testid="backup-trust-fingerprint" style={{ fontFamily: 'monospace', fontSize: '1.2em', whiteSpace: 'nowrap' }}>{ask.fingerprint}</strong>
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onTrust} data-testid="backup-trust-accept">
          {t('backupTrust.accept')}
        </button>
        <button type="button" onClick={onReject} data-autofocus>
          {t('backupTrust.reject')}
        </button>
      </div>
    </Dialog>
  );
}
