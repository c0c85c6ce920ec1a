/**
 * The keyring: a small JSON file beside the database (`htmp.keyring.json`) that holds the data
 * key wrapped for each user and once for the recovery key, and nothing secret in clear.
 *
 *   data key DK (32 random bytes)  --HKDF-->  database key, file keys, audit key
 *   user slot:  X25519 key pair; private key wrapped by scrypt(passphrase) (AES-256-GCM);
 *               DK sealed to the public key (ephemeral X25519 + AES-256-GCM)
 *   recovery:   X25519 key pair derived from the recovery key; DK sealed to its public key
 *
 * Sealing to public keys lets an admin add a user or re-key the data (a new DK sealed to every
 * enabled user and to the recovery key) without knowing anyone else's passphrase; a passphrase
 * change rewraps one private key and never touches the data. A disabled user's slot keeps the
 * wrapped private key (so a sign-in can say "disabled" only after a right passphrase) but loses
 * its sealed DK. `keyId` (an HMAC of DK) lets a reader check that what it unsealed is the data
 * key of this folder, so a slot planted by someone without DK opens nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DATABASE_CIPHER, type DatabaseCipher } from './keys';
import { deriveKek, hmacHex, newKdfParams, openSealed, sealTo, sha256Hex, unwrap, wrap, x25519FromPrivate, x25519Generate, type KdfParams, type Sealed, type SealedBox } from './crypto';

export const KEYRING_FILE = 'htmp.keyring.json';
export const KEYRING_FORMAT = 'htmp-keyring';
export const KEYRING_VERSION = 1;

export interface UserSlot {
  kind: 'user';
  /** The user's id (users.id). */
  id: string;
  /** SHA-256 of the keyring's name salt and the normalised login name: finds the slot without naming the user. */
  nameHash: string;
  kdf: KdfParams;
  /** Base64 raw X25519 public key. */
  publicKey: string;
  /** The private key wrapped by the passphrase's key (AAD `user:<id>`). */
  privateKey: Sealed;
  /** DK sealed to the public key (AAD `dk:<id>:<keyId>`); absent while the user is disabled. */
  dataKey?: SealedBox;
}

export interface RecoverySlot {
  kind: 'recovery';
  id: 'recovery';
  publicKey: string;
  dataKey: SealedBox;
}

export type Slot = UserSlot | RecoverySlot;

export interface Keyring {
  format: typeof KEYRING_FORMAT;
  version: typeof KEYRING_VERSION;
  installationId: string;
  /** HMAC-SHA256(DK, "htmp/key-id"), first 32 hex digits: which data key this folder is under. */
  keyId: string;
  /** Base64 salt of the login-name hashes. */
  nameSalt: string;
  /** How the data is encrypted (for a later format to recognise this one). */
  /** `none`: tests and the crypto benchmark only (refused unless the core was asked for plaintext). */
  cipher: { database: DatabaseCipher | 'none'; files: 'htmp-file-gcm-1' | 'none' };
  slots: Slot[];
  updatedAt: string;
}

export const keyringPath = (dataDir: string): string => path.join(dataDir, KEYRING_FILE);

export const keyIdOf = (dataKey: Buffer): string => hmacHex(dataKey, 'htmp/key-id').slice(0, 32);

/** How login names compare: trimmed, NFC, lower case (Intl-independent). */
export const normaliseLogin = (name: string): string => name.trim().normalize('NFC').toLowerCase();

export const nameHashOf = (k: Pick<Keyring, 'nameSalt'>, login: string): string => sha256Hex(Buffer.concat([Buffer.from(k.nameSalt, 'base64'), Buffer.from(normaliseLogin(login))]));

const dkAad = (slotId: string, keyId: string): string => `dk:${slotId}:${keyId}`;
const privAad = (userId: string): string => `user:${userId}`;

/** Reads the keyring; null when the folder has none (a plain or new folder). Throws on a damaged one. */
export function readKeyring(dataDir: string): Keyring | null {
  let text: string;
  try {
    text = fs.readFileSync(keyringPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const k = JSON.parse(text) as Keyring;
  if (k.format !== KEYRING_FORMAT || k.version !== KEYRING_VERSION || !Array.isArray(k.slots) || typeof k.keyId !== 'string') throw new Error('keyring: unknown format');
  return k;
}

/** Writes a file so that it is either the old or the new version after a crash: temp, fsync, rename, fsync the folder. */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(path.dirname(file));
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported on this platform (Windows): rename is still atomic */
  }
}

export function writeKeyring(dataDir: string, k: Keyring): void {
  writeFileAtomic(keyringPath(dataDir), `${JSON.stringify({ ...k, updatedAt: new Date().toISOString() }, null, 2)}\n`);
}

/** A new keyring for a data key (no slots yet). */
export function newKeyring(installationId: string, dataKey: Buffer): Keyring {
  return {
    format: KEYRING_FORMAT,
    version: KEYRING_VERSION,
    installationId,
    keyId: keyIdOf(dataKey),
    nameSalt: randomBytes(16).toString('base64'),
    cipher: { database: DATABASE_CIPHER, files: 'htmp-file-gcm-1' },
    slots: [],
    updatedAt: new Date().toISOString(),
  };
}

/** A user's slot for a passphrase: a new key pair, its private key wrapped, DK sealed to it. */
export function makeUserSlot(k: Keyring, dataKey: Buffer, user: { id: string; login: string }, passphrase: string): UserSlot {
  const pair = x25519Generate();
  const kdf = newKdfParams();
  const kek = deriveKek(passphrase, kdf);
  try {
    return {
      kind: 'user',
      id: user.id,
      nameHash: nameHashOf(k, user.login),
      kdf,
      publicKey: pair.publicKey.toString('base64'),
      privateKey: wrap(kek, pair.privateKey, privAad(user.id)),
      dataKey: sealTo(pair.publicKey, dataKey, dkAad(user.id, k.keyId)),
    };
  } finally {
    kek.fill(0);
    pair.privateKey.fill(0);
  }
}

export function makeRecoverySlot(k: Keyring, dataKey: Buffer, recoveryPrivate: Buffer): RecoverySlot {
  const pair = x25519FromPrivate(recoveryPrivate);
  return { kind: 'recovery', id: 'recovery', publicKey: pair.publicKey.toString('base64'), dataKey: sealTo(pair.publicKey, dataKey, dkAad('recovery', k.keyId)) };
}

/** Replaces (or adds) the slot with the same id. */
export function putSlot(k: Keyring, slot: Slot): Keyring {
  return { ...k, slots: [...k.slots.filter((s) => s.id !== slot.id), slot] };
}

export const userSlots = (k: Keyring): UserSlot[] => k.slots.filter((s): s is UserSlot => s.kind === 'user');

export type OpenOutcome =
  | { ok: true; dataKey: Buffer; userId: string }
  | { ok: false; reason: 'no_slot' | 'bad_passphrase' | 'disabled' | 'damaged'; userId?: string };

/** Opens the data key with a login name and passphrase (one scrypt run, also when no slot matches). */
export function openWithPassphrase(k: Keyring, login: string, passphrase: string): OpenOutcome {
  const hash = nameHashOf(k, login);
  const slot = userSlots(k).find((s) => s.nameHash === hash);
  if (!slot) {
    // Spend the same time as for a real slot, so a wrong name and a wrong passphrase look alike.
    deriveKek(passphrase, userSlots(k)[0]?.kdf ?? newKdfParams()).fill(0);
    return { ok: false, reason: 'no_slot' };
  }
  const kek = deriveKek(passphrase, slot.kdf);
  const priv = unwrap(kek, slot.privateKey, privAad(slot.id));
  kek.fill(0);
  if (!priv) return { ok: false, reason: 'bad_passphrase', userId: slot.id };
  try {
    if (!slot.dataKey) return { ok: false, reason: 'disabled', userId: slot.id };
    const dk = openSealed(priv, Buffer.from(slot.publicKey, 'base64'), slot.dataKey, dkAad(slot.id, k.keyId));
    if (!dk || keyIdOf(dk) !== k.keyId) return { ok: false, reason: 'damaged', userId: slot.id };
    return { ok: true, dataKey: dk, userId: slot.id };
  } finally {
    priv.fill(0);
  }
}

/** Checks a user's passphrase against the slot (e.g. an admin confirming a reset); no data key needed. */
export function passphraseMatches(k: Keyring, userId: string, passphrase: string): boolean {
  const slot = userSlots(k).find((s) => s.id === userId);
  if (!slot) return false;
  const kek = deriveKek(passphrase, slot.kdf);
  const priv = unwrap(kek, slot.privateKey, privAad(slot.id));
  kek.fill(0);
  priv?.fill(0);
  return priv !== null;
}

/** Opens the data key with the recovery key's private key. */
export function openWithRecovery(k: Keyring, recoveryPrivate: Buffer): Buffer | null {
  const slot = k.slots.find((s): s is RecoverySlot => s.kind === 'recovery');
  if (!slot) return null;
  const pub = x25519FromPrivate(recoveryPrivate).publicKey;
  if (!pub.equals(Buffer.from(slot.publicKey, 'base64'))) return null;
  const dk = openSealed(recoveryPrivate, pub, slot.dataKey, dkAad('recovery', k.keyId));
  if (!dk || keyIdOf(dk) !== k.keyId) return null;
  return dk;
}

/** Rewraps a user's private key under a new passphrase (the data is untouched). */
export function changePassphrase(k: Keyring, userId: string, oldPassphrase: string, newPassphrase: string): Keyring | null {
  const slot = userSlots(k).find((s) => s.id === userId);
  if (!slot) return null;
  const oldKek = deriveKek(oldPassphrase, slot.kdf);
  const priv = unwrap(oldKek, slot.privateKey, privAad(userId));
  oldKek.fill(0);
  if (!priv) return null;
  const kdf = newKdfParams();
  const kek = deriveKek(newPassphrase, kdf);
  const next: UserSlot = { ...slot, kdf, privateKey: wrap(kek, priv, privAad(userId)) };
  kek.fill(0);
  priv.fill(0);
  return putSlot(k, next);
}

/** Drops a user's sealed data key (disable): the slot still recognises the passphrase. */
export function disableSlot(k: Keyring, userId: string): Keyring {
  return { ...k, slots: k.slots.map((s) => (s.kind === 'user' && s.id === userId ? (({ dataKey: _dk, ...rest }) => rest)(s) : s)) };
}

/** The keyring of a NEW data key: DK' sealed to every user that has a data key now, and to the recovery key. */
export function resealForNewKey(k: Keyring, newDataKey: Buffer): Keyring {
  const keyId = keyIdOf(newDataKey);
  const slots = k.slots.map((s): Slot => {
    if (s.kind === 'recovery') return { ...s, dataKey: sealTo(Buffer.from(s.publicKey, 'base64'), newDataKey, dkAad('recovery', keyId)) };
    if (!s.dataKey) return s;
    return { ...s, dataKey: sealTo(Buffer.from(s.publicKey, 'base64'), newDataKey, dkAad(s.id, keyId)) };
  });
  // A folder still on an older database cipher moves to the current one with its new key
  // (convert.ts re-encrypts every page anyway).
  return { ...k, keyId, slots, cipher: k.cipher.database === 'none' ? k.cipher : { ...k.cipher, database: DATABASE_CIPHER } };
}

/** A passphrase wrap of the data key, for a backup that is restored without the recovery key. */
export interface PassphraseWrap {
  kdf: KdfParams;
  keyId: string;
  dataKey: Sealed;
}

export function wrapWithPassphrase(dataKey: Buffer, passphrase: string): PassphraseWrap {
  const kdf = newKdfParams();
  const kek = deriveKek(passphrase, kdf);
  const keyId = keyIdOf(dataKey);
  try {
    return { kdf, keyId, dataKey: wrap(kek, dataKey, `backup:${keyId}`) };
  } finally {
    kek.fill(0);
  }
}

export function openPassphraseWrap(w: PassphraseWrap, passphrase: string): Buffer | null {
  const kek = deriveKek(passphrase, w.kdf);
  const dk = unwrap(kek, w.dataKey, `backup:${w.keyId}`);
  kek.fill(0);
  if (!dk || keyIdOf(dk) !== w.keyId) return null;
  return dk;
}
