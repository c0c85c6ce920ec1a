import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ERROR_CODES } from '../electron/core/exchange/errors';
import { ABROAD_ERROR_CODES } from '../shared/contract/abroad';
import { AFTERCARE_ERROR_CODES } from '../shared/contract/aftercare';
import { CASES_ERROR_CODES } from '../shared/contract/cases';
import { REPORTS_ERROR_CODES } from '../shared/contract/reports';
import { DECISION_ERROR_CODES } from '../shared/domain/decision';

/**
 * Every error code the Node side or the shared rules can produce must have a message
 * `errors.<code>` in some namespace of BOTH kk and ru: the renderer (any namespace) and the CLI
 * (`translateError`) otherwise show "unknown error" with a raw code to the secretary.
 */

const root = path.resolve(import.meta.dirname, '..');
type Tree = { [k: string]: string | Tree };

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, out);
    } else if (/\.tsx?$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const CODE = String.raw`([a-z][a-z_]*(?:\.[a-z0-9_]+)+)`;
const PATTERNS = [
  // throw new AppFailure('x.y', …) / new BundleError('bundle.x', …) / new PdfError('pdf.x', …)
  new RegExp(String.raw`new\s+(?:AppFailure|BundleError|PdfError)\(\s*['"]${CODE}['"]`, 'g'),
  // subclasses (PdfError's super('pdf.x')) and the scoring rules' invalid('scoring.x', field)
  new RegExp(String.raw`\b(?:super|invalid)\(\s*['"]${CODE}['"]`, 'g'),
  // fail('x.y', …) of shared/result.ts, regions.ts, decision.ts; the CLI's fail({code: 'x.y'})
  new RegExp(String.raw`\bfail\(\s*['"]${CODE}['"]`, 'g'),
  // envelopes built by hand: {code: 'x.y', params}
  new RegExp(String.raw`\bcode:\s*['"]${CODE}['"]`, 'g'),
];

/** code -> first source file that produces it. */
function scanCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  const files = [...walk(path.join(root, 'electron')), ...walk(path.join(root, 'shared'))];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) if (!codes.has(m[1]!)) codes.set(m[1]!, path.relative(root, file));
    }
  }
  // Codes built from parts (`transfer.csv_bad_${kind}`) and the declared code lists.
  for (const kind of ['count', 'money', 'required']) codes.set(`transfer.csv_bad_${kind}`, 'electron/core/services/scoring.ts');
  for (const c of BUNDLE_ERROR_CODES) codes.set(c, 'electron/core/exchange/errors.ts');
  for (const c of CASES_ERROR_CODES) codes.set(c, 'shared/contract/cases.ts');
  for (const c of ABROAD_ERROR_CODES) codes.set(c, 'shared/contract/abroad.ts');
  for (const c of AFTERCARE_ERROR_CODES) codes.set(c, 'shared/contract/aftercare.ts');
  for (const c of REPORTS_ERROR_CODES) codes.set(c, 'shared/contract/reports.ts');
  for (const c of DECISION_ERROR_CODES) codes.set(c, 'shared/domain/decision.ts');
  for (const c of ['pdf.invalid_document', 'pdf.write_failed']) codes.set(c, 'electron/core/pdf/errors.ts');
  return codes;
}

function trees(lang: string): Tree[] {
  const dir = path.join(root, 'locales', lang);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Tree);
}

function lookup(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree;
  const parts = key.split('.');
  for (const [i, part] of parts.entries()) {
    if (typeof node !== 'object') return false;
    const last = i === parts.length - 1;
    if (last && typeof node[part] !== 'string' && typeof node[`${part}_other`] === 'string') return true;
    node = node[part];
  }
  return typeof node === 'string' && node.trim() !== '';
}

const codes = scanCodes();

describe('every error code has a message in kk and ru', () => {
  it('the scan finds the codes (sanity)', () => {
    expect(codes.size).toBeGreaterThan(100);
    expect(codes.has('cases.not_found')).toBe(true);
    expect(codes.has('bundle.unsafe_path')).toBe(true);
    expect(codes.has('api.invalid_argument')).toBe(true);
    expect(codes.has('scoring.invalid_input')).toBe(true);
  });

  for (const lang of ['kk', 'ru']) {
    it(`${lang}: errors.<code> exists for every code thrown by electron/ and shared/`, () => {
      const ts = trees(lang);
      const missing = [...codes].filter(([code]) => !ts.some((t) => lookup(t, `errors.${code}`))).map(([code, file]) => `${code} (${file})`);
      expect(missing).toEqual([]);
    });
  }
});

describe('each error code has ONE message per language', () => {
  // translateError and the renderer take the first namespace that has `errors.<code>`: a second
  // message for the same code elsewhere would be silently ignored (db.in_use once was written twice).
  for (const lang of ['kk', 'ru']) {
    it(lang, () => {
      const dir = path.join(root, 'locales', lang);
      const where = new Map<string, string[]>();
      const leaves = (node: Tree, prefix: string, file: string): void => {
        for (const [k, v] of Object.entries(node)) {
          const key = prefix ? `${prefix}.${k}` : k;
          if (typeof v === 'object') leaves(v, key, file);
          else if (key.startsWith('errors.')) where.set(key, [...(where.get(key) ?? []), file]);
        }
      };
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) leaves(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Tree, '', f);
      expect([...where].filter(([, files]) => files.length > 1).map(([key, files]) => `${key}: ${files.join(', ')}`)).toEqual([]);
    });
  }
});

describe('every packet finding has its text in kk and ru (rules:findings.<code>)', () => {
  const findings = new Set<string>();
  const text = fs.readFileSync(path.join(root, 'shared', 'domain', 'packet.ts'), 'utf8');
  for (const m of text.matchAll(new RegExp(String.raw`\bfinding\(\s*['"]${CODE}['"]`, 'g'))) findings.add(m[1]!);
  it('the scan finds the findings (sanity)', () => expect(findings.has('document.missing')).toBe(true));
  for (const lang of ['kk', 'ru']) {
    it(lang, () => {
      const rules = JSON.parse(fs.readFileSync(path.join(root, 'locales', lang, 'rules.json'), 'utf8')) as Tree;
      expect([...findings].filter((c) => !lookup(rules, `findings.${c}`))).toEqual([]);
    });
  }
});
