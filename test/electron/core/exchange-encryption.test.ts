/**
 * Sync bundles are encrypted to their recipients (issue 10, point 4): nothing of a patient is
 * readable in the file, in any encoding, raw or inflated; the same bundle made without
 * encryption shows every marker (so the search can fail). Only the addressed laptops open it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { openBundle } from '../../../electron/core/exchange/archive';
import { decryptBuffer, encryptBuffer, encryptStream, decryptStream, entryKey, newEncryption, openContentKey, generateBoxKeyPair } from '../../../electron/core/exchange/seal';
import { exportSync } from '../../../electron/core/exchange/sync';
import { Readable } from 'node:stream';
import { tempCore, tempDir } from '../../support/temp';
import { closeAll, fingerprintOf, job, knows, laptop, pair, call } from './exchange-helpers';
import { caseDraft } from './protocols.fixture';

afterEach(closeAll);

const MARKERS = {
  name: 'Маркерқызы',
  diagnosis: 'MARKERDIAGNOSIS-Жүрек-7731',
  file: 'MARKERFILECONTENT-9f3e2a-scan',
};

/** Every entry of a zip as stored, and inflated when it is deflated (without any check). */
async function entryBytes(file: string): Promise<Buffer[]> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (e, z) => (e ? rej(e) : res(z))));
  const out: Buffer[] = [];
  const read = (entry: yauzl.Entry, decompress: boolean): Promise<Buffer> =>
    new Promise((res, rej) =>
      zip.openReadStream(entry, (entry.compressionMethod === 8 ? { decompress } : {}) as yauzl.ZipFileOptions, (e, s) => {
        if (e) return rej(e);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => res(Buffer.concat(chunks))).on('error', rej);
      }),
    );
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        out.push(await read(entry, false)); // stored bytes (deflated or not)
        if (entry.compressionMethod === 8) out.push(await read(entry, true));
        zip.readEntry();
      })().catch(rej);
    });
    zip.on('end', () => res());
    zip.readEntry();
  });
  zip.close();
  return out;
}

/** Which markers are readable in the bundle: raw file, entries raw and inflated; UTF-8, UTF-16, base64, JSON escapes. */
async function readableMarkers(file: string): Promise<string[]> {
  const blobs = [fs.readFileSync(file), ...(await entryBytes(file))];
  const found = new Set<string>();
  for (const [key, marker] of Object.entries(MARKERS)) {
    const needles = [
      Buffer.from(marker, 'utf8'),
      Buffer.from(marker, 'utf16le'),
      Buffer.from(Buffer.from(marker, 'utf8').toString('base64').slice(0, 16), 'latin1'),
      Buffer.from(JSON.stringify(marker).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1'),
    ];
    if (blobs.some((b) => needles.some((n) => b.includes(n)))) found.add(key);
  }
  return [...found].sort();
}

describe('sync bundles are encrypted to their recipients', () => {
  it('no marker of a patient is readable in an encrypted bundle; the same data unencrypted shows all of them', async () => {
    const a = tempCore();
    const b = tempCore();
    const ib = await b.call('exchange.identity', {});
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: 'B' });
    const draft = caseDraft({ diagnosis: { icd10: 'I50.0', text: MARKERS.diagnosis } });
    draft.patient.lastName = MARKERS.name;
    const saved = await a.call('cases.save', draft);
    const doc = saved.detail.documents[0]!;
    await a.call('cases.attachFile', { caseId: saved.id, documentId: doc.id, name: 'scan.pdf', mime: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${MARKERS.file}`).toString('base64') });

    const encrypted = path.join(tempDir(), 'encrypted.htmp');
    const r = await a.call('exchange.export', { kind: 'sync', out: encrypted, for: [ib.encryptionFingerprint] });
    expect(r).toMatchObject({ encrypted: true, attachments: 1 });
    expect(await readableMarkers(encrypted)).toEqual([]);
    // Debian's unzip sees only encrypted entries and file names that say nothing.
    const listing = execFileSync('unzip', ['-l', encrypted], { encoding: 'utf8' });
    expect(listing).toMatch(/records\/changes-000001\.jsonl\.enc/);
    expect(listing).not.toMatch(/files\/[0-9a-f]{64}\s/);

    const ctx = { ...a.context };
    const plain = path.join(tempDir(), 'plain.htmp');
    const { runJob } = await import('../../../electron/core/exchange/jobs');
    await runJob(ctx, 'test', undefined, (j) => exportSync(ctx, { file: plain, plain: true, job: j }));
    expect(await readableMarkers(plain)).toEqual(['diagnosis', 'file', 'name']);

    // The recipient opens it; the manifest is still signed and names its recipients.
    const imported = await b.call('exchange.import', { file: encrypted, trustNewPeer: true });
    expect(imported.imported).toBeGreaterThan(5);
    expect(b.db.prepare('SELECT last_name FROM patients').pluck().all()).toEqual([MARKERS.name]);
    const reader = await openBundle(encrypted, { isTrusted: () => true });
    expect(reader.manifest.version).toBe('2.0');
    expect(reader.manifest.encryption?.recipients.map((x) => x.fingerprint)).toEqual([ib.encryptionFingerprint]);
    await reader.close();
  });

  it('a bundle for several laptops opens on each of them and on no other (bundle.not_recipient)', async () => {
    const a = laptop();
    const b = laptop();
    const c = laptop();
    const d = laptop();
    await pair(a, b);
    await pair(a, c);
    await knows(d, a);
    a.ctx.store.insert('t_case', { surname: 'Для двоих' });
    const file = path.join(tempDir(), 'two.htmp');
    const recipients = [await fingerprintOf(b), await fingerprintOf(c)];
    await job(a, (j) => exportSync(a.ctx, { file, for: recipients, job: j }));
    for (const l of [b, c]) expect((await call(l, 'exchange.import', { file })).imported).toBe(1);
    const err = await call(d, 'exchange.import', { file }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bundle.not_recipient', params: { fingerprint: await fingerprintOf(d) } });
    expect(d.core.db.prepare('SELECT count(*) AS n FROM t_case').pluck().get()).toBe(0);
  });

  it('an introduction carries keys only: after it the other laptop can encrypt for this one', async () => {
    const a = laptop();
    const b = laptop();
    a.ctx.store.insert('t_case', { surname: 'Не для знакомства' });
    const intro = path.join(tempDir(), 'intro.htmp');
    const r = await call(a, 'exchange.export', { kind: 'sync', introduce: true, out: intro });
    expect(r).toMatchObject({ records: 0, attachments: 0, encrypted: false, recipients: [] });
    await expect(call(b, 'exchange.export', { kind: 'sync', out: path.join(tempDir(), 'x.htmp'), for: [await fingerprintOf(a)] })).rejects.toMatchObject({ code: 'exchange.unknown_peer' });
    expect((await call(b, 'exchange.import', { file: intro, trustNewPeer: true })).imported).toBe(0);
    expect(b.core.db.prepare('SELECT count(*) AS n FROM t_case').pluck().get()).toBe(0);
    const peer = (await call(b, 'exchange.peers', {}))[0]!;
    expect(peer.encryptionFingerprint).toBe(await fingerprintOf(a));
    const back = await call(b, 'exchange.export', { kind: 'sync', out: path.join(tempDir(), 'back.htmp'), for: [peer.encryptionFingerprint!] });
    expect(back.encrypted).toBe(true);
  });
});

describe('seal: the encryption of entries', () => {
  const key = Buffer.alloc(32, 7);
  const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

  it('round trips through streams and buffers, any size, chunk boundaries included', async () => {
    for (const n of [0, 1, 1024, 1024 * 64, 1024 * 64 + 1, 200_000]) {
      const plain = data.subarray(0, n);
      const sealed = encryptBuffer(key, plain, 1024 * 64);
      expect(decryptBuffer(key, sealed, 1024 * 64, 'x').equals(plain)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const c of Readable.from([plain.subarray(0, 5), plain.subarray(5)]).pipe(encryptStream(key, 1024 * 64))) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(sealed)).toBe(true);
      const back: Buffer[] = [];
      for await (const c of Readable.from([sealed]).pipe(decryptStream(key, 1024 * 64, 'x'))) back.push(c as Buffer);
      expect(Buffer.concat(back).equals(plain)).toBe(true);
    }
  });

  it('a cut, reordered, changed or moved entry fails (bundle.hash_mismatch), never decrypts to something else', () => {
    const chunk = 1024;
    const sealed = encryptBuffer(key, data.subarray(0, 5000), chunk);
    const frame = chunk + 16;
    const cut = sealed.subarray(0, frame * 2); // drops the last chunk(s): the new last one is not marked last
    const swapped = Buffer.concat([sealed.subarray(frame, frame * 2), sealed.subarray(0, frame), sealed.subarray(frame * 2)]);
    const flipped = Buffer.from(sealed);
    flipped[100] = flipped[100]! ^ 1;
    for (const bad of [cut, swapped, flipped]) expect(() => decryptBuffer(key, bad, chunk, 'x')).toThrow(expect.objectContaining({ code: 'bundle.hash_mismatch' }));
    const other = entryKey(Buffer.alloc(32, 1), 'bundle', 'records/b');
    const right = entryKey(Buffer.alloc(32, 1), 'bundle', 'records/a');
    expect(() => decryptBuffer(other, encryptBuffer(right, data.subarray(0, 100), chunk), chunk, 'x')).toThrow(expect.objectContaining({ code: 'bundle.hash_mismatch' }));
  });

  it('the content key opens only for a recipient, bound to its bundle id', () => {
    const r1 = generateBoxKeyPair();
    const r2 = generateBoxKeyPair();
    const { header, contentKey } = newEncryption([{ publicKey: r1.publicKey }, { publicKey: r2.publicKey }], 'bundle-1');
    expect(openContentKey(header, r1, 'bundle-1')).toEqual(contentKey);
    expect(openContentKey(header, r2, 'bundle-1')).toEqual(contentKey);
    expect(() => openContentKey(header, generateBoxKeyPair(), 'bundle-1')).toThrow(expect.objectContaining({ code: 'bundle.not_recipient' }));
    expect(() => openContentKey(header, r1, 'bundle-2')).toThrow(expect.objectContaining({ code: 'bundle.not_recipient', params: expect.objectContaining({ reason: 'unwrap' }) }));
  });
});
