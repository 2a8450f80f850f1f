import { drawIdNumber, drawName } from './people';
import { pickCounty } from './population';
import { rngFor, type Seed } from './rng';

/**
 * Who holds the gangs' mule cards (卡农): real people who opened ordinary cards where they live and sold or
 * rented them. Most sold one card; some sold a card at each of several banks, so their cards turn up in
 * several cases and at several layers — the people two-cards governance (断卡) looks for. A holder is decided
 * by the seed and the card's place in the gang's pool alone (pure), so the same mule card has the same holder
 * in every run. Shares and ages are our estimates: no figures are published.
 */
export interface MuleHolder {
  name: string;
  /** 18-character resident ID number of a Guizhou county, with its MOD 11-2 check character. */
  idNumber: string;
}

/** Share of a gang's cards that belong to someone who sold it several (our estimate). */
export const SEVERAL_CARDS_SHARE = 0.35;
/** People who sold a gang several cards, per card of the gang's pools: about 2–3 cards each. */
const SELLERS_PER_CARD = 0.15;

/**
 * Birth dates are drawn against a fixed day, not the run's, so a holder's ID number never changes: every
 * holder was an adult then, and stays one.
 */
const AGE_REFERENCE = new Date('2025-01-01T00:00:00Z');

/** Sellers of cards are mostly young — students, migrant workers — some middle-aged (our estimate). */
const ageBands: ReadonlyArray<readonly [min: number, max: number, share: number]> = [
  [18, 25, 45],
  [26, 35, 35],
  [36, 55, 20],
];

function drawHolder(seed: Seed, ...identity: Array<string | number>): MuleHolder {
  const rng = rngFor(seed, 'holder', ...identity);
  const county = pickCounty(rng);
  const [min, max] = ageBands[rng.weightedIndex(ageBands.map((b) => b[2]))]!;
  return { name: drawName(rng), idNumber: drawIdNumber(rng, county.code, rng.int(min, max), AGE_REFERENCE) };
}

/**
 * The holder of the gang's card at `layer`, `index` of a gang whose pools hold `cardsInGang` cards in all: a
 * share of the cards go to the gang's few sellers of several cards, the rest each to a person of their own.
 */
export function holderOf(
  seed: Seed,
  gang: number,
  layer: number,
  index: number,
  cardsInGang: number,
): MuleHolder {
  const rng = rngFor(seed, 'card-holder', gang, layer, index);
  if (!rng.chance(SEVERAL_CARDS_SHARE)) return drawHolder(seed, gang, layer, index);
  const sellers = Math.max(1, Math.ceil(cardsInGang * SELLERS_PER_CARD));
  return drawHolder(seed, gang, 'seller', rng.int(0, sellers - 1));
}
