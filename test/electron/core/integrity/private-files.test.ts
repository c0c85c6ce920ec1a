import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp';
import { completeDraft } from '../cases-fixtures';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const htmp = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'htmp.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Issue 12, point 13: the data folder 0700, every file the app writes or exports 0600. */
describe.skipIf(process.platform === 'win32')('files on disk are private', () => {
  it('a new data folder, its database, stored files, an exported backup and a PDF: 0700 / 0600', () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const d = completeDraft();
    fs.writeFileSync(path.join(dir, 'scan.pdf'), '%PDF-1.4 scan');
    fs.writeFileSync(
      path.join(dir, 'case.json'),
      JSON.stringify({ receivedAt: d.receivedAt, patient: d.patient, htmpCode: d.htmpCode, urgency: 'planned', diagnosis: d.diagnosis, documents: [{ kind: 'identity', files: ['scan.pdf'] }] }),
    );
    // A permissive umask in the calling shell must not matter.
    const r = spawnSync('sh', ['-c', `umask 022 && "${process.execPath}" "${path.join(root, 'bin', 'htmp.cjs')}" case import "${path.join(dir, 'case.json')}" --json --data-dir "${dataDir}"`], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(htmp(['backup', 'create', '--out', path.join(dir, 'backup.htmp'), '--json', '--data-dir', dataDir]).status).toBe(0);
    fs.writeFileSync(
      path.join(dir, 'protocol-case.json'),
      JSON.stringify({
        ...JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')),
        documents: [],
        decision: { outcome: 'approved', reason: null, date: '2026-03-12', number: '12/2026', members: [{ name: 'Төраға', role: 'chair' }] },
        commission: { name: { kk: 'Комиссия', ru: 'Комиссия' }, authority: { kk: 'Басқарма', ru: 'Управление' } },
      }),
    );
    const pdf = htmp(['protocol', 'render', '--case', path.join(dir, 'protocol-case.json'), '--lang', 'kk', '--out', path.join(dir, 'p.pdf'), '--json']);
    expect(pdf.status, pdf.stdout + pdf.stderr).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    const walk = (p: string): string[] => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap((n) => walk(path.join(p, n))) : [p]);
    const written = walk(dataDir);
    expect(written.some((f) => f.endsWith('htmp.sqlite'))).toBe(true);
    for (const f of written) expect(mode(f).toString(8), f).toBe('600');
    for (const f of [path.join(dir, 'backup.htmp'), path.join(dir, 'p.pdf')]) expect(mode(f).toString(8), f).toBe('600');
  }, 120_000);

  it('an installation made with the default modes is tightened at the next start; other files are left alone', () => {
    const dataDir = path.join(tempDir(), 'data');
    expect(htmp(['db', 'info', '--json', '--data-dir', dataDir]).status).toBe(0);
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'htmp.sqlite'), 0o644);
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'notes.txt'), 0o644);
    expect(htmp(['db', 'info', '--json', '--data-dir', dataDir]).status).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'htmp.sqlite'))).toBe(0o600);
    expect(mode(path.join(dataDir, 'notes.txt'))).toBe(0o644);
  }, 60_000);
});
