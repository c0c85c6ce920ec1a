/**
 * Child process of exchange-kill.test.ts: imports a sync bundle into a data folder and prints
 * `APPLY <n>` while the import transaction runs, so the parent can SIGKILL it mid-import.
 */
import { createCore } from '../../../electron/core/core';
import type { CoreContext } from '../../../electron/core/context';
import { runJob } from '../../../electron/core/exchange/jobs';
import { importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { Store } from '../../../electron/core/store';
import { userTables } from '../../../electron/core/tables';
import { TEST_DDL, TEST_TABLES } from './exchange-helpers-tables';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const raw = createCore({ dataDir, host: 'cli' });
// Signed in as the test admin (the parent set the folder up); HTMP_TEST_FAST_KDF comes from the parent.
const signIn = raw.security.signIn({ login: 'admin', passphrase: 'correct horse battery 1' }, { channel: 'local' });
void signIn.then((s) => main(raw.as({ channel: 'local', sessionId: s.sessionId! })));

function main(core: typeof raw): void {
core.db.exec(TEST_DDL);
const ctx: CoreContext = {
  ...core.context,
  store: new Store(core.db, core.installationId, [...userTables, ...TEST_TABLES]),
  emit: (e) => {
    if (e.type === 'job.progress' && e.payload.phase === 'apply' && Number(e.payload.done) > 0) process.stdout.write(`APPLY ${String(e.payload.done)}\n`);
  },
};
void runJob(ctx, 'import', undefined, async (job) => {
  const opened = await openTrusted(ctx, file, {});
  return importSync(ctx, opened, { dryRun: false, job });
}).then((r) => {
  process.stdout.write(`DONE ${r.imported}\n`);
  core.close();
});
}
