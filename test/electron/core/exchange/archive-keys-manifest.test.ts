import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BUNDLE_ERROR_CODES, BundleError } from '../../../../electron/core/exchange/errors';
import { decodeBase64Strict, fingerprint, generateKeyPair, isPublicKey, publicKeyFromPrivate, sign, verify } from '../../../../electron/core/exchange/keys';
import fc from 'fast-check';
import { attachmentHashOf, attachmentPath, canonicalBytes, canonicalJson, caseFolderPath, manifestCanonicalBytes, parseVersion, safeSegment, unsafePathReason, type Manifest } from '../../../../electron/core/exchange/manifest';

describe('keys', () => {
  const kp = generateKeyPair();
  const data = Buffer.from('manifest bytes');

  test('raw 32-byte public key, PKCS#8 private key, consistent pair', () => {
    expect(decodeBase64Strict(kp.publicKey)).toHaveLength(32);
    expect(isPublicKey(kp.publicKey)).toBe(true);
    expect(publicKeyFromPrivate(kp.privateKey)).toBe(kp.publicKey);
  });

  test('sign / verify; any change refuses', () => {
    const sig = sign(data, kp.privateKey);
    expect(sig).toHaveLength(64);
    expect(verify(data, sig, kp.publicKey)).toBe(true);
    expect(verify(Buffer.from('manifest bytez'), sig, kp.publicKey)).toBe(false);
    const flipped = Buffer.from(sig);
    flipped[10]! ^= 1;
    expect(verify(data, flipped, kp.publicKey)).toBe(false);
    expect(verify(data, sig, generateKeyPair().publicKey)).toBe(false);
    expect(verify(data, sig, 'not a key')).toBe(false);
    expect(verify(data, sig.subarray(0, 63), kp.publicKey)).toBe(false);
  });

  test('fingerprint: 8 groups of 4 upper-case hex digits, stable, key-specific', () => {
    const known = Buffer.alloc(32, 7).toString('base64');
    expect(fingerprint(known)).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(fingerprint(known)).toBe(fingerprint(known));
    expect(fingerprint(kp.publicKey)).not.toBe(fingerprint(known));
    expect(() => fingerprint('AAAA')).toThrow();
  });

  test('strict base64 refuses what Node would silently accept', () => {
    expect(decodeBase64Strict('AAAA')).toEqual(Buffer.alloc(3));
    expect(decodeBase64Strict('AA AA')).toBeNull();
    expect(decodeBase64Strict('AAA')).toBeNull();
    expect(decodeBase64Strict('AAB=')).toBeNull(); // non-canonical padding bits
  });
});

describe('manifest helpers', () => {
  test('the manifest bytes of the writer (entries written out) are exactly canonicalBytes(manifest)', () => {
    const entry = fc.record(
      {
        path: fc.string({ minLength: 1, maxLength: 40 }),
        sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
        size: fc.nat(),
        role: fc.constantFrom('record', 'attachment', 'document'),
        note: fc.string(),
      },
      { requiredKeys: ['path', 'sha256', 'size'] },
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.dictionary(fc.string(), fc.jsonValue()), (entries, meta) => {
        const manifest = { format: 'htmp-bundle', version: '2.0', kind: 'sync', bundleId: '0b4c8d2e-5a6f-4c1b-9d3e-7f8a9b0c1d2e', createdAt: '2026-12-01T10:00:00.000Z', sender: { installationId: 'a', publicKey: 'k' }, entries, meta: { ...meta, entries: [] } } as unknown as Manifest;
        expect(manifestCanonicalBytes(manifest).equals(canonicalBytes(manifest))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('canonical JSON sorts keys at every level, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'ж', c: null }], e: undefined })).toBe('{"a":[{"c":null,"d":"ж"}],"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });

  test('versions', () => {
    expect(parseVersion('1.0')).toEqual({ major: 1, minor: 0 });
    expect(parseVersion('1.12')).toEqual({ major: 1, minor: 12 });
    for (const bad of ['1', '1.0.0', 'v1.0', '01.0', '1.x', '']) expect(parseVersion(bad)).toBeNull();
  });

  test.each([
    ['records/cases.jsonl', null],
    ['cases/12-2026_Иванов/выписка.pdf', null],
    ['', 'empty'],
    ['../x', 'dot_segment'],
    ['a/./b', 'dot_segment'],
    ['/abs', 'absolute'],
    ['C:/x', 'drive_letter'],
    ['C:\\x', 'backslash'],
    ['a//b', 'not_normalised'],
    ['a/', 'not_normalised'],
    ['a/b:stream', 'forbidden_char'],
    ['a/b?', 'forbidden_char'],
    ['a/b.', 'trailing_dot_or_space'],
    ['a/NUL.txt', 'reserved_name'],
    ['a/\u0000b', 'control_char'],
    ['a/\u202eexe.pdf', 'control_char'],
    ['и\u0306', 'not_nfc'],
    ['manifest.json', 'reserved_path'],
    ['x'.repeat(241), 'too_long'],
  ])('unsafePathReason(%j) = %s', (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
  });

  test('attachment paths and human folders are valid paths', () => {
    const h = 'a'.repeat(64);
    expect(attachmentPath(h)).toBe(`files/${h}`);
    expect(attachmentHashOf(`files/${h}`)).toBe(h);
    expect(attachmentHashOf('files/x')).toBeNull();
    expect(() => attachmentPath('ABC')).toThrow();
    for (const [p, s] of [['12/2026', 'Иванов'], ['..', 'CON'], ['  ', ' . '], ['№ 7:"*', 'Әбілқасымова-Жұмабекова'.repeat(5)]] as const) {
      expect(unsafePathReason(`${caseFolderPath(p, s)}/protocol.pdf`)).toBeNull();
    }
    expect(caseFolderPath('12/2026', 'Иванов')).toBe('cases/12_2026_Иванов');
    expect(safeSegment('aux')).toBe('_aux');
  });

  test('BundleError carries code and JSON params', () => {
    const e = new BundleError('bundle.untrusted_sender', { fingerprint: 'AB12' });
    expect(e).toBeInstanceOf(Error);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'bundle.untrusted_sender', params: { fingerprint: 'AB12' } });
  });
});

describe('locales', () => {
  const load = (lang: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(__dirname, '../../../../locales', lang, 'exchange.json'), 'utf8')) as Record<string, unknown>;
  const flatten = (tree: Record<string, unknown>, prefix = ''): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(tree)) {
      if (typeof v === 'string') out.set(prefix + k, v);
      else for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
    }
    return out;
  };
  const kk = flatten(load('kk'));
  const ru = flatten(load('ru'));
  const placeholders = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();

  test('kk and ru have the same keys and the same placeholders', () => {
    expect([...kk.keys()].sort()).toEqual([...ru.keys()].sort());
    for (const [key, text] of ru) expect(placeholders(kk.get(key)!), key).toEqual(placeholders(text));
  });

  test('every error code has a message in both languages; the Kazakh is not the Russian', () => {
    for (const code of BUNDLE_ERROR_CODES) {
      expect(ru.get(`errors.${code}`), code).toBeTruthy();
      expect(kk.get(`errors.${code}`), code).toBeTruthy();
      expect(kk.get(`errors.${code}`)).not.toBe(ru.get(`errors.${code}`));
    }
    expect([...kk.values()].join(' ')).toMatch(/[әғқңөұүһі]/);
  });

  test('messages use only parameters their errors always carry', () => {
    const always: Record<string, string[]> = {
      'bundle.unsafe_path': ['path'],
      'bundle.hash_mismatch': ['path'],
      'bundle.invalid_record': ['path'],
      'bundle.untrusted_sender': ['fingerprint'],
      'bundle.unsupported_version': ['version'],
      'bundle.not_recipient': ['fingerprint', 'installations', 'recipients'],
      'bundle.key_changed': ['installationId', 'previousFingerprint', 'fingerprint'],
    };
    for (const code of BUNDLE_ERROR_CODES) {
      for (const p of placeholders(ru.get(`errors.${code}`)!)) expect(always[code] ?? [], `${code} uses {{${p}}}`).toContain(p);
    }
  });
});
