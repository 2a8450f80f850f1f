import { signalBatchKinds, type SignalBatchKind } from '@fanzha/contracts';
import type { SignalPublisher } from '../modules/screening/index';

export interface ReplayProgress {
  /** Lines read so far, and bytes of the file read (for a progress bar). */
  lines: number;
  bytes: number;
  /** Batches the signals stream has, and the signals in them. */
  published: number;
  signals: number;
  /** Lines that are not a batch with a known kind: not sent, listed by line number (the first 20). */
  skipped: number;
  skippedLines: Array<{ line: number; reason: string }>;
}

/**
 * Replays a capture of signal batches (JSON lines, each one batch with its `kind`) into a deployment's
 * signals stream, exactly as received: the workers screen them as if just sent (the same signal ids never
 * warn twice), and a malformed batch becomes a dead letter there. Up to 32 publishes wait for the stream
 * at once. A line that is not JSON or has no known kind cannot be routed to a subject: it is skipped and
 * counted here. The publisher is the caller's (`replaySignals` in `signals-replay.nats.ts` connects one) and
 * stays open.
 */
export async function replaySignalLines(opts: {
  lines: AsyncIterable<string>;
  publisher: SignalPublisher;
  onProgress?: (p: ReplayProgress) => void;
}): Promise<ReplayProgress> {
  const { publisher } = opts;
  const p: ReplayProgress = { lines: 0, bytes: 0, published: 0, signals: 0, skipped: 0, skippedLines: [] };
  const inFlight = new Set<Promise<void>>();
  const skip = (reason: string) => {
    p.skipped++;
    if (p.skippedLines.length < 20) p.skippedLines.push({ line: p.lines, reason });
  };
  {
    for await (const line of opts.lines) {
      p.lines++;
      p.bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      let batch: unknown;
      try {
        batch = JSON.parse(line);
      } catch {
        skip('not JSON');
        continue;
      }
      const kind = (batch as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !signalBatchKinds.includes(kind as SignalBatchKind)) {
        skip(`no known kind (${signalBatchKinds.join(', ')})`);
        continue;
      }
      const signals = (batch as { signals?: unknown }).signals;
      const n = Array.isArray(signals) ? signals.length : 0;
      const sent = publisher.publish(kind as SignalBatchKind, batch).then(() => {
        p.published++;
        p.signals += n;
        inFlight.delete(sent);
        opts.onProgress?.(p);
      });
      inFlight.add(sent);
      if (inFlight.size >= 32) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    opts.onProgress?.(p);
    return p;
  }
}
