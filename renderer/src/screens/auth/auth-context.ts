import { createContext, useContext } from 'react';
import type { AuthStatus } from '../../../../shared/contract';

export interface AuthState {
  status: AuthStatus;
  setStatus(s: AuthStatus): void;
  lock(): void;
  signOut(): void;
}

export const AuthContext = createContext<AuthState | null>(null);

/** The signed-in user and the lock / sign-out actions (inside AuthGate). */
export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthGate');
  return a;
}
