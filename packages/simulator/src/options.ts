import { majorBanks } from '@fanzha/domain';
import type { BankFault } from './bank-line';
import { defaultMuleNetwork, type MuleNetworkOptions } from './mules';
import type { Seed } from './rng';
import type { IntakeMode } from './scenario';
import type { SimAuth } from './session';
import type { SimEvent } from './world';

/** Everything a run can be told. Only `target` and `auth` have no default. */
export interface SimulationOptions {
  /** fanzha's base URL, e.g. http://127.0.0.1:8080 */
  target: string;
  auth: SimAuth;
  seed?: Seed;
  /** Reports per minute (calls answered). */
  ratePerMinute?: number;
  /** How long new reports come in; undefined: until stopped. Then the run drains. */
  durationMs?: number | undefined;
  /** 1: people's speed (typing, the desk, the banks); 0: no waiting at all; 0.05: twenty times faster. */
  pace?: number;
  /** Default: `typing` at a human pace, `batch` when nothing waits. */
  intake?: IntakeMode;
  /** Default true; false leaves sending to the people at the desk. */
  isDeskRobot?: boolean;
  /**
   * Default true: robot case officers work the county tasks, freeze stopped accounts and return money
   * (a supervisor robot and the desk robot); false leaves that to people at the consoles.
   */
  isCaseRobot?: boolean;
  /** Bank codes to simulate; default the 18 major issuers. */
  banks?: string[];
  /**
   * Banks whose instructions people answer at the bank liaison console (the demo: the demo accounts'
   * banks); default none. Their simulated systems only watch: what people answer moves the money trail on.
   */
  banksForPeople?: string[];
  faults?: Record<string, BankFault>;
  /**
   * Operators' signals on this NATS; without one they are posted to `POST /api/operator/signals`, each
   * operator with a key of its own made for the run.
   */
  natsUrl?: string | undefined;
  /** The target deployment's `FANZHA_NATS_NAMESPACE`, for the signals' subjects; none: the shared ones. */
  natsNamespace?: string | undefined;
  signalsPerMinute?: number;
  /** Share of signals from the gangs' numbers, domains and apps. */
  signalFraudShare?: number;
  /**
   * The banks' transfer attempts posted to `POST /api/bank/signals` per minute, in all (default 0: none).
   * HTTP only: works on the embedded default and scaled out.
   */
  bankSignalsPerMinute?: number;
  /** Share of transfer attempts to the gangs' layer-1 mule cards, the ones reports name (default 0.05). */
  bankSignalFraudShare?: number;
  /**
   * Robot persuaders work the episodes this run's signals cause (default false: people at the persuasion
   * console do; the demo turns them on).
   */
  isPersuaderRobot?: boolean;
  /** Counties (GB/T 2260) whose episodes the robot persuaders leave to people (default none). */
  persuasionCountiesForPeople?: string[];
  /**
   * Set the centre's callback delays (回访) to this many minutes at the start, so that a short run's callbacks
   * come due and the robot callback desk answers them (default: leave the centre's settings as they are).
   */
  callbackDelayMinutes?: number;
  /**
   * Countermeasures (技术反制) a robot analyst requests per minute, in a batch every half minute (every
   * second when `pace` is under 0.5): the gangs' numbers, sites, apps and layer-1 cards. The operators' and
   * banks' systems answer them with their keys (default 0: no analyst robot, and nobody answers).
   */
  countermeasuresPerMinute?: number;
  /**
   * Public risk lookups per minute, by citizens checking a number, link or account (default 0). All come from
   * the simulator's address: at most 30, the lookup's default limit per address.
   */
  lookupsPerMinute?: number;
  /** Banks' payee checks per minute at payment time, 1–100 payees each, over the simulated banks (default 0). */
  payeeChecksPerMinute?: number;
  /** Tells one run's report ids from another's with the same seed (default: random). */
  runTag?: string;
  /**
   * Start as if calls had been coming in for this long already (default 0): a demo then opens with
   * reports half typed and requests at the banks instead of a minute of silence.
   */
  warmUpMs?: number;
  /** How long to wait for answers after the last report (default 60 s + 10 min × pace). */
  drainTimeoutMs?: number;
  mules?: MuleNetworkOptions;
  /** Keep the event log in memory (tests, the CLI); a demo that runs for days does not. */
  isKeepingLog?: boolean;
  onEvent?: (e: SimEvent) => void;
}

export type ResolvedOptions = Required<
  Omit<
    SimulationOptions,
    'durationMs' | 'natsUrl' | 'natsNamespace' | 'onEvent' | 'runTag' | 'seed' | 'callbackDelayMinutes'
  >
> & {
  seed: Seed;
  callbackDelayMinutes: number | undefined;
  durationMs: number | undefined;
  natsUrl: string | undefined;
  natsNamespace: string | undefined;
  onEvent: ((e: SimEvent) => void) | undefined;
  runTag: string | undefined;
};

export class SimOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid simulator settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const majorCodes = majorBanks.map((b) => b.code);

/** Fills defaults and lists every problem at once. */
export function resolveOptions(o: SimulationOptions): ResolvedOptions {
  const problems: string[] = [];
  const pace = o.pace ?? 1;
  const r: ResolvedOptions = {
    target: o.target.replace(/\/$/, ''),
    auth: o.auth,
    seed: o.seed ?? Math.floor(Math.random() * 1e9),
    ratePerMinute: o.ratePerMinute ?? 12,
    durationMs: o.durationMs,
    pace,
    intake: o.intake ?? (pace > 0 ? 'typing' : 'batch'),
    isDeskRobot: o.isDeskRobot ?? true,
    isCaseRobot: o.isCaseRobot ?? true,
    banks: o.banks ?? majorCodes,
    banksForPeople: o.banksForPeople ?? [],
    faults: o.faults ?? {},
    natsUrl: o.natsUrl,
    natsNamespace: o.natsNamespace,
    signalsPerMinute: o.signalsPerMinute ?? 0,
    signalFraudShare: o.signalFraudShare ?? 0.05,
    bankSignalsPerMinute: o.bankSignalsPerMinute ?? 0,
    bankSignalFraudShare: o.bankSignalFraudShare ?? 0.05,
    isPersuaderRobot: o.isPersuaderRobot ?? false,
    persuasionCountiesForPeople: o.persuasionCountiesForPeople ?? [],
    callbackDelayMinutes: o.callbackDelayMinutes,
    countermeasuresPerMinute: o.countermeasuresPerMinute ?? 0,
    lookupsPerMinute: o.lookupsPerMinute ?? 0,
    payeeChecksPerMinute: o.payeeChecksPerMinute ?? 0,
    runTag: o.runTag,
    warmUpMs: o.warmUpMs ?? 0,
    drainTimeoutMs: o.drainTimeoutMs ?? 60_000 + 600_000 * pace,
    mules: o.mules ?? defaultMuleNetwork,
    isKeepingLog: o.isKeepingLog ?? true,
    onEvent: o.onEvent,
  };
  if (!/^https?:\/\/[^/]+/.test(r.target)) problems.push(`target: must be an http(s) URL (got ${o.target})`);
  if (!(r.ratePerMinute > 0 && r.ratePerMinute <= 6_000_000))
    problems.push(`rate: reports per minute must be more than 0 (got ${r.ratePerMinute})`);
  if (r.durationMs !== undefined && !(r.durationMs > 0)) problems.push('duration: must be more than 0');
  if (!(r.warmUpMs >= 0)) problems.push('warm-up: 0 or more');
  if (!(pace >= 0 && pace <= 10)) problems.push(`pace: between 0 and 10 (got ${pace})`);
  if (!(r.signalsPerMinute >= 0)) problems.push('signals: per minute, 0 or more');
  if (!(r.signalFraudShare >= 0 && r.signalFraudShare <= 1))
    problems.push('signal fraud share: between 0 and 1');
  if (!(r.bankSignalsPerMinute >= 0 && r.bankSignalsPerMinute <= 6_000_000))
    problems.push('bank signals: per minute, 0 to 6,000,000');
  if (!(r.bankSignalFraudShare >= 0 && r.bankSignalFraudShare <= 1))
    problems.push('bank signal fraud share: between 0 and 1');
  if (!(r.countermeasuresPerMinute >= 0 && r.countermeasuresPerMinute <= 1_000))
    problems.push('countermeasures: per minute, 0 to 1,000');
  if (!(r.lookupsPerMinute >= 0 && r.lookupsPerMinute <= 30))
    problems.push('lookups: per minute, 0 to 30 (the public lookup allows 30 a minute per address)');
  if (!(r.payeeChecksPerMinute >= 0 && r.payeeChecksPerMinute <= 600))
    problems.push('payee checks: per minute, 0 to 600 (the payee-check limit per bank key)');
  if (!r.natsUrl && r.signalsPerMinute > 6_000_000)
    problems.push('signals: over HTTPS (no NATS URL), at most 6,000,000 per minute');
  for (const code of [...r.banks, ...r.banksForPeople, ...Object.keys(r.faults)])
    if (!majorCodes.includes(code)) problems.push(`bank ${code}: not one of ${majorCodes.join(', ')}`);
  for (const [code, f] of Object.entries(r.faults))
    if (f.slow !== undefined && !(f.slow >= 1 && f.slow <= 100))
      problems.push(`${code} slow: a factor from 1 to 100`);
  if (r.runTag !== undefined && !/^[a-z0-9]{1,12}$/.test(r.runTag)) problems.push('run tag: 1–12 of a–z 0–9');
  if (problems.length > 0) throw new SimOptionsError(problems);
  return r;
}
