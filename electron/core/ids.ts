/**
 * The ids the app gives its records and changes: UUID version 7 (RFC 9562), time-ordered.
 *
 * Every table is keyed by its id (`case_documents` stores its rows in id order, the others index
 * it), and the change log indexes its change ids. Random ids (version 4) sent each insert to a
 * random leaf of those B-trees: once they outgrew the page cache, every insert read and decrypted
 * a page and wrote one back (issue 17: a new laptop's sync of 100,000 cases, its rows arriving in
 * the order they were made). Ids that grow with time go to the right-hand edge instead, keep the
 * pages full, and keep the rows of one period together.
 *
 * Layout: 48 bits of Unix milliseconds, the version (7), 12 bits of a counter (RFC 9562 §6.2,
 * method 1: ids made in the same millisecond, or after the clock went back, still grow), the
 * variant, 62 random bits. Ids made before this version stay as they are (any UUID is a valid id).
 */
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolAt = POOL_IDS;
let lastMs = 0;
let counter = 0;

/** A new time-ordered id (UUID v7, lower case with dashes). `now`: the clock, for tests. */
export function newId(now: number = Date.now()): string {
  if (poolAt === POOL_IDS) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(16 * poolAt, 16 * poolAt + 16);
  poolAt++;
  if (now > lastMs) {
    lastMs = now;
    counter = b[6]! & 0x07; // a random start low enough to leave room for the same millisecond
    counter = (counter << 8) | b[7]!;
  } else if (++counter > 0xfff) {
    lastMs++; // 4,096 ids in one millisecond: borrow the next one
    counter = 0;
  }
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
