import type { Me, SessionInfo } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { signOut } from '../api';
import { endSession, sessionQueryOptions } from './query-client';
import { SESSION_KEY, isSessionKey, type SessionState } from './session-state';

export function useSession() {
  const client = useQueryClient();
  return useQuery(sessionQueryOptions(client));
}

/** The signed-in user. Only for components under <RequireSession>, which renders nothing else. */
export function useMe(): Me {
  const { data } = useSession();
  if (data?.status !== 'signed-in') throw new Error('useMe() outside <RequireSession>');
  return data.session.user;
}

/** Puts a fresh session in the cache, dropping anything a previous user of this browser could see. */
export function useStartSession(): (session: SessionInfo) => void {
  const client = useQueryClient();
  return (session) => {
    // Not the session query itself: its observers would keep watching the removed one.
    client.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
    const state: SessionState = { status: 'signed-in', session };
    client.setQueryData(SESSION_KEY, state);
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    // Signed out locally whatever the server said: an already-expired session is just as gone.
    onSettled: () => endSession(client, 'signed-out'),
    meta: { isAuthFlow: true },
  });
}
