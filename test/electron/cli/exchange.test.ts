import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV, cliRaw } from '../../support/cli';
import { Store } from '../../../electron/core/store';
import { adminCore, tempDir } from '../../support/temp';
import { TEST_DDL, TEST_TABLES } from '../core/exchange-helpers';

// The CLI opens its own core: register the generic test tables as user data there too.
vi.mock('../../../electron/core/tables', async (original) => {
  const mod = await original<typeof import('../../../electron/core/tables')>();
  const extra = [
    { name: 't_case', columns: ['surname', 'status', 'note', 'count'] },
    { name: 't_file', columns: ['case_id', 'name', 'file_sha256'] },
    { name: 't_decision', columns: ['case_id', 'outcome', 'issued_at'] },
  ];
  return { userTables: [...mod.userTables, ...extra] };
});

// Restore accepts only the schema the app's migrations make: here they make the test tables too.
vi.mock('../../../electron/core/migrations', async (original) => {
  const mod = await original<typeof import('../../../electron/core/migrations')>();
  const { TEST_DDL } = await import('../core/exchange-helpers-tables');
  return { ...mod, migrations: [...mod.migrations, { version: mod.migrations.length + 1, name: 'test-tables', up: (db: { exec(sql: string): void }) => db.exec(TEST_DDL) }] };
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, ...env } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

/** A data folder with the test tables and a few rows. */
async function folder(rows: string[] = []): Promise<string> {
  const dir = tempDir('htmp-cli-ex-');
  const core = await adminCore(dir);
  core.db.exec(TEST_DDL);
  const store = new Store(core.db, core.installationId, TEST_TABLES);
  for (const s of rows) store.insert('t_case', { surname: s });
  core.close();
  return dir;
}

/** `to` introduces itself to `from` (keys only): afterwards `from` can encrypt sync bundles for `to`. */
async function introduce(to: string, from: string): Promise<string> {
  const intro = path.join(tempDir(), 'intro.htmp');
  const made = await cli(['bundle', 'export', '--kind', 'sync', '--introduce', '--out', intro, '--json', '--data-dir', to]);
  expect(made.code).toBe(0);
  expect(made.json()).toMatchObject({ records: 0, encrypted: false, recipients: [] });
  const taken = await cli(['bundle', 'import', intro, '--trust-new-peer', '--json', '--data-dir', from]);
  expect(taken.code).toBe(0);
  const id = await cli(['bundle', 'identity', '--json', '--data-dir', to]);
  return String(id.json().encryptionFingerprint);
}

describe('htmp bundle / backup', () => {
  it('export for a recipient, verify, refuse an unknown sender (exit 2, fingerprint), import with --trust-new-peer, twice', async () => {
    const a = await folder(['Иванов', 'Петров']);
    const b = await folder();
    const file = path.join(tempDir(), 'sync.htmp');
    const none = await cli(['bundle', 'export', '--kind', 'sync', '--out', file, '--json', '--data-dir', a]);
    expect(none.code).toBe(2);
    expect(none.json()).toMatchObject({ error: { code: 'exchange.no_recipient' } });
    const forB = await introduce(b, a);
    expect(forB).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
    const exp = await cli(['bundle', 'export', '--kind', 'sync', '--for', forB, '--out', file, '--json', '--data-dir', a]);
    expect(exp.code).toBe(0);
    expect(Object.keys(exp.json()).sort()).toEqual(['attachments', 'encrypted', 'file', 'kind', 'recipients', 'records', 'sha256']);
    expect(exp.json()).toMatchObject({ file, kind: 'sync', records: 2, attachments: 0, encrypted: true });
    expect(exp.json().sha256).toMatch(/^[0-9a-f]{64}$/);

    const ver = await cli(['bundle', 'verify', file, '--json', '--data-dir', b]);
    expect(ver.code).toBe(2);
    expect(ver.json()).toMatchObject({ error: { code: 'bundle.untrusted_sender' }, valid: false, kind: 'sync', errors: [{ code: 'bundle.untrusted_sender' }] });

    const refused = await cli(['bundle', 'import', file, '--json', '--data-dir', b]);
    expect(refused.code).toBe(2);
    const err = refused.json().error as { code: string; params: { fingerprint: string } };
    expect(err.code).toBe('bundle.untrusted_sender');
    expect(err.params.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);

    const dry = await cli(['bundle', 'import', file, '--dry-run', '--trust-new-peer', '--json', '--data-dir', b]);
    expect(dry.json()).toEqual({ imported: 2, unchanged: 0, conflicts: 0 });
    const ok = await cli(['bundle', 'import', file, '--trust-new-peer', '--json', '--data-dir', b]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({ imported: 2, unchanged: 0, conflicts: 0 });
    const again = await cli(['bundle', 'import', file, '--json', '--data-dir', b]);
    expect(again.json()).toEqual({ imported: 0, unchanged: 2, conflicts: 0 });
    const good = await cli(['bundle', 'verify', file, '--json', '--data-dir', b]);
    expect(good.code).toBe(0);
    expect(good.json()).toMatchObject({ valid: true, errors: [] });
    // A third folder is not a recipient: refused with its own code, nothing imported.
    const c = await folder();
    const notForC = await cli(['bundle', 'import', file, '--trust-new-peer', '--json', '--data-dir', c]);
    expect(notForC.code).toBe(2);
    expect(notForC.json()).toMatchObject({ error: { code: 'bundle.not_recipient' } });
  });

  it('a damaged bundle is refused with its code and exit 2', async () => {
    const a = await folder(['X']);
    const b = await folder();
    const forB = await introduce(b, a);
    const file = path.join(tempDir(), 'sync.htmp');
    await cli(['bundle', 'export', '--kind', 'sync', '--for', forB, '--out', file, '--json', '--data-dir', a]);
    const bytes = fs.readFileSync(file);
    // The first entry is a records entry: damage its data after the local header.
    const at = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28) + 3;
    bytes[at] = bytes[at]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    const r = await cli(['bundle', 'import', file, '--json', '--trust-new-peer', '--data-dir', b]);
    expect(r.code).toBe(2);
    expect(String((r.json().error as { code: string }).code)).toMatch(/^bundle\./);
    const v = await cli(['bundle', 'verify', file, '--json', '--data-dir', b]);
    expect(v.code).toBe(2);
  });

  it('backup create (encrypted, with a backup passphrase), restore into a new folder with it or the recovery key; a non-empty folder is refused unless --force', async () => {
    const a = await folder(['Сейтқали']);
    const file = path.join(tempDir(), 'backup.htmp');
    const made = await cli(['backup', 'create', '--out', file, '--json', '--data-dir', a], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 1' });
    expect(made.code).toBe(0);
    expect(made.json()).toMatchObject({ file, verified: { integrity: 'ok' } });
    expect(fs.readFileSync(file).includes(Buffer.from('Сейтқали'))).toBe(false);
    const target = path.join(tempDir(), 'new-laptop');
    // A new folder: the backup's key fingerprint is shown and must be confirmed with --trust-backup-key.
    const ask = await cliRaw(['backup', 'restore', file, '--json', '--data-dir', target], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 1' });
    expect(ask.code).toBe(2);
    const fingerprint = (ask.json() as { error: { code: string; params: { fingerprint: string } } }).error.params.fingerprint;
    expect(ask.json()).toMatchObject({ error: { code: 'exchange.backup_untrusted' } });
    expect((ask.json() as { error: { message: string } }).error.message).toContain(fingerprint);
    const trust = ['--trust-backup-key', fingerprint];
    // No secret: refused; a wrong one: refused; nothing written.
    const none = await cliRaw(['backup', 'restore', file, ...trust, '--json', '--data-dir', target]);
    expect(none.json()).toMatchObject({ error: { code: 'exchange.backup_secret_required' } });
    const wrong = await cliRaw(['backup', 'restore', file, ...trust, '--json', '--data-dir', target], { HTMP_BACKUP_PASSPHRASE: 'not it at all' });
    expect(wrong).toMatchObject({ code: 2 });
    expect(wrong.json()).toMatchObject({ error: { code: 'auth.bad_credentials' } });
    const r = await cliRaw(['backup', 'restore', file, ...trust, '--json', '--data-dir', target], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 1' });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ dataDir: target, state: 'signedOut' });
    const core = await adminCore(target);
    expect(core.db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Сейтқали' }]);
    core.close();
    const busy = await cli(['backup', 'restore', file, '--json', '--data-dir', a], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 1' });
    expect(busy.code).toBe(2);
    expect(busy.json()).toMatchObject({ error: { code: 'exchange.restore_not_empty' } });
    const forced = await cli(['backup', 'restore', file, '--force', '--json', '--data-dir', a], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 1' });
    expect(forced.code).toBe(0);
    expect(forced.json().replaced).toEqual(expect.stringContaining('.replaced-'));
  });

  it('db check reads the file store back: a damaged attachment is reported with its case', async () => {
    const dir = tempDir('htmp-cli-check-');
    const core = await adminCore(dir);
    const saved = await core.call('cases.save', {
      patient: { iin: '', lastName: 'Тестов', firstName: 'Тест' },
      receivedAt: '2026-03-10T10:00',
      htmpCode: '00.50',
      diagnosis: { icd10: 'I50.0', text: 'x' },
      documents: [{ kind: 'record_extract', paper: true }],
    });
    const content = Buffer.from('scan bytes');
    await core.call('cases.attachFile', { caseId: saved.id, documentId: saved.detail.documents[0]!.id, name: 'scan.pdf', mime: 'application/pdf', contentBase64: content.toString('base64') });
    core.close();
    const good = await cli(['db', 'check', '--lang', 'ru', '--data-dir', dir]);
    expect(good.stdout).toContain('Проверен 1 файл');
    const { createHash } = await import('node:crypto');
    const h = createHash('sha256').update(content).digest('hex');
    // The one stored file (encrypted, under a keyed name in a folder with users) is damaged.
    const stored = fs.readdirSync(path.join(dir, 'files'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(stored).toHaveLength(1);
    fs.writeFileSync(path.join(stored[0]!.parentPath, stored[0]!.name), 'rot');
    const bad = await cli(['db', 'check', '--lang', 'ru', '--data-dir', dir]);
    expect(bad.stdout).toContain(h);
    expect(bad.stdout).toContain(saved.id);
    const json = await cli(['db', 'check', '--json', '--data-dir', dir]);
    expect(json.json()).toMatchObject({ ok: false, files: { checked: 1, problems: [{ sha256: h, status: 'damaged', cases: [saved.id] }] } });
  });

  it('bundle export --kind sync --peer with an unknown peer exits 2', async () => {
    const r = await cli(['bundle', 'export', '--kind', 'sync', '--peer', 'nobody', '--out', path.join(tempDir(), 'x.htmp'), '--json', '--data-dir', await folder()]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'exchange.unknown_peer' } });
  });
});
