import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const sharedDir = path.resolve(import.meta.dirname, '..', '..', 'shared');
// @orama/stemmers/russian: the Snowball Russian stemmer, plain JavaScript without imports (word-forms.ts).
const ALLOWED_PACKAGES = new Set(['zod', '@orama/stemmers/russian']);

function files(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
}

describe('shared/ is pure', () => {
  it('imports only shared/ modules and pure packages (no Node, Electron or DOM)', () => {
    const bad: string[] = [];
    for (const f of files(sharedDir)) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(f), spec);
          if (!target.startsWith(sharedDir)) bad.push(`${path.relative(sharedDir, f)} -> ${spec}`);
        } else if (!ALLOWED_PACKAGES.has(spec)) bad.push(`${path.relative(sharedDir, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has a tsconfig without DOM or Node types, so the compiler enforces it too', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(sharedDir, 'tsconfig.json'), 'utf8')) as { compilerOptions: { lib: string[]; types: string[] } };
    expect(cfg.compilerOptions.types).toEqual([]);
    expect(cfg.compilerOptions.lib.some((l) => /dom/i.test(l))).toBe(false);
  });
});
