import type { BankTransferSignal } from '@fanzha/contracts';
import { drawCardNumber, pickBank } from './cards';
import type { createMuleNetwork } from './mules';
import { drawAge, drawIdNumber, drawMobile, drawName } from './people';
import { pickCounty } from './population';
import { rngFor, type Seed } from './rng';

/**
 * The banks' transfer signals (pure): before a customer's transfer leaves, the bank tells the centre who
 * pays (phone, ID number, name, county — a person of the simulated population) and to which account. Most
 * go to ordinary accounts; a share goes to the gangs' layer-1 mule cards, the same cards victims' reports
 * name, so that early warning finds the next victim while they are still paying.
 */

/** Channels of a transfer attempt (our estimate: mobile banking dominates). */
const channels: ReadonlyArray<readonly [BankTransferSignal['channel'], number]> = [
  ['mobile_banking', 70],
  ['third_party_payment', 12],
  ['online_banking', 8],
  ['counter', 6],
  ['atm', 4],
];

export interface BankSignalOptions {
  seed: Seed;
  runTag: string;
  /** Share of transfer attempts whose payee is one of the gangs' layer-1 mule cards. */
  fraudShare: number;
  mules: Pick<ReturnType<typeof createMuleNetwork>, 'account' | 'gangCount'>;
  /** Layer-1 cards a gang holds (the cards victims' reports name). */
  layerOneCards: number;
  /** The date the payers' ages are counted on. */
  today: Date;
}

export interface BankSignalBatch {
  sentAt: string;
  signals: BankTransferSignal[];
}

/** Batch `index` of bank `bankCode`: its content depends only on (seed, bank, index), never on the clock but `at`. */
export function makeBankSignalBatch(
  opts: BankSignalOptions,
  bankCode: string,
  index: number,
  size: number,
  at: Date,
): BankSignalBatch {
  const rng = rngFor(opts.seed, 'bank-signals', bankCode, index);
  const iso = at.toISOString();
  const signals = Array.from({ length: size }, (_, j): BankTransferSignal => {
    const county = pickCounty(rng);
    const age = drawAge(rng);
    const isToMule = rng.chance(opts.fraudShare);
    let payee: BankTransferSignal['payee'];
    if (isToMule) {
      const card = opts.mules.account(
        rng.int(0, opts.mules.gangCount - 1),
        1,
        rng.int(0, opts.layerOneCards - 1),
      );
      payee = { account: card.number, name: card.name };
    } else {
      payee = { account: drawCardNumber(rng, pickBank(rng)), name: rng.chance(0.8) ? drawName(rng) : null };
    }
    const idNumber = drawIdNumber(rng, county.code, age, opts.today);
    const hasPhone = rng.chance(0.95);
    return {
      id: `${opts.runTag}-${bankCode.toLowerCase()}-${index}-${j}`,
      at: iso,
      payer: {
        phone: hasPhone ? `+86${drawMobile(rng)}` : null,
        // A bank always knows its customer (实名制); a third-party payment may not pass the ID on.
        idNumber: hasPhone && rng.chance(0.1) ? null : idNumber,
        name: drawName(rng),
      },
      payee,
      // Scams push victims to large sums; ordinary transfers are small (log-normal, our estimate).
      amountFen: Math.round(Math.min(5e7, Math.max(1, rng.logNormal(isToMule ? 800_000 : 30_000, 1.2)))),
      channel: channels[rng.weightedIndex(channels.map((c) => c[1]))]![0],
      countyCode: rng.chance(0.9) ? county.code : null,
    };
  });
  return { sentAt: iso, signals };
}
