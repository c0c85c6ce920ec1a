/**
 * The shapes the parts of the auth state share (security.ts, users.ts, folder-keys.ts): options,
 * sessions, user rows, the open database, and reading the keyring.
 */
import type { Role, UserView } from '../../../shared/contract/auth';
import { AppFailure } from '../../../shared/result';
import type { Caller } from '../context';
import type { Db } from '../db';
import type { Store } from '../store';
import { readKeyring, type Keyring } from '../vault/keyring';

export interface SecurityOptions {
  dataDir: string;
  host: 'electron' | 'web' | 'cli';
  /** Tests and the crypto benchmark only: the data stays plain; users and sign-in work the same. */
  insecurePlaintext?: boolean;
  /** The clock of idle locking (tests move it). */
  now?: () => number;
  /** Test hook of the conversion (migration, re-key) steps. */
  onConvertStep?: (step: string) => void;
  /** This core's lease on the folder (data-folder.ts): a restore onto the folder ignores it. */
  leaseId?: string;
  /** Called each time the database opens (a new Store): the core hangs its Store listeners here. */
  onOpened?(): void;
  /** Called just before the database closes (sign-out, lock of the last session, core close): statistics. */
  onClosing?(db: Db): void;
  emit(event: { type: 'auth.changed'; payload: Record<string, unknown> }): void;
}

export interface Session {
  id: string;
  userId: string;
  channel: Caller['channel'];
  lastActivity: number;
  locked: boolean;
}

export interface UserRow {
  id: string;
  login: string;
  display_name: string;
  role: Role;
  disabled: number;
  must_change: number;
  pin: string | null;
  pin_failures: number;
  created_at: string;
  updated_at: string;
}

export interface OpenState {
  db: Db;
  store: Store;
  installationId: string;
}

export const DB_FILE = 'htmp.sqlite';
export const PLAINTEXT_CIPHER = { database: 'none', files: 'none' } as const;

export const userView = (u: UserRow): UserView => ({
  id: u.id,
  login: u.login,
  displayName: u.display_name,
  role: u.role,
  disabled: u.disabled === 1,
  hasPin: u.pin !== null,
  mustChangePassphrase: u.must_change === 1,
  createdAt: u.created_at,
});

/**
 * Marks the steps of a sign-in on Node's performance timeline (`htmp.signIn.<step>`), so
 * `npm run bench -- crypto` can show where the time a user waits goes (passphrase = scrypt +
 * unwrapping, database, migrations check, catalogue, statistics, reference copy, session). A
 * mark costs microseconds; they are cleared at each sign-in's start, so they never pile up.
 */
const SIGN_IN_STEPS = ['start', 'passphrase', 'database', 'migrations', 'catalogue', 'statistics', 'reference', 'session'] as const;
export function openStep(step: (typeof SIGN_IN_STEPS)[number]): void {
  if (step === 'start') for (const s of SIGN_IN_STEPS) performance.clearMarks(`htmp.signIn.${s}`);
  performance.mark(`htmp.signIn.${step}`);
}

export function readKeyringChecked(dataDir: string, allowPlaintext: boolean): Keyring | null {
  let k: Keyring | null;
  try {
    k = readKeyring(dataDir);
  } catch {
    throw new AppFailure('auth.keyring_damaged');
  }
  if (k && k.cipher.database === 'none' && !allowPlaintext) throw new AppFailure('auth.keyring_damaged');
  return k;
}
