/**
 * Child process of exchange-kill.test.ts: imports a sync bundle into a data folder. When it has
 * applied `holdAt` records inside the import transaction (not yet committed) it prints
 * `APPLY <n>` and waits there, so the parent's SIGKILL lands inside the transaction whatever the
 * speed of the machine or the throttling of progress events. If no kill comes within a minute
 * it goes on and commits (and the parent's checks then fail).
 */
import fs from 'node:fs';
import { createCore } from '../../../electron/core/core';
import type { CoreContext } from '../../../electron/core/context';
import { runJob } from '../../../electron/core/exchange/jobs';
import { importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { Store } from '../../../electron/core/store';
import { userTables } from '../../../electron/core/tables';
import { fixedContext, TEST_DDL, TEST_TABLES } from './exchange-helpers-tables';

const [dataDir, file, holdAtArg] = process.argv.slice(2) as [string, string, string];
const holdAt = Number(holdAtArg);
const raw = createCore({ dataDir, host: 'cli' });
// Signed in as the test admin (the parent set the folder up); HTMP_TEST_FAST_KDF comes from the parent.
const signIn = raw.security.signIn({ login: 'admin', passphrase: 'correct horse battery 1' }, { channel: 'local' });
void signIn.then((s) => main(raw.as({ channel: 'local', sessionId: s.sessionId! })));

function main(core: typeof raw): void {
core.db.exec(TEST_DDL);
// A small page cache, as a big import has on any cache: uncommitted pages spill into the WAL
// before the kill, so the parent tests a rollback of pages on disk, not of memory only.
core.db.pragma('cache_size = -256');
const store = new Store(core.db, core.installationId, [...userTables, ...TEST_TABLES]);
let applied = 0;
const applyRemote = store.applyRemote.bind(store);
store.applyRemote = (change, opts) => {
  applyRemote(change, opts);
  if (++applied === holdAt) {
    if (!core.db.inTransaction) throw new Error('applied outside a transaction');
    fs.writeSync(1, `APPLY ${applied}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  }
};
const ctx: CoreContext = { ...fixedContext(core.context, store), emit: () => undefined };
void runJob(ctx, 'import', undefined, async (job) => {
  const opened = await openTrusted(ctx, file, {});
  return importSync(ctx, opened, { dryRun: false, job });
}).then((r) => {
  fs.writeSync(1, `DONE ${r.imported}\n`);
  core.close();
});
}
