import type { FraudProfile } from './fraud-mix';
import { clamp, type Rng } from './rng';

/** Losses run from hundreds to hundreds of thousands of yuan: the log-normal tail is cut there. */
export const MIN_LOSS_YUAN = 200;
export const MAX_LOSS_YUAN = 900_000;

/** A victim's whole loss, in fen, whole yuan. */
export function drawLossFen(rng: Rng, profile: FraudProfile): number {
  const yuan = clamp(
    Math.round(rng.logNormal(profile.medianYuan, profile.sigma)),
    MIN_LOSS_YUAN,
    MAX_LOSS_YUAN,
  );
  return yuan * 100;
}

/**
 * Splits `totalFen` into `n` positive parts of whole yuan that sum to it. `weights` shape the parts (e.g.
 * rising for a victim who is pushed to pay more each time); a little noise keeps them from looking made.
 */
export function splitFen(rng: Rng, totalFen: number, n: number, weights?: readonly number[]): number[] {
  const yuan = Math.floor(totalFen / 100);
  if (n <= 1 || yuan < n) return [totalFen];
  const raw = Array.from({ length: n }, (_, i) => (weights?.[i] ?? 1) * (0.6 + 0.8 * rng.next()));
  const sum = raw.reduce((s, x) => s + x, 0);
  const parts = raw.map((x) => Math.max(1, Math.floor((yuan * x) / sum)));
  // Whatever rounding left over goes to the largest part, so the parts add up exactly.
  const rest = yuan - parts.reduce((s, x) => s + x, 0);
  const largest = parts.indexOf(Math.max(...parts));
  parts[largest]! += rest;
  const fen = parts.map((p) => p * 100);
  fen[largest]! += totalFen - yuan * 100;
  return fen;
}

/** How many transfers a victim made: most pay once, rebate and investment victims pay again and again. */
export function drawTransferCount(rng: Rng, profile: FraudProfile): number {
  const n = 1 + Math.floor(rng.exponential(0.9));
  return Math.min(profile.maxTransfers, n);
}
