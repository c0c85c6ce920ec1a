import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../electron/core/core';
import { LOCAL_CALLER } from '../../electron/core/context';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../electron/core/db';
import { openWithPassphrase, readKeyring } from '../../electron/core/vault/keyring';
import { databaseKey } from '../../electron/core/vault/keys';

const made: string[] = [];
const cores: Core[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'htmp-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** The commission a test installation is set up for (printed on protocols). */
export const TEST_COMMISSION = {
  commissionNameKk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы',
  commissionNameRu: 'Комиссия по ВТМП Карагандинской области',
  authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы',
  authorityNameRu: 'Управление здравоохранения Карагандинской области',
};

/** The first admin of every test installation (vitest runs with HTMP_TEST_FAST_KDF=1: a cheap scrypt). */
export const TEST_ADMIN = { login: 'admin', displayName: 'Әсел Серікқызы Нұрланова', passphrase: 'correct horse battery 1' };

/**
 * Sets up a core's folder (the first admin) and signs in; returns the core whose calls run as
 * that admin, and the recovery key.
 */
export function setUpAndSignIn(core: Core, user: { login: string; displayName: string; passphrase: string } = TEST_ADMIN): { core: Core; recoveryKey: string; sessionId: string } {
  const r = core.security.setupSync(user, LOCAL_CALLER);
  return { core: core.as({ channel: 'local', sessionId: r.sessionId! }), recoveryKey: r.recoveryKey, sessionId: r.sessionId! };
}

/** Opens a core on a folder and signs in as a user of it. */
export async function signedInCore(dataDir: string, user: { login: string; passphrase: string } = TEST_ADMIN, options: Partial<CoreOptions> = {}): Promise<Core> {
  const core = createCore({ dataDir, host: 'cli', ...options });
  cores.push(core);
  const r = await core.call('auth.signIn', { login: user.login, passphrase: user.passphrase });
  return core.as({ channel: 'local', sessionId: r.sessionId! });
}

/**
 * A core on a fresh temporary data folder, set up (first admin, encrypted), signed in as that
 * admin, and closed after the test. Like a set-up installation it knows its commission
 * (protocols cannot be issued without it); `{ commission: false }` for a brand-new one.
 */
export function tempCore(options: { commission?: boolean; dataDir?: string } & Partial<CoreOptions> = {}): Core {
  const { commission, dataDir, ...rest } = options;
  const raw = createCore({ dataDir: dataDir ?? tempDir(), host: 'cli', ...rest });
  cores.push(raw);
  const { core } = setUpAndSignIn(raw);
  if (commission !== false) {
    const put = core.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(TEST_COMMISSION)) put.run(k, JSON.stringify(v), new Date().toISOString());
  }
  return core;
}

/** Registers a core to be closed after the test. */
export function track(core: Core): Core {
  cores.push(core);
  return core;
}

afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * The folder's database opened directly with the sqlite library (as a tool would, with the key
 * a user's passphrase unwraps): for tests that look under the app or tamper with rows.
 */
export function rawDatabase(dataDir: string, user: { login: string; passphrase: string } = TEST_ADMIN, options: { readonly?: boolean } = {}): Database.Database {
  const k = readKeyring(dataDir);
  if (!k) return openDatabase(path.join(dataDir, 'htmp.sqlite'), options);
  const out = openWithPassphrase(k, user.login, user.passphrase);
  if (!out.ok) throw new Error(`cannot open the keyring: ${out.reason}`);
  return openDatabase(path.join(dataDir, 'htmp.sqlite'), { ...options, key: databaseKey(out.dataKey, k.cipher.database) });
}

/** A core on a folder, signed in as the test admin: set up first when the folder has no user yet. */
export async function adminCore(dataDir: string, options: Partial<CoreOptions> = {}): Promise<Core> {
  const raw = createCore({ dataDir, host: 'cli', ...options });
  cores.push(raw);
  if (raw.security.state === 'setup') return setUpAndSignIn(raw).core;
  const r = await raw.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase });
  return raw.as({ channel: 'local', sessionId: r.sessionId! });
}
