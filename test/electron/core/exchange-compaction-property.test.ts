/**
 * Compaction under relays (fast-check): three laptops that all trust each other make, change and
 * delete their own rows and send bundles to each other in random order; every import compacts
 * what all peers acknowledged. After everyone has sent to everyone a few times, all three hold
 * exactly the same rows and no conflict was ever recorded: compacted changes relayed back are
 * recognised (change_seen), deletes stay deleted (tombstones), history that a laptop no longer
 * has travels as current rows (a fourth laptop joins at the end).
 */
import fc from 'fast-check';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeLogHorizon } from '../../../electron/core/exchange/sync';
import { tempDir } from '../../support/temp';
import { closeAll, laptop, pair, sendBundle, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

async function send(from: Laptop, to: Laptop, dir: string, n: number): Promise<void> {
  await sendBundle(from, to, path.join(dir, `b${n}.htmp`));
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), who: fc.nat(2), surname: fc.string({ maxLength: 4 }) }),
  fc.record({ kind: fc.constant('update' as const), who: fc.nat(2), pick: fc.nat(), value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('delete' as const), who: fc.nat(2), pick: fc.nat() }),
  fc.record({ kind: fc.constant('send' as const), from: fc.nat(2), to: fc.nat(2) }),
);

describe('compaction keeps sync correct (fast-check)', () => {
  it('random edits of own rows and random bundles between three laptops converge without a conflict', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 24 }), async (ops) => {
        const l = [laptop(), laptop(), laptop()];
        await pair(l[0]!, l[1]!);
        await pair(l[1]!, l[2]!);
        await pair(l[0]!, l[2]!);
        const own: string[][] = l.map((x) => [String(x.ctx.store.insert('t_case', { surname: 'base', count: 0 }).id)]);
        const dir = tempDir();
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'send') {
            if (o.from !== o.to) await send(l[o.from]!, l[o.to]!, dir, n++);
            continue;
          }
          const me = l[o.who]!;
          const mine = own[o.who]!.filter((id) => me.ctx.store.get('t_case', id));
          if (o.kind === 'insert') own[o.who]!.push(String(me.ctx.store.insert('t_case', { surname: o.surname, count: 0 }).id));
          else if (o.kind === 'update' && mine.length > 0) me.ctx.store.update('t_case', mine[o.pick % mine.length]!, { count: o.value });
          else if (o.kind === 'delete' && mine.length > 0) me.ctx.store.remove('t_case', mine[o.pick % mine.length]!);
        }
        // Everyone sends to everyone (acks travel back, compaction runs), then a fourth laptop
        // joins: what the others compacted reaches it as current rows.
        for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (i !== k) await send(l[i]!, l[k]!, dir, n++);
        for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (i !== k) await send(l[i]!, l[k]!, dir, n++);
        const d = laptop();
        for (const x of l) await pair(x, d);
        l.push(d);
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < 4; i++) for (let k = 0; k < 4; k++) if (i !== k) await send(l[i]!, l[k]!, dir, n++);
        }
        const rows = l.map((x) => snapshot(x).t_case);
        for (const r of rows) expect(r).toEqual(rows[0]);
        for (const x of l) expect(x.core.db.prepare('SELECT count(*) FROM exchange_conflicts').pluck().get()).toBe(0);
        // Everyone acknowledged everything: the logs were compacted.
        for (const x of l.slice(0, 3)) expect(changeLogHorizon(x.ctx)).toBeGreaterThan(0);
        for (const x of l) x.close();
      }),
      // A failure reports within the test's time, shrunk as far as time allowed, instead of
      // shrinking past the timeout (each run makes four laptops and up to 70 bundles).
      { numRuns: 10, plugins: [fc.interruptAfterTimeLimit(240_000)] },
    );
  }, 600_000);
});
