/**
 * The users of a data folder (`users.*`, and a user's own passphrase and PIN): rows in the
 * encrypted database, key slots in the keyring (vault/keyring.ts). Functions of the Security
 * state (security.ts delegates to them); dispatch checked the role before an admin method runs.
 */
import { randomUUID } from 'node:crypto';
import { passphraseStrength, type AuthStatus, type Role, type UserView } from '../../../shared/contract/auth';
import { AppFailure } from '../../../shared/result';
import type { Caller } from '../context';
import { changePassphrase as rewrapPassphrase, disableSlot, makeUserSlot, normaliseLogin, putSlot, writeKeyring } from '../vault/keyring';
import type { Actor } from './current';
import { userView, type UserRow } from './model';
import { hashPin } from './pin';
import type { Security } from './security';

export async function changePassphrase(sec: Security, a: { current: string; next: string }, caller: Caller): Promise<AuthStatus> {
  const { u } = sec.requireUnlocked(caller);
  if (passphraseStrength(a.next) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
  await sec.checkPassphrase(u, a.current, 'auth.changePassphrase');
  const next = rewrapPassphrase(sec.keyring!, u.id, a.current, a.next);
  if (!next) throw new AppFailure('auth.bad_credentials');
  writeKeyring(sec.dataDir, next);
  sec.keyring = next;
  sec.opened().db.prepare('UPDATE users SET must_change = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
  sec.audit({ userId: u.id, userName: u.login, action: 'auth.passphrase_changed', method: 'auth.changePassphrase', outcome: 'ok' });
  return sec.status(caller);
}

export async function setPin(sec: Security, a: { passphrase: string; pin: string | null }, caller: Caller): Promise<AuthStatus> {
  const { u } = sec.requireUnlocked(caller);
  await sec.checkPassphrase(u, a.passphrase, 'auth.setPin');
  sec.opened()
    .db.prepare('UPDATE users SET pin = ?, pin_failures = 0, updated_at = ? WHERE id = ?')
    .run(a.pin === null ? null : JSON.stringify(hashPin(a.pin)), new Date().toISOString(), u.id);
  sec.audit({ userId: u.id, userName: u.login, action: 'auth.pin_changed', method: 'auth.setPin', outcome: 'ok', detail: { pin: a.pin === null ? 'removed' : 'set' } });
  return sec.status(caller);
}

export function listUsers(sec: Security): UserView[] {
  return (sec.opened().db.prepare('SELECT * FROM users ORDER BY login').all() as UserRow[]).map(userView);
}

function enabledAdmins(sec: Security): number {
  return (sec.opened().db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number) ?? 0;
}

export function addUser(sec: Security, a: { login: string; displayName: string; role: Role; passphrase: string }): UserView {
  const db = sec.opened().db;
  if (passphraseStrength(a.passphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
  const login = normaliseLogin(a.login);
  if (sec.userByLogin(login)) throw new AppFailure('auth.login_taken', { login });
  const id = randomUUID();
  const at = new Date().toISOString();
  const slot = makeUserSlot(sec.keyring!, sec.dataKey!, { id, login }, a.passphrase);
  db.prepare('INSERT INTO users (id, login, display_name, role, disabled, must_change, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 1, ?, ?)').run(id, login, a.displayName.trim(), a.role, at, at);
  try {
    const next = putSlot(sec.keyring!, slot);
    writeKeyring(sec.dataDir, next);
    sec.keyring = next;
  } catch (err) {
    db.prepare('DELETE FROM users WHERE id = ?').run(id);
    throw err;
  }
  return userView(sec.userRow(id)!);
}

export function updateUser(sec: Security, a: { userId: string; displayName?: string | undefined; role?: Role | undefined }): UserView {
  const u = sec.userRow(a.userId);
  if (!u) throw new AppFailure('auth.unknown_user');
  if (u.role === 'admin' && a.role !== undefined && a.role !== 'admin' && u.disabled === 0 && enabledAdmins(sec) <= 1) throw new AppFailure('auth.last_admin');
  sec.opened()
    .db.prepare('UPDATE users SET display_name = ?, role = ?, updated_at = ? WHERE id = ?')
    .run(a.displayName?.trim() ?? u.display_name, a.role ?? u.role, new Date().toISOString(), u.id);
  return userView(sec.userRow(u.id)!);
}

export function disableUser(sec: Security, a: { userId: string }): UserView {
  const u = sec.userRow(a.userId);
  if (!u) throw new AppFailure('auth.unknown_user');
  if (u.role === 'admin' && u.disabled === 0 && enabledAdmins(sec) <= 1) throw new AppFailure('auth.last_admin');
  const next = disableSlot(sec.keyring!, u.id);
  writeKeyring(sec.dataDir, next);
  sec.keyring = next;
  sec.opened().db.prepare('UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
  for (const s of [...sec.sessions.values()]) if (s.userId === u.id) sec.sessions.delete(s.id);
  sec.opts.emit({ type: 'auth.changed', payload: { user: u.id } });
  return userView(sec.userRow(u.id)!);
}

export async function resetUser(sec: Security, a: { userId: string; newPassphrase: string; adminPassphrase: string }, actor: Actor): Promise<UserView> {
  const admin = sec.userRow(actor.userId)!;
  await sec.checkPassphrase(admin, a.adminPassphrase, 'users.reset');
  if (passphraseStrength(a.newPassphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
  const u = sec.userRow(a.userId);
  if (!u) throw new AppFailure('auth.unknown_user');
  const next = putSlot(sec.keyring!, makeUserSlot(sec.keyring!, sec.dataKey!, { id: u.id, login: u.login }, a.newPassphrase));
  writeKeyring(sec.dataDir, next);
  sec.keyring = next;
  sec.opened().db.prepare('UPDATE users SET disabled = 0, must_change = 1, pin = NULL, pin_failures = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
  return userView(sec.userRow(u.id)!);
}
