import { createApiClient } from '@fanzha/contracts';
import { makeBankSignalBatch, type BankSignalOptions } from './bank-signals';
import type { AnswerKey } from './signing';
import { postSignalBatch } from './signal-batch-post';
import type { SimStats } from './stats';
import { limiter, type Timers } from './timers';

/** Transfer attempts per request: a bank's gateway forwards what it saw in the last moment. */
const BATCH_SIZE = 500;
const TICK_MS = 1_000;

export interface SignallingBank {
  bankCode: string;
  apiKey: string;
  answerKey: AnswerKey;
}

/**
 * The banks' systems post their customers' transfer attempts to `POST /api/bank/signals` at `perMinute`
 * in all, the banks taking turns batch by batch, each with its own key and signed as its answers are
 * (`X-Fanzha-Signature` over `{ signalBatch: body }`). HTTP only, so it works on the embedded default and
 * scaled out. Each tick sends what is due since the start (a slow tick is caught up, not lost), two
 * requests at a time at most; a batch that did not get through is sent again as it was (the signals'
 * ids make a repeat harmless).
 */
export function startBankSignals(deps: {
  baseUrl: string;
  banks: readonly SignallingBank[];
  perMinute: number;
  feed: BankSignalOptions;
  stats: SimStats;
  timers: Timers;
}): { inFlight(): number; stop(): void } {
  const clients = deps.banks.map((b) => ({
    ...b,
    client: createApiClient({ baseUrl: deps.baseUrl, headers: { authorization: `Bearer ${b.apiKey}` } }),
  }));
  const sending = limiter(2);
  const startedAt = Date.now();
  let due = 0;
  let sent = 0;
  let batches = 0;
  let isStopped = false;

  const send = async (bank: (typeof clients)[number], index: number, size: number) => {
    const body = makeBankSignalBatch(deps.feed, bank.bankCode, index, size, new Date());
    const signature = bank.answerKey.sign({ signalBatch: body });
    const res = await postSignalBatch(deps.stats, 'bank_signal', () =>
      bank.client.POST('/api/bank/signals', {
        params: { header: { 'x-fanzha-signature': signature } },
        body,
      }),
    );
    if (!res) return;
    deps.stats.bankSignalsSent += res.accepted;
    deps.stats.bankSignalsRefused += res.refused;
    // Scaled out the API answers once the stream has them (`hits: null`): the workers screen them later.
    if (typeof res.hits === 'number') deps.stats.bankSignalHits += res.hits;
  };

  const tick = () => {
    if (isStopped) return;
    if (clients.length > 0) {
      due = Math.floor(((Date.now() - startedAt) / 60_000) * deps.perMinute);
      while (sent < due) {
        const size = Math.min(BATCH_SIZE, due - sent);
        const bank = clients[batches % clients.length]!;
        const index = Math.floor(batches / clients.length);
        batches++;
        sent += size;
        void sending(() => send(bank, index, size));
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
