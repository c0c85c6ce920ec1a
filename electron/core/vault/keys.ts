import { AppFailure } from '../../../shared/result';
import { subKey } from './crypto';
import type { FileStoreKeys } from '../files';

/**
 * How a folder's database pages are encrypted (SQLite3 Multiple Ciphers), as its keyring records:
 *
 * - `aegis256-raw-hkdf` (new folders since issue 17): AEGIS-256, an authenticated cipher built on
 *   the AES round (AES-NI), a random nonce and a 32-byte tag per page; a page that was changed on
 *   disk does not open (SQLITE_CORRUPT). About three times cheaper than SQLCipher's
 *   AES-CBC + HMAC-SHA512 to write and to read back (docs/benchmarks.md, "eleventh pass"): the
 *   commit of a 10,000-case import and every page the register reads cold.
 * - `sqlcipher4-raw-hkdf`: SQLCipher 4 pages (AES-256-CBC, HMAC-SHA512). Folders set up before
 *   keep it until an administrator re-keys the folder (`htmp db rekey`), which moves them on.
 *
 * Either way the key is raw (no passphrase KDF when the database opens): a subkey of the data key.
 */
export type DatabaseCipher = 'aegis256-raw-hkdf' | 'sqlcipher4-raw-hkdf';

/** The cipher of a new folder's database. */
export const DATABASE_CIPHER: DatabaseCipher = 'aegis256-raw-hkdf';

/**
 * The key `openDatabase` takes for a data key under a folder's database cipher: 64 hex digits
 * (SQLCipher), or `aegis256:` and 64 hex digits. Any other cipher name (a damaged keyring) is
 * refused.
 */
export function databaseKey(dataKey: Buffer, cipher: string): string {
  if (cipher === 'aegis256-raw-hkdf') return `aegis256:${subKey(dataKey, 'db/aegis256').toString('hex')}`;
  if (cipher === 'sqlcipher4-raw-hkdf') return subKey(dataKey, 'db/sqlcipher').toString('hex');
  throw new AppFailure('auth.keyring_damaged');
}

/** The file store's keys of a data key. */
export const fileStoreKeys = (dataKey: Buffer): FileStoreKeys => ({ enc: subKey(dataKey, 'files/content'), name: subKey(dataKey, 'files/name') });
