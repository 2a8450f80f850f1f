import type { CountermeasureAnswer } from '@fanzha/contracts';
import {
  defaultCountermeasureSlaHours,
  validateMobile,
  type CountermeasureKind,
  type CountermeasureRefusalReason,
  type Operator,
} from '@fanzha/domain';
import { indicatorsOf } from './indicators';
import type { MuleAccount } from './mules';
import { clamp, rngFor, type Seed } from './rng';

/**
 * Countermeasures (技术反制) in the simulated province, decided from the seed alone (pure): what the centre's
 * analyst asks the parties to do about the gangs' indicators — block their numbers at the issuing operator,
 * take down their sites and apps at an ISP, restrict their layer-1 mule cards at the card's bank — and how
 * each party answers: how long it takes to acknowledge and to act, and which share it refuses, why.
 */
export interface CountermeasureTarget {
  kind: CountermeasureKind;
  /** The value as the analyst writes it (the server normalises it). */
  value: string;
  partyCode: string;
  reason: string;
}

/** The mule cards of the province: the robot reads a gang's layer-1 cards (those victims pay into). */
export interface MuleCards {
  account(gang: number, layer: number, index: number): MuleAccount;
}

/** ISPs' share of broadband and mobile data in Guizhou, for takedowns (our estimate). */
const ispShares: ReadonlyArray<readonly [Operator, number]> = [
  ['china_mobile', 45],
  ['china_telecom', 35],
  ['china_unicom', 17],
  ['china_broadnet', 3],
];

const reasons: Record<CountermeasureKind, string> = {
  block_phone: '研判：该号码在多起电诈报案中出现，系涉诈号码',
  takedown_url: '研判：仿冒投资理财平台，多名受害人经此网址转账',
  block_app: '研判：涉诈APP，诱导受害人下载后转账',
  restrict_account: '研判：一级涉诈收款账户，多起报案资金流入',
};

/**
 * What the analyst could ask about one gang: its mainland numbers (at the issuing operator: the segment
 * says which; an international number has no operator here to ask), its sites and apps (at one ISP each)
 * and its first `layerOneCards` mule cards (at the card's bank).
 */
export function gangTargets(
  seed: Seed,
  gang: number,
  mules: MuleCards,
  layerOneCards: number,
): CountermeasureTarget[] {
  const g = indicatorsOf(seed, gang);
  const isp = (value: string) => {
    const rng = rngFor(seed, 'isp', value);
    return ispShares[rng.weightedIndex(ispShares.map((s) => s[1]))]![0];
  };
  const out: CountermeasureTarget[] = [];
  for (const phone of g.phones) {
    const m = validateMobile(phone);
    if (!m.ok || m.value.carrier === 'other') continue;
    out.push({
      kind: 'block_phone',
      value: m.value.e164,
      partyCode: m.value.carrier,
      reason: reasons.block_phone,
    });
  }
  for (const domain of g.domains)
    out.push({ kind: 'takedown_url', value: domain, partyCode: isp(domain), reason: reasons.takedown_url });
  for (const app of g.apps)
    out.push({
      kind: 'block_app',
      value: app.packageName,
      partyCode: isp(app.packageName),
      reason: reasons.block_app,
    });
  for (let i = 0; i < layerOneCards; i++) {
    const card = mules.account(gang, 1, i);
    out.push({
      kind: 'restrict_account',
      value: card.number,
      partyCode: card.bankCode,
      reason: reasons.restrict_account,
    });
  }
  return out;
}

/** The kinds an analyst asks for, by weight (our estimate: numbers first, then cards, sites, apps). */
export const requestMix: Readonly<Record<CountermeasureKind, number>> = {
  block_phone: 0.5,
  restrict_account: 0.25,
  takedown_url: 0.17,
  block_app: 0.08,
};

/**
 * Batch `index` of the analyst's requests: one gang's indicators (the case an analyst has open), 1–6 of
 * them. Some may have been asked for already: the robot leaves those out.
 */
export function planRequestBatch(
  seed: Seed,
  index: number,
  targetsOf: (gang: number) => readonly CountermeasureTarget[],
  gangs: number,
): CountermeasureTarget[] {
  const rng = rngFor(seed, 'countermeasure-batch', index);
  const targets = targetsOf(rng.int(0, gangs - 1));
  const kinds = Object.keys(requestMix) as CountermeasureKind[];
  const out: CountermeasureTarget[] = [];
  for (let n = rng.int(1, 6); n > 0; n--) {
    const kind = kinds[rng.weightedIndex(Object.values(requestMix))]!;
    const ofKind = targets.filter((t) => t.kind === kind);
    if (ofKind.length > 0) out.push(rng.pick(ofKind));
  }
  return [...new Map(out.map((t) => [`${t.kind}|${t.value}`, t])).values()];
}

/** Share of the gangs' mainland numbers since ported to another operator (携号转网): the issuer refuses. */
export const PORTED_SHARE = 0.06;

/** Whether a number has left its issuing operator: a fact about the number, the same in every request. */
export function isPortedAway(seed: Seed, e164: string): boolean {
  return rngFor(seed, 'ported', e164).chance(PORTED_SHARE);
}

/** Share of executed number blocks the centre later asks to lift (the number cancelled and reassigned). */
export const LIFT_SHARE = 0.05;
export const LIFT_REASON = '号码已销户并由运营商重新分配给新用户，解除关停';

export function isLiftedLater(seed: Seed, target: Pick<CountermeasureTarget, 'kind' | 'value'>): boolean {
  return target.kind === 'block_phone' && rngFor(seed, 'lift', target.value).chance(LIFT_SHARE);
}

/**
 * Refusals other than a ported number, by kind: (reason, weight in 100 of all answers) — our estimate. Sites
 * vanish before a takedown (no_such_target) more than numbers do; a card is often restricted already.
 */
const refusals: Record<CountermeasureKind, ReadonlyArray<readonly [CountermeasureRefusalReason, number]>> = {
  block_phone: [
    ['insufficient_grounds', 4],
    ['already_done', 3],
    ['no_such_target', 1],
  ],
  takedown_url: [
    ['no_such_target', 5],
    ['already_done', 4],
    ['insufficient_grounds', 3],
  ],
  block_app: [
    ['already_done', 5],
    ['insufficient_grounds', 4],
  ],
  restrict_account: [
    ['already_done', 5],
    ['insufficient_grounds', 3],
    ['no_such_target', 2],
  ],
};

const notes: Partial<Record<CountermeasureRefusalReason, string>> = {
  not_our_subscriber: '该号码已携号转出，非本网用户',
  insufficient_grounds: '请补充报案材料或协查函后再行处置',
  already_done: '已由其他机关先行处置',
  no_such_target: '查无此目标（已注销或已失效）',
};

/** Median minutes from seeing a request to carrying it out, at people's pace (our estimate, well inside the SLA). */
const executeMedianMin: Record<CountermeasureKind, number> = {
  block_phone: 5,
  takedown_url: 20,
  block_app: 25,
  restrict_account: 3,
};

export interface PartyAnswerPlan {
  /** Ms (at people's pace) from seeing the request to acknowledging it. */
  acknowledgeAfterMs: number;
  /** Ms (at people's pace) from seeing the request to the final answer; after the acknowledgement. */
  answerAfterMs: number;
  answer: CountermeasureAnswer;
}

/**
 * How a party answers one request, from the seed and the request's content (not its id: the same request
 * in another run gets the same answer). An operator asked to block a number that is not its subscriber's
 * (another operator's segment, or ported away) refuses `not_our_subscriber`; otherwise a kind's share is
 * refused for a reason of its kind, the rest executed. Delays are log-normal, within half the SLA.
 */
export function planPartyAnswer(
  seed: Seed,
  item: { kind: CountermeasureKind; value: string; partyCode: string },
): PartyAnswerPlan {
  const rng = rngFor(seed, 'countermeasure-answer', item.kind, item.value, item.partyCode);
  const acknowledgeAfterMs = clamp(rng.logNormal(30, 0.6), 5, 180) * 1000;
  const slaMs = defaultCountermeasureSlaHours[item.kind] * 3_600_000;
  const workMs = clamp(rng.logNormal(executeMedianMin[item.kind], 0.7) * 60_000, 60_000, slaMs / 2);
  const answerAfterMs = acknowledgeAfterMs + workMs;
  const refuse = (refusalReason: CountermeasureRefusalReason): PartyAnswerPlan => ({
    acknowledgeAfterMs,
    // A refusal takes the checking, not the doing.
    answerAfterMs: acknowledgeAfterMs + workMs / 2,
    answer: {
      answer: 'refused',
      refusalReason,
      ...(notes[refusalReason] ? { note: notes[refusalReason] } : {}),
    },
  });
  if (item.kind === 'block_phone' && !isSubscriberOf(seed, item.value, item.partyCode))
    return refuse('not_our_subscriber');
  const weights = refusals[item.kind];
  const refused = weights.reduce((s, [, w]) => s + w, 0) / 100;
  if (rng.chance(refused)) return refuse(weights[rng.weightedIndex(weights.map(([, w]) => w))]![0]);
  return { acknowledgeAfterMs, answerAfterMs, answer: { answer: 'executed' } };
}

/** Whether an operator serves a number: its segment is the operator's and it was not ported away. */
export function isSubscriberOf(seed: Seed, phone: string, operator: string): boolean {
  const m = validateMobile(phone);
  return m.ok && m.value.carrier === operator && !isPortedAway(seed, m.value.e164);
}

/** Ms (at people's pace) from seeing a lift request to confirming it. */
export function liftDelayMs(seed: Seed, id: string): number {
  return clamp(rngFor(seed, 'countermeasure-lift', id).logNormal(90, 0.6), 20, 900) * 1000;
}
