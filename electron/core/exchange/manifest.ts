/**
 * The bundle manifest: its type, its schema, its canonical bytes, and the entry-path rules.
 *
 * Compatibility policy (docs/bundle-format.md, "Versioning"): `version` is "MAJOR.MINOR".
 * A reader accepts its own MAJOR with any MINOR, newer ones included, and ignores fields it
 * does not know (MINOR changes are additive only). An unknown MAJOR, or a `kind` this reader
 * does not know, is refused with `bundle.unsupported_version` before anything else is read.
 */
import { posix } from 'node:path';
import { z } from 'zod';
import { decodeBase64Strict, isPublicKey } from './keys';

export const BUNDLE_FORMAT = 'htmp-bundle';
/**
 * 2.0: sync bundles encrypted to their recipients (`encryption`), records split over several
 * entries, `manifest.json` stored uncompressed, `files/<sha256>` bound to its declared hash.
 * 1.0 bundles are still read (docs/bundle-format.md, "Versioning").
 */
export const CURRENT_VERSION = '2.0';
/** The newest MAJOR this build writes; it reads every MAJOR in SUPPORTED_MAJORS. */
export const SUPPORTED_MAJOR = 2;
export const SUPPORTED_MAJORS: readonly number[] = [1, 2];

export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
/** Paths the writer owns; a caller's entry may not use them. */
export const RESERVED_PATHS: ReadonlySet<string> = new Set([MANIFEST_PATH, SIGNATURE_PATH]);

export const BUNDLE_KINDS = ['referral', 'sync', 'catalogue', 'backup'] as const;
export type BundleKind = (typeof BUNDLE_KINDS)[number];

/** Roles this version names; other lower-case roles are accepted (a later MINOR may add some). */
export const ENTRY_ROLES = ['record', 'attachment', 'document', 'index'] as const;
export type KnownEntryRole = (typeof ENTRY_ROLES)[number];

export const MAX_PATH_LENGTH = 240;
export const MAX_SEGMENT_LENGTH = 120;

const SHA256_RE = /^[0-9a-f]{64}$/;
const VERSION_RE = /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/;
export const ROLE_RE = /^[a-z][a-z0-9_.-]{0,31}$/;
// Characters Windows refuses in file names, plus ':' which also names NTFS streams.
const FORBIDDEN_CHARS_RE = /[<>:"|?*\\]/;
// C0/C1 controls, DEL, and bidi/zero-width format characters that disguise a name.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const WINDOWS_RESERVED_RE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

export type UnsafePathReason =
  | 'empty'
  | 'too_long'
  | 'absolute'
  | 'drive_letter'
  | 'backslash'
  | 'dot_segment'
  | 'not_normalised'
  | 'control_char'
  | 'forbidden_char'
  | 'trailing_dot_or_space'
  | 'reserved_name'
  | 'not_nfc'
  | 'reserved_path';

/**
 * Why `path` may not name a bundle entry, or null when it may. The rules are stricter than
 * ZIP's so that a bundle extracts identically on Windows, macOS and Linux: relative, '/'
 * separated, NFC, no '.'/'..'/empty segments, no characters or names Windows refuses.
 */
export function unsafePathReason(path: string, opts: { allowReserved?: boolean } = {}): UnsafePathReason | null {
  if (typeof path !== 'string' || path.length === 0) return 'empty';
  if (path.length > MAX_PATH_LENGTH) return 'too_long';
  if (path.includes('\\')) return 'backslash';
  if (path.startsWith('/')) return 'absolute';
  if (/^[A-Za-z]:/.test(path)) return 'drive_letter';
  if (CONTROL_RE.test(path)) return 'control_char';
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return 'dot_segment';
  if (segments.some((s) => s === '') || posix.normalize(path) !== path) return 'not_normalised';
  if (FORBIDDEN_CHARS_RE.test(path)) return 'forbidden_char';
  for (const s of segments) {
    if (s.length > MAX_SEGMENT_LENGTH) return 'too_long';
    if (/[. ]$/.test(s)) return 'trailing_dot_or_space';
    if (WINDOWS_RESERVED_RE.test(s)) return 'reserved_name';
  }
  if (path.normalize('NFC') !== path) return 'not_nfc';
  if (!opts.allowReserved && RESERVED_PATHS.has(path)) return 'reserved_path';
  return null;
}

/** The key two paths collide under on a case-insensitive file system (Windows, macOS). */
export function pathCollisionKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** Convention for attachments stored once by content: `files/<sha256>`. */
export function attachmentPath(sha256: string): string {
  if (!SHA256_RE.test(sha256)) throw new TypeError('sha256 must be 64 lower-case hex digits');
  return `files/${sha256}`;
}

/** The sha256 an attachment path names, or null if the path is not `files/<sha256>`. */
export function attachmentHashOf(path: string): string | null {
  const m = /^files\/([0-9a-f]{64})$/.exec(path);
  return m ? m[1]! : null;
}

/**
 * One path segment made safe for humans and every file system: NFC, forbidden characters
 * and controls replaced by '_', spaces collapsed, no trailing dot/space, Windows device
 * names prefixed, cut to `maxLength` characters. Never empty.
 */
export function safeSegment(text: string, maxLength = 60): string {
  let s = String(text)
    .normalize('NFC')
    .replace(new RegExp(CONTROL_RE.source, 'g'), '')
    .replace(/[<>:"|?*\\/]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  s = Array.from(s).slice(0, Math.max(1, maxLength)).join('');
  s = s.replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (WINDOWS_RESERVED_RE.test(s)) s = `_${s}`;
  return s;
}

/** The referral kind's per-case folder for a human operator: `cases/<protocol-number>_<surname>`. */
export function caseFolderPath(protocolNumber: string, surname: string): string {
  return `cases/${safeSegment(`${safeSegment(protocolNumber, 40)}_${safeSegment(surname, 60)}`, 100)}`;
}

export function parseVersion(version: string): { major: number; minor: number } | null {
  const m = VERSION_RE.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

const entryPathSchema = z.string().superRefine((p, ctx) => {
  const reason = unsafePathReason(p);
  if (reason !== null) ctx.addIssue({ code: 'custom', message: `unsafe path (${reason})`, params: { reason } });
});

export const manifestEntrySchema = z.looseObject({
  path: entryPathSchema,
  sha256: z.string().regex(SHA256_RE),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  role: z.string().regex(ROLE_RE).optional(),
});

export const senderSchema = z.looseObject({
  installationId: z.string().min(1).max(128),
  publicKey: z.string().refine(isPublicKey, 'not a base64 raw Ed25519 public key'),
  name: z.string().max(200).optional(),
  /** 2.0: the sender's X25519 key (base64 of 32 raw bytes), so peers can encrypt to it. */
  encryptionKey: z.string().refine(isPublicKey, 'not a base64 raw X25519 public key').optional(),
});

const b64 = (bytes: number) => z.string().refine((v) => decodeBase64Strict(v)?.length === bytes, `not base64 of ${bytes} bytes`);

/** 2.0: the content key of an encrypted bundle, sealed to each recipient (exchange/seal.ts). */
export const recipientSchema = z.looseObject({
  /** Fingerprint of the recipient's X25519 key ("AB12 CD34 ..."). */
  fingerprint: z.string().regex(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/),
  installationId: z.string().min(1).max(128).optional(),
  /** The sender's ephemeral X25519 public key for this recipient. */
  ephemeralKey: b64(32),
  nonce: b64(12),
  /** AES-256-GCM of the 32-byte content key: 32 bytes + 16-byte tag. */
  wrappedKey: b64(48),
});

export const encryptionSchema = z.looseObject({
  scheme: z.literal('x25519-hkdf-sha256-aes-256-gcm'),
  /** Plaintext bytes per authenticated chunk of an entry. */
  chunkSize: z.number().int().min(1024).max(16 * 1024 * 1024),
  recipients: z.array(recipientSchema).min(1).max(64),
});

export const manifestSchema = z.looseObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.string().regex(VERSION_RE),
  kind: z.enum(BUNDLE_KINDS),
  bundleId: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  sender: senderSchema,
  /** Which program wrote the bundle: for support and bug work-arounds, never for trust. */
  generator: z.looseObject({ name: z.string().max(100), version: z.string().max(50) }).optional(),
  entries: z.array(manifestEntrySchema),
  meta: z.record(z.string(), z.unknown()),
  /** 2.0: present when every content entry is encrypted (path ending in `.enc`). */
  encryption: encryptionSchema.optional(),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type ManifestSender = z.infer<typeof senderSchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type EncryptionHeader = z.infer<typeof encryptionSchema>;
export type SealedRecipient = z.infer<typeof recipientSchema>;

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members
 * dropped, non-finite numbers refused. The writer emits manifest.json in this form so the
 * same manifest always has the same bytes; the signature covers the bytes as stored.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
  }
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** canonicalJson of one manifest entry, written out: its keys are known and in sorted order. */
function entryJson(e: ManifestEntry): string {
  const extra = Object.keys(e).some((k) => k !== 'path' && k !== 'sha256' && k !== 'size' && k !== 'role');
  if (extra || !Number.isFinite(e.size)) return canonicalJson(e);
  return `{"path":${JSON.stringify(e.path)},${e.role !== undefined ? `"role":${JSON.stringify(e.role)},` : ''}"sha256":${JSON.stringify(e.sha256)},"size":${JSON.stringify(e.size)}}`;
}

/**
 * The same bytes as canonicalBytes(manifest), with the entries (one per attachment: 21,000 at
 * 100,000 cases) written by entryJson instead of the generic walk (a tenth of its time).
 */
export function manifestCanonicalBytes(manifest: Manifest): Buffer {
  const mark = `\u0000entries-${Math.random().toString(36).slice(2)}\u0000`;
  const outer = canonicalJson({ ...manifest, entries: mark });
  const at = outer.indexOf(JSON.stringify(mark));
  if (at < 0 || outer.indexOf(JSON.stringify(mark), at + 1) >= 0) return canonicalBytes(manifest);
  // Entries a thousand at a time, each group straight to bytes: no string of all of them (at
  // 21,000 entries one string and its copies took 37 MB of RSS for 4 MB of JSON).
  const parts: Buffer[] = [Buffer.from(`${outer.slice(0, at)}[`, 'utf8')];
  for (let i = 0; i < manifest.entries.length; i += 1000) {
    parts.push(Buffer.from(`${i > 0 ? ',' : ''}${manifest.entries.slice(i, i + 1000).map(entryJson).join(',')}`, 'utf8'));
  }
  parts.push(Buffer.from(`]${outer.slice(at + JSON.stringify(mark).length)}`, 'utf8'));
  return Buffer.concat(parts);
}
