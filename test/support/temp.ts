import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';

const made: string[] = [];
const cores: Core[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'htmp-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** A core on a fresh temporary data folder, closed after the test. */
export function tempCore(): Core {
  const core = createCore({ dataDir: tempDir(), host: 'cli' });
  cores.push(core);
  return core;
}

afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
