/**
 * Signed exchange bundles (ZIP) that laptops without a network pass around on USB sticks.
 * The format is specified in docs/bundle-format.md; archive-write.ts is its only writer and
 * archive-read.ts its only reader (limits shared in archive-limits.ts); this module exports both.
 *
 * Policies:
 * - The writer streams every entry once, hashing as it goes, and writes manifest.json and
 *   manifest.sig LAST (the hashes are known only then). Readers find them through the
 *   central directory, never by position. The bundle is written to `<file>.partial`, fsynced
 *   and renamed, so `file` is either absent or complete.
 * - The reader validates everything that can be validated without inflating content BEFORE it
 *   returns (paths, entry types, sizes, limits, manifest schema, version, signature, trust, the
 *   zip-vs-manifest entry sets). Content hashes are checked while streaming: every stream from
 *   `openEntryStream` fails with `bundle.hash_mismatch` at its end if the bytes differ, so a
 *   consumer must treat data as committed only after the stream ended without error.
 * - Node only; never imports electron.
 */
export { DEFAULT_LIMITS, DEFAULT_MAX_BUNDLE_SIZE, type BundleLimits } from './archive-limits';
export * from './archive-write';
export * from './archive-read';
