import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_ENV } from '../../../support/cli';
import { adminCore, tempDir } from '../../../support/temp';
import { completeDraft, makeIin } from '../cases-fixtures';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const bin = path.join(root, 'bin', 'htmp.cjs');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Issue 12, point 5: the app, the web host and several CLI processes writing to one data folder
 * at once all succeed, one after another. Every write transaction starts BEGIN IMMEDIATE (it
 * takes the write lock before it reads, so the busy timeout applies) instead of upgrading a
 * read transaction, which SQLite answers with SQLITE_BUSY at once when another process wrote in
 * between.
 */
describe('parallel writers on one data folder', () => {
  it('50 parallel `case import` processes while the host keeps saving: 50 cases stored, no error', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    // The long-lived host process: its core stays open and keeps writing drafts meanwhile. Every
    // call writes its audit row inside its own write transaction (one write lock per call), so
    // the encrypted, audited folder queues its writers within the default minute.
    const host = await adminCore(dataDir, { host: 'web' });
    const files: string[] = [];
    for (let i = 0; i < 50; i++) {
      const d = completeDraft({ iin: makeIin('1970-01-01', i % 2 ? 'male' : 'female', 100 + i), lastName: `Параллель${i}` });
      const file = path.join(dir, `case-${i}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({
          receivedAt: d.receivedAt,
          patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName },
          htmpCode: d.htmpCode,
          urgency: d.urgency,
          diagnosis: d.diagnosis,
          documents: [],
        }),
      );
      files.push(file);
    }
    let hostWrites = 0;
    let hostErrors: unknown[] = [];
    let stop = false;
    const hostLoop = (async () => {
      while (!stop) {
        try {
          await host.call('cases.save', { patient: { lastName: `Хост${hostWrites}` } });
          hostWrites++;
        } catch (err) {
          hostErrors.push(err);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const results = await Promise.all(files.map((f) => run(['case', 'import', f, '--json', '--data-dir', dataDir], ADMIN_ENV)));
      const failed = results.filter((r) => r.code !== 0).map((r) => r.stdout + r.stderr);
      expect(failed).toEqual([]);
    } finally {
      stop = true;
      await hostLoop;
    }
    expect(hostErrors).toEqual([]);
    expect(hostWrites).toBeGreaterThan(0);
    const imported = host.db.prepare("SELECT count(*) AS n FROM patients WHERE last_name LIKE 'Параллель%'").get() as { n: number };
    expect(imported.n).toBe(50);
    // The audit trail's hash chain stayed whole with all these writers appending to it: each
    // process read the previous hash under the write lock of the transaction that appended.
    expect(await host.call('audit.verify', {})).toMatchObject({ ok: true });
    const count = (method: string, by: string) => host.db.prepare("SELECT count(*) FROM audit_log WHERE method = ? AND host = ? AND outcome = 'ok'").pluck().get(method, by);
    expect(count('cases.import', 'cli')).toBe(50);
    expect(count('cases.save', 'web')).toBe(hostWrites);
    host.close();
  }, 600_000);
});
