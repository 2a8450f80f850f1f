import { drawCardNumber, pickBank } from './cards';
import { splitFen } from './amounts';
import { holderOf } from './holders';
import { clamp, rngFor, type Rng, type Seed } from './rng';

/**
 * The money mules (卡农的卡). Each gang buys a fixed set of cards per layer and uses them again and again,
 * so money of many victims merges on the same cards and their reports link up. A victim's money lands on
 * a layer-1 card and moves on within minutes through 1–4 layers, split over several cards (often at other
 * banks), until it is cashed out. Within one case a card appears once: fanzha keeps one emergency stop
 * per account per case and joins money merging into a card already in the trail to that card's request,
 * so a trail that reached a card twice would leave the second arrival without an instruction of its own.
 */
export interface MuleAccount {
  number: string;
  bankCode: string;
  /** The holder's name, as the bank has it. */
  name: string;
  /** The holder's resident ID number (holders.ts): the same person may hold several of the gangs' cards. */
  holderIdNumber: string;
}

/**
 * Money of one fraud on one account: it arrived with one transfer and then partly moved on, partly was
 * cashed out, and the rest is still there. `id` is its path in the trail ('f12.t0.1'), a stable identity.
 */
export interface Parcel {
  id: string;
  layer: number;
  account: MuleAccount;
  amountFen: number;
  /** Simulation time (ms since the run started). */
  arrivedAt: number;
  /** Transfers onward, by time; each is the next layer's parcel, arriving when it leaves. */
  onward: Parcel[];
  /** Money taken out of the banking system (ATM, crypto exchange): cannot be stopped or traced on. */
  cashOut: { at: number; amountFen: number } | undefined;
}

export interface MuleNetworkOptions {
  gangs: number;
  /** Cards a gang holds at each layer (index 0 = layer 1). */
  poolSizes: readonly number[];
}

export const defaultMuleNetwork: MuleNetworkOptions = { gangs: 16, poolSizes: [40, 30, 24, 16] };

/** Cards already in one case's trail, by layer: the next branch takes others. */
export type UsedCards = Map<number, Set<number>>;

const MINUTE = 60_000;

export function createMuleNetwork(seed: Seed, opts: MuleNetworkOptions = defaultMuleNetwork) {
  const cards = new Map<string, MuleAccount>();
  const maxLayer = opts.poolSizes.length;
  const cardsInGang = opts.poolSizes.reduce((s, n) => s + n, 0);

  function account(gang: number, layer: number, index: number): MuleAccount {
    const key = `${gang}/${layer}/${index}`;
    let found = cards.get(key);
    if (!found) {
      const rng = rngFor(seed, 'mule', gang, layer, index);
      const bankCode = pickBank(rng);
      const holder = holderOf(seed, gang, layer, index, cardsInGang);
      found = {
        bankCode,
        number: drawCardNumber(rng, bankCode),
        name: holder.name,
        holderIdNumber: holder.idNumber,
      };
      cards.set(key, found);
    }
    return found;
  }

  /** Up to `n` cards of a gang's layer not yet in this case (fewer when the gang has run out). */
  function distinctAccounts(
    rng: Rng,
    gang: number,
    layer: number,
    n: number,
    used: UsedCards,
  ): MuleAccount[] {
    const size = opts.poolSizes[layer - 1] ?? 1;
    const taken = used.get(layer) ?? new Set<number>();
    used.set(layer, taken);
    const free = Array.from({ length: size }, (_, i) => i).filter((i) => !taken.has(i));
    const chosen: number[] = [];
    while (chosen.length < n && free.length > 0) chosen.push(...free.splice(rng.int(0, free.length - 1), 1));
    for (const i of chosen) taken.add(i);
    return chosen.map((i) => account(gang, layer, i));
  }

  /**
   * Where one transfer's money goes from the account it reached. Each parcel draws from its own stream
   * (seed + its path), so the trail is the same whatever else the run did.
   */
  function flow(p: {
    id: string;
    gang: number;
    depth: number;
    layer: number;
    account: MuleAccount;
    amountFen: number;
    arrivedAt: number;
    used: UsedCards;
  }): Parcel {
    const rng = rngFor(seed, 'parcel', p.id);
    const parcel: Parcel = {
      id: p.id,
      layer: p.layer,
      account: p.account,
      amountFen: p.amountFen,
      arrivedAt: p.arrivedAt,
      onward: [],
      cashOut: undefined,
    };
    const moving = p.amountFen - kept(rng, p.amountFen);
    const n = Math.min(1 + rng.weightedIndex([50, 30, 20]), Math.floor(moving / 100));
    const targets =
      p.layer >= Math.min(p.depth, maxLayer) ? [] : distinctAccounts(rng, p.gang, p.layer + 1, n, p.used);
    if (targets.length === 0) {
      // The last layer (or a gang out of cards) cashes out, mostly in full, some minutes later.
      if (rng.chance(0.85)) {
        const share = 0.7 + 0.3 * rng.next();
        const at = p.arrivedAt + clamp(rng.logNormal(10 * MINUTE, 0.7), MINUTE, 180 * MINUTE);
        parcel.cashOut = { at, amountFen: Math.max(100, Math.floor((p.amountFen * share) / 100) * 100) };
        if (parcel.cashOut.amountFen > p.amountFen) parcel.cashOut.amountFen = p.amountFen;
      }
      return parcel;
    }
    const amounts = splitFen(rng, moving, targets.length);
    parcel.onward = targets
      .map((account, i) => ({
        account,
        amountFen: amounts[i]!,
        at: p.arrivedAt + clamp(rng.logNormal(3 * MINUTE, 0.8), 20_000, 60 * MINUTE),
      }))
      .sort((a, b) => a.at - b.at)
      .map((t, i) =>
        flow({
          id: `${p.id}.${i}`,
          gang: p.gang,
          depth: p.depth,
          layer: p.layer + 1,
          account: t.account,
          amountFen: t.amountFen,
          arrivedAt: t.at,
          used: p.used,
        }),
      );
    return parcel;
  }

  return { account, distinctAccounts, flow, maxLayer, gangCount: opts.gangs };
}
export type MuleNetwork = ReturnType<typeof createMuleNetwork>;

/** A little may stay behind (fees, a balance to look ordinary); the rest moves on within minutes. */
function kept(rng: Rng, amountFen: number): number {
  return rng.chance(0.3) ? Math.floor((amountFen * (0.005 + 0.045 * rng.next())) / 100) * 100 : 0;
}

/** How many layers a gang's money passes through before cash-out (our estimate). */
export function drawDepth(rng: Rng, maxLayer: number): number {
  return Math.min(maxLayer, 1 + rng.weightedIndex([15, 35, 30, 20]));
}

/** Every parcel of a trail, depth first. */
export function* parcelsOf(root: Parcel): Generator<Parcel> {
  yield root;
  for (const child of root.onward) yield* parcelsOf(child);
}
