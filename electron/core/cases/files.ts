/**
 * The file store moved to `electron/core/files.ts` (one module for every area, encrypted in a
 * folder with users). Kept so that imports written against this path still resolve; import
 * `../files` in new code.
 */
export { hasStoredFile, putStoredFile, readStoredFile, openStoredFile, sha256Of, filesDir } from '../files';
