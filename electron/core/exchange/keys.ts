/**
 * Ed25519 keys of an installation.
 *
 * Decisions (documented in docs/bundle-format.md, "Signing and trust"):
 * - publicKey is the base64 (standard alphabet, padded) of the RAW 32-byte Ed25519 key:
 *   short enough to read out or print, and independent of any ASN.1 wrapping.
 * - privateKey is base64 of PKCS#8 DER, the form node:crypto imports without guessing.
 * - fingerprint is SHA-256 over the raw 32 bytes, first 16 bytes, upper-case hex in groups of
 *   four ("AB12 CD34 ..."): what two secretaries compare by phone before trusting a sender.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';

/** ASN.1 prefix of an Ed25519 SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33) }. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

export interface KeyPair {
  /** base64 of the raw 32-byte Ed25519 public key */
  publicKey: string;
  /** base64 of the PKCS#8 DER private key */
  privateKey: string;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 decoding: Node's decoder silently skips garbage, which a key must not allow. */
export function decodeBase64Strict(value: string): Buffer | null {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64_RE.test(value)) return null;
  const buf = Buffer.from(value, 'base64');
  return buf.toString('base64') === value ? buf : null;
}

/** The raw 32 bytes of a public key, or null when the string is not one. */
export function rawPublicKey(publicKey: string): Buffer | null {
  const raw = decodeBase64Strict(publicKey);
  return raw !== null && raw.length === RAW_KEY_BYTES ? raw : null;
}

export function isPublicKey(publicKey: string): boolean {
  return rawPublicKey(publicKey) !== null;
}

function publicKeyObject(publicKey: string): KeyObject | null {
  const raw = rawPublicKey(publicKey);
  if (raw === null) return null;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function privateKeyObject(privateKey: string): KeyObject {
  const der = decodeBase64Strict(privateKey);
  if (der === null) throw new TypeError('privateKey is not base64 PKCS#8 DER');
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('privateKey is not an Ed25519 key');
  return key;
}

/** A fresh Ed25519 key pair for an installation. */
export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(spki.length - RAW_KEY_BYTES).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

/** The public key (raw, base64) that belongs to a PKCS#8 private key. */
export function publicKeyFromPrivate(privateKey: string): string {
  const spki = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - RAW_KEY_BYTES).toString('base64');
}

/** Ed25519 signature (64 bytes) over `data`. */
export function sign(data: Buffer, privateKey: string): Buffer {
  return edSign(null, data, privateKeyObject(privateKey));
}

/** True only for a well-formed key and a valid 64-byte signature; never throws on bad input. */
export function verify(data: Buffer, signature: Buffer, publicKey: string): boolean {
  const key = publicKeyObject(publicKey);
  if (key === null || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return edVerify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** "AB12 CD34 …": SHA-256 of the raw key, first 16 bytes, 8 groups of 4 hex digits. */
export function fingerprint(publicKey: string): string {
  const raw = rawPublicKey(publicKey);
  if (raw === null) throw new TypeError('not an Ed25519 public key (base64 of 32 raw bytes)');
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, 32).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}
