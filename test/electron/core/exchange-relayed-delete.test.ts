import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { tempDir } from '../../support/temp';
import { closeAll, job, laptop, pair, type Laptop } from './exchange-helpers';
afterEach(closeAll);
async function send(from: Laptop, to: Laptop, dir: string, n: number, log: string[]): Promise<void> {
  const file = path.join(dir, `b${n}.htmp`);
  await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
  await job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, {});
    try { return await importSync(to.ctx, opened, { dryRun: false, job: j }); } finally { await opened.reader.close(); }
  });
  const c = to.core.db.prepare('SELECT kind, record_id, field, base_value, local_value, remote_value FROM exchange_conflicts').all();
  if (c.length) log.push(`after send ${n}: ${from.core.installationId.slice(0,4)}->${to.core.installationId.slice(0,4)} ${JSON.stringify(c)}`);
}
/**
 * The counterexample fast-check found (seed 985716821): laptop C's row reaches A, C edits and
 * deletes it; A compacts the row's history away; a fourth laptop D then hears the delete from A
 * (a row it never had) and the edit from B (whose insert was compacted): the edit is older than
 * its own author's delete, so it is superseded, never a 'deleted' conflict.
 */
it('an edit relayed after its author deleted the row is superseded at a laptop that never had the row', async () => {
  const l = [laptop(), laptop(), laptop()];
  await pair(l[0]!, l[1]!); await pair(l[1]!, l[2]!); await pair(l[0]!, l[2]!);
  const own = l.map((x) => String(x.ctx.store.insert('t_case', { surname: 'base', count: 0 }).id));
  const dir = tempDir(); let n = 0; const log: string[] = [];
  await send(l[2]!, l[0]!, dir, n++, log);
  l[2]!.ctx.store.update('t_case', own[2]!, { count: 1 });
  l[0]!.ctx.store.update('t_case', own[0]!, { count: 0 });
  l[2]!.ctx.store.remove('t_case', own[2]!);
  for (let r = 0; r < 2; r++) for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (i !== k) await send(l[i]!, l[k]!, dir, n++, log);
  const d = laptop(); for (const x of l) await pair(x, d); l.push(d);
  for (let round = 0; round < 3; round++) for (let i = 0; i < 4; i++) for (let k = 0; k < 4; k++) if (i !== k) await send(l[i]!, l[k]!, dir, n++, log);
  expect(log).toEqual([]);
  const rows = l.map((x) => x.core.db.prepare('SELECT id, count FROM t_case ORDER BY id').all());
  for (const r of rows) expect(r).toEqual(rows[0]);
  expect(rows[0]!.map((r) => (r as { id: string }).id)).not.toContain(own[2]);
}, 300_000);
