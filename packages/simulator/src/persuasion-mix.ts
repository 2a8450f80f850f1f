import type { OutcomeRequest } from '@fanzha/contracts';
import { clamp, rngFor, type Seed } from './rng';

/**
 * How a warned person answers the centre (pure): the robot persuaders' plan for one episode, decided from
 * the seed and the episode's first signal (its id without the run's tag), never from fanzha's ids or when
 * the robots happened to look. Mostly persuaded at the first contact; some not reached or on the line
 * (probably with the fraudster), which moves the ladder on before they are persuaded; some refuse first;
 * a few have already paid; now and then the money is held (a protective hold requested by one persuader,
 * approved by the other, released once the person is safe). Our estimates: no figures are published.
 */
export type PersuasionAction =
  | { kind: 'outcome'; outcome: OutcomeRequest['outcome'] }
  | { kind: 'hold' }
  | { kind: 'approve' }
  | { kind: 'release' };

export interface PersuasionStep {
  /** Simulation ms after the previous step (the first: after the robot took the episode). */
  afterMs: number;
  action: PersuasionAction;
}

/** The first contact's result, and what follows (our estimate). */
export const persuasionMix: ReadonlyArray<readonly [string, number]> = [
  ['persuaded', 62],
  ['unreachable', 12],
  ['line_busy', 6],
  ['refuses', 10],
  ['already_paid', 5],
  ['hold', 5],
];

const outcome = (o: OutcomeRequest['outcome']): PersuasionAction => ({ kind: 'outcome', outcome: o });

export function planPersuasion(seed: Seed, key: string): PersuasionStep[] {
  const rng = rngFor(seed, 'persuasion', key);
  // A call takes a minute or two; a next step of the ladder a few minutes (people's pace).
  const call = () => Math.round(clamp(rng.logNormal(60, 0.6), 10, 600) * 1000);
  const first = persuasionMix[rng.weightedIndex(persuasionMix.map((m) => m[1]))]![0];
  const steps: PersuasionStep[] = [];
  switch (first) {
    case 'persuaded':
    case 'already_paid':
      steps.push({ afterMs: call(), action: outcome(first) });
      break;
    case 'unreachable':
    case 'refuses':
      steps.push({ afterMs: call(), action: outcome(first) });
      // Reached or convinced at the next step; a few still refuse once more.
      if (rng.chance(0.2)) steps.push({ afterMs: call(), action: outcome('refuses') });
      steps.push({ afterMs: call(), action: outcome(rng.chance(0.9) ? 'persuaded' : 'already_paid') });
      break;
    case 'line_busy':
      // The operator interrupts the line and a visit is sent: the officers find the person in time.
      steps.push({ afterMs: call(), action: outcome('line_busy') });
      steps.push({ afterMs: call() * 5, action: outcome('persuaded') });
      break;
    case 'hold':
      // On the line with the fraudster, still paying: hold the person's own transfers, then release.
      steps.push({ afterMs: call(), action: outcome('line_busy') });
      steps.push({ afterMs: call(), action: { kind: 'hold' } });
      steps.push({ afterMs: call(), action: { kind: 'approve' } });
      steps.push({ afterMs: call() * 10, action: { kind: 'release' } });
      break;
  }
  return steps;
}

/** The stable part of a simulated signal's id (`<runTag>-<bank>-<batch>-<n>` without the run's tag). */
export const signalKey = (signalId: string, runTag: string): string | undefined =>
  signalId.startsWith(`${runTag}-`) ? signalId.slice(runTag.length + 1) : undefined;
