import { createContext, useContext } from 'react';
import type { LiveEvents } from './events';
import type { Me } from './api-types';

export interface Session {
  me: Me;
  live: LiveEvents;
  /** Re-reads GET /me. */
  refreshMe: () => Promise<void>;
  /** Updates the signed-in participant's balance (from an exchange answer or a live event). */
  setBalance: (tokens: number) => void;
  /** `notice`: what the sign-in screen then says (not as an error), such as that the account was deleted. */
  signOut: (notice?: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in app');
  return session;
}

/** The signed-in participant (participant screens only). */
export function useParticipant() {
  const { me } = useSession();
  if (!me.participant) throw new Error('This screen is for participant keys');
  return me.participant;
}
