/**
 * The file store moved to `electron/core/files.ts` (one module for every area, encrypted in a
 * folder with users). Kept so that imports written against this path still resolve; import
 * `../files` in new code.
 */
export { SHA256_RE, hashFile, storeStream, listFileStore, isAttachmentColumn, hasStoredFile, openStoredFile, verifyFileStore } from '../files';
