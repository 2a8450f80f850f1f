import type { PayeeCheckRequest, RiskLookupRequest } from '@fanzha/contracts';
import { drawCardNumber, pickBank } from './cards';
import type { MuleCards } from './countermeasure-mix';
import { fraudUrl, indicatorsOf } from './indicators';
import { drawMobile, drawName } from './people';
import { rngFor, type Rng, type Seed } from './rng';

/**
 * Who checks a value before paying, and what they check (pure): citizens on the public lookup — a phone
 * number that called them, a link they were sent, an account they are asked to pay — and banks at payment
 * time, asking about their customers' payees. A share of the values are the gangs' (the ones reports
 * name), the rest ordinary; people write them as they come (spaces, hyphens, +86, a whole link).
 */
export interface LookupWorld {
  seed: Seed;
  runTag: string;
  gangs: number;
  mules: MuleCards;
  /** The gangs' layer-1 cards: those victims are asked to pay into. */
  layerOneCards: number;
}

/** Share of public lookups of a gang's value: people check what already looks wrong (our estimate). */
export const LOOKUP_FRAUD_SHARE = 0.3;
/** Share of payees at payment time that are a gang's card (our estimate, high enough for the demo to show hits). */
export const PAYEE_FRAUD_SHARE = 0.05;

export const lookupMix = { phone: 0.55, url: 0.25, account: 0.2 } as const;

// prettier-ignore
const ordinarySites = ['www.taobao.com', 'm.jd.com', 'www.12306.cn', 'www.guizhou.gov.cn', 'mobile.yangkeduo.com', 'www.ctrip.com', 'www.icbc.com.cn', 'www.meituan.com'];

/** A number as a person types it: bare, spaced 3-4-4, hyphenated, or with +86. */
function asTyped(rng: Rng, national: string): string {
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 7), national.slice(7)];
  return rng.pick([national, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `+86 ${national}`]);
}

/** A card number as printed: groups of four, or run together. */
const cardAsTyped = (rng: Rng, number: string) =>
  rng.chance(0.4) ? (number.match(/.{1,4}/g) ?? [number]).join(' ') : number;

function muleCard(rng: Rng, w: LookupWorld) {
  return w.mules.account(rng.int(0, w.gangs - 1), 1, rng.int(0, w.layerOneCards - 1));
}

/** Public lookup `index`: its value depends only on (seed, index). */
export function planLookup(w: LookupWorld, index: number): RiskLookupRequest {
  const rng = rngFor(w.seed, 'lookup', index);
  const kinds = Object.keys(lookupMix) as Array<keyof typeof lookupMix>;
  const kind = kinds[rng.weightedIndex(Object.values(lookupMix))]!;
  const isFraud = rng.chance(LOOKUP_FRAUD_SHARE);
  const gang = () => indicatorsOf(w.seed, rng.int(0, w.gangs - 1));
  switch (kind) {
    case 'phone': {
      if (!isFraud) return { kind, value: asTyped(rng, drawMobile(rng)) };
      const phone = rng.pick(gang().phones);
      return { kind, value: phone.startsWith('+') ? phone : asTyped(rng, phone) };
    }
    case 'url':
      return {
        kind,
        value: isFraud
          ? fraudUrl(rng, rng.pick(gang().domains))
          : `https://${rng.pick(ordinarySites)}/${rng.pick(['', 'item/', 'order/', 'pay?id='])}${rng.digits(6)}`,
      };
    case 'account':
      return {
        kind,
        value: cardAsTyped(rng, isFraud ? muleCard(rng, w).number : drawCardNumber(rng, pickBank(rng))),
      };
  }
}

/**
 * Payee check `index` of a bank: mostly one to a few payees (a customer's transfer), now and then a batch
 * run of up to 100 (salaries, suppliers). Refs are the bank's payment ids, never a customer's data.
 */
export function planPayeeCheck(w: LookupWorld, bankCode: string, index: number): PayeeCheckRequest {
  const rng = rngFor(w.seed, 'payee-check', bankCode, index);
  const size = rng.chance(0.05) ? rng.int(20, 100) : rng.int(1, 3);
  return {
    payees: Array.from({ length: size }, (_, j) => {
      const isFraud = rng.chance(PAYEE_FRAUD_SHARE);
      const card = isFraud ? muleCard(rng, w) : undefined;
      const payeeBank = card?.bankCode ?? pickBank(rng);
      const number = card?.number ?? drawCardNumber(rng, payeeBank);
      return {
        ref: `${w.runTag}-${bankCode}-${index}-${j}`,
        ...(rng.chance(0.8) ? { bankCode: payeeBank } : {}),
        account: cardAsTyped(rng, number),
        ...(rng.chance(0.7) ? { name: card?.name ?? drawName(rng) } : {}),
      };
    }),
  };
}
