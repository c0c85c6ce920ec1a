import { generateKeyPair } from '../exchange/keys';
import type { Migration } from './types';

/**
 * The exchange area's schema: this installation's Ed25519 key pair (made here, at the first
 * start), the trust stores (peers for sync, publishers for catalogue updates), per-peer
 * watermarks and acknowledgements, imported bundles (idempotence), conflicts and resolutions,
 * exchange jobs, catalogue update history and referral export state.
 *
 * None of these tables is user data in the Store's sense: they describe the exchange itself,
 * are never synchronised, and are written by the exchange service directly.
 */
export const m0005Exchange: Migration = {
  version: 5,
  name: 'exchange',
  up(db) {
    db.exec(`
      -- One row: the key pair bundles of this installation are signed with.
      CREATE TABLE exchange_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        public_key TEXT NOT NULL,
        private_key TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- Laptops of the commission this installation accepts sync bundles from.
      -- acked_seq: highest local change_log.seq the peer confirmed (we stop resending up to it);
      -- received_seq: highest seq of the PEER's log we hold without a gap (sent back as ack).
      CREATE TABLE exchange_peers (
        installation_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        name TEXT,
        accepted_at TEXT NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        received_seq INTEGER NOT NULL DEFAULT 0,
        last_import_at TEXT,
        last_export_at TEXT
      ) STRICT;

      -- Keys allowed to sign catalogue updates (a separate trust list).
      CREATE TABLE exchange_publishers (
        public_key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        name TEXT,
        accepted_at TEXT NOT NULL
      ) STRICT;

      -- Every bundle imported (any kind): the key of idempotent import, and the audit record.
      CREATE TABLE exchange_imports (
        bundle_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        sender_installation_id TEXT NOT NULL,
        sender_public_key TEXT NOT NULL,
        sender_name TEXT,
        created_at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        manifest TEXT NOT NULL,
        result TEXT NOT NULL
      ) STRICT;

      -- A remote change that was not applied: a field both sides changed, a locked (issued)
      -- record, or a record deleted on one side and edited on the other.
      CREATE TABLE exchange_conflicts (
        id TEXT PRIMARY KEY,
        change_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('field', 'locked', 'deleted', 'delete', 'issued')),
        table_name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        field TEXT NOT NULL,
        base_value TEXT,
        local_value TEXT,
        remote_value TEXT,
        local_change_id TEXT,
        local_installation_id TEXT,
        local_at TEXT,
        remote_installation_id TEXT NOT NULL,
        remote_name TEXT,
        remote_at TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        resolution TEXT CHECK (resolution IN ('local', 'remote', 'remote_resolution')),
        resolved_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (change_id, field)
      ) STRICT;
      CREATE INDEX exchange_conflicts_open ON exchange_conflicts (status, table_name, record_id);

      -- A change written to resolve a conflict, with the change ids it supersedes (travels with
      -- the change in sync bundles so the other laptops settle the same way).
      CREATE TABLE exchange_resolutions (
        change_id TEXT PRIMARY KEY,
        resolves TEXT NOT NULL
      ) STRICT;

      -- Finished exchange jobs (exports, backups, restores, imports): what was written where.
      CREATE TABLE exchange_jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
        status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'cancelled')),
        bundle_id TEXT,
        peer TEXT,
        file TEXT,
        sha256 TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        attachments INTEGER NOT NULL DEFAULT 0,
        up_to_seq INTEGER,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL
      ) STRICT;

      -- Catalogue updates applied from bundles, newest last; state_dir keeps the previous state.
      CREATE TABLE exchange_catalogue_updates (
        bundle_id TEXT PRIMARY KEY,
        publisher_key TEXT NOT NULL,
        summary TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        state_dir TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rolled_back'))
      ) STRICT;

      -- Referral export state per case: exported in which bundle, and the Portal's answer.
      CREATE TABLE exchange_referrals (
        case_id TEXT PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        portal_status TEXT CHECK (portal_status IN ('uploaded', 'accepted', 'rejected')),
        portal_date TEXT,
        portal_note TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
    const key = generateKeyPair();
    db.prepare('INSERT INTO exchange_key (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?)').run(key.publicKey, key.privateKey, new Date().toISOString());
  },
};
