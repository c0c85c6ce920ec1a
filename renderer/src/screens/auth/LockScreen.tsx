import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthStatus } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';

/** The locked app: who it belongs to, PIN (when allowed) or passphrase; nothing of a patient. */
export function LockScreen({ status, onDone }: { status: AuthStatus; onDone(s: AuthStatus): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [pin, setPin] = useState('');
  const [pass, setPass] = useState('');
  const [error, setError] = useState<AppError>();
  // While an unlock is being checked, the PIN field is read-only (it keeps the focus) and the
  // buttons wait: a PIN typed meanwhile would be cleared by the answer to the previous one, and a
  // second submit would count as a second wrong PIN.
  const [busy, setBusy] = useState(false);
  const user = status.user!;
  const checking = async <T,>(call: () => Promise<T>): Promise<T> => {
    setBusy(true);
    try {
      return await call();
    } finally {
      setBusy(false);
    }
  };
  const unlockPin = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const r = await checking(() => api.call('auth.unlock', { pin }));
    setPin('');
    if (!r.ok) {
      setError(r.error);
      if (r.error.code === 'auth.pin_disabled') void api.call('auth.status', {}).then((s) => s.ok && onDone(s.value));
      return;
    }
    onDone(r.value);
  };
  const unlockPass = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const r = await checking(() => api.call('auth.signIn', { login: user.login, passphrase: pass }));
    setPass('');
    if (!r.ok) return setError(r.error);
    onDone(r.value);
  };
  return (
    <div className="auth-page locked">
      <section className="auth-card" aria-labelledby="lock-title" data-testid="lock-screen">
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p>{t('lock.who', { name: user.displayName, login: user.login })}</p>
        {status.pinAvailable ? (
          <form className="form" onSubmit={unlockPin}>
            <label>
              {t('fields.pin')}
              <input type="password" inputMode="numeric" pattern="[0-9]{4,8}" maxLength={8} autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} readOnly={busy} data-testid="pin" autoFocus />
            </label>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || pin.length < 4} data-testid="pin-submit">
                {t('lock.pinSubmit')}
              </button>
            </div>
          </form>
        ) : (
          <p className="muted" data-testid="no-pin">
            {t('lock.noPin')}
          </p>
        )}
        <form className="form" onSubmit={unlockPass}>
          <label>
            {t('fields.passphrase')}
            <input type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} data-testid="passphrase" autoFocus={!status.pinAvailable} />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy || !pass} data-testid="unlock-passphrase">
              {t('lock.passphraseSubmit')}
            </button>
            <button type="button" className="link" onClick={() => void api.call('auth.signOut', {}).then((r) => r.ok && onDone(r.value))} data-testid="sign-out">
              {t('lock.signOut')}
            </button>
          </div>
        </form>
        <ErrorText error={error} />
      </section>
    </div>
  );
}
