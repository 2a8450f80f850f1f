import { ApiError, createApiClient } from '@fanzha/contracts';
import { planLookup, planPayeeCheck, type LookupWorld } from './lookup-mix';
import type { AnswerKey } from './signing';
import { countError, tally, type SimStats } from './stats';
import { limiter, type Timers } from './timers';

const TICK_MS = 1_000;

/** The public lookup's rate class allows 30 a minute per client address by default (docs/public-lookup.md). */
export const PUBLIC_LOOKUP_LIMIT_PER_MINUTE = 30;

export interface CheckingBank {
  bankCode: string;
  apiKey: string;
  answerKey: AnswerKey;
}

/**
 * People and banks checking values before paying (lookup-mix.ts): citizens on the public risk lookup
 * (`POST /api/public/risk-lookup`, no credential), `lookupsPerMinute` of them, one at a time — they all come
 * from the simulator's one address, so the run stays under the lookup's per-address limit and a `429` is
 * counted, not retried; and the banks' payee checks at payment time (`POST /api/bank/payee-checks`, up to 100
 * payees, with the bank's key and signature), `payeeChecksPerMinute` calls in all, spread over the banks.
 */
export function startLookups(deps: {
  baseUrl: string;
  world: LookupWorld;
  lookupsPerMinute: number;
  payeeChecksPerMinute: number;
  banks: readonly CheckingBank[];
  timers: Timers;
  stats: SimStats;
  /** Tests: the transport. */
  fetch?: typeof fetch;
}): { stop(): void; inFlight(): number } {
  const transport = deps.fetch ? { fetch: deps.fetch } : {};
  const citizen = createApiClient({ baseUrl: deps.baseUrl, ...transport });
  const banks = deps.banks.map((b) => ({
    ...b,
    client: createApiClient({
      baseUrl: deps.baseUrl,
      headers: { authorization: `Bearer ${b.apiKey}` },
      ...transport,
    }),
  }));
  const publicLine = limiter(1);
  const bankLine = limiter(2);
  const startedAt = Date.now();
  let lookups = 0;
  let checks = 0;
  let isStopped = false;

  const lookUp = async (index: number) => {
    try {
      const r = await citizen.POST('/api/public/risk-lookup', { body: planLookup(deps.world, index) });
      tally(deps.stats.lookups, `public:${r.level}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) tally(deps.stats.lookups, 'public:rate_limited');
      else countError(deps.stats, 'lookup', err);
    }
  };

  const check = async (index: number) => {
    const bank = banks[index % banks.length]!;
    const body = planPayeeCheck(deps.world, bank.bankCode, index);
    try {
      const r = await bank.client.POST('/api/bank/payee-checks', {
        params: { header: { 'x-fanzha-signature': bank.answerKey.sign({ payeeCheck: body }) } },
        body,
      });
      for (const p of r.results) tally(deps.stats.lookups, `payee:${p.level}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) tally(deps.stats.lookups, 'payee:rate_limited');
      else countError(deps.stats, 'payee_check', err);
    }
  };

  const tick = () => {
    if (isStopped) return;
    const minutes = (Date.now() - startedAt) / 60_000;
    for (const due = Math.floor(minutes * deps.lookupsPerMinute); lookups < due; lookups++) {
      const index = lookups;
      void publicLine(() => lookUp(index));
    }
    if (banks.length > 0)
      for (const due = Math.floor(minutes * deps.payeeChecksPerMinute); checks < due; checks++) {
        const index = checks;
        void bankLine(() => check(index));
      }
    deps.timers.at(Date.now() + TICK_MS, tick);
  };
  tick();
  return {
    stop: () => {
      isStopped = true;
    },
    inFlight: () => publicLine.busy() + bankLine.busy(),
  };
}
