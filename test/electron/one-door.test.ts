import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One door into the core (architecture.md): every CLI command goes through `core.call`, so
 * argument validation, sign-in, the audit trail and the change log apply to it as to the UI.
 * A command never imports a service, the database or the store, and never reaches into
 * `core.db`, `core.store` or `core.context`.
 */
const ELECTRON_DIR = path.resolve(__dirname, '../../electron');
const HOST_DIRS = ['cli', 'main', 'host', 'preload'];
const FORBIDDEN_IMPORT = /from '\.\.\/(\.\.\/)?core\/(services|exchange|cases|catalogue|db|store|migrations|tables|auth|vault|files|reference|data-folder)\b[^']*'/;
const FORBIDDEN_USE = /\bcore\(\)\.(db|store|context)\b|\bcore\.(db|store|context)\b/;
/**
 * What a host may import from the core: the door itself and what has no data behind it. An
 * allowlist, so a new module of the core is closed to hosts until someone decides otherwise.
 * There are no "known seams": `backup restore` goes through `auth.restore` (issue 12.3).
 */
// private-files: the process umask and folder modes (issue 12.13), no data behind it; lazy-require:
// a package loaded on first use (the web host's ws), no data behind it.
const ALLOWED_CORE_MODULES = new Set(['core', 'context', 'i18n', 'paths', 'security', 'pdf/write', 'private-files', 'lazy-require']);
const CORE_IMPORT = /from '(?:\.\.\/)+core\/([^']+)'/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('every host (CLI, Electron main, web host) goes through the core\'s one door', () => {
  it('no host module imports a service, the database or the store', () => {
    const offending: string[] = [];
    for (const file of HOST_DIRS.flatMap((d) => files(path.join(ELECTRON_DIR, d)))) {
      const rel = path.relative(ELECTRON_DIR, file).split(path.sep).join('/');
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (FORBIDDEN_IMPORT.test(line)) offending.push(`${rel}:${i + 1}: ${line.trim()}`);
          const core = CORE_IMPORT.exec(line)?.[1];
          if (core !== undefined && !ALLOWED_CORE_MODULES.has(core)) offending.push(`${rel}:${i + 1}: ${line.trim()}`);
          if (FORBIDDEN_USE.test(line)) offending.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
  });

  it('the check itself catches a direct service import', () => {
    expect(FORBIDDEN_IMPORT.test("import { listCases } from '../../core/services/cases';")).toBe(true);
    expect(FORBIDDEN_USE.test('const d = ctx.core().db.prepare(x);')).toBe(true);
    expect(FORBIDDEN_IMPORT.test("import { t } from '../../core/i18n';")).toBe(false);
    // The seam issue 12 closed: the CLI restoring a backup by itself, around the door.
    expect(FORBIDDEN_IMPORT.test("import { restoreBackup } from '../../core/exchange/backup';")).toBe(true);
    expect(FORBIDDEN_IMPORT.test("import { standaloneJob } from '../../core/exchange/jobs';")).toBe(true);
    expect(CORE_IMPORT.exec("import { acquireFolderLock } from '../../core/data-folder';")?.[1]).toBe('data-folder');
    expect(ALLOWED_CORE_MODULES.has('data-folder')).toBe(false);
  });
});
