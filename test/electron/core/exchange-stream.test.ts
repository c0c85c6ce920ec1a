/**
 * Sync records are streamed (issue 17): split over bounded entries when written, read one entry
 * at a time inside the import transaction, no cap on a whole sync. A bundle with more records
 * than the 1.0 limit (256 MiB) imports, and memory stays bounded while it does: a reader that
 * took the records whole would need more than the bound.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBundle, type WriteBundleEntry } from '../../../electron/core/exchange/archive';
import { generateKeyPair } from '../../../electron/core/exchange/keys';
import { LEGACY_MAX_RECORDS_BYTES, addSeen, exportSync, importSync, recordKey, seenKey } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { tempDir } from '../../support/temp';
import { call, closeAll, fingerprintOf, job, knows, laptop } from './exchange-helpers';

afterEach(closeAll);

const MiB = 1024 * 1024;

describe('streamed sync records', () => {
  it('an export splits records into bounded entries; the import reads them one entry at a time', async () => {
    const a = laptop();
    const b = laptop();
    await knows(a, b);
    await call(b, 'exchange.trustPeer', { installationId: a.core.installationId, publicKey: (await call(a, 'exchange.identity', {})).publicKey });
    a.ctx.store.transaction(() => {
      for (let i = 0; i < 3000; i++) a.ctx.store.insert('t_case', { surname: `S${i}`, note: randomBytes(600).toString('base64'), count: i });
    });
    const file = path.join(tempDir(), 'split.htmp');
    const forB = await fingerprintOf(b);
    await job(a, (j) => exportSync(a.ctx, { file, for: [forB], recordsEntryBytes: 256 * 1024, job: j }));
    const reads: number[] = [];
    const r = await job(b, async (j) => {
      const opened = await openTrusted(b.ctx, file, {});
      const readEntrySync = opened.reader.readEntrySync.bind(opened.reader);
      opened.reader.readEntrySync = (p, o) => {
        const buf = readEntrySync(p, o);
        if (p.startsWith('records/changes-')) reads.push(buf.length);
        return buf;
      };
      opened.reader.readEntry = () => Promise.reject(new Error('records must not be read whole'));
      try {
        return await importSync(b.ctx, opened, { dryRun: false, job: j });
      } finally {
        await opened.reader.close();
      }
    });
    expect(r.imported).toBe(3000);
    const entries = new Set(reads).size;
    expect(reads.length).toBeGreaterThan(2 * 8); // verify pass + apply pass, 8+ entries each
    expect(entries).toBeGreaterThan(1);
    expect(Math.max(...reads)).toBeLessThan(300 * 1024); // ~256 KiB of plaintext, deflated and sealed
  });

  it('a bundle with more records than the 1.0 limit (256 MiB) imports, with memory bounded far below its size', async () => {
    const b = laptop();
    const sender = generateKeyPair();
    const SENDER = 'laptop-big';
    await call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: sender.publicKey, name: 'Big' });
    // 1,000 real inserts, then changes this laptop already holds (so the apply stays quick):
    // every line still has to be read, decrypted or inflated, parsed and checked.
    const payload = (): string => randomBytes(3000).toString('base64'); // 4 KB, not compressible
    const known: [string, string][] = [];
    const lines = function* (): Generator<string> {
      for (let seq = 1; ; seq++) {
        const id = randomUUID();
        const recordId = randomUUID();
        if (seq > 1000) known.push([id, recordId]);
        yield JSON.stringify({ seq, changeId: id, table: 't_case', recordId, op: 'insert', fields: { surname: [null, `S${seq}`], note: [null, payload()] }, installationId: SENDER, at: '2026-01-15T10:00:00.000Z' });
      }
    };
    const target = LEGACY_MAX_RECORDS_BYTES + 8 * MiB;
    let total = 0;
    let count = 0;
    const gen = lines();
    function* entries(): Generator<WriteBundleEntry> {
      for (let n = 1; total < target; n++) {
        const part: string[] = [];
        let size = 0;
        while (size < 4 * MiB) {
          const l = gen.next().value as string;
          part.push(l);
          size += l.length + 1;
          count++;
        }
        total += size;
        yield { path: `records/changes-${String(n).padStart(6, '0')}.jsonl`, role: 'record', source: { buffer: Buffer.from(part.join('\n') + '\n') }, compressionLevel: 1 };
      }
    }
    const file = path.join(tempDir(), 'big.htmp');
    await writeBundle({ file, kind: 'sync', sender: { installationId: SENDER, ...sender }, meta: () => ({ since: 0, upTo: count, changes: count }), entries: entries() });
    expect(total).toBeGreaterThan(LEGACY_MAX_RECORDS_BYTES);
    b.core.db.transaction(() => {
      for (const [id, recordId] of known) addSeen(b.core.db, recordKey('t_case', recordId), [seenKey(id)]);
    })();

    global.gc?.();
    const base = process.memoryUsage();
    let peak = 0;
    b.ctx.emit = (e) => {
      if (e.type !== 'job.progress') return;
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed - base.heapUsed + (m.arrayBuffers - base.arrayBuffers));
    };
    const r = await job(b, async (j) => {
      const opened = await openTrusted(b.ctx, file, {});
      try {
        return await importSync(b.ctx, opened, { dryRun: false, job: j });
      } finally {
        await opened.reader.close();
      }
    });
    expect(r).toMatchObject({ imported: 1000, unchanged: count - 1000, conflicts: 0 });
    expect(b.core.db.prepare('SELECT count(*) FROM t_case').pluck().get()).toBe(1000);
    // Reading the records whole would hold them at least once in memory (> 256 MiB).
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(160 * MiB);
  }, 900_000);
});
