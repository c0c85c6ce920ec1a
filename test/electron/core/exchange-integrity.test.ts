/**
 * Issue 12 through the exchange layer, each with a hostile input built here: content that is not
 * what its name says (1), catalogue updates that go backwards (6), a stranger's bundle that must
 * not be inflated and a signature checked before anything else (8), a peer whose key changes (11).
 * Every test failed on the format-1.0 code and passes now.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readShippedCatalogue } from '../../../electron/core/catalogue/data';
import { openBundle } from '../../../electron/core/exchange/archive';
import { writeCatalogueBundle } from '../../../electron/core/exchange/catalogue-update';
import { generateKeyPair } from '../../../electron/core/exchange/keys';
import { fileStore } from '../../../electron/core/files';
import { AppFailure } from '../../../shared/result';
import { tempCore, tempDir } from '../../support/temp';
import { buildRawBundle, patchCentralDirectory } from './exchange/fixtures/hostile';
import { call, closeAll, dbFileHash, laptop, snapshot, type Laptop } from './exchange-helpers';
import { decidedCase } from './protocols.fixture';

/** Where the store keeps a hash (a keyed name in a folder with users). */
const storedPath = (dataDir: string, h: string): string => {
  const n = fileStore(dataDir).nameOf(h);
  return path.join(dataDir, 'files', n.slice(0, 2), n);
};

afterEach(closeAll);

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const SENDER = 'laptop-sender';
const keys = generateKeyPair();

async function receiver(): Promise<Laptop> {
  const b = laptop();
  await call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: keys.publicKey, name: 'S' });
  return b;
}

function storedFiles(l: Laptop): string[] {
  const root = path.join(l.dir, 'files');
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}$/.test(f)) : [];
}

describe('1. content is what its name says', () => {
  it('files/<sha256> whose bytes hash otherwise is refused (bundle.hash_mismatch) before anything is stored, in import, dry run and verify', async () => {
    const b = await receiver();
    const real = Buffer.from('a forged referral scan');
    const claimed = sha('the document the record names');
    const record = JSON.stringify({ seq: 1, changeId: randomUUID(), table: 't_file', recordId: randomUUID(), op: 'insert', fields: { name: [null, 'scan.pdf'], file_sha256: [null, claimed] }, installationId: SENDER, at: '2026-01-15T10:00:00.000Z' });
    const file = path.join(tempDir(), 'forged.htmp');
    // The manifest is consistent with the bytes (their real hash), only the NAME lies.
    await buildRawBundle(file, {
      keys,
      installationId: SENDER,
      files: [
        { name: 'records/changes.jsonl', data: Buffer.from(record + '\n') },
        { name: `files/${claimed}`, data: real },
      ],
      manifest: (m) => void (m.meta = { since: 0, upTo: 1 }),
    });
    const before = dbFileHash(b);
    for (const dryRun of [true, false]) {
      const err = await call(b, 'exchange.import', { file, dryRun }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppFailure);
      expect(err).toMatchObject({ code: 'bundle.hash_mismatch', params: { path: `files/${claimed}`, reason: 'attachment_name' } });
    }
    expect(storedFiles(b)).toEqual([]);
    expect(dbFileHash(b)).toBe(before);
    expect(snapshot(b).t_file).toEqual([]);
    const v = await call(b, 'exchange.verify', { file });
    expect(v.valid).toBe(false);
    expect(v.errors[0]).toMatchObject({ code: 'bundle.hash_mismatch' });
  });

  it('attachments are read once and stored only when all passed: a forged one after good ones leaves no file, not even a temporary one', async () => {
    const b = await receiver();
    const good = [0, 1, 2].map((i) => Buffer.from(`scan number ${i} of the referral`));
    const claimed = sha('the document the record names');
    const rec = (i: number, h: string): string =>
      JSON.stringify({ seq: i + 1, changeId: randomUUID(), table: 't_file', recordId: randomUUID(), op: 'insert', fields: { name: [null, `scan-${i}.pdf`], file_sha256: [null, h] }, installationId: SENDER, at: '2026-01-15T10:00:00.000Z' });
    const records = [...good.map((g, i) => rec(i, sha(g))), rec(3, claimed)].join('\n') + '\n';
    const file = path.join(tempDir(), 'forged-last.htmp');
    await buildRawBundle(file, {
      keys,
      installationId: SENDER,
      files: [{ name: 'records/changes.jsonl', data: Buffer.from(records) }, ...good.map((g) => ({ name: `files/${sha(g)}`, data: g })), { name: `files/${claimed}`, data: Buffer.from('a forged scan'), declare: { sha256: claimed } }],
      manifest: (m) => void (m.meta = { since: 0, upTo: 4 }),
    });
    const before = dbFileHash(b);
    const err = await call(b, 'exchange.import', { file }).catch((e: unknown) => e);
    // The manifest names the forged entry by the hash it claims: it passes the opening, and only
    // reading its bytes (after the three good ones were written) finds them other.
    expect(err).toMatchObject({ code: 'bundle.hash_mismatch', params: { path: `files/${claimed}`, reason: 'content' } });
    const root = path.join(b.dir, 'files');
    const left = fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(root, f)).isFile()) : [];
    expect(left).toEqual([]);
    expect(dbFileHash(b)).toBe(before);
    // The same bundle without the forged entry imports, and its three scans are stored.
    const fine = path.join(tempDir(), 'good.htmp');
    await buildRawBundle(fine, {
      keys,
      installationId: SENDER,
      files: [{ name: 'records/changes.jsonl', data: Buffer.from(good.map((g, i) => rec(i, sha(g))).join('\n') + '\n') }, ...good.map((g) => ({ name: `files/${sha(g)}`, data: g }))],
      manifest: (m) => void (m.meta = { since: 0, upTo: 3 }),
    });
    const r = await call(b, 'exchange.import', { file: fine });
    expect(r).toMatchObject({ imported: 3, attachments: 3 });
    for (const g of good) expect(fs.readFileSync(storedPath(b.dir, sha(g))).length).toBeGreaterThan(0);
    expect(fileStore(b.dir).read(sha(good[1]!))).toEqual(good[1]);
  });

  it('a referral bundle never ships bytes other than the ones attached: a damaged stored file refuses the export', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const doc = (await core.call('cases.get', { id })).documents[0]!;
    const scan = Buffer.from('%PDF-1.4 the extract as the secretary attached it');
    // Attached before the protocol is issued: an issued case is locked (issue 11).
    await core.call('cases.attachFile', { caseId: id, documentId: doc.id, name: 'extract.pdf', mime: 'application/pdf', contentBase64: scan.toString('base64') });
    await core.call('protocols.issue', { caseId: id });
    const h = sha(scan);
    // Someone (or a failing disk) changes the stored bytes afterwards.
    fs.writeFileSync(storedPath(core.dataDir, h), '%PDF-1.4 something else entirely');
    const out = path.join(tempDir(), 'referral.htmp');
    // The store's own check (files.damaged) or the bundle writer's (bundle.hash_mismatch) refuses it.
    await expect(core.call('exchange.export', { kind: 'referral', out })).rejects.toMatchObject({ code: expect.stringMatching(/^(files\.damaged|bundle\.hash_mismatch)$/) });
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    // Still to export: nothing was marked as sent.
    expect(core.db.prepare('SELECT portal_status FROM cases WHERE id = ?').pluck().get(id)).toBe('to_export');
  });

  it('db check reads the file store back and reports each missing or damaged file by case', async () => {
    const core = tempCore();
    const id = await decidedCase(core);
    const doc = (await core.call('cases.get', { id })).documents[0]!;
    const one = Buffer.from('first scan');
    const two = Buffer.from('second scan');
    for (const [name, content] of [['one.pdf', one], ['two.pdf', two]] as const) {
      await core.call('cases.attachFile', { caseId: id, documentId: doc.id, name, mime: 'application/pdf', contentBase64: content.toString('base64') });
    }
    const ok = await core.call('db.check', {});
    expect(ok).toMatchObject({ ok: true, files: { checked: 2, problems: [] } });
    fs.rmSync(storedPath(core.dataDir, sha(one)));
    fs.writeFileSync(storedPath(core.dataDir, sha(two)), 'bit rot');
    const bad = await core.call('db.check', {});
    expect(bad.ok).toBe(false);
    expect(bad.integrity).toEqual(['ok']);
    expect(bad.files.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sha256: sha(one), status: 'missing', cases: [id] }),
        expect.objectContaining({ sha256: sha(two), status: 'damaged', cases: [id] }),
      ]),
    );
    expect(bad.files.problems).toHaveLength(2);
  });
});

describe('6. catalogue updates only move forward', () => {
  const shipped = readShippedCatalogue().data;
  const newer = (): typeof shipped => {
    const edition = structuredClone(shipped.editions[shipped.editions.length - 1]!);
    edition.id = '2027-001-ru';
    return { editions: [...shipped.editions, edition], characteristics: shipped.characteristics };
  };

  it('an older or equal bundle, or one that removes editions, is refused unless the rollback is allowed; the result lists editions added and removed', async () => {
    const a = laptop();
    const publisher = generateKeyPair();
    const dir = tempDir();
    const make = async (name: string, data: typeof shipped, day: string): Promise<string> => {
      const file = path.join(dir, name);
      await writeCatalogueBundle({ file, publisher: { privateKey: publisher.privateKey, name: 'Минздрав' }, data, createdAt: new Date(`${day}T09:00:00Z`) });
      return file;
    };
    const march = await make('march.htmp', newer(), '2027-03-01');
    const january = await make('january.htmp', { ...newer(), characteristics: shipped.characteristics }, '2027-01-10');
    const april = await make('april.htmp', { editions: shipped.editions.slice(0, 1), characteristics: shipped.characteristics }, '2027-04-01');

    const first = await call(a, 'exchange.import', { file: march, trustNewPeer: true });
    expect(first.editions).toEqual({ added: ['2027-001-ru'], removed: [] });

    // Older than the one applied: refused, nothing changes.
    const before = a.core.db.prepare('SELECT id FROM catalogue_editions ORDER BY id').pluck().all();
    const older = await call(a, 'exchange.import', { file: january }).catch((e: unknown) => e);
    expect(older).toMatchObject({ code: 'exchange.catalogue_rollback', params: { reason: 'older' } });
    // Newer, but it would remove editions: refused too, and says which.
    const removing = await call(a, 'exchange.import', { file: april }).catch((e: unknown) => e);
    const removed = shipped.editions.slice(1).map((e) => e.id).concat('2027-001-ru').sort();
    expect(removing).toMatchObject({ code: 'exchange.catalogue_rollback', params: { reason: 'removes_editions', removed: removed.join(', ') } });
    expect(a.core.db.prepare('SELECT id FROM catalogue_editions ORDER BY id').pluck().all()).toEqual(before);

    // The preview (dry run) shows what would go, with a warning, and applies nothing.
    const dry = await call(a, 'exchange.import', { file: april, dryRun: true });
    expect(dry.editions).toEqual({ added: [], removed });
    expect(dry.warnings[0]).toMatchObject({ code: 'exchange.catalogue_rollback' });
    const preview = await call(a, 'exchange.cataloguePreview', { file: april });
    expect(preview).toMatchObject({ editionsRemoved: removed, rollback: { reason: 'removes_editions' } });

    // Explicitly allowed: applied, and the result lists what was removed.
    const forced = await call(a, 'exchange.import', { file: april, allowRollback: true });
    expect(forced.editions).toEqual({ added: [], removed });
    expect(a.core.db.prepare('SELECT id FROM catalogue_editions ORDER BY id').pluck().all()).toEqual([shipped.editions[0]!.id]);
    // The same content again, later: nothing new (equal) is refused as well.
    const again = await make('april2.htmp', { editions: shipped.editions.slice(0, 1), characteristics: shipped.characteristics }, '2027-05-01');
    await expect(call(a, 'exchange.catalogueApply', { file: again })).rejects.toMatchObject({ code: 'exchange.catalogue_rollback', params: { reason: 'equal' } });
  });
});

describe('8. bounded work for untrusted input', () => {
  it('bundle verify of a stranger never inflates its content (a lying bomb is not even opened)', async () => {
    const b = laptop();
    const stranger = generateKeyPair();
    const file = path.join(tempDir(), 'stranger.htmp');
    const bomb = Buffer.alloc(2 * 1024 * 1024, 0x41);
    await buildRawBundle(file, { keys: stranger, installationId: 'laptop-stranger', files: [{ name: 'files/bomb', data: bomb, declare: { size: 1000 } }], manifest: (m) => void (m.meta = { since: 0, upTo: 0 }) });
    await patchCentralDirectory(file, (buf, at, name) => {
      if (name === 'files/bomb') buf.writeUInt32LE(1000, at + 24);
    });
    const v = await call(b, 'exchange.verify', { file });
    expect(v.valid).toBe(false);
    // Only the trust refusal: the content was not inflated (it would be bundle.too_large).
    expect(v.errors.map((e) => e.code)).toEqual(['bundle.untrusted_sender']);
  });

  it('the signature is checked before the manifest schema: an unsigned manifest is not interpreted', async () => {
    const file = path.join(tempDir(), 'unsigned.htmp');
    await buildRawBundle(file, {
      keys,
      files: [{ name: 'records/a.json', data: Buffer.from('{}') }],
      manifest: (m) => void (m.createdAt = 'not a date'),
      signature: Buffer.from('A'.repeat(86) + '=='),
    });
    const err = await openBundle(file, { isTrusted: () => true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bundle.signature_invalid' });
  });

  it('the compression ratio is checked for an entry of exactly 1 MiB like any other', async () => {
    const file = path.join(tempDir(), 'mib.htmp');
    await buildRawBundle(file, { keys, files: [{ name: 'files/zeros', data: Buffer.alloc(1024 * 1024) }] });
    const err = await openBundle(file, { isTrusted: () => true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bundle.too_large', params: { reason: 'compression_ratio' } });
  });

  it('the total declared by the manifest is capped before any entry is read', async () => {
    const file = path.join(tempDir(), 'total.htmp');
    const data = Buffer.from('x'.repeat(4000));
    await buildRawBundle(file, { keys, files: [{ name: 'records/a.txt', data, compress: false }, { name: 'records/b.txt', data, compress: false }] });
    const err = await openBundle(file, { isTrusted: () => true, limits: { maxTotalSize: 6000 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bundle.too_large', params: { reason: 'total_size' } });
  });
});

describe('11. key changes are loud', () => {
  it('a known laptop with another key needs --accept-key-change with the NEW fingerprint; the change is logged and shown with the peer', async () => {
    const b = await receiver();
    const newKeys = generateKeyPair();
    const record = JSON.stringify({ seq: 1, changeId: randomUUID(), table: 't_case', recordId: randomUUID(), op: 'insert', fields: { surname: [null, 'После переустановки'] }, installationId: SENDER, at: '2026-02-01T10:00:00.000Z' });
    const file = path.join(tempDir(), 'rekeyed.htmp');
    await buildRawBundle(file, { keys: newKeys, installationId: SENDER, files: [{ name: 'records/changes.jsonl', data: Buffer.from(record + '\n') }], manifest: (m) => void (m.meta = { since: 0, upTo: 1 }) });
    const peerBefore = (await call(b, 'exchange.peers', {}))[0]!;

    // Trusting new senders is not enough.
    const err = await call(b, 'exchange.import', { file, trustNewPeer: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bundle.key_changed', params: { installationId: SENDER, previousFingerprint: peerBefore.fingerprint } });
    const newFingerprint = (err as AppFailure).params!.fingerprint as string;
    expect(newFingerprint).not.toBe(peerBefore.fingerprint);
    // A wrong fingerprint does not do either.
    await expect(call(b, 'exchange.import', { file, acceptKeyChange: peerBefore.fingerprint })).rejects.toMatchObject({ code: 'bundle.key_changed' });
    expect(snapshot(b).t_case).toEqual([]);

    const ok = await call(b, 'exchange.import', { file, acceptKeyChange: newFingerprint.replace(/ /g, '').toLowerCase() });
    expect(ok.imported).toBe(1);
    const peer = (await call(b, 'exchange.peers', {}))[0]!;
    expect(peer.fingerprint).toBe(newFingerprint);
    expect(peer.keyChanges).toEqual([{ at: expect.any(String), previousFingerprint: peerBefore.fingerprint, fingerprint: newFingerprint }]);
    const logged = b.core.db.prepare("SELECT op, fields FROM change_log WHERE table_name = 'exchange_peers' AND record_id = ?").get(SENDER) as { op: string; fields: string };
    expect(logged.op).toBe('update');
    expect(JSON.parse(logged.fields).public_key).toEqual([keys.publicKey, newKeys.publicKey]);
  });

  it('replacing a peer key by hand (trustPeer) needs the same confirmation', async () => {
    const b = await receiver();
    const other = generateKeyPair();
    await expect(call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: other.publicKey })).rejects.toMatchObject({ code: 'bundle.key_changed' });
    const fp = (await call(b, 'exchange.peers', {}))[0]!.fingerprint;
    expect(fp).not.toBe('');
    const { fingerprint } = await import('../../../electron/core/exchange/keys');
    const changed = await call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: other.publicKey, acceptKeyChange: fingerprint(other.publicKey) });
    expect(changed.keyChanges).toHaveLength(1);
  });
});
