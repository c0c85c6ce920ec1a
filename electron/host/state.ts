import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the web host keeps between runs, in a private file of the data folder: its token and the
 * port it listened on. With both kept, the address a tab was opened with stays valid across a
 * restart (the tab reconnects by itself); `--new-token` replaces the token, which makes every
 * open tab ask for the new address.
 */
export interface HostState {
  token: string;
  port: number | null;
}

export const HOST_STATE_FILE = 'htmp-web-host.json';
const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;

export const newToken = (): string => randomBytes(24).toString('base64url');

/** The kept state, or a fresh one (a missing, unreadable or malformed file is replaced). */
export function readHostState(dataDir: string): HostState | null {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, HOST_STATE_FILE), 'utf8')) as Partial<HostState>;
    if (typeof raw.token !== 'string' || !TOKEN.test(raw.token)) return null;
    const port = typeof raw.port === 'number' && Number.isInteger(raw.port) && raw.port > 0 && raw.port < 65536 ? raw.port : null;
    return { token: raw.token, port };
  } catch {
    return null;
  }
}

/** Writes the state atomically, readable by this OS user only. */
export function writeHostState(dataDir: string, state: HostState): void {
  const file = path.join(dataDir, HOST_STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
