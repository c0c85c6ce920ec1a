import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { testKdfEnabled } from '../vault/crypto';

/** A PIN only unlocks a running session (the data key stays in memory); after 5 wrong ones it is off until the passphrase. */
export const MAX_PIN_FAILURES = 5;

export interface PinHash {
  salt: string;
  N: number;
  r: number;
  p: number;
  hash: string;
}

export function hashPin(pin: string): PinHash {
  const N = testKdfEnabled() ? 1 << 10 : 1 << 15;
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), N, r: 8, p: 1, hash: scryptSync(pin, salt, 32, { N, r: 8, p: 1, maxmem: 128 * 1024 * 1024 }).toString('base64') };
}

export function pinMatches(pin: string, h: PinHash): boolean {
  const got = scryptSync(pin, Buffer.from(h.salt, 'base64'), 32, { N: h.N, r: h.r, p: h.p, maxmem: 128 * 1024 * 1024 });
  const want = Buffer.from(h.hash, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}
