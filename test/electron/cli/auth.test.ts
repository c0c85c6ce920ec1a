/** Sign-in on the command line, users, audit and re-key commands (issue 10). */
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliAs, cliRaw } from '../../support/cli';
import { rawDatabase, tempDir, TEST_ADMIN } from '../../support/temp';

const NEW = { HTMP_NEW_PASSPHRASE: 'secretary passphrase 1' };

describe('htmp sign-in', () => {
  it('commands on patient data need a user: exit 2 auth.required without, auth.bad_credentials when wrong', async () => {
    const dir = tempDir();
    const none = await cliRaw(['case', 'list', '--json', '--data-dir', dir]);
    expect(none.code).toBe(2);
    expect(none.json()).toMatchObject({ error: { code: 'auth.setup_required' } });
    // The first command with HTMP_USER + HTMP_PASSPHRASE sets the folder up and prints the recovery key once.
    // (`db check` prints one JSON document; `case list` streams its output and says the key on stderr.)
    const first = await cliAs(['db', 'check', '--json', '--data-dir', dir]);
    expect(first.code).toBe(0);
    expect(first.json().recoveryKey).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    const second = await cliAs(['db', 'check', '--json', '--data-dir', dir]);
    expect(second.json().recoveryKey).toBeUndefined();
    expect((await cliRaw(['case', 'list', '--json', '--data-dir', dir])).json()).toMatchObject({ error: { code: 'auth.required' } });
    const wrong = await cliRaw(['case', 'list', '--json', '--data-dir', dir], { HTMP_USER: 'admin', HTMP_PASSPHRASE: 'wrong passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.json()).toMatchObject({ error: { code: 'auth.bad_credentials' } });
    const unknown = await cliRaw(['case', 'list', '--json', '--data-dir', dir], { HTMP_USER: 'nobody', HTMP_PASSPHRASE: TEST_ADMIN.passphrase });
    expect(unknown.json()).toMatchObject({ error: { code: 'auth.bad_credentials' } });
    // --user with the passphrase asked on the terminal, or from a file.
    const asked: string[] = [];
    const prompted = await cliRaw(['case', 'list', '--json', '--user', 'admin', '--data-dir', dir], {}, async (q) => (asked.push(q), TEST_ADMIN.passphrase));
    expect(prompted.code).toBe(0);
    expect(asked).toHaveLength(1);
    const file = path.join(tempDir(), 'pass.txt');
    fs.writeFileSync(file, `${TEST_ADMIN.passphrase}\n`);
    expect((await cliRaw(['case', 'list', '--json', '--user', 'admin', '--passphrase-file', file, '--data-dir', dir])).code).toBe(0);
    // Human output in Russian.
    const ru = await cliRaw(['case', 'list', '--lang', 'ru', '--data-dir', dir]);
    expect(ru.stderr).toContain('Сначала войдите');
  });

  it('commands that touch no stored patient data need no user', async () => {
    const dir = tempDir();
    await cliAs(['db', 'info', '--json', '--data-dir', dir]);
    for (const args of [
      ['catalogue', 'editions', '--json'],
      ['catalogue', 'search', 'жүрек', '--json'],
      ['iin', 'check', '800512300019', '--json'],
      ['deadline', '--from', '2026-03-20T09:00', '--working-days', '2', '--json'],
      ['transfer', 'regions', '--json'],
      ['score', '--innovation-years', '3', '--resource', '2', '--uniqueness', '3', '--complexity', '4', '--json'],
    ]) {
      const r = await cliRaw([...args, '--data-dir', dir]);
      expect(r.code, args.join(' ')).not.toBe(2);
      expect(r.stdout, args.join(' ')).not.toContain('auth.');
    }
  });

  it('user add / list / disable / passwd, audit list / verify, db rekey', async () => {
    const dir = tempDir();
    const add = await cliAs(['user', 'add', 'sec', '--name', 'Хатшы Сәуле', '--role', 'secretary', '--json', '--data-dir', dir], NEW);
    expect(add.code).toBe(0);
    expect(add.json()).toMatchObject({ login: 'sec', role: 'secretary', mustChangePassphrase: true });
    const list = await cliAs(['user', 'list', '--json', '--data-dir', dir]);
    expect((list.json() as unknown as { login: string }[]).map((u) => u.login)).toEqual(['admin', 'sec']);
    // The secretary changes her passphrase, then is refused user management.
    const sec = { HTMP_USER: 'sec', HTMP_PASSPHRASE: 'secretary passphrase 1' };
    expect((await cliRaw(['user', 'passwd', '--json', '--data-dir', dir], { ...sec, HTMP_NEW_PASSPHRASE: 'my own passphrase 2' })).code).toBe(0);
    const forbidden = await cliRaw(['user', 'list', '--json', '--data-dir', dir], { HTMP_USER: 'sec', HTMP_PASSPHRASE: 'my own passphrase 2' });
    expect(forbidden.json()).toMatchObject({ error: { code: 'auth.forbidden' } });
    expect((await cliAs(['user', 'disable', 'sec', '--json', '--data-dir', dir])).code).toBe(0);
    const disabled = await cliRaw(['case', 'list', '--json', '--data-dir', dir], { HTMP_USER: 'sec', HTMP_PASSPHRASE: 'my own passphrase 2' });
    expect(disabled.json()).toMatchObject({ error: { code: 'auth.user_disabled' } });
    const audit = await cliAs(['audit', 'list', '--json', '--data-dir', dir]);
    const actions = (audit.json() as unknown as { action: string }[]).map((r) => r.action);
    for (const a of ['user.add', 'user.disable', 'auth.passphrase_changed', 'auth.sign_in', 'auth.sign_in_failed']) expect(actions).toContain(a);
    expect((await cliAs(['audit', 'verify', '--json', '--data-dir', dir])).json()).toMatchObject({ ok: true });
    const rekey = await cliAs(['db', 'rekey', '--json', '--data-dir', dir]);
    expect(rekey.code).toBe(0);
    expect((await cliAs(['audit', 'verify', '--json', '--data-dir', dir])).json()).toMatchObject({ ok: true });
    // Edited with the sqlite library directly: verify exits 2.
    const db = rawDatabase(dir);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET user_name = 'someone' WHERE seq = 2").run();
    db.close();
    const broken = await cliAs(['audit', 'verify', '--json', '--data-dir', dir]);
    expect(broken.code).toBe(2);
    expect(broken.json()).toMatchObject({ error: { code: 'audit.broken', params: { seq: 2, reason: 'altered' } } });
  });
});
