/**
 * Issue 12.3 and 12.9 with real processes: a restore while the web host runs on the folder (also
 * through a symlink; a killed host's lease is stale), and a restore killed with SIGKILL (nothing
 * in the temp folder; its staging inside the data folder goes at the next start). The app's own
 * migrations only (the built host and CLI run them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { openLeases } from '../../../electron/core/data-folder';
import { putStoredFile } from '../../../electron/core/files';
import { cliAs } from '../../support/cli';
import { tempCore, tempDir, track } from '../../support/temp';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts the built web host on a folder (a real process) and waits until it listens. */
async function webHost(dataDir: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'electron', 'host.cjs'), '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    env: { ...process.env, HTMP_APP_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Open:')) resolve();
    });
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('exit', () => reject(new Error(`web host ended: ${out}`)));
  });
  return proc;
}

describe('restore never loses a write (12.3), real processes', () => {
  it('is refused while the web host (another process) runs on the folder, also through a symlink; a killed host\'s lease is stale', async () => {
    const dir = tempDir('htmp-host-');
    const secret = { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 12' };
    const made = await cliAs(['backup', 'create', '--out', path.join(tempDir(), 'b.htmp'), '--json', '--data-dir', dir], secret);
    expect(made.code).toBe(0);
    const file = String(made.json().file);
    const host = await webHost(dir);
    expect(openLeases(fs.realpathSync(dir)).map((l) => l.pid)).toContain(host.pid);

    const busy = await cliAs(['backup', 'restore', file, '--force', '--json', '--data-dir', dir], secret);
    expect(busy.code).toBe(2);
    expect(busy.json()).toMatchObject({ error: { code: 'exchange.restore_in_use', params: { pid: host.pid, host: 'web' } } });
    // The same folder under another name.
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(dir, link);
    const viaLink = await cliAs(['backup', 'restore', file, '--force', '--json', '--data-dir', link], secret);
    expect(viaLink.json()).toMatchObject({ error: { code: 'exchange.restore_in_use', params: { pid: host.pid } } });
    // Into it from another installation's app (a local caller naming the folder).
    const a = tempCore();
    await expect(a.call('exchange.restore', { file, dataDir: link, force: true, recoveryKey: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' })).rejects.toMatchObject({ code: 'exchange.restore_in_use' });

    host.kill('SIGKILL');
    await new Promise((r) => host.once('exit', r));
    const ok = await cliAs(['backup', 'restore', file, '--force', '--json', '--data-dir', link], secret);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.json()).toMatchObject({ state: 'signedOut' });
  });
});

describe('no leftovers (12.9), real processes', () => {
  it('a restore killed with SIGKILL leaves nothing in the temp folder; its staging is inside the data folder and goes at the next start', async () => {
    const a = tempCore();
    for (let i = 0; i < 150; i++) putStoredFile(a.dataDir, randomBytes(256 * 1024));
    const file = path.join(tempDir(), 'backup.htmp');
    await a.call('exchange.backup', { out: file, passphrase: 'backup passphrase 12' });
    const fp = (await a.call('exchange.identity', {})).fingerprint;
    const parent = tempDir('htmp-kill-restore-');
    const target = path.join(parent, 'data');
    const tmp = tempDir('htmp-tmp-');
    const proc = spawn(process.execPath, [path.join(root, 'bin', 'htmp.cjs'), 'backup', 'restore', file, '--trust-backup-key', fp, '--json', '--data-dir', target], {
      cwd: root,
      env: { ...process.env, HTMP_APP_ROOT: root, HTMP_BACKUP_PASSPHRASE: 'backup passphrase 12', TMPDIR: tmp, TEMP: tmp, TMP: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(proc);
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const staging = path.join(target, '.staging');
    // Kill it once it is writing the stored files into its staging.
    const killed = await new Promise<boolean>((resolve) => {
      const tick = setInterval(() => {
        if (proc.exitCode !== null) {
          clearInterval(tick);
          resolve(false);
          return;
        }
        try {
          for (const d of fs.readdirSync(staging)) {
            const files = path.join(staging, d, 'files');
            if (d.startsWith(`restore-${proc.pid}-`) && fs.existsSync(files) && fs.readdirSync(files).length > 3) {
              proc.kill('SIGKILL');
              clearInterval(tick);
              resolve(true);
              return;
            }
          }
        } catch {
          /* not yet */
        }
      }, 5);
    });
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(null) : proc.once('exit', r)));
    expect(killed, out).toBe(true);
    // Nothing in the temp folder, nothing beside the data folder; the staging is inside it.
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual(['data']);
    expect(fs.readdirSync(staging).some((d) => d.startsWith(`restore-${proc.pid}-`))).toBe(true);
    expect(fs.existsSync(path.join(target, 'htmp.keyring.json'))).toBe(false);
    // The next start removes it (its pid is dead) and takes over the stale locks; the restore runs again.
    track(createCore({ dataDir: target })).close();
    expect(fs.readdirSync(staging)).toEqual([]);
    const again = await cliAs(['backup', 'restore', file, '--trust-backup-key', fp, '--json', '--data-dir', target], { HTMP_BACKUP_PASSPHRASE: 'backup passphrase 12' });
    expect(again.code, again.stdout).toBe(0);
    expect(again.json()).toMatchObject({ files: 150 });
    expect(fs.readdirSync(staging)).toEqual([]);
  }, 120_000);

});
