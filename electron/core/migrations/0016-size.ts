import { reclaimSpace } from '../db-space';
import { isPackedStatement, packStatement } from '../statement-codec';
import type { Migration } from './types';

/**
 * Database size (issue 17): the file gives pages back, and protocol statements are stored packed.
 *
 * - `protocol_statements.statement`: every statement stored as issued is rewritten in its packed
 *   form (electron/core/statement-codec.ts: the same text, deflated with a preset dictionary;
 *   readers unpack before they parse or hash, so `sha256` and the verification of every protocol
 *   issued before stay exactly as they were). A storage change, not a change of the data: written
 *   directly, not through the Store (no change_log row; the text other laptops hold is the same).
 * - `auto_vacuum = INCREMENTAL`, so that compacting the change log (exchange/sync.ts) shrinks the
 *   FILE (`PRAGMA incremental_vacuum`, db-space.ts `reclaimSpace`). An existing database changes mode
 *   only by a VACUUM, which cannot run in the migration's transaction: `after` runs it once, after
 *   the commit (skipped for a database whose pages in use exceed VACUUM_MAX_BYTES: the copy is made
 *   in memory; `reclaimSpace` converts it later, once compaction freed a quarter of its pages).
 *   New databases are created in that mode (db.ts `openDatabase`).
 */
export const m0016Size: Migration = {
  version: 16,
  name: 'size',
  up(db) {
    const rows = db.prepare('SELECT id, statement FROM protocol_statements').all() as { id: string; statement: string }[];
    const pack = db.prepare('UPDATE protocol_statements SET statement = ? WHERE id = ?');
    for (const r of rows) {
      if (isPackedStatement(r.statement)) continue;
      const packed = packStatement(r.statement);
      if (packed !== r.statement) pack.run(packed, r.id);
    }
  },
  after(db) {
    reclaimSpace(db, { convert: true });
  },
};
