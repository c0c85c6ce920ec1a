/**
 * Sync import: verify every entry, stage the attachments, then apply all records in ONE
 * transaction, with conflict detection (overview in sync.ts).
 */
import type { ImportView } from '../../../shared/contract/exchange';
import { newId } from '../ids';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { ChangeRecord, Row, SqlValue } from '../store';
import { BundleError } from './errors';
import { deferFacts } from '../aftercare/facts';
import { withBulkCache } from '../db';
import { deferIndexes, wantsBulkIndexes } from './bulk-indexes';
import { SHA256_RE } from '../files';
import type { Job } from './jobs';
import { attachmentHashOf, parseVersion } from './manifest';
import { receiveFiles } from './import-files';
import { fieldsFromWire, hasWireForm, valuesFromWire } from './wire';
import { openContentKey } from './seal';
import { linesOf, readRecords, recordsEntries, resolvedIn, type Opened } from './sync-read';
import { boxKeys, getPeer, learnEncryptionKey, trustPeer, type OpenedBundle } from './trust';
import { addSeen, checkChange, checkState, FILES_INDEX, holds, isLocked, knownTables, LEGACY_CHANGES_PATH, logTop, markReceived, MAX_RECORDS_ENTRY_BYTES, receivedMark, recordJob, recordKey, sealedFilePath, seenKey, syncMetaSchema, type SyncChange, type SyncState } from './sync-records';
import { USER_TABLES as CATALOGUE_USER_TABLES } from '../catalogue/model';
import { compactChangeLog } from './sync-compaction';
import { seenWriter } from './seen-writer';

// ---------------------------------------------------------------------------------------------
// Import

/** What an import reports: the same shape the API returns (shared/contract/exchange.ts). */
export type ImportResult = ImportView;

class DryRunRollback extends Error {}

/**
 * Imports a trusted sync bundle. Order: open the content key (an encrypted bundle not addressed
 * to this installation is refused, `bundle.not_recipient`), verify every records entry (hash,
 * decryption, inflation), then every other entry in one pass that also writes the attachments
 * (hash of the stored bytes and of the decrypted content against its name) to hidden temporary
 * files of the store, shown only once all passed (`import-files.ts`), then apply all records in
 * ONE transaction, reading them entry by entry.
 */
export async function importSync(ctx: CoreContext, opened: OpenedBundle, opts: { dryRun: boolean; job: Job }): Promise<ImportResult> {
  const { reader, newSender } = opened;
  const { job, dryRun } = opts;
  const m = reader.manifest;
  const started = new Date().toISOString();
  const base: ImportResult = {
    kind: m.kind,
    bundleId: m.bundleId,
    imported: 0,
    unchanged: 0,
    conflicts: 0,
    refused: 0,
    attachments: 0,
    dryRun,
    alreadyImported: false,
    sender: { installationId: m.sender.installationId, name: m.sender.name ?? null, fingerprint: reader.fingerprint, trustedNow: newSender !== null && !dryRun },
    warnings: [],
  };
  const metaParsed = syncMetaSchema.safeParse(m.meta);
  if (!metaParsed.success) throw new BundleError('bundle.invalid_record', { path: 'manifest.json', reason: 'meta', field: metaParsed.error.issues[0]?.path.join('.') ?? '' });
  const meta = metaParsed.data;

  const previous = ctx.db.prepare('SELECT result FROM exchange_imports WHERE bundle_id = ?').get(m.bundleId) as { result: string } | undefined;
  if (previous) {
    const count = typeof m.meta.changes === 'number' ? m.meta.changes : 0;
    return { ...base, unchanged: count, alreadyImported: true, sender: { ...base.sender, trustedNow: false } };
  }

  const o: Opened = {
    reader,
    contentKey: m.encryption !== undefined ? openContentKey(m.encryption, boxKeys(ctx), m.bundleId) : null,
    chunkSize: m.encryption?.chunkSize ?? 0,
  };
  const plan = recordsEntries(reader);
  const major = parseVersion(m.version)?.major ?? 1;
  if (major < 2 && plan.some((p) => p.path !== LEGACY_CHANGES_PATH)) throw new BundleError('bundle.invalid_record', { path: plan.find((p) => p.path !== LEGACY_CHANGES_PATH)!.path, reason: 'unexpected_entry' });

  // Attachments: sha256 -> entry path. Plain bundles name them by hash; encrypted ones list the
  // hashes in their (encrypted) index and name each entry by a keyed hash of it.
  const files = new Map<string, string>();
  if (o.contentKey !== null) {
    const indexPath = `${FILES_INDEX}.enc`;
    if (reader.has(indexPath)) {
      let list: unknown;
      try {
        list = JSON.parse(readRecords(o, indexPath, 2 * MAX_RECORDS_ENTRY_BYTES).toString('utf8'));
      } catch (err) {
        if (err instanceof BundleError) throw err;
        throw new BundleError('bundle.invalid_record', { path: indexPath, reason: 'json' });
      }
      if (!Array.isArray(list) || !list.every((h) => typeof h === 'string' && SHA256_RE.test(h))) throw new BundleError('bundle.invalid_record', { path: indexPath, reason: 'schema' });
      for (const h of list as string[]) {
        const path = sealedFilePath(o.contentKey, h);
        if (!reader.has(path)) throw new BundleError('bundle.invalid_record', { path, reason: 'missing_entry' });
        files.set(h, path);
      }
    }
    const named = new Set(files.values());
    for (const e of reader.entries) {
      if (e.path.startsWith('files/') && !named.has(e.path)) throw new BundleError('bundle.invalid_record', { path: e.path, reason: 'undeclared_file' });
    }
  } else {
    for (const e of reader.entries) {
      const h = attachmentHashOf(e.path);
      if (h !== null) files.set(h, e.path);
    }
  }

  // 1. The attachments: the ones read whole are staged by a worker thread while the records
  // are verified and applied (import-files.ts); every other entry is verified now, and the big
  // attachments are checked by streaming. Staged files stay hidden until `staged.settle()`, at
  // the end of the records' transaction, and are removed on any failure (`staged.discard()`).
  const planByPath = new Map(plan.map((p) => [p.path, p] as const));
  const attachmentPaths = new Set(files.values());
  const others = reader.entries.map((e) => e.path).filter((p) => !planByPath.has(p) && !attachmentPaths.has(p) && p !== `${FILES_INDEX}.enc`);
  const staged = await receiveFiles(ctx, o, files, others, { dryRun, job });

  // 2. Verify every records entry before any record is written: nothing of a damaged bundle is
  // applied. Counts the lines (for progress) and gathers what changes of the bundle resolve.
  // Then the big attachments go into the store (content-addressed: a stored file is harmless).
  const bundleResolves = new Set<string>();
  let lines = 0;
  try {
    let verified = 0;
    job.progress('verify', 0, plan.length);
    for (const p of plan) {
      job.throwIfCancelled();
      const buf = readRecords(o, p.path, p.maxBytes);
      for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) lines++;
      if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) lines++;
      resolvedIn(buf, bundleResolves);
      job.progress('verify', ++verified, plan.length);
    }
    job.throwIfCancelled();
    if (!dryRun) base.attachments += await staged.commit(job.signal);
    job.throwIfCancelled();
  } catch (err) {
    staged.discard();
    throw err;
  }

  const tables = knownTables(ctx.store.tables());
  const names: Record<string, string> = { ...(meta.installations ?? {}) };
  if (m.sender.name) names[m.sender.installationId] ??= m.sender.name;

  const st = {
    seen: ctx.db.prepare('SELECT 1 FROM change_log WHERE change_id = ? UNION ALL SELECT 1 FROM exchange_conflicts WHERE change_id = ? LIMIT 1'),
    compacted: ctx.db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck(),
    resolved: ctx.db.prepare('SELECT 1 FROM exchange_resolutions, json_each(exchange_resolutions.resolves) j WHERE j.value = ? LIMIT 1'),
    history: ctx.db.prepare('SELECT change_id, installation_id, at, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC'),
    last: ctx.db.prepare('SELECT change_id, installation_id, at, op FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC LIMIT 1'),
    openConflicts: ctx.db.prepare("SELECT change_id FROM exchange_conflicts WHERE status = 'open' AND table_name = ? AND record_id = ? AND (field = ? OR field = '*')"),
    addConflict: ctx.db.prepare(
      `INSERT OR IGNORE INTO exchange_conflicts (id, change_id, kind, table_name, record_id, field, base_value, local_value, remote_value, local_change_id,
         local_installation_id, local_at, remote_installation_id, remote_name, remote_at, bundle_id, status, resolution, resolved_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, NULL, ?)`,
    ),
    closeResolved: ctx.db.prepare(
      `UPDATE exchange_conflicts SET status = 'resolved', resolution = 'remote_resolution', resolved_at = ? WHERE status = 'open' AND change_id IN (SELECT value FROM json_each(?))`,
    ),
    addResolution: ctx.db.prepare('INSERT OR IGNORE INTO exchange_resolutions (change_id, resolves) VALUES (?, ?)'),
    traced: ctx.db
      .prepare('SELECT EXISTS (SELECT 1 FROM change_log WHERE table_name = ? AND record_id = ?) OR EXISTS (SELECT 1 FROM exchange_conflicts WHERE table_name = ? AND record_id = ?)')
      .pluck(),
  };
  // The ids of compacted changes (change_seen): none on a new laptop until a state row brings
  // some, and then no key to compute and look up for each of its tens of thousands of changes.
  let anyCompacted = ctx.db.prepare('SELECT 1 FROM change_seen LIMIT 1').get() !== undefined;
  const seen = (c: { changeId: string; table: string; recordId: string }): boolean => {
    if (st.seen.get(c.changeId, c.changeId) !== undefined) return true;
    if (!anyCompacted) return false;
    const ids = st.compacted.get(recordKey(c.table, c.recordId)) as Buffer | undefined;
    return ids !== undefined && holds(ids, seenKey(c.changeId));
  };

  const lastLocal = (table: string, id: string, field: string | null): LocalChange | undefined => {
    for (const r of st.history.iterate(table, id) as Iterable<LocalChange & { op: string; fields: string }>) {
      if (field === null || r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[field] !== undefined) return r;
    }
    return undefined;
  };
  const deletedLocally = (table: string, id: string): LocalChange | undefined => {
    const r = st.last.get(table, id) as (LocalChange & { op: string }) | undefined;
    return r && r.op === 'delete' ? r : undefined;
  };
  const now = new Date().toISOString();
  const res = { ...base };
  const conflict = (c: SyncChange, kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued', field: string, baseV: SqlValue | undefined, local: SqlValue | undefined, remote: SqlValue | undefined, lc: LocalChange | undefined): void => {
    blank.delete(c.table);
    const r = st.addConflict.run(
      newId(),
      c.changeId,
      kind,
      c.table,
      c.recordId,
      field,
      baseV === undefined ? null : JSON.stringify(baseV),
      local === undefined ? null : JSON.stringify(local),
      remote === undefined ? null : JSON.stringify(remote),
      lc?.change_id ?? null,
      lc?.installation_id ?? null,
      lc?.at ?? null,
      c.installationId,
      names[c.installationId] ?? null,
      c.at,
      m.bundleId,
      now,
    );
    if (r.changes > 0) {
      if (kind === 'locked') res.refused++;
      else res.conflicts++;
    }
    conflicted = true;
    if (quiet) fresh.delete(freshKey(c)); // its later changes take the logged path
  };
  // Records this import created where nothing of them was here before (no row, no change-log
  // row, no conflict, no compacted id): a later change of such a record in the same bundle cannot
  // have been seen here, nor meet a local delete, so its look-ups are skipped. Bounded: past the
  // cap the look-ups simply run (a bundle of a million changes stays within its memory). With
  // time-ordered ids (ids.ts) those look-ups find their pages in the cache: at 100,000 cases a
  // cap of 100,000 instead of 250,000 took about 22 MB less at its peak, and no longer.
  const fresh = new Set<string>();
  const FRESH_CAP = freshTuning.cap ?? 100_000;
  const freshKey = (c: { table: string; recordId: string }): string => `${c.table}\u0000${c.recordId}`;
  const untraced = (c: { table: string; recordId: string }): boolean => {
    if (st.traced.get(c.table, c.recordId, c.table, c.recordId) !== 0) return false;
    return !anyCompacted || st.compacted.get(recordKey(c.table, c.recordId)) === undefined;
  };
  const superseded = (c: SyncChange): boolean => bundleResolves.has(c.changeId) || st.resolved.get(c.changeId) !== undefined;
  // Blank tables (a quiet import, i.e. a new laptop's first sync): tables that held nothing at
  // the start (no row, no change-log row, no conflict) while no compacted id was kept anywhere.
  // An insert into one of them, of a record this import has not created yet, can find no row and
  // no trace, so it is written without looking either up (about a tenth of a new laptop's
  // import). A table stops being blank at the first write of this import that leaves a trace in
  // it (a logged change, a conflict) or a row `fresh` does not know of (a state row), and all do
  // when an id is compacted (past FRESH_CAP an insert still takes this path, unremembered).
  // Should an insert still meet its row, the statement fails alone on the primary key and the
  // change takes the general path.
  const blank = new Set<string>();
  const findBlankTables = (): void => {
    if (anyCompacted) return;
    const logged = ctx.db.prepare('SELECT EXISTS (SELECT 1 FROM change_log WHERE table_name = ?) OR EXISTS (SELECT 1 FROM exchange_conflicts WHERE table_name = ?)').pluck();
    for (const t of tables.keys()) {
      if (logged.get(t, t) === 0 && ctx.db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() === undefined) blank.add(t);
    }
  };
  const apply = (record: ChangeRecord): void => {
    blank.delete(record.table);
    ctx.store.applyRemote(record, { savepoint: false });
  };

  // Received history without change-log rows: when the sender is this installation's ONLY peer,
  // a change that is applied to a record with no trace in the log here (no local change, no
  // change received the logged way, no conflict) is applied as if compacted at once: the row is
  // written, the change id goes to `change_seen` (so a copy relayed later is known), and no
  // change-log row is written (about a quarter of a whole import's CPU). Deletes, changes that
  // carry or meet a conflict, resolutions and the catalogue's user tables keep the logged path;
  // so does a record once it has a change-log row. A later peer gets those records as state
  // rows; the sender gets nothing of them back (sync-records.ts, RECEIVED_KEY).
  let quiet = false;
  let conflicted = false;
  let quietApplied = 0;
  const quietSeen = seenWriter(ctx.db);
  /** True when `c` may be applied without its change-log row (`known`: the record has no trace in the log, checked by the caller). */
  const mayGoQuiet = (c: SyncChange, known: boolean): boolean =>
    quiet && !conflicted && c.op !== 'delete' && !(c.resolves && c.resolves.length > 0) && !CATALOGUE_USER_TABLES.has(c.table) && (known || st.traced.get(c.table, c.recordId, c.table, c.recordId) === 0);
  const applyQuiet = (record: ChangeRecord): void => {
    ctx.store.applyRemote(record, { savepoint: false, log: false });
    quietSeen.add(record.table, record.recordId, record.changeId);
    quietApplied++;
  };

  const applyState = (s: SyncState): void => {
    // No `seen` check needed: a state applied here made its row, and a row deleted since keeps
    // its delete in the log (deletes are never compacted).
    if (ctx.store.get(s.table, s.recordId) !== undefined || deletedLocally(s.table, s.recordId)) {
      res.unchanged++;
      return;
    }
    const fields: ChangeRecord['fields'] = {};
    for (const [k, v] of Object.entries(s.values)) fields[k] = [null, v];
    apply({ changeId: s.changeId, table: s.table, recordId: s.recordId, op: 'insert', fields, installationId: s.installationId, at: s.at, origin: m.bundleId });
    if (s.covers && s.covers.length > 0) {
      addSeen(ctx.db, recordKey(s.table, s.recordId), s.covers.map((h) => Buffer.from(h, 'hex')));
      anyCompacted = true;
      blank.clear();
    }
    res.imported++;
  };

  // Changes of a row that is not here (deleted, or never had): decided when the whole bundle is
  // applied, since its delete may come later in the same bundle (the row's insert compacted away
  // at the sender). A change its own author deleted afterwards is superseded, not a conflict; a
  // change of a row someone else deleted is the 'deleted' conflict.
  const orphans: SyncChange[] = [];
  const settleOrphans = (): void => {
    for (const c of orphans) {
      const gone = deletedLocally(c.table, c.recordId);
      if (gone && gone.installation_id === c.installationId && gone.at >= c.at) {
        res.unchanged++;
        continue;
      }
      conflict(c, 'deleted', '*', null, null, null, gone);
    }
    orphans.length = 0;
  };

  /**
   * Writes an applied change: quietly (no change-log row) where allowed, else logged. `known`:
   * the record is known to have no change-log row nor conflict here (in quiet mode a fresh
   * record leaves `fresh` at its first logged change or conflict).
   */
  const put = (c: SyncChange, record: ChangeRecord, known: boolean): void => {
    if (mayGoQuiet(c, known)) return applyQuiet(record);
    apply(record);
    if (quiet) fresh.delete(freshKey(c));
  };

  const applyOne = (c: SyncChange): void => {
    const key = freshKey(c);
    const isFresh = fresh.has(key);
    conflicted = false;
    const record: ChangeRecord = { changeId: c.changeId, table: c.table, recordId: c.recordId, op: c.op, fields: c.fields, installationId: c.installationId, at: c.at, origin: m.bundleId };
    if (c.op === 'insert' && !isFresh && blank.has(c.table)) {
      // Past FRESH_CAP the record is not remembered (its later changes take the general path),
      // but the insert itself still needs no look-up: the primary key tells.
      const remember = fresh.size < FRESH_CAP;
      if (remember) fresh.add(key);
      try {
        put(c, record, true);
        res.imported++;
        return;
      } catch (err) {
        if (remember) fresh.delete(key);
        if ((err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
        blank.delete(c.table); // its row was here after all: the general path below decides
      }
    }
    let row = c.op === 'insert' || isFresh ? ctx.store.get(c.table, c.recordId) : undefined;
    if (c.op === 'insert' && !row && !isFresh && untraced(c)) {
      // Nothing of this record here: its change cannot have been seen (a change seen here leaves
      // its record a change-log row, a conflict or a compacted id) nor meet a local delete.
      if (fresh.size < FRESH_CAP) fresh.add(key);
      put(c, record, true);
      res.imported++;
      return;
    }
    if (!isFresh) {
      if (seen(c)) {
        res.unchanged++;
        return;
      }
      if (c.op !== 'insert') row = ctx.store.get(c.table, c.recordId);
    }
    if (c.op === 'insert' && !row) {
      if (deletedLocally(c.table, c.recordId)) {
        orphans.push(c);
        return;
      }
      put(c, record, false);
      res.imported++;
      return;
    }
    if (c.op === 'delete') {
      if (!row) {
        // Never had the row, or it is gone already: remember the delete (a tombstone), so a
        // change of that row made before it, relayed later by another laptop, is known as older.
        if (!deletedLocally(c.table, c.recordId)) apply(record);
        res.unchanged++;
        return;
      }
      if (isLocked(c.table, row)) return conflict(c, 'locked', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      const spec = tables.get(c.table)!;
      const differs = spec.columns.some((col) => c.fields[col] !== undefined && (row[col] ?? null) !== c.fields[col]![0]);
      if (differs && !superseded(c)) return conflict(c, 'delete', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      apply(record);
      fresh.delete(key); // a re-insert after it takes the general path (a local delete is in the log now)
      res.imported++;
      return;
    }
    // update (or an insert of a row that exists: field by field, against null)
    if (!row) {
      orphans.push(c);
      return;
    }
    const fields = Object.entries(c.fields).filter(([f]) => !(c.op === 'insert' && (f === 'created_at' || f === 'updated_at')));
    const changing = fields.filter(([f, [, n]]) => (row[f] ?? null) !== n);
    if (changing.length === 0) {
      // Already equal here: a resolution still settles the conflicts it names.
      if (c.resolves && c.resolves.length > 0) st.closeResolved.run(now, JSON.stringify(c.resolves));
      res.unchanged++;
      return;
    }
    if (isLocked(c.table, row)) {
      conflict(c, 'locked', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      return;
    }
    const applied: ChangeRecord['fields'] = {};
    // A change that issues (locks) the row on the other laptop: the issued version is the one on
    // paper, so it wins field by field; each local value it replaces is recorded (kind 'issued')
    // for the user to see and dismiss, never silently lost.
    const issuing = isLocked(c.table, Object.fromEntries(changing.map(([f, [, n]]) => [f, n])) as Row);
    for (const [f, [o0, n]] of changing) {
      const cur = row[f] ?? null;
      const baseV = c.op === 'insert' ? null : o0;
      if (cur === baseV) {
        applied[f] = [cur, n];
        continue;
      }
      if (issuing) {
        applied[f] = [cur, n];
        conflict(c, 'issued', f, baseV, cur, n, lastLocal(c.table, c.recordId, f));
        continue;
      }
      if (superseded(c)) continue;
      if (c.resolves && c.resolves.length > 0) {
        const lc = lastLocal(c.table, c.recordId, f);
        const open = (st.openConflicts.all(c.table, c.recordId, f) as { change_id: string }[]).map((x) => x.change_id);
        if ((lc && c.resolves.includes(lc.change_id)) || open.some((id) => c.resolves!.includes(id))) {
          applied[f] = [cur, n];
          continue;
        }
      }
      conflict(c, 'field', f, baseV, cur, n, lastLocal(c.table, c.recordId, f));
    }
    if (Object.keys(applied).length === 0) return;
    put(c, { ...record, op: 'update', fields: applied }, isFresh);
    if (c.resolves && c.resolves.length > 0) {
      st.addResolution.run(c.changeId, JSON.stringify(c.resolves));
      st.closeResolved.run(now, JSON.stringify(c.resolves));
    }
    res.imported++;
  };

  // 3. One transaction: every record entry read again from the file (hash checked), applied
  // line by line. Foreign keys are checked at the commit, so the order of rows inside a bundle
  // (a state row before its parent) never matters; a violation refuses the whole bundle.
  const withResolves: string[][] = [];
  const applyAll = (): void => {
    ctx.db.pragma('defer_foreign_keys = ON');
    if (newSender) {
      const before = getPeer(ctx, newSender.installationId);
      const p = trustPeer(ctx, { installationId: newSender.installationId, publicKey: newSender.publicKey, name: newSender.name, encryptionKey: m.sender.encryptionKey ?? null, acceptKeyChange: newSender.acceptKeyChange ?? null });
      // A sender trusted from its bundle (a key replaced is recorded by trustPeer itself).
      if (!before) ctx.audit?.({ action: 'peer.trust', method: 'exchange.import', detail: { installationId: p.installation_id, name: p.name, fingerprint: p.fingerprint } });
    }
    learnEncryptionKey(ctx, m.sender.installationId, m.sender.publicKey, m.sender.encryptionKey);
    {
      const peers = ctx.db.prepare('SELECT installation_id, public_key FROM exchange_peers').all() as { installation_id: string; public_key: string }[];
      const mark = receivedMark(ctx);
      quiet = peers.length === 1 && peers[0]!.installation_id === m.sender.installationId && peers[0]!.public_key === m.sender.publicKey && (mark === null || mark.source === m.sender.installationId);
    }
    if (quiet) findBlankTables();
    let done = 0;
    let prevSeq = 0;
    for (const p of plan) {
      const buf = readRecords(o, p.path, p.maxBytes);
      for (const [line, text] of linesOf(buf)) {
        if ((done & 1023) === 0) {
          if (job.signal.aborted) throw new AppFailure('bundle.cancelled');
          job.progress('apply', done, lines);
        }
        done++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'json' });
        }
        const checked = p.kind === 'state' ? checkState(value, tables) : checkChange(value, tables);
        if (!('ok' in checked)) throw new BundleError('bundle.invalid_record', { path: p.path, line, ...checked });
        // Columns stored in a compact form here travel plain (wire.ts).
        if (hasWireForm(checked.ok.table)) {
          if (p.kind === 'state') (checked.ok as SyncState).values = valuesFromWire(checked.ok.table, (checked.ok as SyncState).values);
          else (checked.ok as SyncChange).fields = fieldsFromWire(checked.ok.table, (checked.ok as SyncChange).fields);
        }
        try {
          if (p.kind === 'state') applyState(checked.ok as SyncState);
          else {
            const c = checked.ok as SyncChange;
            if (c.seq <= prevSeq) throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'order' });
            prevSeq = c.seq;
            applyOne(c);
            if (c.resolves && c.resolves.length > 0) withResolves.push(c.resolves);
          }
        } catch (err) {
          // A value the local schema refuses (type, constraint): the record is invalid, nothing is kept.
          const code = (err as { code?: unknown }).code;
          if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
            throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'constraint', table: (value as { table?: string }).table ?? '', detail: code });
          }
          throw err;
        }
      }
    }
    job.progress('apply', lines, lines);
    // Every attachment staged and checked (a damaged one refuses the bundle here), then shown.
    res.attachments += staged.settle();
    settleOrphans();
    quietSeen.finish();
    if (quietApplied > 0) markReceived(ctx, m.sender.installationId);
    // Resolutions that travel with changes already applied earlier still close open conflicts here.
    for (const r of withResolves) st.closeResolved.run(now, JSON.stringify(r));

    const peer = getPeer(ctx, m.sender.installationId);
    if (peer && peer.public_key === m.sender.publicKey) {
      const ack = meta.acks?.[ctx.installationId];
      const maxSeq = logTop(ctx);
      const acked = ack !== undefined ? Math.min(Math.max(peer.acked_seq, ack), maxSeq) : peer.acked_seq;
      let received = peer.received_seq;
      if (meta.since <= received) received = Math.max(received, meta.upTo);
      else res.warnings.push({ code: 'exchange.gap', params: { since: meta.since, received } });
      ctx.db.prepare('UPDATE exchange_peers SET acked_seq = ?, received_seq = ?, last_import_at = ?, name = COALESCE(?, name) WHERE installation_id = ?').run(acked, received, now, m.sender.name ?? null, peer.installation_id);
    }
    if (o.contentKey === null && meta.recipients && meta.recipients.length > 0 && !meta.recipients.includes(ctx.installationId)) {
      res.warnings.push({ code: 'exchange.not_recipient', params: { recipients: meta.recipients.join(', ') } });
    }
    const summary = { imported: res.imported, unchanged: res.unchanged, conflicts: res.conflicts, refused: res.refused, attachments: res.attachments };
    ctx.db
      .prepare('INSERT INTO exchange_imports (bundle_id, kind, sender_installation_id, sender_public_key, sender_name, created_at, imported_at, manifest, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.bundleId, m.kind, m.sender.installationId, m.sender.publicKey, m.sender.name ?? null, m.createdAt, now, reader.manifestBytes.toString('utf8'), JSON.stringify(summary));
    recordJob(ctx, { id: job.id, kind: 'sync', direction: 'import', bundleId: m.bundleId, peer: m.sender.installationId, file: reader.file, records: lines, attachments: files.size, started, finished: new Date().toISOString() });
    if (dryRun) {
      if ((ctx.db.pragma('foreign_key_check') as unknown[]).length > 0) throw new BundleError('bundle.invalid_record', { path: 'records/', reason: 'constraint', detail: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      throw new DryRunRollback();
    }
  };
  try {
    // Report facts once per touched case at the end (not after each of its changes), in the
    // same transaction. A large bundle into a laptop with few cases builds the register's
    // indexes after its rows (bulk-indexes.ts), in this same transaction. The page cache: with
    // those indexes built afterwards, the rows of a bundle of up to about 40,000 cases fit the
    // usual cache (16 MB), and only the building of the indexes gets the larger one (each build
    // reads the whole table: 150 instead of 330 ms at 10,000 cases); a bigger bundle, or rows
    // going into indexes kept row by row, get the larger one throughout (withBulkCache, db.ts).
    const bulk = wantsBulkIndexes(ctx.db, lines);
    const run = (): void =>
      ctx.db.transaction(() => {
        const restore = bulk ? deferIndexes(ctx.db) : null;
        deferFacts(ctx, applyAll);
        if (restore) withBulkCache(ctx.db, restore);
      })();
    if (bulk && lines <= BULK_SMALL_CACHE_RECORDS) run();
    else withBulkCache(ctx.db, run);
  } catch (err) {
    staged.discard();
    if (err instanceof DryRunRollback) return res;
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new BundleError('bundle.invalid_record', { path: 'records/', reason: 'constraint', detail: String(code) }, { cause: err });
    throw err;
  }
  if (res.imported > 0 || res.conflicts > 0) ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
  compactChangeLog(ctx);
  return res;
}

/** Tests only: another number of records the import remembers as fresh (default 100,000). */
export const freshTuning: { cap: number | undefined } = { cap: undefined };

/** A bundle of up to this many records whose indexes are built afterwards needs no larger page cache (10,000 cases: 90,000). */
const BULK_SMALL_CACHE_RECORDS = 400_000;

interface LocalChange {
  change_id: string;
  installation_id: string;
  at: string;
}
