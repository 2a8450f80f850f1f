/**
 * What the banks' and the operators' gateways do with each signed batch of signals they post: retry it on
 * the server's 5xx, count the first refused signal of an answer, and count a batch that failed for good —
 * never throwing, so one bad batch does not stop a feed.
 */
import { ApiError, type SignalBatchResponse } from '@fanzha/contracts';
import { withRetry } from './session';
import { countError, type SimStats } from './stats';

/**
 * Posts one batch with `post`, counting `<kind>_refused` for an answer with refused signals and
 * `<kind>s` for a batch that failed (and `server_500` when the server answered 500); its answer, or
 * undefined when it failed.
 */
export async function postSignalBatch(
  stats: SimStats,
  kind: 'bank_signal' | 'operator_signal',
  post: () => Promise<SignalBatchResponse>,
): Promise<SignalBatchResponse | undefined> {
  try {
    const res = await withRetry(post, 4, (err) => err instanceof ApiError && err.status >= 500);
    if (res.refused > 0)
      countError(stats, `${kind}_refused`, JSON.stringify(res.results.find((r) => r.status === 'refused')));
    return res;
  } catch (err) {
    if (err instanceof ApiError && err.status === 500) countError(stats, 'server_500', err);
    countError(stats, `${kind}s`, err);
    return undefined;
  }
}
