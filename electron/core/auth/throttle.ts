/**
 * Wrong passphrases slow down: after n failures in a row, the next attempt waits
 * min(0.5 s × 2^(n-1), 60 s), whoever makes it (every host, every process: the count is kept in
 * `htmp.signin.json` beside the database, a file that names no one). Failed sign-ins made while
 * the database is closed wait there too, until a sign-in can write them to the audit trail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { testKdfEnabled } from '../vault/crypto';
import { writeFileAtomic } from '../vault/keyring';

export const THROTTLE_FILE = 'htmp.signin.json';

export interface PendingFailure {
  at: string;
  /** The user whose slot the name matched (a UUID), or null for an unknown name. */
  userId: string | null;
  host: string;
  reason: string;
}

interface State {
  failures: number;
  lastAt: number;
  pending: PendingFailure[];
}

const MAX_DELAY = 60_000;
const MAX_PENDING = 1000;

/** The wait before the next attempt after `failures` failures in a row. */
export function signInDelayMs(failures: number, base = testKdfEnabled() ? 5 : 500): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_DELAY, base * 2 ** Math.min(failures - 1, 20));
}

export class Throttle {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly baseMs?: number,
  ) {}

  private file(): string {
    return path.join(this.dataDir, THROTTLE_FILE);
  }

  read(): State {
    try {
      const s = JSON.parse(fs.readFileSync(this.file(), 'utf8')) as State;
      return { failures: Number(s.failures) || 0, lastAt: Number(s.lastAt) || 0, pending: Array.isArray(s.pending) ? s.pending : [] };
    } catch {
      return { failures: 0, lastAt: 0, pending: [] };
    }
  }

  private write(s: State): void {
    writeFileAtomic(this.file(), JSON.stringify(s));
  }

  /**
   * Runs one attempt after the wait its predecessors earned; attempts in this process run one
   * at a time (so parallel guesses queue up behind the delay).
   */
  attempt<T>(fn: () => Promise<{ ok: boolean; value: T; failure?: PendingFailure; keepPending?: boolean }>): Promise<T> {
    const run = async (): Promise<T> => {
      const s = this.read();
      const wait = s.lastAt + signInDelayMs(s.failures, this.baseMs) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, MAX_DELAY)));
      const out = await fn();
      const now = this.read();
      if (out.ok) {
        this.write({ failures: 0, lastAt: 0, pending: out.keepPending ? now.pending : [] });
      } else {
        const pending = out.failure ? [...now.pending, out.failure].slice(-MAX_PENDING) : now.pending;
        this.write({ failures: now.failures + 1, lastAt: Date.now(), pending });
      }
      return out.value;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Failures waiting for the audit trail (taken by a successful sign-in). */
  pending(): PendingFailure[] {
    return this.read().pending;
  }
}
