/**
 * Encryption of sync bundles to their recipients (format 2.0; docs/bundle-format.md, "Encrypted
 * sync bundles"). node:crypto only.
 *
 * - Each installation has an X25519 key pair beside its Ed25519 signing key: public key = base64
 *   of the raw 32 bytes, private key = base64 PKCS#8 DER (like keys.ts), fingerprint = the same
 *   "AB12 CD34 ..." form over the raw public key.
 * - A bundle gets a random 32-byte content key. For each recipient, the sender makes an ephemeral
 *   X25519 key pair; the shared secret goes through HKDF-SHA256 (salt = ephemeral public key ||
 *   recipient public key, info = "htmp-bundle 2.0 content key " + bundle id) to a key-encryption
 *   key that wraps the content key with AES-256-GCM (12-byte random nonce, the bundle id as
 *   associated data). Only the ephemeral public key, the nonce and the wrapped key travel.
 * - Every content entry is encrypted with its own key, HKDF-SHA256(content key, salt = bundle id,
 *   info = "htmp-bundle 2.0 entry " + path), in chunks of `chunkSize` plaintext bytes, each
 *   AES-256-GCM with the nonce = 8-byte big-endian chunk counter, 3 zero bytes, 1 byte "last
 *   chunk" flag, the tag after each chunk (the STREAM construction: a chunk cannot be dropped,
 *   reordered, moved to another entry or the end cut off without the tag failing). A plaintext
 *   whose length is a multiple of the chunk size ends with an empty last chunk.
 * - Records are deflated before they are encrypted (`records/` entries; encrypted bytes do not
 *   compress); attachments are encrypted as they are.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BundleError } from './errors';
import { decodeBase64Strict, fingerprint } from './keys';
import type { EncryptionHeader, SealedRecipient } from './manifest';

export const SCHEME = 'x25519-hkdf-sha256-aes-256-gcm' as const;
export const CHUNK_SIZE = 64 * 1024;
const TAG = 16;
/** ASN.1 prefix of an X25519 SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (33) }. */
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface BoxKeyPair {
  /** base64 of the raw 32-byte X25519 public key */
  publicKey: string;
  /** base64 of the PKCS#8 DER private key */
  privateKey: string;
}

export function generateBoxKeyPair(): BoxKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(spki.length - 32).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

function boxPublic(publicKey: string): KeyObject {
  const raw = decodeBase64Strict(publicKey);
  if (raw === null || raw.length !== 32) throw new TypeError('not an X25519 public key (base64 of 32 raw bytes)');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function boxPrivate(privateKey: string): KeyObject {
  const der = decodeBase64Strict(privateKey);
  if (der === null) throw new TypeError('privateKey is not base64 PKCS#8 DER');
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'x25519') throw new TypeError('privateKey is not an X25519 key');
  return key;
}

/** The X25519 public key (raw, base64) that belongs to a PKCS#8 private key. */
export function boxPublicKeyFromPrivate(privateKey: string): string {
  const spki = createPublicKey(boxPrivate(privateKey)).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32).toString('base64');
}

/** "AB12 CD34 …" of an X25519 public key: what `bundle identity` shows and `--for` takes. */
export const boxFingerprint = (publicKey: string): string => fingerprint(publicKey);

/** Normalises a fingerprint typed by a person: hex digits only, upper case, grouped by four. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(hex)) return null;
  return hex.match(/.{4}/g)!.join(' ');
}

function kek(shared: Buffer, ephemeral: Buffer, recipient: Buffer, bundleId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), Buffer.from(`htmp-bundle 2.0 content key ${bundleId}`, 'utf8'), 32));
}

/** Seals a content key to each recipient (X25519 public keys). */
export function sealContentKey(contentKey: Buffer, recipients: readonly { publicKey: string; installationId?: string }[], bundleId: string): SealedRecipient[] {
  return recipients.map((r) => {
    const eph = generateKeyPairSync('x25519');
    const ephRaw = eph.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const recipientRaw = decodeBase64Strict(r.publicKey)!;
    const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: boxPublic(r.publicKey) });
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek(shared, ephRaw, recipientRaw, bundleId), nonce);
    cipher.setAAD(Buffer.from(bundleId, 'utf8'));
    const wrapped = Buffer.concat([cipher.update(contentKey), cipher.final(), cipher.getAuthTag()]);
    return {
      fingerprint: boxFingerprint(r.publicKey),
      ...(r.installationId !== undefined ? { installationId: r.installationId } : {}),
      ephemeralKey: ephRaw.toString('base64'),
      nonce: nonce.toString('base64'),
      wrappedKey: wrapped.toString('base64'),
    };
  });
}

/** A new header for a bundle to these recipients, with its content key. */
export function newEncryption(recipients: readonly { publicKey: string; installationId?: string }[], bundleId: string): { header: EncryptionHeader; contentKey: Buffer } {
  const contentKey = randomBytes(32);
  return { contentKey, header: { scheme: SCHEME, chunkSize: CHUNK_SIZE, recipients: sealContentKey(contentKey, recipients, bundleId) } };
}

/**
 * The content key of a bundle addressed to this key pair. A bundle sealed to other keys only is
 * refused with `bundle.not_recipient` (params: the recipients' fingerprints and installations).
 */
export function openContentKey(header: EncryptionHeader, own: BoxKeyPair, bundleId: string): Buffer {
  const fp = boxFingerprint(own.publicKey);
  const mine = header.recipients.filter((r) => r.fingerprint === fp);
  const list = {
    fingerprint: fp,
    recipients: header.recipients.map((r) => r.fingerprint).join(', '),
    installations: header.recipients.map((r) => r.installationId ?? '?').join(', '),
  };
  if (mine.length === 0) throw new BundleError('bundle.not_recipient', list);
  const ownRaw = decodeBase64Strict(own.publicKey)!;
  for (const r of mine) {
    try {
      const ephRaw = decodeBase64Strict(r.ephemeralKey)!;
      const shared = diffieHellman({ privateKey: boxPrivate(own.privateKey), publicKey: boxPublic(r.ephemeralKey) });
      const wrapped = decodeBase64Strict(r.wrappedKey)!;
      const decipher = createDecipheriv('aes-256-gcm', kek(shared, ephRaw, ownRaw, bundleId), decodeBase64Strict(r.nonce)!);
      decipher.setAAD(Buffer.from(bundleId, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(32));
      return Buffer.concat([decipher.update(wrapped.subarray(0, 32)), decipher.final()]);
    } catch {
      // try the next slot with this fingerprint (there is normally one)
    }
  }
  throw new BundleError('bundle.not_recipient', { ...list, reason: 'unwrap' });
}

/** The key of one entry: bound to the bundle and the entry's path. */
export function entryKey(contentKey: Buffer, bundleId: string, path: string): Buffer {
  return Buffer.from(hkdfSync('sha256', contentKey, Buffer.from(bundleId, 'utf8'), Buffer.from(`htmp-bundle 2.0 entry ${path}`, 'utf8'), 32));
}

function nonceFor(counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(counter), 0);
  n[11] = last ? 1 : 0;
  return n;
}

function sealChunk(key: Buffer, counter: number, last: boolean, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonceFor(counter, last));
  const out = Buffer.allocUnsafe(plain.length + TAG);
  c.update(plain).copy(out, 0);
  c.final(); // GCM: nothing left to write
  c.getAuthTag().copy(out, plain.length);
  return out;
}

function openChunk(key: Buffer, counter: number, last: boolean, frame: Buffer, path: string): Buffer {
  if (frame.length < TAG) throw new BundleError('bundle.hash_mismatch', { path, reason: 'decrypt' });
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonceFor(counter, last));
    d.setAuthTag(frame.subarray(frame.length - TAG));
    const plain = d.update(frame.subarray(0, frame.length - TAG));
    d.final(); // checks the tag; GCM has nothing left to write
    return plain;
  } catch (err) {
    throw new BundleError('bundle.hash_mismatch', { path, reason: 'decrypt' }, { cause: err });
  }
}

/**
 * Cuts a stream into frames of `size` bytes, always holding at least one byte back: the last
 * frame (sealed as last) is only known at the end.
 */
function framer(size: number): { add(chunk: Buffer): Buffer[]; rest(): Buffer } {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return {
    add(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      const out: Buffer[] = [];
      if (pendingBytes > size) {
        const all = Buffer.concat(pending, pendingBytes);
        let at = 0;
        while (all.length - at > size) {
          out.push(all.subarray(at, at + size));
          at += size;
        }
        pending = [all.subarray(at)];
        pendingBytes = all.length - at;
      }
      return out;
    },
    rest: () => Buffer.concat(pending, pendingBytes),
  };
}

/** Encrypts a stream chunk by chunk (bounded memory). */
export function encryptStream(key: Buffer, chunkSize = CHUNK_SIZE): Transform {
  const frames = framer(chunkSize);
  let counter = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      for (const f of frames.add(chunk)) this.push(sealChunk(key, counter++, false, f));
      cb();
    },
    flush(cb: TransformCallback) {
      this.push(sealChunk(key, counter++, true, frames.rest()));
      cb();
    },
  });
}

/** Decrypts a stream made by encryptStream; fails (`bundle.hash_mismatch`) on any tampering. */
export function decryptStream(key: Buffer, chunkSize: number, path: string): Transform {
  const frames = framer(chunkSize + TAG);
  let counter = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        for (const f of frames.add(chunk)) this.push(openChunk(key, counter++, false, f, path));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        this.push(openChunk(key, counter++, true, frames.rest(), path));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

/** The same as encryptStream for a whole buffer. */
export function encryptBuffer(key: Buffer, plain: Buffer, chunkSize = CHUNK_SIZE): Buffer {
  return Buffer.concat(encryptParts(key, plain, chunkSize));
}

/**
 * The same bytes as encryptBuffer, as the pieces to write one after the other (each chunk's
 * ciphertext, then its tag): nothing is copied into one buffer.
 */
export function encryptParts(key: Buffer, plain: Buffer, chunkSize = CHUNK_SIZE): Buffer[] {
  const out: Buffer[] = [];
  let counter = 0;
  let at = 0;
  for (;;) {
    const last = plain.length - at <= chunkSize;
    const c = createCipheriv('aes-256-gcm', key, nonceFor(counter++, last));
    const body = c.update(last ? plain.subarray(at) : plain.subarray(at, at + chunkSize));
    if (body.length > 0) out.push(body);
    c.final(); // GCM: nothing left to write
    out.push(c.getAuthTag());
    if (last) return out;
    at += chunkSize;
  }
}

/** The same as decryptStream for a whole buffer (records, read inside a transaction). */
export function decryptBuffer(key: Buffer, sealed: Buffer, chunkSize: number, path: string): Buffer {
  const frame = chunkSize + TAG;
  const out: Buffer[] = [];
  let counter = 0;
  let at = 0;
  while (sealed.length - at > frame) {
    out.push(openChunk(key, counter++, false, sealed.subarray(at, at + frame), path));
    at += frame;
  }
  out.push(openChunk(key, counter, true, sealed.subarray(at), path));
  return Buffer.concat(out);
}
