import { drawLossFen, drawTransferCount, splitFen } from './amounts';
import { drawCardNumber, pickBank } from './cards';
import { pickFraudProfile, type FraudProfile } from './fraud-mix';
import { fraudUrl, indicatorsOf } from './indicators';
import { drawDepth, type MuleNetwork, type Parcel, type UsedCards } from './mules';
import { drawAddress, drawAge, drawIdNumber, drawMobile, drawName } from './people';
import { pickCounty } from './population';
import { clamp, rngFor, uuidFrom, type Rng, type Seed } from './rng';

/**
 * One fraud and its report, decided entirely by (seed, index): the victim, what happened, where the
 * money went, and how the call-taker and the desk will take it (in simulation time, human speed).
 */
export type IntakeMode = 'typing' | 'batch';

export interface Victim {
  name: string;
  idNumber: string;
  phone: string;
  countyCode: string;
  countyLabel: string;
  address: string;
}

export interface VictimTransfer {
  key: string;
  /** Simulation time of the transfer; before the call. */
  at: number;
  amountFen: number;
  victimAccount: string;
  /** The money from here on: its layer-1 account and trail. */
  parcel: Parcel;
  /** When the call-taker's save puts this account in front of the desk. */
  pushAt: number;
  /** When the desk sends its stop-payment request (robot desk). */
  sendAt: number;
}

export interface Fraud {
  index: number;
  /** The report's id: stable for (seed, run tag, index), so a retried request is recognised. */
  reportId: string;
  /** Simulation time the victim's call is answered. */
  filedAt: number;
  profile: FraudProfile;
  gang: number;
  depth: number;
  victim: Victim;
  lossFen: number;
  transfers: VictimTransfer[];
  contacts: Array<{ key: string; kind: 'phone' | 'url' | 'app' | 'social'; value: string }>;
  narrative: string;
  /** Typing: when each autosave happens (simulation time); the last one completes the report. */
  savesAt: number[];
  submitAt: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export interface ScenarioContext {
  seed: Seed;
  runTag: string;
  mules: MuleNetwork;
  intake: IntakeMode;
  /** The date victims' ages are counted from (only the ID numbers' birth years depend on it). */
  today: Date;
}

/** Seconds to type or do something, at human speed. */
const humanDelay = (rng: Rng, medianS: number, minS: number, maxS: number) =>
  clamp(rng.logNormal(medianS, 0.4), minS, maxS) * SECOND;

export function makeFraud(ctx: ScenarioContext, index: number, filedAt: number): Fraud {
  const rng = rngFor(ctx.seed, 'fraud', index);
  const profile = pickFraudProfile(rng);
  const gang = rng.int(0, ctx.mules.gangCount - 1);
  const depth = drawDepth(rng, ctx.mules.maxLayer);
  const county = pickCounty(rng);
  const victim: Victim = {
    name: drawName(rng),
    idNumber: drawIdNumber(rng, county.code, drawAge(rng), ctx.today),
    phone: drawMobile(rng),
    countyCode: county.code,
    countyLabel: county.label,
    address: drawAddress(rng, county.label),
  };
  const lossFen = drawLossFen(rng, profile);
  const count = Math.min(drawTransferCount(rng, profile), Math.floor(lossFen / 100));
  // Victims are pushed to pay more each time; each payment goes to a new card of the gang.
  const amounts = splitFen(rng, lossFen, count, [1, 1.6, 2.4, 3.2]);
  const used: UsedCards = new Map();
  const accounts = ctx.mules.distinctAccounts(rng, gang, 1, amounts.length, used);
  // The call comes some time after the last payment, when the victim understands; payments before it
  // were minutes to hours apart.
  const lastAt = filedAt - clamp(rng.logNormal(20 * MINUTE, 1.0), 3 * MINUTE, 360 * MINUTE);
  const times = [lastAt];
  while (times.length < accounts.length)
    times.unshift(times[0]! - clamp(rng.logNormal(8 * MINUTE, 0.8), MINUTE, 120 * MINUTE));
  const victimBank = pickBank(rng);
  const victimAccount = drawCardNumber(rng, victimBank);

  // Typing: name and phone first, then each payment (when, how much, to which account), then the rest.
  let t = filedAt + humanDelay(rng, 20, 8, 60);
  const savesAt = [t];
  const transfers: VictimTransfer[] = accounts.map((account, k) => {
    const key = `t${k}`;
    t += humanDelay(rng, 18, 6, 60);
    savesAt.push(t);
    const pushAt = ctx.intake === 'typing' ? t : filedAt;
    return {
      key,
      at: times[k]!,
      amountFen: amounts[k]!,
      victimAccount,
      pushAt,
      sendAt: pushAt + humanDelay(rng, 20, 5, 90),
      parcel: ctx.mules.flow({
        id: `f${index}.${key}`,
        gang,
        depth,
        layer: 1,
        account,
        amountFen: amounts[k]!,
        arrivedAt: times[k]!,
        used,
      }),
    };
  });
  t += humanDelay(rng, 25, 10, 90);
  savesAt.push(t);
  const submitAt = t + humanDelay(rng, 8, 3, 30);

  const indicators = indicatorsOf(ctx.seed, gang);
  const contacts = profile.contacts.map((kind, i) => ({
    key: `c${i}`,
    kind,
    value:
      kind === 'phone'
        ? rng.pick(indicators.phones)
        : kind === 'url'
          ? fraudUrl(rng, rng.pick(indicators.domains))
          : kind === 'app'
            ? rng.pick(indicators.apps).name
            : rng.pick(indicators.socials),
  }));
  const yuan = lossFen / 100;
  const narrative = `${profile.story}。共转账${transfers.length}笔，合计${yuan}元。`;

  return {
    index,
    reportId: uuidFrom(rngFor(ctx.seed, 'report-id', ctx.runTag, index)),
    filedAt,
    profile,
    gang,
    depth,
    victim,
    lossFen,
    transfers,
    contacts,
    narrative,
    savesAt,
    submitAt,
  };
}

/**
 * When calls come in: a Poisson process at `perMinute`, each gap from its own stream, so call `i` rings
 * at the same simulation time in every run with the same seed and rate.
 */
export function nextArrival(seed: Seed, index: number, previous: number, perMinute: number): number {
  return previous + rngFor(seed, 'arrival', index).exponential(MINUTE / perMinute);
}
