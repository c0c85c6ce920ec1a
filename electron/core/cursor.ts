/**
 * Page cursors of keyset paging (register, overdue steps, organizations): the last row's sort
 * key as an opaque string. One codec for every list; each list checks the parts it expects.
 */
import { AppFailure } from '../../shared/result';

/** The parts of a cursor as the opaque string a page hands back as `next`. */
export function encodeCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** A cursor's parts; anything that is not a cursor (or fails `valid`) is `api.invalid_argument` on `after`. */
export function decodeCursor(text: string, valid: (parts: unknown[]) => boolean): unknown[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || !valid(parts)) throw new AppFailure('api.invalid_argument', { field: 'after', issue: 'cursor' });
  return parts;
}
