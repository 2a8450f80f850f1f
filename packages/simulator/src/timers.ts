/** Wall-clock scheduling for the actors: one place that holds every pending timer, so a stop clears them. */
export function createTimers() {
  // Sleepers are woken on stop, so loops waiting on them can see `isStopped` and end.
  const pending = new Map<NodeJS.Timeout, (() => void) | undefined>();
  let isStopped = false;
  return {
    /** Runs `fn` at wall-clock `realMs` (at once if that has passed). Errors are the caller's to catch. */
    at(realMs: number, fn: () => void): void {
      if (isStopped) return;
      const t = setTimeout(
        () => {
          pending.delete(t);
          if (!isStopped) fn();
        },
        Math.max(0, realMs - Date.now()),
      );
      pending.set(t, undefined);
    },
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        if (isStopped) return resolve();
        const t = setTimeout(() => {
          pending.delete(t);
          resolve();
        }, ms);
        pending.set(t, resolve);
      });
    },
    get isStopped() {
      return isStopped;
    },
    stop(): void {
      isStopped = true;
      for (const [t, wake] of pending) {
        clearTimeout(t);
        wake?.();
      }
      pending.clear();
    },
  };
}
export type Timers = ReturnType<typeof createTimers>;

/**
 * Work at people's pace for an actor: `later(delayMs, fn)` runs `fn` `delayMs × pace` from now, counted as open
 * until it has run (`open()`, for the actor's in-flight count); a failure goes to `onError`.
 */
export function pacedWork(deps: { timers: Timers; pace: number; onError: (err: unknown) => void }) {
  let open = 0;
  return {
    later: (delayMs: number, fn: () => Promise<unknown>): void => {
      open++;
      deps.timers.at(Date.now() + delayMs * deps.pace, () => {
        void fn()
          .catch(deps.onError)
          .finally(() => open--);
      });
    },
    open: () => open,
  };
}

export interface Limiter {
  <T>(fn: () => Promise<T>): Promise<T>;
  /** Calls in flight or waiting. */
  busy(): number;
}

/** At most `max` calls in flight; the rest wait their turn (keeps a fast run from flooding the server). */
export function limiter(max: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  return Object.assign(run, { busy: () => active + waiting.length });
}
