/**
 * `fanzha signals replay` over NATS: connects a publisher to the deployment's signals stream, replays the
 * capture through it (`replaySignalLines`) and closes it.
 */
import { createSignalPublisher } from '../modules/screening/index';
import { replaySignalLines, type ReplayProgress } from './signals-replay';

export async function replaySignals(opts: {
  /** Read once iterated (an async generator), not before: the connection is made first. */
  lines: AsyncIterable<string>;
  natsUrl: string;
  namespace: string;
  onProgress?: (p: ReplayProgress) => void;
}): Promise<ReplayProgress> {
  const publisher = await createSignalPublisher({ url: opts.natsUrl, namespace: opts.namespace });
  try {
    return await replaySignalLines({ lines: opts.lines, publisher, onProgress: opts.onProgress });
  } finally {
    await publisher.close();
  }
}
