import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type UserView } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { useAuth } from './auth-context';
import { NewPassphrase, passphraseOk } from './PassphraseField';

/** Users (admin): add, disable, reset (with the admin's own passphrase). */
export function UsersScreen() {
  const { t } = useTranslation('auth');
  const api = useApi();
  const { status } = useAuth();
  const users = useQuery('users.list', {});
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('secretary');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [msg, setMsg] = useState<string>();
  const [error, setError] = useState<AppError>();
  const [resetting, setResetting] = useState<UserView | null>(null);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setMsg(undefined);
    if (!passphraseOk(pass, confirm)) return setError({ code: 'auth.weak_passphrase', params: { min: 10 } });
    const r = await api.call('users.add', { login, displayName: name, role, passphrase: pass });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setMsg(t('users.added', { login: r.value.login }));
    setLogin('');
    setName('');
    setPass('');
    setConfirm('');
    users.reload();
  };
  const disable = async (u: UserView) => {
    if (!window.confirm(t('users.confirmDisable', { login: u.login }))) return;
    const r = await api.call('users.disable', { userId: u.id });
    if (!r.ok) return setError(r.error);
    setMsg(t('users.disabledDone', { login: u.login }));
    users.reload();
  };
  return (
    <section className="screen" aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <p className="muted">{t('users.intro')}</p>
      <table className="grid" data-testid="users-table">
        <thead>
          <tr>
            <th>{t('fields.login')}</th>
            <th>{t('fields.displayName')}</th>
            <th>{t('fields.role')}</th>
            <th>{t('users.status')}</th>
            <th>{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} data-testid={`user-${u.login}`}>
              <td>{u.login}</td>
              <td>{u.displayName}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
              <td className="row-actions">
                {!u.disabled && u.id !== status.user?.id && (
                  <button type="button" onClick={() => void disable(u)} data-testid={`disable-${u.login}`}>
                    {t('users.disable')}
                  </button>
                )}
                {u.id !== status.user?.id && (
                  <button type="button" onClick={() => setResetting(u)} data-testid={`reset-${u.login}`}>
                    {u.disabled ? t('users.resetEnable') : t('users.reset')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {resetting && <ResetForm user={resetting} onDone={(m) => (setResetting(null), setMsg(m), users.reload())} onCancel={() => setResetting(null)} />}
      {msg && (
        <p role="status" data-testid="users-msg">
          {msg}
        </p>
      )}
      <form className="form narrow" onSubmit={add} aria-labelledby="add-title" data-testid="add-user">
        <h2 id="add-title">{t('users.add')}</h2>
        <div className="row">
          <label>
            {t('fields.login')}
            <input value={login} onChange={(e) => setLogin(e.target.value)} required maxLength={64} autoComplete="off" data-testid="new-login" />
          </label>
          <label>
            {t('fields.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t('fields.displayName')}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-testid="new-name" />
        </label>
        <NewPassphrase value={pass} confirm={confirm} onChange={setPass} onConfirm={setConfirm} label={t('users.temp')} testId="new-user-pass" />
        <div className="actions">
          <button type="submit" className="primary" data-testid="add-submit">
            {t('users.add')}
          </button>
        </div>
        <ErrorText error={error ?? users.error} />
      </form>
      <p className="muted small">{t('users.rekeyHint')}</p>
    </section>
  );
}

function ResetForm({ user, onDone, onCancel }: { user: UserView; onDone(msg: string): void; onCancel(): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [admin, setAdmin] = useState('');
  const [error, setError] = useState<AppError>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!passphraseOk(pass, confirm)) return setError({ code: 'auth.weak_passphrase', params: { min: 10 } });
    const r = await api.call('users.reset', { userId: user.id, newPassphrase: pass, adminPassphrase: admin });
    if (!r.ok) return setError(r.error);
    onDone(t('users.resetDone', { login: user.login }));
  };
  return (
    <form className="form narrow panel" onSubmit={submit} aria-label={`${t('users.reset')}: ${user.login}`} data-testid="reset-form">
      <h2>
        {t('users.reset')}: {user.login}
      </h2>
      <NewPassphrase value={pass} confirm={confirm} onChange={setPass} onConfirm={setConfirm} label={t('users.temp')} testId="reset-pass" />
      <label>
        {t('fields.adminPassphrase')}
        <input type="password" autoComplete="current-password" value={admin} onChange={(e) => setAdmin(e.target.value)} required data-testid="admin-passphrase" />
      </label>
      <div className="actions">
        <button type="submit" className="primary" data-testid="reset-submit">
          {t('users.reset')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common:actions.cancel')}
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}
