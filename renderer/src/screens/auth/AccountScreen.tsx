import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthStatus } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { useAuth } from './auth-context';
import { NewPassphrase, passphraseOk } from './PassphraseField';

/** Change one's passphrase (forced after an admin's reset). */
export function ChangePassphraseForm({ heading, forced, onDone }: { heading: string; forced?: boolean; onDone?(s: AuthStatus): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<AppError>();
  const [done, setDone] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (!passphraseOk(next, confirm)) return setError({ code: 'auth.weak_passphrase', params: { min: 10 } });
    const r = await api.call('auth.changePassphrase', { current, next });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setCurrent('');
    setNext('');
    setConfirm('');
    setDone(true);
    onDone?.(r.value);
  };
  return (
    <form className="form narrow" onSubmit={submit} aria-labelledby={heading} data-testid="change-passphrase">
      <h2 id={heading}>{t('account.changeTitle')}</h2>
      {forced && <p className="notice">{t('account.mustChange')}</p>}
      <label>
        {t('fields.current')}
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required data-testid="current" />
      </label>
      <NewPassphrase value={next} confirm={confirm} onChange={setNext} onConfirm={setConfirm} label={t('fields.next')} />
      <div className="actions">
        <button type="submit" className="primary" data-testid="change-submit">
          {t('account.change')}
        </button>
        {done && <span role="status">{t('account.changed')}</span>}
      </div>
      <ErrorText error={error} />
    </form>
  );
}

/** My account: who I am, passphrase, PIN; for an admin the idle-lock setting. */
export function AccountScreen() {
  const { t } = useTranslation('auth');
  const api = useApi();
  const { status, setStatus } = useAuth();
  const user = status.user!;
  const [pin, setPin] = useState('');
  const [pinPass, setPinPass] = useState('');
  const [pinMsg, setPinMsg] = useState<string>();
  const [pinError, setPinError] = useState<AppError>();
  const [idle, setIdle] = useState(String(status.idleLockMinutes));
  const [idleMsg, setIdleMsg] = useState(false);
  const [idleError, setIdleError] = useState<AppError>();
  const savePin = async (value: string | null) => {
    setPinMsg(undefined);
    const r = await api.call('auth.setPin', { passphrase: pinPass, pin: value });
    if (!r.ok) return setPinError(r.error);
    setPinError(undefined);
    setPin('');
    setPinPass('');
    setStatus(r.value);
    setPinMsg(value === null ? t('account.pinRemoved') : t('account.pinSaved'));
  };
  const saveIdle = async (e: React.FormEvent) => {
    e.preventDefault();
    const n = Number(idle);
    const r = await api.call('settings.update', { idleLockMinutes: n });
    if (!r.ok) return setIdleError(r.error);
    setIdleError(undefined);
    setIdleMsg(true);
    setStatus({ ...status, idleLockMinutes: n });
  };
  return (
    <section className="screen" aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <p data-testid="signed-in-as">{t('account.signedInAs', { name: user.displayName, role: t(`role.${user.role}`) })}</p>
      <ChangePassphraseForm heading="account-change" />
      <form
        className="form narrow"
        aria-labelledby="pin-title"
        onSubmit={(e) => {
          e.preventDefault();
          void savePin(pin);
        }}
      >
        <h2 id="pin-title">{t('account.pinTitle')}</h2>
        <p className="muted">{t('account.pinIntro')}</p>
        <div className="row">
          <label>
            {t('fields.pin')}
            <input type="password" inputMode="numeric" pattern="[0-9]{4,8}" maxLength={8} autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} data-testid="new-pin" />
          </label>
          <label>
            {t('fields.passphrase')}
            <input type="password" autoComplete="current-password" value={pinPass} onChange={(e) => setPinPass(e.target.value)} data-testid="pin-passphrase" />
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={pin.length < 4 || !pinPass} data-testid="pin-save">
            {t('account.pinSet')}
          </button>
          {user.hasPin && (
            <button type="button" disabled={!pinPass} onClick={() => void savePin(null)}>
              {t('account.pinRemove')}
            </button>
          )}
          {pinMsg && <span role="status">{pinMsg}</span>}
        </div>
        <ErrorText error={pinError} />
      </form>
      {user.role === 'admin' && (
        <form className="form narrow" aria-labelledby="idle-title" onSubmit={saveIdle}>
          <h2 id="idle-title">{t('account.idleTitle')}</h2>
          <label>
            {t('account.idle')}
            <input type="number" min={1} max={240} value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="idle-minutes" />
          </label>
          <div className="actions">
            <button type="submit">{t('common:actions.save')}</button>
            {idleMsg && <span role="status">{t('account.idleSaved')}</span>}
          </div>
          <ErrorText error={idleError} />
        </form>
      )}
    </section>
  );
}
