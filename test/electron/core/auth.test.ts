/** Sign-in, lock, PIN, users, roles and the audit trail at the one door (issue 10). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { signInDelayMs } from '../../../electron/core/auth/throttle';
import { completeDraft } from './cases-fixtures';
import { rawDatabase, setUpAndSignIn, signedInCore, tempDir, TEST_ADMIN, TEST_COMMISSION, track } from '../../support/temp';
import { outcomeCode as code } from '../../support/failures';
import { listAudit } from '../../../electron/core/auth/audit';
import { migrate, openDatabase } from '../../../electron/core/db';

const CREDS = { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase };

function fresh(options: { now?: () => number } = {}) {
  const dir = tempDir();
  const raw = track(createCore({ dataDir: dir, ...options }));
  return { dir, raw };
}

describe('sign-in', () => {
  it('a new folder asks for set-up; nothing but public methods answers before it', async () => {
    const { raw } = fresh();
    expect((await raw.call('auth.status', {})).state).toBe('setup');
    expect(await code(raw.call('cases.list', {}))).toBe('auth.setup_required');
    // Reference data needs no user.
    expect((await raw.call('catalogue.editions', {})).editions.length).toBeGreaterThan(0);
    expect(await code(raw.call('auth.setup', { login: 'a', displayName: 'A', passphrase: 'short' }))).toBe('api.invalid_argument');
  });

  it('wrong passphrase and unknown user get the same answer; the delay doubles with each failure', async () => {
    const { dir, raw } = fresh();
    setUpAndSignIn(raw);
    raw.close();
    const core = track(createCore({ dataDir: dir }));
    expect(await code(core.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: 'wrong passphrase!' }))).toBe('auth.bad_credentials');
    expect(await code(core.call('auth.signIn', { login: 'nobody', passphrase: TEST_ADMIN.passphrase }))).toBe('auth.bad_credentials');
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'htmp.signin.json'), 'utf8')) as { failures: number; pending: { userId: string | null }[] };
    expect(state.failures).toBe(2);
    expect(state.pending.map((p) => p.userId === null)).toEqual([false, true]);
    expect([1, 2, 3, 4, 5].map((n) => signInDelayMs(n, 500))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(signInDelayMs(30, 500)).toBe(60_000);
    const s = await core.call('auth.signIn', CREDS);
    expect(s.state).toBe('signedIn');
    expect(s.sessionId).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const signed = core.as({ channel: 'local', sessionId: s.sessionId! });
    // The failures made while the folder was closed are in the audit trail now.
    const failed = (await signed.call('audit.list', { action: 'auth.sign_in_failed' })).rows;
    expect(failed).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'htmp.signin.json'), 'utf8')).failures).toBe(0);
  });

  it('a disabled user is refused with its code (only after the right passphrase); sessions end', async () => {
    const { raw } = fresh();
    const { core: admin } = setUpAndSignIn(raw);
    await admin.call('users.add', { login: 'sec', displayName: 'Секретарь', role: 'secretary', passphrase: 'secretary pass 1' });
    const s = await raw.call('auth.signIn', { login: 'sec', passphrase: 'secretary pass 1' });
    const sec = raw.as({ channel: 'local', sessionId: s.sessionId! });
    expect(await code(sec.call('cases.list', {}))).toBe('ok');
    const users = await admin.call('users.list', {});
    await admin.call('users.disable', { userId: users.find((u) => u.login === 'sec')!.id });
    expect(await code(sec.call('cases.list', {}))).toBe('auth.required');
    expect(await code(raw.call('auth.signIn', { login: 'sec', passphrase: 'secretary pass 1' }))).toBe('auth.user_disabled');
    expect(await code(raw.call('auth.signIn', { login: 'sec', passphrase: 'not the passphrase' }))).toBe('auth.bad_credentials');
    expect(await code(admin.call('users.disable', { userId: users.find((u) => u.login === 'admin')!.id }))).toBe('auth.last_admin');
    // A reset needs the admin's own passphrase, and enables again.
    const secId = users.find((u) => u.login === 'sec')!.id;
    expect(await code(admin.call('users.reset', { userId: secId, newPassphrase: 'a new temporary 1', adminPassphrase: 'wrong admin pass' }))).toBe('auth.bad_credentials');
    const reset = await admin.call('users.reset', { userId: secId, newPassphrase: 'a new temporary 1', adminPassphrase: TEST_ADMIN.passphrase });
    expect(reset).toMatchObject({ disabled: false, mustChangePassphrase: true });
    const again = await raw.call('auth.signIn', { login: 'sec', passphrase: 'a new temporary 1' });
    expect(again.user).toMatchObject({ login: 'sec', mustChangePassphrase: true });
  });

  it('roles: a viewer reads but cannot change; a secretary cannot manage users; an unclassified method needs secretary', async () => {
    const { raw } = fresh();
    const { core: admin } = setUpAndSignIn(raw);
    await admin.call('users.add', { login: 'view', displayName: 'Viewer', role: 'viewer', passphrase: 'viewer passphrase' });
    await admin.call('users.add', { login: 'sec', displayName: 'Sec', role: 'secretary', passphrase: 'secretary passphrase' });
    const viewer = raw.as({ channel: 'local', sessionId: (await raw.call('auth.signIn', { login: 'view', passphrase: 'viewer passphrase' })).sessionId! });
    const sec = raw.as({ channel: 'local', sessionId: (await raw.call('auth.signIn', { login: 'sec', passphrase: 'secretary passphrase' })).sessionId! });
    expect(await code(viewer.call('cases.list', {}))).toBe('ok');
    expect(await code(viewer.call('cases.save', completeDraft()))).toBe('auth.forbidden');
    expect(await code(sec.call('cases.save', completeDraft()))).toBe('ok');
    expect(await code(sec.call('users.list', {}))).toBe('auth.forbidden');
    expect(await code(sec.call('audit.list', {}))).toBe('auth.forbidden');
    // The refusal is in the audit trail.
    const refused = (await admin.call('audit.list', { action: 'case.change' })).rows.filter((r) => r.outcome === 'auth.forbidden');
    expect(refused.map((r) => r.userName)).toEqual(['view']);
  });
});

describe('lock', () => {
  it('idle lock after the set minutes: only auth.* answers, with auth.locked; the PIN unlocks with a new session id', async () => {
    let now = Date.now();
    const { raw } = fresh({ now: () => now });
    const { core, sessionId } = setUpAndSignIn(raw);
    expect(await code(core.call('auth.setPin', { passphrase: TEST_ADMIN.passphrase, pin: '4711' }))).toBe('ok');
    now += 11 * 60_000;
    expect(await code(core.call('cases.list', {}))).toBe('auth.locked');
    expect(await code(core.call('catalogue.editions', {}))).toBe('auth.locked');
    const status = await core.call('auth.status', {});
    expect(status).toMatchObject({ state: 'locked', pinAvailable: true });
    const u = await core.call('auth.unlock', { pin: '4711' });
    expect(u.state).toBe('signedIn');
    expect(u.sessionId).not.toBe(sessionId);
    // The old session id is worth nothing after the unlock.
    expect(await code(core.call('cases.list', {}))).toBe('auth.required');
    expect(await code(raw.as({ channel: 'local', sessionId: u.sessionId! }).call('cases.list', {}))).toBe('ok');
  });

  it('five wrong PINs turn the PIN off until the passphrase', async () => {
    const { raw } = fresh();
    const first = setUpAndSignIn(raw);
    await first.core.call('auth.setPin', { passphrase: TEST_ADMIN.passphrase, pin: '123456' });
    await first.core.call('auth.lock', {});
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await code(first.core.call('auth.unlock', { pin: '000000' })));
    expect(codes).toEqual(['auth.bad_pin', 'auth.bad_pin', 'auth.bad_pin', 'auth.bad_pin', 'auth.pin_disabled']);
    expect(await code(first.core.call('auth.unlock', { pin: '123456' }))).toBe('auth.pin_disabled');
    expect((await first.core.call('auth.status', {})).pinAvailable).toBe(false);
    const again = await first.core.call('auth.signIn', CREDS);
    const core = raw.as({ channel: 'local', sessionId: again.sessionId! });
    await core.call('auth.lock', {});
    expect(await code(core.call('auth.unlock', { pin: '123456' }))).toBe('ok');
  });

  it('sign-out closes the folder and drops the key when no session is left', async () => {
    const { raw } = fresh();
    const { core } = setUpAndSignIn(raw);
    await core.call('auth.signOut', {});
    expect(raw.security.state).toBe('sealed');
    expect(await code(core.call('cases.list', {}))).toBe('auth.required');
  });
});

describe('recovery key and passphrase change', () => {
  it('a changed passphrase rewraps only the key; the recovery key sets a new one for a user', async () => {
    const { dir, raw } = fresh();
    const { core, recoveryKey } = setUpAndSignIn(raw);
    const dbBefore = fs.readFileSync(path.join(dir, 'htmp.sqlite')).subarray(0, 4096);
    expect(await code(core.call('auth.changePassphrase', { current: 'wrong one here', next: 'another long passphrase' }))).toBe('auth.bad_credentials');
    await core.call('auth.changePassphrase', { current: TEST_ADMIN.passphrase, next: 'another long passphrase' });
    expect(fs.readFileSync(path.join(dir, 'htmp.sqlite')).subarray(0, 4096).equals(dbBefore)).toBe(true);
    raw.close();
    const again = track(createCore({ dataDir: dir }));
    expect(await code(again.call('auth.signIn', CREDS))).toBe('auth.bad_credentials');
    expect(await code(again.call('auth.recover', { recoveryKey: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ', login: 'admin', newPassphrase: 'recovered passphrase' }))).toBe('auth.bad_recovery_key');
    const r = await again.call('auth.recover', { recoveryKey, login: 'admin', newPassphrase: 'recovered passphrase' });
    expect(r.state).toBe('signedIn');
    expect(await code(signedInCore(dir, { login: 'admin', passphrase: 'recovered passphrase' }))).toBe('ok');
  });
});

describe('audit trail', () => {
  it('records every listed action with user and patient, and verify finds an edited or removed row', async () => {
    const { dir, raw } = fresh();
    const { core } = setUpAndSignIn(raw);
    await core.call('settings.update', TEST_COMMISSION);
    const { id } = await core.call('cases.save', completeDraft());
    await core.call('cases.get', { id });
    const a = await core.call('cases.attachFile', { caseId: id, kind: 'other', name: 'x.pdf', mime: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 x').toString('base64') });
    await core.call('cases.fileContent', { fileId: a.file.id });
    await core.call('cases.register', { id });
    await core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', date: '2026-03-23', members: [{ name: 'Төраға', role: 'chair' }], issue: true });
    await core.call('protocols.render', { caseId: id, lang: 'kk' });
    await core.call('exchange.backup', { out: path.join(tempDir(), 'b.htmp') });
    await core.call('users.add', { login: 'sec', displayName: 'S', role: 'secretary', passphrase: 'secretary passphrase' });
    await code(raw.call('auth.signIn', { login: 'sec', passphrase: 'wrong passphrase' }));
    await core.call('auth.lock', {});
    await core.call('auth.signIn', CREDS).then((s) => raw.as({ channel: 'local', sessionId: s.sessionId! }).call('audit.verify', {}));
    const admin = raw.as({ channel: 'local', sessionId: (await raw.call('auth.signIn', CREDS)).sessionId! });
    const rows = (await admin.call('audit.list', { limit: 1000 })).rows;
    const actions = new Set(rows.map((r) => r.action));
    for (const x of ['auth.setup', 'settings.change', 'case.change', 'case.open', 'file.open', 'case.decide', 'pdf.render', 'export', 'user.add', 'auth.sign_in_failed', 'auth.lock', 'auth.sign_in', 'audit.verify']) expect(actions, x).toContain(x);
    const open = rows.find((r) => r.action === 'case.open')!;
    expect(open).toMatchObject({ userName: 'admin', caseId: id, patientIin: completeDraft().patient.iin });
    // Protocol issued by the signed-in user; the change log knows who wrote.
    const db = rawDatabase(dir);
    expect(db.prepare('SELECT issued_by_name FROM decisions').pluck().all()).toEqual([TEST_ADMIN.displayName]);
    expect(db.prepare("SELECT count(*) FROM change_log WHERE table_name = 'cases' AND user_id IS NULL").pluck().get()).toBe(0);
    // The app itself cannot change a row.
    expect(() => db.prepare('UPDATE audit_log SET user_name = ? WHERE seq = 2').run('x')).toThrow(/append-only/);
    expect((await admin.call('audit.verify', {})).ok).toBe(true);
    // With the sqlite library directly: drop the guard, alter a row.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
    db.prepare("UPDATE audit_log SET patient_iin = '000000000000' WHERE seq = ?").run(open.seq);
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: false, brokenAt: open.seq, reason: 'altered' });
    db.prepare("UPDATE audit_log SET patient_iin = ? WHERE seq = ?").run(open.patientIin, open.seq);
    expect((await admin.call('audit.verify', {})).ok).toBe(true);
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: false, brokenAt: 3, reason: 'removed' });
    db.close();
    // CSV and PDF exports carry the rows.
    const csv = await admin.call('audit.exportCsv', {});
    expect(csv.text.split('\r\n').length).toBeGreaterThan(10);
    const pdf = await admin.call('audit.exportPdf', { lang: 'ru' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 4).toString()).toBe('%PDF');
  });

  it('an audited write takes the write lock once: its row commits with the change and rolls back with it', async () => {
    const { raw } = fresh();
    const { core } = setUpAndSignIn(raw);
    await core.call('settings.update', TEST_COMMISSION);
    // Count the outermost write transactions the calls open (each one is a BEGIN IMMEDIATE).
    const db = core.db;
    const inner = db.transaction.bind(db);
    let transactions = 0;
    db.transaction = ((fn: (...args: never[]) => unknown) => {
      const tx = inner(fn);
      return Object.assign((...args: never[]) => {
        if (!db.inTransaction) transactions++;
        return tx(...args);
      }, tx);
    }) as typeof db.transaction;
    const before = (await core.call('audit.list', { limit: 1 })).rows[0]!.seq;
    const { id } = await core.call('cases.save', completeDraft());
    expect(transactions).toBe(1);
    const rows = (await core.call('audit.list', { limit: 10 })).rows.filter((r) => r.seq > before && r.method === 'cases.save');
    // the new case is named although its id was only known inside the transaction
    expect(rows).toMatchObject([{ action: 'case.change', outcome: 'ok', caseId: id, patientIin: completeDraft().patient.iin }]);
    // A read has no write of its own: its row is the call's one transaction.
    transactions = 0;
    await core.call('cases.get', { id });
    expect(transactions).toBe(1);
    // A write that fails inside its transaction leaves no `ok` row: the refusal is recorded instead.
    const stale = await code(core.call('cases.save', { ...completeDraft(), id, expectedUpdatedAt: '2000-01-01T00:00:00.000Z' }));
    expect(stale).not.toBe('ok');
    const last = (await core.call('audit.list', { limit: 1 })).rows[0]!;
    expect(last).toMatchObject({ method: 'cases.save', outcome: stale, caseId: id });
    expect((await core.call('audit.verify', {})).ok).toBe(true);
  });

  it('a forged row appended with the head moved to it is found: its hash is not under the audit key', async () => {
    const { dir, raw } = fresh();
    const { core } = setUpAndSignIn(raw);
    await core.call('settings.update', TEST_COMMISSION);
    const db = rawDatabase(dir);
    // (The hashes are stored as their 32 bytes.)
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer };
    // Someone with the sqlite library adds "the admin opened a case" that never happened,
    // linked to the real last row, with a plausible hash, and moves the head to it.
    const seq = last.seq + 1;
    const forged = createHash('sha256').update(Buffer.concat([last.hash, Buffer.from('\nforged')])).digest();
    const forgedHash = forged.toString('hex');
    db.prepare(
      "INSERT INTO audit_log (seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail, prev_hash, hash) VALUES (?, ?, NULL, 'admin', 'case.open', 'cases.get', 'ok', NULL, '900101300123', 'web', '{}', ?, ?)",
    ).run(seq, new Date().toISOString(), last.hash, forged);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(`${seq}:${forgedHash}`);
    db.close();
    expect(await core.call('audit.verify', {})).toMatchObject({ ok: false, brokenAt: seq, reason: 'altered' });
    // The app's next row links to the forged one but cannot make it whole: still found.
    await core.call('settings.update', { idleLockMinutes: 15 });
    expect(await core.call('audit.verify', {})).toMatchObject({ ok: false, brokenAt: seq, reason: 'altered' });
  });

  it('truncating the newest rows is found through the head', async () => {
    const { dir, raw } = fresh();
    const { core } = setUpAndSignIn(raw);
    await core.call('settings.update', { commissionName: 'X' });
    await core.call('settings.update', { commissionName: 'Y' });
    const db = rawDatabase(dir);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').run();
    db.close();
    expect(await core.call('audit.verify', {})).toMatchObject({ ok: false, reason: 'head' });
  });
});

describe('audit filter by IIN', () => {
  it('a prefix or a whole IIN finds exactly its rows, newest first, by a seek in audit_log_iin', () => {
    const db = openDatabase(path.join(tempDir(), 'audit-iin.sqlite'));
    migrate(db);
    const insert = db.prepare(
      "INSERT INTO audit_log (seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail, prev_hash, hash) VALUES (?, '2026-01-01T00:00:00.000Z', NULL, 'admin', 'case.open', 'cases.get', 'ok', NULL, ?, 'web', '{}', zeroblob(32), zeroblob(32))",
    );
    // 3,000 rows of 600 patients (five rows each), a few without a patient.
    const iinOf = (seq: number): string | null => (seq % 97 === 0 ? null : `${700101 + (seq % 600) * 13}${String(300000 + (seq % 600) * 7)}`);
    db.transaction(() => {
      for (let seq = 1; seq <= 3000; seq++) insert.run(seq, iinOf(seq));
    })();
    db.exec('ANALYZE');
    const sql: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((s: string) => (sql.push(s), prepare(s))) as typeof db.prepare;
    const expected = (prefix: string): number[] => {
      const out: number[] = [];
      for (let seq = 3000; seq >= 1 && out.length < 50; seq--) if (iinOf(seq)?.startsWith(prefix)) out.push(seq);
      return out;
    };
    const one = iinOf(1234)!;
    for (const [prefix, seek] of [[one, true], [one.slice(0, 10), true], [one.slice(0, 8), true], ['7', false], ['70', false], ['9', false], ['8', false]] as const) {
      const page = listAudit(db, { iin: prefix, limit: 50 });
      expect(page.rows.map((r) => r.seq), prefix).toEqual(expected(prefix));
      if (!seek) continue;
      expect(page.rows.length, prefix).toBeGreaterThan(0);
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql.at(-1)!}`).all(prefix, `${prefix}:`, 51) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan, prefix).toMatch(/USING INDEX audit_log_iin \(patient_iin>\? AND patient_iin<\?\)/);
    }
    db.close();
  });
});
