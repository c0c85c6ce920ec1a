/**
 * Limits and constants shared by the bundle writer (archive-write.ts) and reader
 * (archive-read.ts); see archive.ts for the policies and docs/bundle-format.md, "Limits".
 */
import { BundleError } from './errors';

// ---------------------------------------------------------------------------------------------
// Limits

export interface BundleLimits {
  /** Content entries, manifest.json and manifest.sig not counted. */
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntrySize: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalSize: number;
  /** Uncompressed bytes of manifest.json. */
  maxManifestSize: number;
  /** Uncompressed/compressed ratio refused for every entry, whatever its size. */
  maxCompressionRatio: number;
}

export const MiB = 1024 * 1024;

/** Defaults sized for a region's work over years; see docs/bundle-format.md, "Limits". */
export const DEFAULT_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxEntries: 100_000,
  maxEntrySize: 1024 * MiB,
  maxTotalSize: 8 * 1024 * MiB,
  maxManifestSize: 64 * MiB,
  maxCompressionRatio: 200,
});

/** FAT32, the usual file system of a USB stick, stores files up to 4 GiB - 1. */
export const DEFAULT_MAX_BUNDLE_SIZE = 4 * 1024 * MiB - 1;

export const MAX_SIGNATURE_ENTRY_SIZE = 256;
export const FILE_MODE = 0o100644;
export const PROGRESS_STEP = 1 * MiB;

/** The error every cancelled write or read ends with. */
export function cancelled(): BundleError {
  return new BundleError('bundle.cancelled');
}
