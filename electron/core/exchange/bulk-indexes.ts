/**
 * A bulk import's indexes built after its rows (issue 17: a whole sync of 100,000 cases).
 *
 * The register's and the reports' indexes are keyed by dates, codes and statuses, so the rows of
 * a sync arrive in random order for each of them: every insert touches a random leaf of a dozen
 * B-trees. Once those trees outgrow the page cache (past about 30,000 cases), each insert reads
 * and decrypts pages and spills dirty ones to the WAL, encrypted, again and again: the 100,000-case
 * import grew to minutes. CREATE INDEX sorts the rows once instead.
 *
 * `deferIndexes` drops those indexes (and the search index's triggers) inside the import's own
 * transaction and returns the step that builds them again (and rebuilds the full-text index from
 * its content table) in the same transaction: an interrupted or failed import rolls back to the
 * database exactly as it was, indexes included. Only indexes that no step of an import reads are
 * deferred: not the primary keys and UNIQUE constraints, not the indexes of a foreign key's child
 * columns (SQLite looks children up through them), not `cases_patient` (the facts listener finds
 * a patient's cases by it), nothing of the change log or the exchange tables.
 */
import type { Db } from '../db';

/** Indexes only the register, the journal and the reports read (by name; one missing is skipped). */
export const DEFERRED_INDEXES: readonly string[] = [
  'cases_key',
  'cases_status_key',
  'cases_code_key',
  'cases_open_key',
  'cases_received_desc',
  'cases_open_received',
  'cases_received_key',
  'cases_open_code_key',
  'cases_issued',
  'patients_iin',
  'decisions_refusals',
  'decisions_refusal_pages',
  'decisions_protocol',
  'protocol_statements_date',
  'protocol_statements_number',
  'report_facts_decided',
  'report_facts_operation',
  'report_facts_death',
  'report_facts_follow_up',
  'case_deadlines_open',
];

/** The triggers that keep `case_search_fts` in step with `case_search` row by row. */
const SEARCH_TRIGGERS: readonly string[] = ['case_search_ai', 'case_search_ad', 'case_search_au'];

/** A bundle this many records long, into a database with at most a quarter as many cases, takes the bulk path. */
export const BULK_MIN_RECORDS = 20_000;

/** Tests only: another threshold (so that a small bundle takes the bulk path, or none does). */
export const bulkTuning: { minRecords: number | undefined } = { minRecords: undefined };

/**
 * True when building the indexes afterwards is cheaper than keeping them row by row: a large
 * bundle into a laptop that holds few cases (a new laptop's first sync). Building an index reads
 * every row of its table, so a laptop that already holds many cases keeps the ordinary path.
 */
export function wantsBulkIndexes(db: Db, records: number): boolean {
  if (records < (bulkTuning.minRecords ?? BULK_MIN_RECORDS)) return false;
  const cases = (db.prepare('SELECT coalesce(sum(n), 0) FROM case_status_counts').pluck().get() as number) ?? 0;
  return cases * 4 <= records;
}

/**
 * Drops the deferred indexes and the search triggers; returns the step that restores them (run it
 * in the same transaction, after the last row and before the commit). Must run inside a
 * transaction.
 */
export function deferIndexes(db: Db): () => void {
  if (!db.inTransaction) throw new Error('deferIndexes needs a transaction');
  const schema = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND name = ?");
  const kept: { type: string; name: string; sql: string }[] = [];
  for (const name of [...DEFERRED_INDEXES, ...SEARCH_TRIGGERS]) {
    const row = schema.get(name) as { type: string; name: string; sql: string } | undefined;
    if (row) kept.push(row);
  }
  const search = kept.some((k) => k.type === 'trigger');
  for (const k of kept) db.exec(`DROP ${k.type === 'index' ? 'INDEX' : 'TRIGGER'} ${k.name}`);
  return () => {
    for (const k of kept) db.exec(k.sql);
    // The full-text index from its content table (external content: case_search).
    if (search) db.exec("INSERT INTO case_search_fts (case_search_fts) VALUES ('rebuild')");
  };
}
