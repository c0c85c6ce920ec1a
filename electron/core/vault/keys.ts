import { subKey } from './crypto';
import type { FileStoreKeys } from '../files';

/** The database's SQLCipher key (hex) of a data key. */
export const databaseKeyHex = (dataKey: Buffer): string => subKey(dataKey, 'db/sqlcipher').toString('hex');

/** The file store's keys of a data key. */
export const fileStoreKeys = (dataKey: Buffer): FileStoreKeys => ({ enc: subKey(dataKey, 'files/content'), name: subKey(dataKey, 'files/name') });
