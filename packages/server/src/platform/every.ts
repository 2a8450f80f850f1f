import type { Logger } from './logger';

export interface Periodic {
  /** Stops the rounds and waits for the one in hand. */
  stop(): Promise<void>;
}

/**
 * Runs `round` every `everyMs`, never two at once: a round still running when the next is due is skipped,
 * not queued. A failed round is logged (`<what> failed`) and the next one runs as usual. With `isImmediate`
 * the first round starts now rather than after `everyMs`. The sweeps of workers (legal timers, warning
 * episodes, the audit's sealing and checkpoints, the outbox's retention) all run this way.
 */
export function runEvery(
  round: () => Promise<unknown>,
  opts: { log: Logger; everyMs: number; what: string; isImmediate?: boolean },
): Periodic {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= round()
      .catch((err: unknown) => opts.log.error({ err }, `${opts.what} failed`))
      .finally(() => (running = undefined));
  };
  if (opts.isImmediate) tick();
  const timer = setInterval(tick, opts.everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
