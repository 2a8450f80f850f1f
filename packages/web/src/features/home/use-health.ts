import { useCallback, useEffect, useState } from 'react';
import { getHealth, isAbortError, type Health } from '../../api';

export type HealthState =
  { status: 'loading' } | { status: 'ok'; health: Health } | { status: 'error'; error: Error };

// A plain effect is enough for one status call; console data will want a shared query cache.
export function useHealth(): HealthState & { reload: () => void } {
  const [state, setState] = useState<HealthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    getHealth(controller.signal).then(
      (health) => setState({ status: 'ok', health }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
