import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, getSession, isUnauthenticated, sessionSignals } from '../api';
import {
  SESSION_KEY,
  isSessionKey,
  signedOutAfter,
  type SessionState,
  type SignedOutReason,
} from './session-state';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Sign-in, verify, sign-out: a 401 there answers the call itself (wrong password or code), not a lost session. */
      isAuthFlow?: boolean;
    };
  }
}

/**
 * Forgets everything the previous user could see and records why the session ended; the session
 * guard then sends the user to the sign-in page.
 */
export function endSession(client: QueryClient, reason: SignedOutReason): void {
  const predicate = (query: { queryKey: readonly unknown[] }) => !isSessionKey(query.queryKey);
  void client.cancelQueries({ predicate });
  client.removeQueries({ predicate });
  client.getMutationCache().clear();
  const state: SessionState = { status: 'signed-out', reason };
  client.setQueryData(SESSION_KEY, state);
}

/** After a 401, whatever the query was: the session is gone unless we never had one. */
function onUnauthenticated(client: QueryClient): void {
  const next = signedOutAfter(client.getQueryData<SessionState>(SESSION_KEY));
  if (next.status === 'signed-out') endSession(client, next.reason);
}

/** Client errors (4xx) will not change on a retry; network trouble and 5xx get two more tries. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  // `client` is assigned before any query can run, so the caches' callbacks can use it.
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isUnauthenticated(error) && !isSessionKey(query.queryKey)) onUnauthenticated(client);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isUnauthenticated(error) && !mutation.meta?.isAuthFlow) onUnauthenticated(client);
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  // Calls made outside the cache (the intake autosave) lose the session just the same.
  sessionSignals.onRefused((path) => {
    if (!path.startsWith(SESSION_KEY[0])) onUnauthenticated(client);
  });
  return client;
}

/** The session query: a 401 is an answer (signed out), not an error. */
export function sessionQueryOptions(client: QueryClient) {
  return {
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<SessionState> => {
      try {
        return { status: 'signed-in', session: await getSession(signal) };
      } catch (error) {
        if (isUnauthenticated(error)) return signedOutAfter(client.getQueryData<SessionState>(SESSION_KEY));
        throw error;
      }
    },
    staleTime: 30_000,
    // Coming back to the tab after a break shows at once whether the session is still there.
    refetchOnWindowFocus: 'always' as const,
  };
}
