/**
 * Canonical JSON: one byte-exact text for one value, so that a statement hashes the same on
 * every machine and in every later version of the application.
 *
 * Policy:
 * - object keys are sorted by Unicode code point (not by UTF-16 code unit, which is what
 *   `Array.prototype.sort` does by default and which differs for characters beyond U+FFFF);
 * - no whitespace;
 * - only strings, booleans, null, safe integers, arrays and plain objects are accepted. Fractions
 *   are refused on purpose: decimal text of a double is not the same in every language, and the
 *   domain keeps scores as integer hundredths anyway. NaN, Infinity, undefined, bigint, functions,
 *   symbols, Dates, Maps and class instances throw a TypeError naming the path, rather than being
 *   silently dropped or turned into `null` as `JSON.stringify` would;
 * - strings are written as `JSON.stringify` writes them (ECMAScript's well-formed form: lone
 *   surrogates are escaped), so any JSON parser reads back the same string.
 *
 * Pure TypeScript: no Node, DOM or Electron imports (runs in every host).
 */

/** A value canonicalJson accepts. */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

/** Compares two strings by Unicode code point. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const pa = ca.value.codePointAt(0) ?? 0;
    const pb = cb.value.codePointAt(0) ?? 0;
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`canonicalJson: only safe integers are allowed, got ${value} at ${path}`);
      }
      // -0 and 0 are the same statement.
      return value === 0 ? '0' : String(value);
    case 'undefined':
      throw new TypeError(`canonicalJson: undefined at ${path}`);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError(`canonicalJson: cycle at ${path}`);
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    const parts: string[] = [];
    for (let i = 0; i < obj.length; i++) {
      // Holes of sparse arrays read as undefined and are refused like undefined.
      parts.push(write((obj as unknown[])[i], `${path}[${i}]`, seen));
    }
    out = `[${parts.join(',')}]`;
  } else {
    if (!isPlainObject(obj)) {
      throw new TypeError(`canonicalJson: only plain objects are allowed at ${path}`);
    }
    if (Object.getOwnPropertySymbols(obj).length > 0) {
      throw new TypeError(`canonicalJson: symbol keys are not allowed at ${path}`);
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareCodePoints);
    const parts = keys.map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, seen)}`);
    out = `{${parts.join(',')}}`;
  }
  seen.delete(obj);
  return out;
}

/** Canonical JSON text of `value` (sorted keys, no whitespace); throws TypeError on what JSON cannot say exactly. */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}
