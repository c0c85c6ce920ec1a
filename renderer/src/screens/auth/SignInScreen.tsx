import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGS, type AuthStatus, type Lang } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { setLanguage } from '../../i18n';
import { NewPassphrase, passphraseOk } from './PassphraseField';

/** The language switch of the screens shown before sign-in (the page's choice only). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('common');
  return (
    <div className="lang auth-lang" role="group" aria-label={t('language.label')}>
      {LANGS.map((l: Lang) => (
        <button key={l} type="button" lang={l} aria-pressed={i18n.language === l} onClick={() => void setLanguage(l)} data-testid={`lang-${l}`}>
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** Sign-in with user and passphrase; the way to the recovery key. */
export function SignInScreen({ onDone }: { onDone(s: AuthStatus): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [recover, setRecover] = useState(false);
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  if (recover) return <RecoverScreen onDone={onDone} onBack={() => setRecover(false)} />;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await api.call('auth.signIn', { login, passphrase: pass });
    setBusy(false);
    setPass('');
    if (!r.ok) return setError(r.error);
    onDone(r.value);
  };
  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby="signin-title">
        <LanguageSwitch />
        <div className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true">
            {t('common:app.mark')}
          </span>
          <span>{t('common:app.title')}</span>
        </div>
        <h1 id="signin-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        <form className="form" onSubmit={submit} data-testid="signin-form">
          <label>
            {t('fields.login')}
            <input autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required data-testid="login" autoFocus />
          </label>
          <label>
            {t('fields.passphrase')}
            <input type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} required data-testid="passphrase" />
          </label>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
              {busy ? t('signIn.working') : t('signIn.submit')}
            </button>
          </div>
          <ErrorText error={error} />
        </form>
        <button type="button" className="link" onClick={() => setRecover(true)} data-testid="forgot">
          {t('signIn.forgot')}
        </button>
      </section>
    </div>
  );
}

function RecoverScreen({ onDone, onBack }: { onDone(s: AuthStatus): void; onBack(): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [key, setKey] = useState('');
  const [login, setLogin] = useState('');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<AppError>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!passphraseOk(pass, confirm)) return setError({ code: 'auth.weak_passphrase', params: { min: 10 } });
    const r = await api.call('auth.recover', { recoveryKey: key, login, newPassphrase: pass });
    if (!r.ok) return setError(r.error);
    onDone(r.value);
  };
  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby="recover-title">
        <h1 id="recover-title">{t('recover.title')}</h1>
        <p className="muted">{t('recover.intro')}</p>
        <form className="form" onSubmit={submit}>
          <label>
            {t('fields.recoveryKey')}
            <input value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} required data-testid="recovery-key-input" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" />
          </label>
          <label>
            {t('fields.login')}
            <input autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
          </label>
          <NewPassphrase value={pass} confirm={confirm} onChange={setPass} onConfirm={setConfirm} label={t('fields.next')} />
          <div className="actions">
            <button type="submit" className="primary">
              {t('recover.submit')}
            </button>
            <button type="button" className="link" onClick={onBack}>
              {t('recover.back')}
            </button>
          </div>
          <ErrorText error={error} />
        </form>
      </section>
    </div>
  );
}
