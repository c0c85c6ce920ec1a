/**
 * htmp-file-gcm-1, the format of a stored file in an encrypted data folder (files.ts keeps the
 * store: names, places, reads and writes): AES-256-GCM in 64 KiB chunks under a per-file key
 * derived from the file key and a random salt, the content's SHA-256 as the first 32 plain
 * bytes. In memory (encryptParts, decryptBuffer) and as streams (Encryptor, Decryptor).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppFailure } from '../../../shared/result';

// --- htmp-file-gcm-1 ----------------------------------------------------------------------------
// magic "HTMPF\x01\n\0" (8) | salt (16) | chunks: AES-256-GCM(64 KiB of plain) || tag (16).
// Chunk i's nonce is i as 11 bytes big-endian and a last-chunk flag byte (the STREAM
// construction, as in age), so chunks cannot be reordered, dropped or the file truncated.
// The plain stream is sha256 (32) | content.

export const MAGIC = Buffer.from('HTMPF\x01\n\0', 'latin1');
export const SALT_BYTES = 16;
export const CHUNK = 64 * 1024;
export const TAG = 16;
export const HEADER = 32;

export const ENCRYPTED_HEADER_BYTES = MAGIC.length + SALT_BYTES;

export function nonce(counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUIntBE(counter, 5, 6); // counters up to 2^48 chunks: far beyond any file
  n[11] = last ? 1 : 0;
  return n;
}

const FILE_KEY_INFO = Buffer.from('htmp/file-content\x01', 'latin1');

/**
 * A file's own key: HKDF-SHA256 (RFC 5869) of the file key with the file's salt, info
 * 'htmp/file-content', 32 bytes. Computed as its two HMACs (extract, then the one block of
 * expand): the same bytes as `hkdfSync` (a test checks it), at a third of its cost (11 against
 * 34 µs here; `hkdfSync` looks its algorithm up in OpenSSL anew at every call), which each read
 * and each write of a file pays once.
 */
export function fileKey(enc: Buffer, salt: Buffer): Buffer {
  const prk = createHmac('sha256', salt).update(enc).digest();
  try {
    return createHmac('sha256', prk).update(FILE_KEY_INFO).digest();
  } finally {
    prk.fill(0);
  }
}

/** The file store is damaged or holds other bytes than its name says. */
export const damaged = (sha256: string, reason: string): AppFailure => new AppFailure('files.damaged', { sha256, reason });

/** Encrypts a plain stream (its sha256 known up front, checked by the caller) into htmp-file-gcm-1. */
export class Encryptor extends Transform {
  private buf: Buffer[] = [];
  private len = 0;
  private counter = 0;
  private readonly key: Buffer;

  constructor(enc: Buffer, header: Buffer) {
    super();
    const salt = randomBytes(SALT_BYTES);
    this.key = fileKey(enc, salt);
    this.push(Buffer.concat([MAGIC, salt]));
    this.add(header);
  }

  private add(chunk: Buffer): void {
    this.buf.push(chunk);
    this.len += chunk.length;
    // Keep at least one byte back: the last chunk must be sealed as the last.
    if (this.len <= CHUNK) return;
    const all = Buffer.concat(this.buf);
    let at = 0;
    while (all.length - at > CHUNK) {
      this.push(this.seal(all.subarray(at, at + CHUNK), false));
      at += CHUNK;
    }
    this.buf = [all.subarray(at)];
    this.len = all.length - at;
  }

  private seal(plain: Buffer, last: boolean): Buffer {
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.counter++, last));
    return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.add(chunk);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.push(this.seal(Buffer.concat(this.buf), true));
    this.key.fill(0);
    cb();
  }
}

/** Decrypts htmp-file-gcm-1, checks the header against `sha256` and the content's real hash. */
export class Decryptor extends Transform {
  private pending = Buffer.alloc(0);
  private key: Buffer | null = null;
  private counter = 0;
  private header: Buffer | null = null;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly enc: Buffer,
    private readonly sha256: string | null,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    try {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (!this.key) {
        if (this.pending.length < ENCRYPTED_HEADER_BYTES) return cb();
        if (!this.pending.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged(this.sha256 ?? '', 'format');
        this.key = fileKey(this.enc, this.pending.subarray(MAGIC.length, ENCRYPTED_HEADER_BYTES));
        this.pending = this.pending.subarray(ENCRYPTED_HEADER_BYTES);
      }
      // Keep the last chunk back until the end: only then is it known to be the last.
      let at = 0;
      while (this.pending.length - at > CHUNK + TAG) {
        this.open(this.pending.subarray(at, at + CHUNK + TAG), false);
        at += CHUNK + TAG;
      }
      if (at > 0) this.pending = this.pending.subarray(at);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (!this.key) throw damaged(this.sha256 ?? '', 'truncated');
      this.open(this.pending, true);
      if (!this.header || this.header.length < HEADER) throw damaged(this.sha256 ?? '', 'truncated');
      const digest = this.hash.digest('hex');
      const claimed = this.header.subarray(0, 32).toString('hex');
      if (digest !== claimed || (this.sha256 !== null && digest !== this.sha256)) throw damaged(this.sha256 ?? claimed, 'hash');
      this.key.fill(0);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  private open(sealed: Buffer, last: boolean): void {
    if (sealed.length < TAG) throw damaged(this.sha256 ?? '', 'truncated');
    const d = createDecipheriv('aes-256-gcm', this.key!, nonce(this.counter++, last));
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
    } catch {
      throw damaged(this.sha256 ?? '', 'tag');
    }
    if (!this.header || this.header.length < HEADER) {
      const need = HEADER - (this.header?.length ?? 0);
      this.header = Buffer.concat([this.header ?? Buffer.alloc(0), plain.subarray(0, need)]);
      plain = plain.subarray(need);
      if (this.header.length === HEADER && this.sha256 !== null && this.header.subarray(0, 32).toString('hex') !== this.sha256) throw damaged(this.sha256, 'hash');
    }
    if (plain.length > 0) {
      this.hash.update(plain);
      this.push(plain);
    }
  }
}

export const headerOf = (sha256: string): Buffer => Buffer.from(sha256, 'hex');

/** The plain size of an encrypted file of `bytes` bytes (every chunk but the last is full). */
export function plainSizeOf(bytes: number): number {
  const body = bytes - ENCRYPTED_HEADER_BYTES;
  const chunks = Math.max(1, Math.ceil(body / (CHUNK + TAG)));
  return Math.max(0, body - chunks * TAG - HEADER);
}

/** The sha256 a file's first chunk claims (checked by its tag); null when it does not open. */
export function decryptHeader(enc: Buffer, head: Buffer): string | null {
  if (head.length < ENCRYPTED_HEADER_BYTES + TAG || !head.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const key = fileKey(enc, head.subarray(MAGIC.length, ENCRYPTED_HEADER_BYTES));
  const rest = head.subarray(ENCRYPTED_HEADER_BYTES);
  // One byte past the first chunk says whether it is the last one.
  const last = rest.length <= CHUNK + TAG;
  const body = last ? rest : rest.subarray(0, CHUNK + TAG);
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce(0, last));
    d.setAuthTag(body.subarray(body.length - TAG));
    const plain = Buffer.concat([d.update(body.subarray(0, body.length - TAG)), d.final()]);
    if (plain.length < HEADER) return null;
    return plain.subarray(0, HEADER).toString('hex');
  } catch {
    return null;
  } finally {
    key.fill(0);
  }
}

/**
 * Encrypts content held in memory into the pieces of an htmp-file-gcm-1 file, in order (the same
 * format as the streaming Encryptor), without copying the content: the 32-byte header and the
 * first bytes of the content go through the first chunk's cipher one after the other (GCM is a
 * stream mode: the output is the same as for their concatenation), and the caller writes the
 * pieces with one `writev` instead of joining them first. A sync import writes two thousand
 * scans this way; the copies (and the fresh pages of memory each of them faulted in) cost more
 * than the AES itself.
 */
export function encryptParts(enc: Buffer, sha256: string, content: Buffer): Buffer[] {
  const salt = randomBytes(SALT_BYTES);
  const key = fileKey(enc, salt);
  const parts: Buffer[] = [MAGIC, salt];
  const total = HEADER + content.length;
  try {
    for (let at = 0, counter = 0; ; at += CHUNK) {
      const last = total - at <= CHUNK;
      const end = last ? total : at + CHUNK;
      const c = createCipheriv('aes-256-gcm', key, nonce(counter++, last));
      // Plain offsets [at, end) of header | content.
      if (at < HEADER) parts.push(c.update(headerOf(sha256)));
      const from = Math.max(0, at - HEADER);
      const to = end - HEADER;
      if (to > from) parts.push(c.update(content.subarray(from, to)));
      parts.push(c.final(), c.getAuthTag());
      if (last) break;
    }
  } finally {
    key.fill(0);
  }
  return parts;
}

/** Encrypts content held in memory (the same format as the streaming Encryptor). */
export function encryptBufferSync(enc: Buffer, sha256: string, content: Buffer): Buffer {
  return Buffer.concat(encryptParts(enc, sha256, content));
}

/** Decrypts a whole encrypted file held in memory and checks it against `sha256` (null: its own header). */
export function decryptBuffer(enc: Buffer, raw: Buffer, sha256: string | null): Buffer {
  if (raw.length < ENCRYPTED_HEADER_BYTES + TAG || !raw.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged(sha256 ?? '', 'format');
  const key = fileKey(enc, raw.subarray(MAGIC.length, ENCRYPTED_HEADER_BYTES));
  const body = raw.subarray(ENCRYPTED_HEADER_BYTES);
  const parts: Buffer[] = [];
  let counter = 0;
  try {
    for (let at = 0; ; at += CHUNK + TAG) {
      const last = body.length - at <= CHUNK + TAG;
      const sealed = body.subarray(at, last ? body.length : at + CHUNK + TAG);
      if (sealed.length < TAG) throw damaged(sha256 ?? '', 'truncated');
      const d = createDecipheriv('aes-256-gcm', key, nonce(counter++, last));
      d.setAuthTag(sealed.subarray(sealed.length - TAG));
      try {
        parts.push(d.update(sealed.subarray(0, sealed.length - TAG)));
        const rest = d.final(); // GCM: nothing left, checks the tag
        if (rest.length > 0) parts.push(rest);
      } catch {
        throw damaged(sha256 ?? '', 'tag');
      }
      if (last) break;
    }
  } finally {
    key.fill(0);
  }
  // One chunk (every file up to 64 KiB) needs no copy.
  const plain = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (plain.length < HEADER) throw damaged(sha256 ?? '', 'truncated');
  const claimed = plain.subarray(0, HEADER).toString('hex');
  const content = plain.subarray(HEADER);
  const digest = createHash('sha256').update(content).digest('hex');
  if (digest !== claimed || (sha256 !== null && digest !== sha256)) throw damaged(sha256 ?? claimed, 'hash');
  return content;
}
