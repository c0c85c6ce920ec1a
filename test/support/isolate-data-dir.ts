import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Tests never touch the real data folder of this machine's user (~/.config/HTMP Commission Desk):
 * a command run without --data-dir falls back to HTMP_DATA_DIR, which points at a throw-away
 * folder for the whole test file.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-default-'));
process.env.HTMP_DATA_DIR = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
