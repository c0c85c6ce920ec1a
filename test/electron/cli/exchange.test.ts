import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { createCore } from '../../../electron/core/core';
import { Store } from '../../../electron/core/store';
import { tempDir } from '../../support/temp';
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

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

/** A data folder with the test tables and a few rows. */
function folder(rows: string[] = []): string {
  const dir = tempDir('htmp-cli-ex-');
  const core = createCore({ dataDir: dir });
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
    const a = folder(['Иванов', 'Петров']);
    const b = folder();
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
    const c = folder();
    const notForC = await cli(['bundle', 'import', file, '--trust-new-peer', '--json', '--data-dir', c]);
    expect(notForC.code).toBe(2);
    expect(notForC.json()).toMatchObject({ error: { code: 'bundle.not_recipient' } });
  });

  it('a damaged bundle is refused with its code and exit 2', async () => {
    const a = folder(['X']);
    const b = folder();
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

  it('backup create, restore into a new folder; a non-empty folder is refused unless --force', async () => {
    const a = folder(['Сейтқали']);
    const file = path.join(tempDir(), 'backup.htmp');
    const made = await cli(['backup', 'create', '--out', file, '--json', '--data-dir', a]);
    expect(made.code).toBe(0);
    expect(made.json()).toMatchObject({ file, verified: { integrity: 'ok' } });
    const target = path.join(tempDir(), 'new-laptop');
    const r = await cli(['backup', 'restore', file, '--json', '--data-dir', target]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ dataDir: target, integrity: 'ok' });
    const core = createCore({ dataDir: target });
    expect(core.db.prepare('SELECT surname FROM t_case').all()).toEqual([{ surname: 'Сейтқали' }]);
    core.close();
    const busy = await cli(['backup', 'restore', file, '--json', '--data-dir', a]);
    expect(busy.code).toBe(2);
    expect(busy.json()).toMatchObject({ error: { code: 'exchange.restore_not_empty' } });
    const forced = await cli(['backup', 'restore', file, '--force', '--json', '--data-dir', a]);
    expect(forced.code).toBe(0);
    expect(forced.json().replaced).toEqual(expect.stringContaining('.replaced-'));
  });

  it('db check reads the file store back: a damaged attachment is reported with its case', async () => {
    const dir = tempDir('htmp-cli-check-');
    const core = createCore({ dataDir: dir });
    core.db.exec(TEST_DDL); // the generic tables this file registers as user data
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
    fs.writeFileSync(path.join(dir, 'files', h.slice(0, 2), h), 'rot');
    const bad = await cli(['db', 'check', '--lang', 'ru', '--data-dir', dir]);
    expect(bad.stdout).toContain(h);
    expect(bad.stdout).toContain(saved.id);
    const json = await cli(['db', 'check', '--json', '--data-dir', dir]);
    expect(json.json()).toMatchObject({ ok: false, files: { checked: 1, problems: [{ sha256: h, status: 'damaged', cases: [saved.id] }] } });
  });

  it('bundle export --kind sync --peer with an unknown peer exits 2', async () => {
    const r = await cli(['bundle', 'export', '--kind', 'sync', '--peer', 'nobody', '--out', path.join(tempDir(), 'x.htmp'), '--json', '--data-dir', folder()]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'exchange.unknown_peer' } });
  });
});
