import { subKey } from './crypto';
import type { FileStoreKeys } from '../files';

/** The database's SQLCipher key (hex) of a data key. */
export const databaseKeyHex = (dataKey: Buffer): string => subKey(dataKey, 'db/sqlcipher').toString('hex');

/** The file store's keys of a data key. */
export const fileStoreKeys = (dataKey: Buffer): FileStoreKeys => ({ enc: subKey(dataKey, 'files/content'), name: subKey(dataKey, 'files/name') });

/** The key of the audit trail's hash chain (an HMAC chain: rows cannot be re-chained without it). */
export const auditChainKey = (dataKey: Buffer): Buffer => subKey(dataKey, 'audit/chain');
