/**
 * fast-check: random sets of sync bundles imported in random orders, each twice, give the same
 * database as one import of the same bundles in the order they were made; with local edits on
 * the receiving side, the same conflicts too.
 */
import fc from 'fast-check';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { tempDir } from '../../support/temp';
import { call, closeAll, fingerprintOf, job, knows, laptop, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

async function importFile(to: Laptop, file: string): Promise<void> {
  await job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, {});
    try {
      await importSync(to.ctx, opened, { dryRun: false, job: j });
    } finally {
      await opened.reader.close();
    }
  });
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), surname: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), field: fc.constantFrom('status', 'note'), value: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)) }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), field: fc.constant('count'), value: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('bundle' as const) }),
);

function state(l: Laptop) {
  const changeIds = (l.core.db.prepare('SELECT change_id FROM change_log WHERE table_name = ? AND installation_id <> ? ORDER BY change_id').all('t_case', l.core.installationId) as { change_id: string }[]).map((r) => r.change_id);
  const conflicts = l.core.db.prepare('SELECT change_id, kind, field, local_value, remote_value, status FROM exchange_conflicts ORDER BY change_id, field').all();
  return { rows: snapshot(l).t_case, changeIds, conflicts };
}

describe('sync import is idempotent and order-tolerant (fast-check)', () => {
  it('random subsets in random orders, twice, equal one ordered import', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.array(fc.record({ pick: fc.nat(), field: fc.constantFrom('status', 'note'), value: fc.string({ maxLength: 3 }) }), { maxLength: 4 }),
        fc.infiniteStream(fc.nat()),
        fc.func(fc.boolean()),
        async (ops, localEdits, randoms, chosen) => {
          const a = laptop();
          const ordered = laptop();
          const shuffled = laptop();
          const ia = await call(a, 'exchange.identity', {});
          for (const r of [ordered, shuffled]) await call(r, 'exchange.trustPeer', { installationId: ia.installationId, publicKey: ia.publicKey, name: 'A' });
          // A encrypts every bundle to both receivers (they never send back: no acks, full bundles).
          for (const r of [ordered, shuffled]) await knows(a, r);
          const recipients = [await fingerprintOf(ordered), await fingerprintOf(shuffled)];
          const ids: string[] = [];
          const bundles: string[] = [];
          let t = 0;
          const at = () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)).toISOString();
          const dir = tempDir();
          const makeBundle = async () => {
            const file = path.join(dir, `b${bundles.length}.htmp`);
            await job(a, (j) => exportSync(a.ctx, { file, for: recipients, job: j }));
            bundles.push(file);
          };
          // A base everyone has, then the receivers' identical local edits (conflict material).
          a.ctx.store.insert('t_case', { surname: 'base', status: 's0', note: 'n0', count: 0 }, { at: at() });
          ids.push(String((a.core.db.prepare('SELECT id FROM t_case').get() as { id: string }).id));
          await makeBundle();
          for (const r of [ordered, shuffled]) await importFile(r, bundles[0]!);
          for (const e of localEdits) {
            const edit = { [e.field]: e.value };
            for (const r of [ordered, shuffled]) {
              const id = ids[e.pick % ids.length]!;
              if (r.ctx.store.get('t_case', id)) r.ctx.store.update('t_case', id, edit, { at: '2026-06-01T00:00:00.000Z' });
            }
          }
          for (const o of ops) {
            const live = ids.filter((id) => a.ctx.store.get('t_case', id));
            if (o.kind === 'insert') ids.push(String(a.ctx.store.insert('t_case', { surname: o.surname }, { at: at() }).id));
            else if (o.kind === 'update' && live.length > 0) a.ctx.store.update('t_case', live[o.pick % live.length]!, { [o.field]: o.value }, { at: at() });
            else if (o.kind === 'delete' && live.length > 0) a.ctx.store.remove('t_case', live[o.pick % live.length]!, { at: at() });
            else if (o.kind === 'bundle') await makeBundle();
          }
          await makeBundle();
          const subset = bundles.slice(1).filter((_, i) => chosen(i));
          for (const f of subset) await importFile(ordered, f);
          const it = randoms[Symbol.iterator]();
          const order = [...subset, ...subset];
          for (let i = order.length - 1; i > 0; i--) {
            const j = it.next().value % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          for (const f of order) await importFile(shuffled, f);
          expect(state(shuffled)).toEqual(state(ordered));
          closeAll();
        },
      ),
      // A failure is reported within the test's time, shrunk as far as time allowed (see the
      // compaction property test).
      { numRuns: 25, plugins: [fc.interruptAfterTimeLimit(60_000)] },
    );
  }, 120_000);
});
