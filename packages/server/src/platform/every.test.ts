import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEvery } from './every';

const quietLog = () => {
  const errors: string[] = [];
  return { errors, log: { error: (_: unknown, msg: string) => errors.push(msg) } as never };
};

describe('runEvery', () => {
  afterEach(() => vi.useRealTimers());

  it('never runs two rounds at once, and goes on after a failed one', async () => {
    vi.useFakeTimers();
    const { errors, log } = quietLog();
    let started = 0;
    let release: (() => void) | undefined;
    const periodic = runEvery(
      () => {
        started += 1;
        if (started === 2) return Promise.reject(new Error('down'));
        return new Promise<void>((resolve) => (release = resolve));
      },
      { log, everyMs: 100, what: 'the sweep' },
    );
    await vi.advanceTimersByTimeAsync(350); // due three times; the first is still running
    expect(started).toBe(1);
    release!();
    await vi.advanceTimersByTimeAsync(100); // the second fails
    expect(started).toBe(2);
    expect(errors).toEqual(['the sweep failed']);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(3);
    release!();
    await periodic.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(3);
  });

  it('starts at once when asked, and stop waits for the round in hand', async () => {
    vi.useFakeTimers();
    const { log } = quietLog();
    let finished = false;
    let release: (() => void) | undefined;
    const periodic = runEvery(
      () =>
        new Promise<void>((resolve) => (release = resolve)).then(() => {
          finished = true;
        }),
      { log, everyMs: 60_000, what: 'retention', isImmediate: true },
    );
    const stopped = periodic.stop();
    release!();
    await stopped;
    expect(finished).toBe(true);
  });
});
