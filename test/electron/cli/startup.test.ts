import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../electron/core/paths';
import { tempDir } from '../../support/temp';

/**
 * What a command of the real bin loads (issue 17, start-up): the heavy packages only where they
 * are used. A preload script lists the packages in Node's module cache when the process exits.
 */
const root = appRoot();
const BIN = path.join(root, 'bin', 'htmp.cjs');

/** The packages in Node's module cache when `htmp ARGS` exits. */
function loadedBy(args: string[]): string[] {
  const dir = tempDir();
  const preload = path.join(dir, 'loaded.cjs');
  const out = path.join(dir, 'loaded.json');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => { const names = new Set(Object.keys(require.cache).filter((k) => k.includes('node_modules')).map((k) => k.split(/node_modules[\\\\/]/).pop().split(/[\\\\/]/)[0])); require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify([...names].sort())); });`,
  );
  try {
    execFileSync(process.execPath, ['-r', preload, BIN, ...args], { encoding: 'utf8', stdio: 'ignore' });
  } catch {
    /* what was loaded is what the test looks at */
  }
  return JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
}

const HEAVY = ['pdfmake', 'pdfkit', 'fontkit', 'yauzl', 'yazl', 'qrcode'];

describe('start-up: each command loads only what it uses', () => {
  it('commands without a database load neither better-sqlite3 nor the heavy packages', () => {
    for (const args of [['--help'], ['iin', 'check', '800512300018', '--json'], ['score', '--innovation-years', '3', '--resource', '2', '--uniqueness', '3', '--complexity', '2', '--json']]) {
      const names = loadedBy(args);
      expect(names, args.join(' ')).not.toContain('better-sqlite3');
      for (const p of HEAVY) expect(names, args.join(' ')).not.toContain(p);
    }
  });

  it('commands on the database open it without pdfmake, pdfkit, fontkit, yauzl or yazl', () => {
    const data = tempDir();
    for (const args of [['db', 'info'], ['case', 'list'], ['catalogue', 'search', 'журек'], ['settings', 'show']]) {
      const names = loadedBy([...args, '--json', '--data-dir', data]);
      expect(names, args.join(' ')).toContain('better-sqlite3');
      for (const p of HEAVY) expect(names, args.join(' ')).not.toContain(p);
    }
  });

  it('the bundle runs from its V8 code cache, so it holds no import(): an XLSX export (exceljs loaded late) works on every run', () => {
    execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }); // rebuilt when stale
    // Node 20 loses import()'s callback when a script comes from cached data
    // (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): packages load late through lazyRequire instead.
    expect(fs.readFileSync(path.join(root, 'dist', 'electron', 'cli.cjs'), 'utf8').match(/\bimport\("[^"]+"\)/g) ?? []).toEqual([]);
    const data = tempDir();
    const env = { ...process.env, HTMP_USER: 'admin', HTMP_PASSPHRASE: 'correct horse battery 1' };
    for (const run of [1, 2]) {
      const out = path.join(data, `orgs-${run}.xlsx`);
      execFileSync(process.execPath, [BIN, 'org', 'export', '--format', 'xlsx', '--out', out, '--json', '--data-dir', data], { encoding: 'utf8', env });
      expect(fs.readFileSync(out).subarray(0, 2).toString('latin1'), `run ${run}`).toBe('PK');
    }
  }, 180_000);

  it('a command that renders a PDF loads pdfmake when it renders', () => {
    const dir = tempDir();
    const caseFile = path.join(dir, 'case.json');
    fs.writeFileSync(
      caseFile,
      JSON.stringify({
        receivedAt: '2026-03-20T10:00',
        patient: { iin: '800512300018', lastName: 'Абаев', firstName: 'Ерлан', birthDate: '1980-05-12' },
        htmpCode: '54.970.059',
        urgency: 'planned',
        diagnosis: { icd10: 'I25.1', text: 'ИБС' },
        documents: [],
        decision: { outcome: 'approved', reason: null, date: '2026-03-23', number: '1/2026', members: [{ name: 'Сапаров А.', role: 'chair' }, { name: 'Омарова Д.', role: 'secretary' }] },
        commission: { name: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы', authority: 'Қарағанды облысының денсаулық сақтау басқармасы' },
      }),
    );
    const names = loadedBy(['protocol', 'render', '--case', caseFile, '--lang', 'kk', '--out', path.join(dir, 'p.pdf'), '--data-dir', tempDir()]);
    expect(fs.existsSync(path.join(dir, 'p.pdf'))).toBe(true);
    expect(names).toContain('pdfmake');
  });
});
