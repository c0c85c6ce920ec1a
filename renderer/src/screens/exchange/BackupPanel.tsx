import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { BackupTrustDialog, backupTrustAskOf, type BackupTrustAsk } from '../../components/BackupTrustDialog';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { HandOver } from './HandOver';
import { ProgressBar, useJob } from './job';
import { transferErrorOf, uploadFile } from './transfer';

/**
 * Backups: one made now and checked (then downloaded), and a backup file restored onto this
 * installation through the running app, with its passphrase or the recovery key.
 */
export function BackupPanel() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const job = useJob();
  const [done, setDone] = useState<{ name: string | null; integrity: string; files: number } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [secret, setSecret] = useState('');
  const [force, setForce] = useState(false);
  const [restored, setRestored] = useState<{ files: number } | null>(null);
  const [ask, setAsk] = useState<{ trust: BackupTrustAsk; uploadId: string } | null>(null);
  const [error, setError] = useState<AppError>();
  const create = async () => {
    setError(undefined);
    setDone(null);
    const { jobId } = job.start('database');
    const r = await api.call('exchange.backup', { jobId });
    job.finish();
    if (r.ok) setDone({ name: r.value.name, ...r.value.verified });
    else setError(r.error);
  };
  // Onto this installation, through the running app (auth.restore): it closes, restores, reopens signed out.
  const runRestore = async (uploadId: string, trustBackupKey?: string) => {
    const isKey = /^[0-9A-Za-z]{4}([- ]?[0-9A-Za-z]{4}){7}$/.test(secret.trim());
    const r = await api.call('auth.restore', { uploadId, force: true, ...(isKey ? { recoveryKey: secret.trim() } : { backupPassphrase: secret }), ...(trustBackupKey ? { trustBackupKey } : {}) });
    if (r.ok) {
      setRestored({ files: r.value.files });
      return;
    }
    const trust = backupTrustAskOf(r.error);
    if (trust && !trustBackupKey) setAsk({ trust, uploadId });
    else setError(r.error);
  };
  const restore = async () => {
    if (!file || !secret || !force) return;
    setError(undefined);
    setRestored(null);
    const { signal, local } = job.start('upload');
    try {
      const uploadId = await uploadFile(api, file, (d, total) => local('upload', d, total), signal);
      await runRestore(uploadId);
    } catch (e) {
      setError(transferErrorOf(e));
    }
    job.finish();
  };
  return (
    <>
      <h2>{t('backup.title')}</h2>
      <p className="muted">{t('backup.intro')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void create()} disabled={job.progress !== null} data-testid="backup-create">
          {t('backup.create')}
        </button>
      </div>
      {done && (
        <div role="status" data-testid="backup-done">
          <p>{t('backup.done')}</p>
          <p className="muted">{t('backup.verified', { files: done.files })}</p>
          {done.name && <HandOver key={done.name} name={done.name} testId="backup-download" onError={setError} />}
        </div>
      )}
      <h2>{t('backup.restoreTitle')}</h2>
      <p className="muted">{t('backup.restoreIntro')}</p>
      <div className="form narrow">
        <FileInput button={t('import.chooseFile')} accept=".htmp" testId="restore-file" onChange={(f) => setFile(f)} />
        <label>
          {t('backup.secret')}
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" data-testid="restore-secret" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="restore-force" /> {t('backup.force')}
        </label>
        <div className="actions">
          <button type="button" disabled={!file || !secret || !force || job.progress !== null} onClick={() => void restore()} data-testid="restore-start">
            {t('backup.restore')}
          </button>
        </div>
        {restored && (
          <p role="status" data-testid="restore-done">
            {t('backup.restoredHere', restored)}
          </p>
        )}
      </div>
      {ask && (
        <BackupTrustDialog
          ask={ask.trust}
          onReject={() => setAsk(null)}
          onTrust={() => {
            const a = ask;
            setAsk(null);
            void runRestore(a.uploadId, a.trust.fingerprint);
          }}
        />
      )}
      <ProgressBar progress={job.progress} onCancel={job.cancel} />
      <ErrorText error={error} />
    </>
  );
}
