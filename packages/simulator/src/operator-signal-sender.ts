import {
  createApiClient,
  signalKinds,
  type OperatorSignalBatchRequest,
  type SignalBatch,
  type SignalKind,
} from '@fanzha/contracts';
import type { Operator } from '@fanzha/domain';
import { makeSignalBatch, signalMix, type SignalFeedOptions } from './operators';
import type { AnswerKey } from './signing';
import { postSignalBatch } from './signal-batch-post';
import type { SimStats } from './stats';
import { limiter, type Timers } from './timers';

/** Signals per request: what an operator's gateway forwards of the last moment. */
const BATCH_SIZE = 500;
const TICK_MS = 1_000;

export interface SignallingOperator {
  operator: Operator;
  /** Its signal key (`fzs_…`), made by an admin for this operator. */
  apiKey: string;
  answerKey: AnswerKey;
}

/** The request body of a batch: the operator is the key's, never the body's. */
export function operatorRequestOf(batch: SignalBatch): OperatorSignalBatchRequest {
  return { kind: batch.kind, sentAt: batch.sentAt, signals: batch.signals };
}

/**
 * The operators' feeds over HTTPS, for a deployment the simulator cannot reach on NATS (the embedded
 * default, an operator outside the centre's network): each batch — the same as `startSignalFeed` would
 * publish — is posted to `POST /api/operator/signals` with its operator's key, signed over
 * `{ signalBatch: body }`. `perMinute` in all, split by `signalMix`; each tick sends what is due since the
 * start, two requests at a time at most; a batch that did not get through is sent again as it was (its
 * signals' ids make a repeat harmless).
 */
export function startOperatorSignals(deps: {
  baseUrl: string;
  operators: readonly SignallingOperator[];
  perMinute: number;
  feed: SignalFeedOptions;
  stats: SimStats;
  timers: Timers;
  /** Tests: the transport and the clock. */
  fetch?: typeof fetch;
  now?: () => number;
}): { inFlight(): number; stop(): void } {
  const now = deps.now ?? Date.now;
  const clients = new Map(
    deps.operators.map((o) => [
      o.operator,
      {
        ...o,
        client: createApiClient({
          baseUrl: deps.baseUrl,
          headers: { authorization: `Bearer ${o.apiKey}` },
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        }),
      },
    ]),
  );
  const sending = limiter(2);
  const startedAt = now();
  const sent: Record<SignalKind, number> = { call: 0, sms: 0, url: 0, app: 0 };
  const batches: Record<SignalKind, number> = { call: 0, sms: 0, url: 0, app: 0 };
  let isStopped = false;

  const send = async (batch: SignalBatch) => {
    const sender = clients.get(batch.operator);
    if (!sender) return;
    const body = operatorRequestOf(batch);
    const signature = sender.answerKey.sign({ signalBatch: body });
    const res = await postSignalBatch(deps.stats, 'operator_signal', () =>
      sender.client.POST('/api/operator/signals', {
        params: { header: { 'x-fanzha-signature': signature } },
        body,
      }),
    );
    if (res) deps.stats.signalsPublished += res.accepted;
  };

  const tick = () => {
    if (isStopped) return;
    const at = now();
    for (const kind of signalKinds) {
      const due = Math.floor(((at - startedAt) / 60_000) * deps.perMinute * signalMix[kind]);
      while (sent[kind] < due) {
        const size = Math.min(BATCH_SIZE, due - sent[kind]);
        const batch = makeSignalBatch(deps.feed, kind, batches[kind]++, size, new Date(at));
        sent[kind] += size;
        void sending(() => send(batch));
      }
    }
    deps.timers.at(Date.now() + TICK_MS, tick);
  };
  tick();
  return {
    inFlight: () => sending.busy(),
    stop: () => {
      isStopped = true;
    },
  };
}
