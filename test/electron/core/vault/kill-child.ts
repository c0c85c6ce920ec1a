/**
 * Child of encryption.test.ts: encrypts a wave-1 folder (set-up), re-keys an encrypted one or packs
 * its database (the compaction's way, auth/security.ts `pack`), printing each step, so the parent can SIGKILL it anywhere. HTMP_TEST_FAST_KDF comes from the parent.
 */
import { createCore } from '../../../../electron/core/core';

const [mode, dataDir] = process.argv.slice(2) as ['encrypt' | 'rekey' | 'pack', string];
const step = (s: string): void => void process.stdout.write(`STEP ${s}\n`);
const core = createCore({ dataDir, host: 'cli', onConvertStep: step });
const admin = { login: 'admin', passphrase: 'correct horse battery 1' };
async function main(): Promise<void> {
  step('start');
  if (mode === 'encrypt') {
    core.security.setupSync({ ...admin, displayName: 'Әкімші' }, { channel: 'local' });
  } else if (mode === 'pack') {
    await core.call('auth.signIn', admin);
    if (core.security.pack() === null) throw new Error('not packed');
  } else {
    const s = await core.call('auth.signIn', admin);
    await core.as({ channel: 'local', sessionId: s.sessionId! }).call('db.rekey', { passphrase: admin.passphrase });
  }
  core.close();
  process.stdout.write('DONE\n');
}
void main();
