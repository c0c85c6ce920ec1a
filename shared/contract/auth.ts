import { z } from 'zod';
import { lazySchemas } from './lazy';
import { LANGS, type Lang } from './app';

export const ROLES = ['admin', 'secretary', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Passphrases: at least 10 characters (the strength meter says more); at most 1024. */
export const MIN_PASSPHRASE = 10;
const passphrase = z.string().min(1).max(1024);
const newPassphrase = z.string().min(MIN_PASSPHRASE).max(1024);
const login = z.string().trim().min(1).max(64);
const displayName = z.string().trim().min(1).max(200);
const pin = z.string().regex(/^[0-9]{4,8}$/);
const uuid = z.string().uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface UserView {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  hasPin: boolean;
  mustChangePassphrase: boolean;
  createdAt: string;
}

/**
 * Where the caller stands: `setup` (no user yet: the first admin is to be created; `plainData`
 * when a folder of an earlier version holds unencrypted data that setup will encrypt),
 * `signedOut`, `locked` (the session is kept; PIN or passphrase unlocks it), `signedIn`.
 */
export interface AuthStatus {
  state: 'setup' | 'signedOut' | 'locked' | 'signedIn';
  user: UserView | null;
  /** A PIN may unlock this locked session (set, and not turned off by wrong attempts). */
  pinAvailable: boolean;
  idleLockMinutes: number;
  language: Lang;
  plainData: boolean;
  encrypted: boolean;
}

/** What sign-in answers: the status and, for the host only, the session (never shown to the page). */
export interface SignedIn extends AuthStatus {
  sessionId?: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  method: string | null;
  outcome: string;
  caseId: string | null;
  patientIin: string | null;
  host: string;
  detail: Record<string, unknown>;
}

export interface AuditVerify {
  ok: boolean;
  rows: number;
  /** The first row whose hash or link does not hold (or where a row is missing). */
  brokenAt: number | null;
  reason: 'altered' | 'removed' | 'head' | null;
}

const auditFilter = {
  userId: uuid.optional(),
  iin: z.string().regex(/^[0-9]{1,12}$/).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.string().min(1).max(60).optional(),
};

export const authSchemas = lazySchemas(['audit', 'auth', 'db', 'files', 'users'], () => ({
  'auth.status': z.object({}).strict(),
  'auth.setup': z.object({ login, displayName, passphrase: newPassphrase }).strict(),
  'auth.signIn': z.object({ login, passphrase }).strict(),
  'auth.unlock': z.object({ pin }).strict(),
  /** `os`: the host locks because the OS locked the screen or went to sleep. */
  'auth.lock': z.object({ reason: z.enum(['manual', 'os']).optional() }).strict(),
  'auth.signOut': z.object({}).strict(),
  /** The user is active (keyboard, mouse): postpones the idle lock. */
  'auth.touch': z.object({}).strict(),
  'auth.changePassphrase': z.object({ current: passphrase, next: newPassphrase }).strict(),
  'auth.setPin': z.object({ passphrase, pin: pin.nullable() }).strict(),
  'auth.recover': z.object({ recoveryKey: z.string().min(20).max(80), login, newPassphrase }).strict(),
  'auth.recoverySheet': z.object({ recoveryKey: z.string().min(20).max(80), lang: z.enum(LANGS) }).strict(),
  /**
   * Restores a backup into THIS folder while it has no user yet (a new laptop): the recovery key
   * or the backup passphrase opens it. The page gives an upload, the CLI a file.
   */
  'auth.restore': z
    .object({
      file: z.string().min(1).max(4096).optional(),
      uploadId: z.string().uuid().optional(),
      recoveryKey: z.string().min(20).max(80).optional(),
      backupPassphrase: z.string().min(1).max(1024).optional(),
      /** Over a folder that has data: its previous content is moved aside (a set-up folder: its signed-in admin only). */
      force: z.boolean().optional(),
      /** The fingerprint of another installation's backup key, shown to the user and confirmed (issue 12.4). */
      trustBackupKey: z.string().min(8).max(100).optional(),
    })
    .strict(),
  /** A backup file's chunk sent by the page of a folder without users (for `auth.restore`), as `exchange.upload`. */
  'auth.uploadBackup': z.object({ uploadId: z.string().uuid().optional(), offset: z.number().int().min(0), data: z.string().max(12 * 1024 * 1024) }).strict(),
  'users.list': z.object({}).strict(),
  'users.add': z.object({ login, displayName, role: z.enum(ROLES), passphrase: newPassphrase }).strict(),
  'users.update': z.object({ userId: uuid, displayName: displayName.optional(), role: z.enum(ROLES).optional() }).strict(),
  'users.disable': z.object({ userId: uuid }).strict(),
  /** Sets a new passphrase (and enables a disabled user); needs the admin's own passphrase. */
  'users.reset': z.object({ userId: uuid, newPassphrase, adminPassphrase: passphrase }).strict(),
  'audit.list': z.object({ ...auditFilter, limit: z.number().int().min(1).max(1000).optional(), before: z.number().int().min(1).optional() }).strict(),
  'audit.verify': z.object({}).strict(),
  'audit.exportCsv': z.object(auditFilter).strict(),
  'audit.exportPdf': z.object({ ...auditFilter, lang: z.enum(LANGS) }).strict(),
  /** A new data key: the database and every stored file re-encrypted (admin; own passphrase). */
  'db.rekey': z.object({ passphrase }).strict(),
}));

type A<M extends keyof typeof authSchemas> = z.infer<(typeof authSchemas)[M]>;

export interface AuthMethods {
  'auth.status': { args: A<'auth.status'>; result: AuthStatus };
  'auth.setup': { args: A<'auth.setup'>; result: SignedIn & { recoveryKey: string } };
  'auth.signIn': { args: A<'auth.signIn'>; result: SignedIn };
  'auth.unlock': { args: A<'auth.unlock'>; result: SignedIn };
  'auth.lock': { args: A<'auth.lock'>; result: AuthStatus };
  'auth.signOut': { args: A<'auth.signOut'>; result: AuthStatus };
  'auth.touch': { args: A<'auth.touch'>; result: { ok: true } };
  'auth.changePassphrase': { args: A<'auth.changePassphrase'>; result: AuthStatus };
  'auth.setPin': { args: A<'auth.setPin'>; result: AuthStatus };
  'auth.recover': { args: A<'auth.recover'>; result: SignedIn };
  'auth.recoverySheet': { args: A<'auth.recoverySheet'>; result: { base64: string; fileName: string } };
  'auth.restore': { args: A<'auth.restore'>; result: AuthStatus & { files: number; installationId: string; replaced: string | null } };
  'auth.uploadBackup': { args: A<'auth.uploadBackup'>; result: { uploadId: string; size: number } };
  'users.list': { args: A<'users.list'>; result: UserView[] };
  'users.add': { args: A<'users.add'>; result: UserView };
  'users.update': { args: A<'users.update'>; result: UserView };
  'users.disable': { args: A<'users.disable'>; result: UserView };
  'users.reset': { args: A<'users.reset'>; result: UserView };
  'audit.list': { args: A<'audit.list'>; result: { rows: AuditRow[]; next: number | null } };
  'audit.verify': { args: A<'audit.verify'>; result: AuditVerify };
  'audit.exportCsv': { args: A<'audit.exportCsv'>; result: { text: string; fileName: string; rows: number } };
  'audit.exportPdf': { args: A<'audit.exportPdf'>; result: { base64: string; fileName: string; rows: number } };
  'db.rekey': { args: A<'db.rekey'>; result: { keyId: string; files: number } };
}

/** Error codes of sign-in, lock and users (each has errors.<code> in kk and ru). */
export const AUTH_ERROR_CODES = [
  'auth.required',
  'auth.locked',
  'auth.bad_credentials',
  'auth.user_disabled',
  'auth.bad_pin',
  'auth.pin_disabled',
  'auth.forbidden',
  'auth.setup_done',
  'auth.setup_required',
  'auth.login_taken',
  'auth.weak_passphrase',
  'auth.bad_recovery_key',
  'auth.last_admin',
  'auth.keyring_damaged',
  'auth.keyring_test_only',
  'auth.no_pin',
  'auth.unknown_user',
  'exchange.backup_secret_required',
  'db.wrong_key',
  'db.in_use',
  'files.damaged',
  'files.missing',
] as const;

/** A rough passphrase strength for the meter (0 weak … 4 strong); pure, the same in UI and core. */
export function passphraseStrength(p: string): 0 | 1 | 2 | 3 | 4 {
  if (p.length < MIN_PASSPHRASE) return 0;
  const classes = [/[a-zа-яәғқңөұүһі]/u, /[A-ZА-ЯӘҒҚҢӨҰҮҺІ]/u, /[0-9]/, /[^\p{L}\p{N}]/u].filter((r) => r.test(p)).length;
  const unique = new Set(p).size;
  const words = p.trim().split(/\s+/).length;
  let score = 1;
  if (p.length >= 14) score++;
  if (p.length >= 20 || words >= 4) score++;
  if (classes >= 3) score++;
  if (unique < 5) score = 1;
  return Math.min(4, score) as 0 | 1 | 2 | 3 | 4;
}
