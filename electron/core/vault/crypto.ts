/**
 * The cryptographic primitives of the data folder's protection, all from `node:crypto`:
 * scrypt for passphrases, HKDF for sub-keys, AES-256-GCM for wrapping, X25519 sealed boxes
 * (an ephemeral key agreement + AES-256-GCM, the idea of age and libsodium's sealed boxes) for
 * giving the data key to a user or to the recovery key without knowing their passphrase.
 *
 * Policy: every function is deterministic given its inputs and randomness; no secret is ever
 * logged or put into an error message. Buffers holding keys are the callers' to wipe.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export const KEY_BYTES = 32;

/** scrypt parameters, stored beside every passphrase-derived key so they can be raised later. */
export interface KdfParams {
  alg: 'scrypt';
  /** CPU/memory cost (a power of two). */
  N: number;
  r: number;
  p: number;
  /** Base64 salt, 16 random bytes. */
  salt: string;
  /** Set only by tests (HTMP_TEST_FAST_KDF=1): a work factor far below production; refused otherwise. */
  testOnly?: true;
}

/** Production cost: N = 2^16, r = 8 (64 MiB, about 0.2-0.4 s on a district laptop). */
export const PRODUCTION_KDF = { N: 1 << 16, r: 8, p: 1 } as const;
/** The lowest cost a keyring may carry outside tests. */
export const MIN_PRODUCTION_N = 1 << 15;
const TEST_KDF = { N: 1 << 10, r: 8, p: 1 } as const;

/** True when the process runs the test suite's fast key derivation (never the packaged app). */
export const testKdfEnabled = (): boolean => process.env.HTMP_TEST_FAST_KDF === '1';

export function newKdfParams(): KdfParams {
  const cost = testKdfEnabled() ? TEST_KDF : PRODUCTION_KDF;
  return { alg: 'scrypt', ...cost, salt: randomBytes(16).toString('base64'), ...(testKdfEnabled() ? { testOnly: true as const } : {}) };
}

/** The key-encryption key of a passphrase. Refuses parameters that are out of range or test-only outside tests. */
export function deriveKek(passphrase: string, params: KdfParams): Buffer {
  if (params.alg !== 'scrypt' || !Number.isInteger(params.N) || params.N < 2 || (params.N & (params.N - 1)) !== 0 || params.N > 1 << 20) throw new Error('kdf: bad parameters');
  if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) throw new Error('kdf: bad parameters');
  if ((params.testOnly || params.N < MIN_PRODUCTION_N) && !testKdfEnabled()) throw new Error('kdf: test-only parameters');
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem: 256 * 1024 * 1024 });
}

/** A sub-key of a root key for one purpose (HKDF-SHA256 with a fixed label). */
export function subKey(root: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `htmp/${label}`, KEY_BYTES));
}

export interface Sealed {
  /** Base64 IV (12 bytes), ciphertext and tag (16 bytes). */
  iv: string;
  ct: string;
  tag: string;
}

/** AES-256-GCM with associated data (what the ciphertext is bound to: a slot id, a purpose). */
export function wrap(key: Buffer, plain: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

/** Opens a wrap; null when the key is wrong or anything was altered (never says which). */
export function unwrap(key: Buffer, s: Sealed, aad: string): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(s.ct, 'base64')), d.final()]);
  } catch {
    return null;
  }
}

// --- X25519 -------------------------------------------------------------------------------------

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519Pair {
  /** Raw 32 bytes. */
  privateKey: Buffer;
  publicKey: Buffer;
}

export function x25519Generate(): X25519Pair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32),
  };
}

/** The key pair of a 32-byte seed (the recovery key's): the seed is the private key. */
export function x25519FromPrivate(raw: Buffer): X25519Pair {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
  return { privateKey: Buffer.from(raw), publicKey: createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32) };
}

function dh(privateRaw: Buffer, publicRaw: Buffer): Buffer {
  return diffieHellman({
    privateKey: createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateRaw]), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: Buffer.concat([SPKI_X25519, publicRaw]), format: 'der', type: 'spki' }),
  });
}

export interface SealedBox extends Sealed {
  /** Base64 ephemeral public key. */
  epk: string;
}

/** Seals bytes to a public key: only the holder of the private key opens them. */
export function sealTo(recipientPublic: Buffer, plain: Buffer, aad: string): SealedBox {
  const eph = x25519Generate();
  const shared = dh(eph.privateKey, recipientPublic);
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([eph.publicKey, recipientPublic]), 'htmp/seal', KEY_BYTES));
  return { epk: eph.publicKey.toString('base64'), ...wrap(key, plain, aad) };
}

export function openSealed(privateRaw: Buffer, publicRaw: Buffer, box: SealedBox, aad: string): Buffer | null {
  try {
    const epk = Buffer.from(box.epk, 'base64');
    const shared = dh(privateRaw, epk);
    const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, publicRaw]), 'htmp/seal', KEY_BYTES));
    return unwrap(key, box, aad);
  } catch {
    return null;
  }
}

// --- Recovery key -------------------------------------------------------------------------------

/** Crockford's base32 alphabet: no I, L, O, U, so a handwritten key reads back unambiguously. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_BYTES = 20;

/** A new recovery key: 160 random bits as 8 groups of 4 base32 characters (32 characters). */
export function newRecoveryKey(): string {
  return formatRecoveryKey(randomBytes(RECOVERY_BYTES));
}

export function formatRecoveryKey(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Parses a typed recovery key (any case, spaces or dashes, O→0, I/L→1); null when malformed. */
export function parseRecoveryKey(text: string): Buffer | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== 32) return null;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The recovery key's X25519 private key (HKDF of its 160 bits: high entropy, no scrypt needed). */
export function recoveryPrivateKey(recoveryBytes: Buffer): Buffer {
  return subKey(recoveryBytes, 'recovery/x25519');
}

// --- Misc ---------------------------------------------------------------------------------------

export const randomKey = (): Buffer => randomBytes(KEY_BYTES);

export const sha256Hex = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export const hmacHex = (key: Buffer, data: Buffer | string): string => createHmac('sha256', key).update(data).digest('hex');

export function constantTimeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Overwrites a key buffer (best effort: V8 may hold copies, but not through us). */
export function wipe(...buffers: (Buffer | null | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}
