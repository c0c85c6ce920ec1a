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
