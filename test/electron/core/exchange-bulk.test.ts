/**
 * The bulk path of a sync import (exchange/bulk-indexes.ts): a large bundle into a laptop with few
 * cases drops the register's indexes and the search index's triggers inside the import's
 * transaction and builds them again before the commit. These tests lower the threshold so a small
 * bundle takes that path, and show that the result is identical, table by table (search index and
 * derived tables included), to the ordinary path, and that an error midway leaves the receiver
 * exactly as it was, its indexes and triggers included.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkTuning, DEFERRED_INDEXES } from '../../../electron/core/exchange/bulk-indexes';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { tempDir } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from './cases-fixtures';
import { closeAll, job, laptop, pair, type Laptop } from './exchange-helpers';

afterEach(() => {
  bulkTuning.minRecords = undefined;
  vi.restoreAllMocks();
  closeAll();
});

async function makeCases(a: Laptop, count: number): Promise<void> {
  await a.core.call('settings.update', {
    commissionNameKk: 'Абай облысының ЖТМК жөніндегі комиссиясы',
    commissionNameRu: 'Комиссия по ВТМП области Абай',
    authorityNameKk: 'Абай облысының денсаулық сақтау басқармасы',
    authorityNameRu: 'Управление здравоохранения области Абай',
  });
  for (let i = 0; i < count; i++) {
    const iin = makeIin(`19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? 'male' : 'female', 1 + i);
    const { id } = await a.core.call('cases.save', completeDraft({ iin, lastName: `Абаев${i}`, receivedAt: `2026-0${1 + (i % 3)}-1${i % 10}T10:00` }));
    await a.core.call('cases.register', { id });
    if (i % 3 === 0) {
      const d = await a.core.call('cases.decide', { caseId: id, outcome: i % 2 ? 'approved' : 'refused', reason: i % 2 ? null : 'no_indications', members: MEMBERS, date: `2026-0${1 + (i % 3)}-2${i % 8}` });
      await a.core.call('cases.issueProtocol', { decisionId: d.decision.id });
    }
  }
}

let n = 0;
async function exportFor(a: Laptop, b: Laptop, dir: string): Promise<string> {
  const file = path.join(dir, `bulk${n++}.htmp`);
  await job(a, (j) => exportSync(a.ctx, { file, peer: b.core.installationId, job: j }));
  return file;
}

async function importInto(b: Laptop, file: string) {
  return job(b, async (j) => {
    const opened = await openTrusted(b.ctx, file, {});
    try {
      return await importSync(b.ctx, opened, { dryRun: false, job: j });
    } finally {
      await opened.reader.close();
    }
  });
}

/** Every table's rows (ordered), the schema's indexes and triggers, and what a few searches find. */
function contents(l: Laptop): Record<string, unknown> {
  const db = l.core.db;
  const out: Record<string, unknown> = {};
  const skip = new Set(['audit_log', 'exchange_jobs', 'exchange_imports', 'exchange_peers', 'exchange_key', 'users', 'meta', 'user_prefs', 'sqlite_stat1', 'sqlite_stat4', 'sqlite_sequence', 'catalogue_info']);
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'case_search_fts%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    if (skip.has(t)) continue;
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  }
  out.schema = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name").all();
  const texts = db.prepare('SELECT text FROM case_search ORDER BY id LIMIT 3').pluck().all() as string[];
  for (const q of texts.map((t) => `"${t.slice(0, 8).replace(/"/g, '')}"`)) out[`fts ${q}`] = db.prepare('SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH ? ORDER BY rowid').pluck().all(q);
  out.integrity = db.pragma('integrity_check');
  out.fts = db.prepare("INSERT INTO case_search_fts (case_search_fts, rank) VALUES ('integrity-check', 1)").run().changes;
  return out;
}

describe('sync import: the bulk path (indexes built after the rows)', () => {
  it('gives the same database as the ordinary path, table by table, indexes and search included', async () => {
    const [a, bulk, plain] = [laptop(), laptop(), laptop()];
    await pair(a, bulk);
    await pair(a, plain);
    await makeCases(a, 24);
    const dir = tempDir();

    bulkTuning.minRecords = 1;
    const rb = await importInto(bulk, await exportFor(a, bulk, dir));
    bulkTuning.minRecords = Number.MAX_SAFE_INTEGER;
    const rp = await importInto(plain, await exportFor(a, plain, dir));
    expect(rb.imported).toBeGreaterThan(200);
    expect({ ...rb, bundleId: '', sender: null }).toEqual({ ...rp, bundleId: '', sender: null });

    const cb = contents(bulk);
    const cp = contents(plain);
    expect(Object.keys(cb).length).toBeGreaterThan(40);
    const differ = Object.keys(cp).filter((k) => JSON.stringify(cb[k]) !== JSON.stringify(cp[k]));
    expect(differ).toEqual([]);
    expect((cb.cases as unknown[]).length).toBe(24);
    const searches = Object.keys(cb).filter((k) => k.startsWith('fts '));
    expect(searches.length).toBe(3);
    for (const k of searches) expect((cb[k] as unknown[]).length).toBeGreaterThan(0);
    // Every deferred index is back, and the register answers through it.
    const names = new Set((cb.schema as { name: string }[]).map((s) => s.name));
    for (const i of DEFERRED_INDEXES) expect(names.has(i)).toBe(true);
    const page = await bulk.core.call('cases.list', { status: 'registered' } as never);
    const pageP = await plain.core.call('cases.list', { status: 'registered' } as never);
    expect(page).toEqual(pageP);
  });

  it('an error midway leaves the receiver exactly as it was (rows, indexes, triggers, search)', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    await makeCases(a, 12);
    // B holds a case of its own first (its search row and index entries must survive untouched).
    await b.core.call('cases.save', completeDraft({ iin: makeIin('1975-04-04', 'male', 7), lastName: 'Өзінікі' }));
    const before = contents(b);
    const file = await exportFor(a, b, tempDir());

    bulkTuning.minRecords = 1;
    const real = b.ctx.store.applyRemote.bind(b.ctx.store);
    let calls = 0;
    vi.spyOn(b.ctx.store, 'applyRemote').mockImplementation((...args: Parameters<typeof real>) => {
      if (++calls === 100) throw new Error('disk gone');
      return real(...args);
    });
    await expect(importInto(b, file)).rejects.toThrow('disk gone');
    expect(calls).toBe(100);
    expect(contents(b)).toEqual(before);

    // The same bundle then imports in full.
    vi.restoreAllMocks();
    const r = await importInto(b, file);
    expect(r.imported).toBeGreaterThan(100);
    expect((contents(b).cases as unknown[]).length).toBe(13);
  });
});
