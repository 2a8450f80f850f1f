/**
 * Gathers items handed in one by one (each bus delivery is one event) into batches applied one at a time,
 * so a busy stream costs one transaction per batch instead of one per event. Each `add` resolves once its
 * batch is applied, and only then is its event acknowledged. When a batch fails, its items are retried
 * one by one, so one bad event fails alone and the others go through.
 */
export interface Batcher<T> {
  add(item: T): Promise<void>;
  /** Applies what is waiting and resolves when nothing is in flight. */
  drain(): Promise<void>;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createBatcher<T>(
  apply: (items: T[]) => Promise<void>,
  opts: { maxItems: number; waitMs: number },
): Batcher<T> {
  let queue: Waiting<T>[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  async function runOne(batch: Waiting<T>[]): Promise<void> {
    try {
      await apply(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const w of batch) {
        try {
          await apply([w.item]);
          w.resolve();
        } catch (one) {
          w.reject(one);
        }
      }
    }
  }

  function run(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue.slice(0, opts.maxItems);
    queue = queue.slice(opts.maxItems);
    running = runOne(batch).finally(() => {
      running = undefined;
      schedule();
    });
  }

  function schedule(): void {
    if (running || queue.length === 0) return;
    if (queue.length >= opts.maxItems) run();
    else timer ??= setTimeout(run, opts.waitMs);
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (running || queue.length > 0) {
        if (!running) run();
        await running;
      }
    },
  };
}
