import type { Logger } from '../../platform/logger';
import type { AuthService } from './auth.service';

/**
 * Closes the bursts of refused sign-ins that have ended (their closing audit entries) every `everyMs`, and
 * forgets ended challenges, sessions and sign-in limits every `pruneEveryMs` (worker and all roles).
 */
export function startSignInHousekeeping(opts: {
  auth: AuthService;
  log: Logger;
  everyMs: number;
  pruneEveryMs: number;
}) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const every = (ms: number, what: string, task: () => Promise<unknown>) => {
    let current: Promise<unknown> | undefined;
    timers.push(
      setInterval(() => {
        if (current) return;
        current = task()
          .catch((err: unknown) => opts.log.error({ err }, `${what} failed`))
          .finally(() => {
            running.delete(current!);
            current = undefined;
          });
        running.add(current);
      }, ms),
    );
  };
  every(opts.everyMs, 'closing bursts of refused sign-ins', () => opts.auth.closeEndedBursts());
  every(opts.pruneEveryMs, 'pruning ended sign-ins and sessions', () => opts.auth.prune());
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    },
  };
}
