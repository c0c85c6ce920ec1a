import { generateBoxKeyPair } from '../exchange/seal';
import type { Migration } from './types';

/**
 * Exchange format 2.0 (docs/bundle-format.md): encryption keys, key changes, catalogue order and
 * a compact change log.
 *
 * - `exchange_key.box_*`: this installation's X25519 key pair (sync bundles are encrypted to it),
 *   made here like the Ed25519 key of 0005, stored the same way.
 * - `exchange_peers.encryption_key`: each peer's X25519 public key, learnt from its signed bundles
 *   (or given with its signing key), so bundles can be encrypted for it.
 * - `exchange_catalogue_updates.created_at`: the applied catalogue bundle's own date, so an older
 *   one is recognised and refused (catalogue updates only move forward).
 * - `change_seen`: per record (16-byte key of table and id), the ids (16 bytes each, one after
 *   the other) of its changes compacted out of `change_log` once every peer acknowledged them,
 *   so a relayed copy of such a change is still recognised and skipped, and the current row
 *   sent to a new laptop can say which changes it already contains.
 */
export const m0012ExchangeV2: Migration = {
  version: 12,
  name: 'exchange-v2',
  up(db) {
    db.exec(`
      ALTER TABLE exchange_key ADD COLUMN box_public_key TEXT;
      ALTER TABLE exchange_key ADD COLUMN box_private_key TEXT;
      ALTER TABLE exchange_peers ADD COLUMN encryption_key TEXT;
      ALTER TABLE exchange_catalogue_updates ADD COLUMN created_at TEXT;
      CREATE TABLE change_seen (record BLOB PRIMARY KEY, ids BLOB NOT NULL) STRICT, WITHOUT ROWID;
    `);
    const box = generateBoxKeyPair();
    db.prepare('UPDATE exchange_key SET box_public_key = ?, box_private_key = ? WHERE id = 1').run(box.publicKey, box.privateKey);
  },
};
