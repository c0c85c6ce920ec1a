import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthStatus } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { BackupTrustDialog, backupTrustAskOf, type BackupTrustAsk } from '../../components/BackupTrustDialog';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { NewPassphrase, passphraseOk } from './PassphraseField';
import { LanguageSwitch } from './SignInScreen';

/** First start: the first admin (and, for a wave-1 folder, the encryption of its data); or a restore. */
export function SetupScreen({ status, onDone, onRestored }: { status: AuthStatus; onDone(s: AuthStatus, recoveryKey: string): void; onRestored(s: AuthStatus): void }) {
  const { t, i18n } = useTranslation('auth');
  const api = useApi();
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!passphraseOk(pass, confirm)) return setError({ code: 'auth.weak_passphrase', params: { min: 10 } });
    setBusy(true);
    const r = await api.call('auth.setup', { login, displayName: name, passphrase: pass });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const { recoveryKey, ...s } = r.value;
    // The language chosen on this screen becomes the installation's.
    await api.call('settings.update', { language: i18n.language === 'ru' ? 'ru' : 'kk' });
    onDone(s, recoveryKey);
  };
  return (
    <div className="auth-page">
      <section className="auth-card wide" aria-labelledby="setup-title">
        <LanguageSwitch />
        <h1 id="setup-title">{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        {status.plainData && (
          <p className="notice" role="note" data-testid="plain-data">
            {t('setup.plainData')}
          </p>
        )}
        <form className="form" onSubmit={submit} data-testid="setup-form">
          <label>
            {t('fields.login')}
            <input autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required maxLength={64} data-testid="login" autoFocus />
          </label>
          <label>
            {t('fields.displayName')}
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-testid="display-name" />
          </label>
          <NewPassphrase value={pass} confirm={confirm} onChange={setPass} onConfirm={setConfirm} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !login || !name} data-testid="setup-submit">
              {busy ? t('setup.working') : t('setup.submit')}
            </button>
          </div>
          <ErrorText error={error} />
        </form>
        {!status.plainData && <RestoreForm onRestored={onRestored} />}
      </section>
    </div>
  );
}

function RestoreForm({ onRestored }: { onRestored(s: AuthStatus): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [done, setDone] = useState<number | null>(null);
  const [ask, setAsk] = useState<{ trust: BackupTrustAsk; uploadId: string } | null>(null);
  // A new folder has no installation of its own: every backup's key is shown and confirmed (issue 12.4).
  const finish = async (uploadId: string, trustBackupKey?: string) => {
    // A recovery key looks like XXXX-XXXX-…; anything else is taken as the backup's passphrase.
    const isKey = /^[0-9A-Za-z]{4}([- ]?[0-9A-Za-z]{4}){7}$/.test(key.trim());
    const r = await api.call('auth.restore', { uploadId, ...(isKey ? { recoveryKey: key.trim() } : { backupPassphrase: key }), ...(trustBackupKey ? { trustBackupKey } : {}) });
    if (!r.ok) {
      const trust = backupTrustAskOf(r.error);
      if (trust && !trustBackupKey) return setAsk({ trust, uploadId });
      return setError(r.error);
    }
    setDone(r.value.files);
    onRestored(r.value);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      let uploadId: string | undefined;
      const bytes = new Uint8Array(await file.arrayBuffer());
      const CHUNK = 4 * 1024 * 1024;
      for (let offset = 0; offset < bytes.length || offset === 0; offset += CHUNK) {
        let bin = '';
        for (const b of bytes.subarray(offset, offset + CHUNK)) bin += String.fromCharCode(b);
        const r = await api.call('auth.uploadBackup', { ...(uploadId ? { uploadId } : {}), offset, data: btoa(bin) });
        if (!r.ok) return setError(r.error);
        uploadId = r.value.uploadId;
        if (bytes.length === 0) break;
      }
      await finish(uploadId!);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="restore">
      <summary>{t('setup.restoreTitle')}</summary>
      <p className="muted">{t('setup.restoreIntro')}</p>
      <form className="form" onSubmit={submit}>
        <FileInput label={t('fields.backupFile')} accept=".htmp" testId="restore-file" onChange={(f) => setFile(f)} />
        <label>
          {t('fields.recoveryKey')} / {t('fields.backupPassphrase')}
          <input type="password" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" data-testid="restore-secret" />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || !file || !key}>
            {t('setup.restore')}
          </button>
          {done !== null && <span role="status">{t('setup.restored', { files: done })}</span>}
        </div>
        <ErrorText error={error} />
      </form>
      {ask && (
        <BackupTrustDialog
          ask={ask.trust}
          onReject={() => setAsk(null)}
          onTrust={() => {
            const a = ask;
            setAsk(null);
            setBusy(true);
            void finish(a.uploadId, a.trust.fingerprint).finally(() => setBusy(false));
          }}
        />
      )}
    </details>
  );
}
