/**
 * Sync bundles between laptops of one commission (docs/bundle-format.md, section 8).
 *
 * Export: every change_log row after the recipients' acknowledged local seq (all rows without a
 * recipient), except a single recipient's own, including rows relayed from third laptops, as
 * `records/changes-NNNNNN.jsonl` entries of bounded size, plus the attachments those rows name.
 * When the history the recipient lacks was compacted away (every known peer had acknowledged
 * it), the current rows travel instead as `records/state-NNNNNN.jsonl`. Encrypted to the
 * recipients' X25519 keys (exchange/seal.ts); written in one pass, never whole in memory.
 *
 * Import: idempotent (bundle id and change id dedupe), order-tolerant (a change is applied only
 * when the local value is still the one it started from), atomic: every entry is verified
 * first, attachments are stored (content-addressed, verified), then ONE synchronous SQLite
 * transaction reads the record entries one at a time from the bundle file itself (bounded
 * memory, hashes checked again) and applies them without a savepoint per change. A field both
 * sides changed becomes a conflict; nothing is overwritten silently. Locked rows (issued
 * protocols) never change by sync: such changes are recorded as refused.
 *
 * Modules: sync-records.ts (what both directions share: entry names, lock rules, line checks,
 * `change_seen` keys, job records), sync-export.ts, sync-import.ts (its records entries read by
 * sync-read.ts), sync-compaction.ts, sync-conflicts.ts; this module exports them all.
 */
export * from './sync-records';
export * from './sync-export';
export * from './sync-import';
export { recordsEntries } from './sync-read';
export * from './sync-compaction';
export * from './sync-conflicts';
