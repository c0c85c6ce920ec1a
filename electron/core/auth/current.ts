import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../../../shared/contract/auth';

/** The signed-in user a call runs for (set by dispatch for the whole call, async steps included). */
export interface Actor {
  userId: string;
  login: string;
  displayName: string;
  role: Role;
  sessionId: string | null;
}

const store = new AsyncLocalStorage<Actor | null>();

/** Runs `fn` on behalf of `actor`: the Store's change log and the audit trail read it. */
export const runAs = <T>(actor: Actor | null, fn: () => T): T => store.run(actor, fn);

/** The user the current call runs for; null outside a signed-in call (sync, start-up, tests without users). */
export const currentActor = (): Actor | null => store.getStore() ?? null;

/**
 * The audit row a call still owes (set by dispatch for an audited method). The first write
 * transaction of the call on `db` appends it before it commits (db.ts), so a call that writes
 * takes the write lock once — its change and its audit row commit together, and the row's link
 * to the previous one is read under that same lock. A call that never writes (an opened case, a
 * rendered PDF) has it appended by dispatch afterwards, in a transaction of its own.
 */
export interface PendingAudit {
  /** The connection whose transactions carry the row (the open encrypted database). */
  readonly db: object;
  /** True once the row was appended (in a transaction that then committed or rolled back: see `rows`). */
  written: boolean;
  /** Appends the row with outcome `ok`, inside the caller's open transaction. */
  write(): void;
  /** Changes seen in this call's transactions (the subject of a new case comes from them). */
  readonly changes: { table: string; recordId: string }[];
}

const pending = new AsyncLocalStorage<PendingAudit | null>();

/** Runs `fn` with `p` as the call's owed audit row. */
export const withPendingAudit = <T>(p: PendingAudit | null, fn: () => T): T => pending.run(p, fn);

/** The current call's owed audit row, if any. */
export const pendingAudit = (): PendingAudit | null => pending.getStore() ?? null;
