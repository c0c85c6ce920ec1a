import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from '../../../electron/core/ids';
import path from 'node:path';
import { migrate, openDatabase } from '../../../electron/core/db';
import { Store } from '../../../electron/core/store';
import { tempDir } from '../../support/temp';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('record and change ids (UUID v7)', () => {
  it('are version 7 UUIDs that every id schema of the contract accepts, carrying their millisecond', () => {
    const at = Date.UTC(2026, 11, 3, 10, 0, 0);
    const id = newId(at + 5_000);
    expect(id).toMatch(V7);
    expect(z.string().uuid().safeParse(id).success).toBe(true);
    expect(msOf(id)).toBe(at + 5_000);
  });

  it('grow strictly, in the same millisecond, past 4,096 of them, and when the clock goes back', () => {
    const t = Date.UTC(2027, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(newId(t)); // one millisecond: the counter, then the next ms
    ids.push(newId(t - 60_000)); // the clock set back a minute
    ids.push(newId(t + 1));
    for (let i = 0; i < 1_000; i++) ids.push(newId(t + 2 + Math.floor(i / 7)));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(V7);
    expect(msOf(ids[0]!)).toBe(t);
  });

  it('are what the store gives new rows and their changes, so a table keyed by id grows at its end', () => {
    const db = openDatabase(path.join(tempDir(), 'ids.sqlite'));
    try {
      migrate(db);
      db.exec('CREATE TABLE note (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, title TEXT) STRICT');
      const store = new Store(db, 'inst-1', [{ name: 'note', columns: ['title'] }]);
      const ids = Array.from({ length: 50 }, (_, i) => String(store.insert('note', { title: `n${i}` }).id));
      for (const id of ids.slice(0, 5)) store.update('note', id, { title: 'changed' });
      expect(ids.every((id) => V7.test(id))).toBe(true);
      expect([...ids].sort()).toEqual(ids);
      const changes = db.prepare("SELECT change_id FROM change_log WHERE table_name = 'note' ORDER BY seq").pluck().all() as string[];
      expect(changes).toHaveLength(55);
      expect(changes.every((id) => V7.test(id))).toBe(true);
      expect([...changes].sort()).toEqual(changes);
    } finally {
      db.close();
    }
  });
});
