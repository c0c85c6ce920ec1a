/**
 * Sync conflicts: listing them and resolving one through the Store, so the decision syncs on
 * (overview in sync.ts).
 */
import { newId } from '../ids';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { SqlValue } from '../store';
import { isLocked } from './sync-records';

// ---------------------------------------------------------------------------------------------
// Conflicts

export interface ConflictRow {
  id: string;
  change_id: string;
  kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued';
  table_name: string;
  record_id: string;
  field: string;
  base_value: string | null;
  local_value: string | null;
  remote_value: string | null;
  local_change_id: string | null;
  local_installation_id: string | null;
  local_at: string | null;
  remote_installation_id: string;
  remote_name: string | null;
  remote_at: string;
  bundle_id: string;
  status: 'open' | 'resolved';
  resolution: 'local' | 'remote' | 'remote_resolution' | null;
  resolved_at: string | null;
  created_at: string;
}

export function listConflicts(ctx: CoreContext, status?: 'open' | 'resolved'): ConflictRow[] {
  return (
    status
      ? ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE status = ? ORDER BY created_at, table_name, record_id, field').all(status)
      : ctx.db.prepare('SELECT * FROM exchange_conflicts ORDER BY status DESC, created_at, table_name, record_id, field').all()
  ) as ConflictRow[];
}

/**
 * Resolves a conflict by writing the chosen value through the Store (so the decision syncs on),
 * linked to the change ids it settles. Keeping the local value writes a change with the same
 * old and new value: the other laptops, which may hold the remote value, then settle on it too.
 */
export function resolveConflict(ctx: CoreContext, id: string, choice: 'local' | 'remote'): ConflictRow {
  const c = ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE id = ?').get(id) as ConflictRow | undefined;
  if (!c) throw new AppFailure('exchange.conflict_not_found', { id });
  if (c.status !== 'open') throw new AppFailure('exchange.conflict_closed', { id });
  const now = new Date().toISOString();
  ctx.store.transaction(() => {
    const row = ctx.store.get(c.table_name, c.record_id);
    // A row locked since the conflict was recorded (an issued decision or protocol) never takes
    // a value from another laptop; only keeping the local value is possible.
    if (choice === 'remote' && row && isLocked(c.table_name, row)) throw new AppFailure('exchange.cannot_apply', { kind: 'locked' });
    if (c.kind === 'field' && row) {
      const cur = row[c.field] ?? null;
      const chosen = choice === 'remote' ? (JSON.parse(c.remote_value ?? 'null') as SqlValue) : cur;
      const others = ctx.db
        .prepare("SELECT id, change_id, local_change_id FROM exchange_conflicts WHERE status = 'open' AND kind = 'field' AND table_name = ? AND record_id = ? AND field = ?")
        .all(c.table_name, c.record_id, c.field) as { id: string; change_id: string; local_change_id: string | null }[];
      let lastLocalId: string | null = null;
      for (const r of ctx.db.prepare('SELECT change_id, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC').iterate(c.table_name, c.record_id) as Iterable<{ change_id: string; op: string; fields: string }>) {
        if (r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[c.field] !== undefined) {
          lastLocalId = r.change_id;
          break;
        }
      }
      // Both sides' changes are settled: the remote ones, and the local change each conflict was
      // recorded against (kept in the conflict, as the log may have been compacted since).
      const locals = others.map((o) => o.local_change_id).filter((x): x is string => x !== null);
      const resolves = [...new Set([...others.map((o) => o.change_id), ...locals, ...(lastLocalId ? [lastLocalId] : [])])];
      let changeId: string;
      if (chosen !== cur) {
        let captured: string | null = null;
        const off = ctx.store.onChange((ch) => {
          captured = ch.changeId;
        });
        try {
          ctx.store.update(c.table_name, c.record_id, { [c.field]: chosen });
        } finally {
          off();
        }
        changeId = captured!;
      } else {
        changeId = newId();
        ctx.store.applyRemote({ changeId, table: c.table_name, recordId: c.record_id, op: 'update', fields: { [c.field]: [cur, cur] }, installationId: ctx.installationId, at: now, origin: null });
      }
      ctx.db.prepare('INSERT OR REPLACE INTO exchange_resolutions (change_id, resolves) VALUES (?, ?)').run(changeId, JSON.stringify(resolves));
      ctx.db.prepare("UPDATE exchange_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id IN (SELECT value FROM json_each(?))").run(choice, now, JSON.stringify(others.map((o) => o.id)));
      return;
    }
    if (c.kind === 'delete' && choice === 'remote' && row) {
      ctx.store.remove(c.table_name, c.record_id);
    } else if (choice === 'remote') {
      throw new AppFailure('exchange.cannot_apply', { kind: c.kind });
    }
    ctx.db.prepare("UPDATE exchange_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?").run(choice, now, c.id);
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
  return ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE id = ?').get(id) as ConflictRow;
}
