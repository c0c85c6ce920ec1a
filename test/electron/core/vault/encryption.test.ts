/**
 * Encryption at rest (issue 10): the marker test, the migration of a wave-1 folder, re-keying,
 * and processes killed at random moments of both.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/core';
import { isPlainDatabase, openDatabase, rekeyDatabase } from '../../../../electron/core/db';
import { readStoredFile, sha256Of } from '../../../../electron/core/files';
import { openWithPassphrase, readKeyring, writeKeyring } from '../../../../electron/core/vault/keyring';
import { databaseKey } from '../../../../electron/core/vault/keys';
import { setUpAndSignIn, signedInCore, tempDir, TEST_ADMIN, track } from '../../../support/temp';
import { completeDraft } from '../cases-fixtures';
import { filesUnder, findMarkers, makeWave1, MARKERS } from './wave1';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const require = createRequire(import.meta.url);
const CREDS = { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase };

/** The entries of a bundle (zip), inflated: what anyone with unzip sees. */
async function zipEntries(file: string): Promise<[string, Buffer][]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: [string, Buffer][] = [];
      zip.readEntry();
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (er, s) => {
          if (er || !s) return reject(er);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.push([`${path.basename(file)}!${e.fileName}`, Buffer.concat(chunks)]);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
    });
  });
}

async function markerRun(plaintext: boolean): Promise<string[]> {
  const dir = tempDir();
  const raw = track(createCore({ dataDir: dir, ...(plaintext ? { insecurePlaintext: true } : {}) }));
  const { core } = setUpAndSignIn(raw);
  const draft = completeDraft({ lastName: MARKERS.name });
  const { id } = await core.call('cases.save', { ...draft, diagnosis: { ...draft.diagnosis, text: MARKERS.diagnosis } });
  await core.call('cases.attachFile', { caseId: id, kind: 'other', name: 'scan.pdf', mime: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${MARKERS.file}`).toString('base64') });
  await core.call('cases.get', { id });
  const backup = path.join(tempDir(), 'backup.htmp');
  await core.call('exchange.backup', { out: backup, passphrase: 'backup passphrase 1' });
  // While the app runs (WAL and SHM present) and after it closed.
  const running = filesUnder(dir);
  expect(running.some(([rel]) => rel === 'htmp.sqlite-wal')).toBe(true);
  raw.close();
  const files = [...running, ...filesUnder(dir), [path.basename(backup), fs.readFileSync(backup)] as [string, Buffer], ...(await zipEntries(backup))];
  return findMarkers(files, Object.values(MARKERS));
}

describe('encryption at rest', () => {
  it('the marker test: no name, diagnosis or file content anywhere in the data folder or a backup, in any encoding', async () => {
    expect(await markerRun(false)).toEqual([]);
  }, 120_000);

  it('the same test without encryption finds them (so it can fail)', async () => {
    const hits = await markerRun(true);
    for (const m of Object.values(MARKERS)) expect(hits.some((h) => h.endsWith(m)), m).toBe(true);
    expect(hits.some((h) => h.startsWith('htmp.sqlite'))).toBe(true);
    expect(hits.some((h) => h.startsWith('files/'))).toBe(true);
    expect(hits.some((h) => h.includes('.htmp!'))).toBe(true);
  }, 120_000);

  it('the keyring holds no secret in clear: no key, no passphrase, no login name', async () => {
    const dir = tempDir();
    const { core, recoveryKey } = setUpAndSignIn(track(createCore({ dataDir: dir })));
    void core;
    const text = fs.readFileSync(path.join(dir, 'htmp.keyring.json'), 'utf8');
    for (const s of [TEST_ADMIN.passphrase, TEST_ADMIN.login, TEST_ADMIN.displayName, recoveryKey, recoveryKey.replace(/-/g, '')]) expect(text.includes(s), s).toBe(false);
    const k = readKeyring(dir)!;
    expect(k.slots.map((s) => s.kind).sort()).toEqual(['recovery', 'user']);
    expect(isPlainDatabase(path.join(dir, 'htmp.sqlite'))).toBe(false);
    expect(() => openDatabase(path.join(dir, 'htmp.sqlite'), { readonly: true })).toThrow();
  });
});

describe('the database cipher', () => {
  const dbFile = (dir: string): string => path.join(dir, 'htmp.sqlite');
  const dataKeyOf = (dir: string): Buffer => {
    const out = openWithPassphrase(readKeyring(dir)!, TEST_ADMIN.login, TEST_ADMIN.passphrase);
    if (!out.ok) throw new Error(out.reason);
    return out.dataKey;
  };
  const opensWith = (dir: string, key: string): boolean => {
    try {
      const db = openDatabase(dbFile(dir), { readonly: true, key });
      db.close();
      return true;
    } catch {
      return false;
    }
  };

  it('a new folder is AEGIS-256; a folder on SQLCipher pages (set up before) still opens, and a re-key moves it to AEGIS-256', async () => {
    const dir = tempDir();
    const { core } = setUpAndSignIn(track(createCore({ dataDir: dir })));
    const made = await core.call('cases.save', completeDraft({ lastName: 'Шифров' }));
    core.close();
    expect(readKeyring(dir)!.cipher.database).toBe('aegis256-raw-hkdf');
    const key = dataKeyOf(dir);
    expect(opensWith(dir, databaseKey(key, 'aegis256-raw-hkdf'))).toBe(true);
    expect(opensWith(dir, databaseKey(key, 'sqlcipher4-raw-hkdf'))).toBe(false);
    expect(() => databaseKey(key, 'rot13')).toThrow(expect.objectContaining({ code: 'auth.keyring_damaged' }));

    // As a folder set up before: SQLCipher 4 pages, and its keyring says so.
    {
      const db = openDatabase(dbFile(dir), { key: databaseKey(key, 'aegis256-raw-hkdf') });
      db.pragma('journal_mode = DELETE');
      rekeyDatabase(db, databaseKey(key, 'sqlcipher4-raw-hkdf'));
      db.close();
      const k = readKeyring(dir)!;
      writeKeyring(dir, { ...k, cipher: { ...k.cipher, database: 'sqlcipher4-raw-hkdf' } });
    }
    expect(opensWith(dir, databaseKey(key, 'sqlcipher4-raw-hkdf'))).toBe(true);
    expect(opensWith(dir, databaseKey(key, 'aegis256-raw-hkdf'))).toBe(false);
    const old = await signedInCore(dir);
    expect((await old.call('cases.get', { id: made.id })).patient.lastName).toBe('Шифров');
    await old.call('db.rekey', { passphrase: TEST_ADMIN.passphrase });
    expect((await old.call('cases.get', { id: made.id })).patient.lastName).toBe('Шифров');
    old.close();
    expect(readKeyring(dir)!.cipher.database).toBe('aegis256-raw-hkdf');
    const rekeyed = dataKeyOf(dir);
    expect(opensWith(dir, databaseKey(rekeyed, 'aegis256-raw-hkdf'))).toBe(true);
    expect(opensWith(dir, databaseKey(rekeyed, 'sqlcipher4-raw-hkdf'))).toBe(false);
    const again = await signedInCore(dir);
    expect((await again.call('cases.get', { id: made.id })).patient.lastName).toBe('Шифров');
  }, 120_000);

  it('a re-key is refused (db.in_use) while another process has the folder open: what that one writes is kept', async () => {
    const dir = tempDir();
    const { core: one } = setUpAndSignIn(track(createCore({ dataDir: dir })));
    const two = await signedInCore(dir);
    const keyId = readKeyring(dir)!.keyId;
    await expect(one.call('db.rekey', { passphrase: TEST_ADMIN.passphrase })).rejects.toMatchObject({ code: 'db.in_use' });
    expect(readKeyring(dir)!.keyId).toBe(keyId);
    // Both still work on the same file (before, the second one went on writing into the removed one).
    await two.call('settings.update', { idleLockMinutes: 42 });
    await one.call('cases.save', completeDraft({ lastName: 'Екеу' }));
    two.close();
    await one.call('db.rekey', { passphrase: TEST_ADMIN.passphrase });
    expect(readKeyring(dir)!.keyId).not.toBe(keyId);
    one.close();
    const again = await signedInCore(dir);
    expect(again.db.prepare("SELECT value FROM settings WHERE key = 'idleLockMinutes'").pluck().get()).toBe('42');
    expect((await again.call('cases.list', { query: 'Екеу' })).total).toBe(1);
  }, 120_000);

  it('a keyring that names another cipher: sign-in refused with auth.keyring_damaged, the folder unchanged', async () => {
    const dir = tempDir();
    const { core } = setUpAndSignIn(track(createCore({ dataDir: dir })));
    await core.call('cases.save', completeDraft({ lastName: 'Кілт' }));
    core.close();
    const k = readKeyring(dir)!;
    const before = fs.readFileSync(dbFile(dir));
    for (const cipher of ['rot13', 'sqlcipher4-raw-hkdf']) {
      writeKeyring(dir, { ...k, cipher: { ...k.cipher, database: cipher as 'aegis256-raw-hkdf' } });
      const c = track(createCore({ dataDir: dir }));
      await expect(c.call('auth.signIn', { login: TEST_ADMIN.login, passphrase: TEST_ADMIN.passphrase })).rejects.toMatchObject({ code: cipher === 'rot13' ? 'auth.keyring_damaged' : 'db.wrong_key' });
      c.close();
      expect(fs.readFileSync(dbFile(dir)).equals(before)).toBe(true);
    }
    writeKeyring(dir, k);
    const again = await signedInCore(dir);
    expect((await again.call('cases.list', {})).total).toBe(1);
  }, 120_000);

  it('a page changed on disk does not open', async () => {
    const dir = tempDir();
    const { core } = setUpAndSignIn(track(createCore({ dataDir: dir })));
    for (let i = 0; i < 20; i++) await core.call('cases.save', completeDraft({ lastName: `Бет${i}` }));
    core.close();
    const file = dbFile(dir);
    const bytes = fs.readFileSync(file);
    const page = 4096;
    let refused = 0;
    for (let p = 1; p < Math.min(bytes.length / page, 40); p++) {
      const copy = Buffer.from(bytes);
      copy[p * page + 100]! ^= 0x01;
      fs.writeFileSync(file, copy);
      try {
        const db = openDatabase(file, { readonly: true, key: databaseKey(dataKeyOf(dir), 'aegis256-raw-hkdf') });
        try {
          // Every page of every table and index is read: the damaged one fails (thrown, or reported as a page error).
          if (db.pragma('integrity_check', { simple: true }) !== 'ok') refused++;
        } finally {
          db.close();
        }
      } catch (err) {
        if (['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes((err as { code?: string }).code ?? '')) refused++;
        else throw err;
      }
    }
    fs.writeFileSync(file, bytes);
    expect(refused).toBe(Math.min(bytes.length / page, 40) - 1);
  }, 120_000);
});

describe('a wave-1 folder', () => {
  it('is encrypted at the first set-up through a verified copy: same counts, same protocols, files, no plaintext left', async () => {
    const dir = tempDir();
    const before = await makeWave1(dir);
    expect(findMarkers(filesUnder(dir), Object.values(MARKERS)).length).toBeGreaterThan(0);
    const raw = track(createCore({ dataDir: dir }));
    const status = await raw.call('auth.status', {});
    expect(status).toMatchObject({ state: 'setup', plainData: true });
    const { core } = setUpAndSignIn(raw);
    // Every table as many rows (meta gains the audit trail's head, users the admin).
    for (const [t, n] of Object.entries(before.counts)) if (t !== 'meta') expect(core.db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(), t).toBe(n);
    for (const [id, sha] of Object.entries(before.protocols)) expect((await core.call('protocols.render', { caseId: id, lang: 'both' })).sha256).toBe(sha);
    for (const sha of before.files) expect(sha256Of(readStoredFile(dir, sha)!)).toBe(sha);
    const encrypt = (await core.call('audit.list', { action: 'db.encrypt' })).rows;
    expect(encrypt).toHaveLength(1);
    raw.close();
    expect(findMarkers(filesUnder(dir), Object.values(MARKERS))).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.convert'))).toBe(false);
  }, 180_000);
});

function buildChild(): string {
  const out = path.join(tempDir(), 'kill-child.cjs');
  const pkg = require(path.join(root, 'package.json')) as { dependencies: Record<string, string> };
  (require('esbuild') as typeof import('esbuild')).buildSync({
    entryPoints: [path.join(import.meta.dirname, 'kill-child.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: Object.keys(pkg.dependencies),
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'error',
  });
  return out;
}

/** Runs the child and SIGKILLs it `afterMs` after its first step (or lets it finish); the steps it printed. */
function runChild(child: string, mode: 'encrypt' | 'rekey' | 'pack', dir: string, afterMs: number | null): Promise<string[]> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, mode, dir], { cwd: root, env: { ...process.env, HTMP_APP_ROOT: root, NODE_PATH: path.join(root, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (afterMs !== null && !timer && out.includes('STEP start')) timer = setTimeout(() => proc.kill('SIGKILL'), afterMs);
    });
    proc.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(out.split('\n').filter(Boolean));
    });
  });
}

/** Either the old state or the new one, complete: every count, protocol and file as before. */
async function checkWhole(dir: string, w: Awaited<ReturnType<typeof makeWave1>>, expectKeyIdChange?: string): Promise<'old' | 'new'> {
  const raw = track(createCore({ dataDir: dir })); // rolls an interrupted operation forward or back
  expect(fs.existsSync(path.join(dir, '.convert'))).toBe(false);
  const k = readKeyring(dir);
  let state: 'old' | 'new';
  if (!k) {
    state = 'old';
    expect(isPlainDatabase(path.join(dir, 'htmp.sqlite'))).toBe(true);
    const db = openDatabase(path.join(dir, 'htmp.sqlite'), { readonly: true });
    for (const [t, n] of Object.entries(w.counts)) expect(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(), t).toBe(n);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    for (const sha of w.files) expect(sha256Of(fs.readFileSync(path.join(dir, 'files', sha.slice(0, 2), sha)))).toBe(sha);
  } else {
    state = expectKeyIdChange === undefined || k.keyId !== expectKeyIdChange ? 'new' : 'old';
    const s = await raw.call('auth.signIn', CREDS);
    const core = raw.as({ channel: 'local', sessionId: s.sessionId! });
    for (const [t, n] of Object.entries(w.counts)) {
      if (t === 'meta') continue; // the audit head is a new meta row
      expect(core.db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(), t).toBe(n);
    }
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const sha of w.files) expect(sha256Of(readStoredFile(dir, sha)!)).toBe(sha);
    expect(findMarkers(filesUnder(dir), Object.values(MARKERS))).toEqual([]);
  }
  raw.close();
  return state;
}

describe('killed at any moment (SIGKILL)', () => {
  const REPS = 20;

  it(`during the migration of a wave-1 folder, ${REPS} times: the old state or the new one, complete`, async () => {
    const child = buildChild();
    const template = tempDir();
    const w = await makeWave1(template, 3);
    // How long a whole run takes, to spread the kills over it.
    const full = tempDir();
    fs.cpSync(template, full, { recursive: true });
    const t0 = Date.now();
    const steps = await runChild(child, 'encrypt', full, null);
    const span = Date.now() - t0;
    expect(steps).toContain('DONE');
    expect(steps).toContain('STEP committed');
    const seen = { old: 0, new: 0 };
    for (let i = 0; i < REPS; i++) {
      const dir = tempDir();
      fs.cpSync(template, dir, { recursive: true });
      await runChild(child, 'encrypt', dir, Math.floor(((i + 0.5) / REPS) * span * 0.9));
      seen[await checkWhole(dir, w)]++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The kills fell on both sides of the commit.
    expect(seen.old + seen.new).toBe(REPS);
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
  }, 600_000);

  it(`during a re-key, ${REPS} times: the old key or the new one, complete`, async () => {
    const child = buildChild();
    const template = tempDir();
    const w = await makeWave1(template, 3);
    await runChild(child, 'encrypt', template, null);
    const oldKeyId = readKeyring(template)!.keyId;
    const full = tempDir();
    fs.cpSync(template, full, { recursive: true });
    const t0 = Date.now();
    const steps = await runChild(child, 'rekey', full, null);
    const span = Date.now() - t0;
    expect(steps).toContain('DONE');
    expect(readKeyring(full)!.keyId).not.toBe(oldKeyId);
    const seen = { old: 0, new: 0 };
    for (let i = 0; i < REPS; i++) {
      const dir = tempDir();
      fs.cpSync(template, dir, { recursive: true });
      await runChild(child, 'rekey', dir, Math.floor(((i + 0.5) / REPS) * span * 0.9));
      seen[await checkWhole(dir, w, oldKeyId)]++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(seen.old + seen.new).toBe(REPS);
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    // A re-keyed folder still signs in with the same passphrase; the audit trail says who re-keyed.
    const c = await signedInCore(full);
    expect((await c.call('audit.list', { action: 'db.rekey' })).rows).toHaveLength(1);
  }, 600_000);

  it(`while the database is packed in place, ${REPS} times: the old file or the packed one, complete`, async () => {
    const child = buildChild();
    const template = tempDir();
    const w = await makeWave1(template, 3);
    await runChild(child, 'encrypt', template, null);
    const keyId = readKeyring(template)!.keyId;
    const inode = (dir: string): number => fs.statSync(path.join(dir, 'htmp.sqlite')).ino;
    const full = tempDir();
    fs.cpSync(template, full, { recursive: true });
    const before = inode(full);
    const t0 = Date.now();
    const steps = await runChild(child, 'pack', full, null);
    const span = Date.now() - t0;
    expect(steps).toEqual(expect.arrayContaining(['STEP pack:copied', 'STEP pack:verified', 'STEP committed', 'STEP forward:db', 'DONE']));
    // The packed file took the database's place (a new file), under the same key, private.
    expect(inode(full)).not.toBe(before);
    expect(fs.statSync(path.join(full, 'htmp.sqlite')).mode & 0o777).toBe(0o600);
    expect(await checkWhole(full, w, keyId)).toBe('old');
    const seen = { old: 0, new: 0 };
    for (let i = 0; i < REPS; i++) {
      const dir = tempDir();
      fs.cpSync(template, dir, { recursive: true });
      const was = inode(dir);
      await runChild(child, 'pack', dir, Math.floor(((i + 0.5) / REPS) * span * 0.9));
      // checkWhole opens the folder (rolling a committed pack forward) and finds every row.
      await checkWhole(dir, w, keyId);
      seen[inode(dir) === was ? 'old' : 'new']++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(seen.old + seen.new).toBe(REPS);
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
  }, 600_000);
});
