import type { IndicatorRiskLevel } from './indicator-snapshot';

/**
 * An indicator's risk score (风险分): every source that named it (a report, a bank's answer) adds a weight
 * that halves every `halfLifeDays` after it was seen. An indicator nobody names any more fades; one named
 * again rises by the new source's whole weight. The risk level is read off the score.
 */
export interface ScoreSource {
  readonly kind: 'report' | 'bank_answer';
  /** The report's loss, in fen (0 for a bank answer). */
  readonly lossFen: number;
  readonly seenAt: Date;
}

/** The weights and thresholds, named so the docs and the tests can quote them. */
export const indicatorScoreRules = {
  /** What a report adds, whatever its loss; a bank answer naming the account adds the same. */
  sourceWeight: 12,
  /** What each tenfold of a report's loss adds (counted in thousands of yuan: log10(1 + loss / ¥1,000)). */
  lossWeightPerTenfold: 12,
  /** ¥1,000 in fen. */
  lossUnitFen: 100_000,
  /** At or above: medium. */
  mediumScore: 10,
  /** At or above: high. */
  highScore: 30,
  /** The half-life when none is configured (FANZHA_INDICATOR_HALF_LIFE_DAYS). */
  defaultHalfLifeDays: 90,
} as const;

const DAY_MS = 86_400_000;

/** What one source adds when it is seen: 12, and 12 more for each tenfold of its loss over ¥1,000. */
export function sourceWeight(s: Pick<ScoreSource, 'kind' | 'lossFen'>): number {
  const r = indicatorScoreRules;
  if (s.kind === 'bank_answer') return r.sourceWeight;
  return r.sourceWeight + r.lossWeightPerTenfold * Math.log10(1 + Math.max(0, s.lossFen) / r.lossUnitFen);
}

/** The share of a weight left `to - from` after it was seen (1 for a time not yet past). */
export function decayFactor(from: Date, to: Date, halfLifeDays: number): number {
  const ageDays = (to.getTime() - from.getTime()) / DAY_MS;
  return ageDays <= 0 ? 1 : 0.5 ** (ageDays / halfLifeDays);
}

/** The score as last computed: its value at `at` (the latest source's time). */
export interface ScoreState {
  readonly score: number;
  /** Null for an indicator no source has scored yet. */
  readonly at: Date | null;
}

export const emptyScore: ScoreState = { score: 0, at: null };

/**
 * Adds a weight seen at `seenAt` to a score (a negative weight takes one back: a report's loss corrected
 * downwards). The result is the same whatever order the sources come in: it is the sum of each source's
 * weight decayed to the latest of them.
 */
export function addToScore(
  state: ScoreState,
  weight: number,
  seenAt: Date,
  halfLifeDays: number,
): ScoreState {
  if (state.at === null || seenAt >= state.at) {
    const carried = state.at === null ? 0 : state.score * decayFactor(state.at, seenAt, halfLifeDays);
    return { score: Math.max(0, carried + weight), at: seenAt };
  }
  return {
    score: Math.max(0, state.score + weight * decayFactor(seenAt, state.at, halfLifeDays)),
    at: state.at,
  };
}

/** The score at `now`. */
export function scoreAt(state: ScoreState, now: Date, halfLifeDays: number): number {
  return state.at === null ? 0 : state.score * decayFactor(state.at, now, halfLifeDays);
}

/** The score of an indicator from all its sources, at `now` (what `addToScore` keeps incrementally). */
export function indicatorScore(sources: readonly ScoreSource[], now: Date, halfLifeDays: number): number {
  let sum = 0;
  for (const s of sources) sum += sourceWeight(s) * decayFactor(s.seenAt, now, halfLifeDays);
  return sum;
}

/** high at 30 or more, medium at 10 or more, low below. */
export function riskLevelOfScore(score: number): IndicatorRiskLevel {
  if (score >= indicatorScoreRules.highScore) return 'high';
  if (score >= indicatorScoreRules.mediumScore) return 'medium';
  return 'low';
}

/**
 * When the level read off this score next drops (the score falls below the level's threshold), or null
 * when it is low already (nothing lower to fall to). What the regrading sweep waits for.
 */
export function nextRegradeAt(state: ScoreState, halfLifeDays: number): Date | null {
  if (state.at === null) return null;
  const level = riskLevelOfScore(state.score);
  if (level === 'low') return null;
  const threshold = level === 'high' ? indicatorScoreRules.highScore : indicatorScoreRules.mediumScore;
  // score · 0.5^(d / h) < threshold  ⇔  d > h · log2(score / threshold); a minute after, so it has dropped.
  const days = halfLifeDays * Math.log2(state.score / threshold);
  return new Date(state.at.getTime() + Math.ceil(days * DAY_MS) + 60_000);
}

/**
 * The score decayed to `now` as a new state, its level and when that level next drops: what the regrading
 * sweep writes for a quiet indicator. The next drop is always after `now`.
 */
export function regrade(
  state: ScoreState,
  now: Date,
  halfLifeDays: number,
): { state: ScoreState; level: IndicatorRiskLevel; regradeAt: Date | null } {
  const decayed: ScoreState =
    state.at === null ? state : { score: scoreAt(state, now, halfLifeDays), at: now };
  const level = riskLevelOfScore(decayed.score);
  const next = nextRegradeAt(decayed, halfLifeDays);
  return { state: decayed, level, regradeAt: next && next <= now ? new Date(now.getTime() + 60_000) : next };
}
