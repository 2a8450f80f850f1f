import {
  addToScore,
  indicatorScoreRules,
  indicatorStatusAfterReports,
  nextRegradeAt,
  normaliseIndicator,
  riskLevelOfScore,
  scoreAt,
  sourceWeight,
  type ScoreState,
  type IndicatorKind,
  type IndicatorStatus,
} from '@fanzha/domain';
import type { IndicatorRow, IndicatorUpdate, SourceKey } from './indicators.repository';
import { sourceKeyString } from './indicators.repository';

/** One value a report or a bank answer named, normalised: becomes (or adds to) an indicator. */
export interface Sighting {
  kind: IndicatorKind;
  value: string;
  sourceKind: 'report' | 'bank_answer';
  sourceId: string;
  reportId: string;
  reportNumber: string;
  /** The report's loss; 0 for a bank answer. */
  lossFen: number;
  at: Date;
}

/** A value that did not normalise: skipped, counted by kind and reason, never failing the batch. */
export interface Skipped {
  kind: IndicatorKind;
  reason: string;
}

/** What a report's contact kinds become; `other` (free text) names no indicator. */
const contactKinds: Record<string, IndicatorKind | undefined> = {
  phone: 'phone',
  url: 'domain',
  app: 'app',
  social: 'social',
  device: 'device',
};

/** Normalises what one source named, dropping repeats of one value within it. */
export function sightingsOf(
  source: Omit<Sighting, 'kind' | 'value'>,
  named: Array<{ kind: string; value: string }>,
  skipped: Skipped[],
): Sighting[] {
  const seen = new Set<string>();
  const out: Sighting[] = [];
  for (const n of named) {
    const kind = n.kind === 'account' ? 'account' : contactKinds[n.kind];
    if (!kind || n.value.trim() === '') continue;
    const normal = normaliseIndicator(kind, n.value);
    if (!normal.ok) {
      skipped.push({ kind, reason: normal.reason });
      continue;
    }
    const key = `${kind}:${normal.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...source, kind, value: normal.value });
  }
  return out;
}

export const keyOf = (k: { kind: string; value: string }) => `${k.kind}:${k.value}`;

export interface BatchPlan {
  sources: Array<{
    indicator_id: number;
    source_kind: Sighting['sourceKind'];
    source_id: string;
    report_id: string;
    report_number: string;
    loss_fen: number;
    seen_at: Date;
  }>;
  sourceLosses: Array<SourceKey & { lossFen: number }>;
  updates: IndicatorUpdate[];
  /** Change of the per-status counts. */
  tally: Map<IndicatorStatus, number>;
}

/**
 * What a batch of sightings does to the indicators it names (locked rows, as they stand), given which of
 * their provenance rows exist already: new provenance rows, losses that changed, and each indicator's new
 * counters, status (the over-shared guard) and risk level. An indicator appears in `updates` only when
 * something of it changed, or when it was created by this batch. A sighting whose provenance row exists with
 * the same loss changes nothing: a repeated event is absorbed here even without the consumer's markers.
 */
export function planBatch(input: {
  sightings: Sighting[];
  rows: IndicatorRow[];
  created: ReadonlySet<number>;
  existing: ReadonlyMap<string, number>;
  sharedReports: number;
  now: Date;
  /** The risk score's half-life (FANZHA_INDICATOR_HALF_LIFE_DAYS). */
  halfLifeDays?: number;
  /** Merged indicators' keys, each to the indicator it was merged into (its sightings count there). */
  aliases?: ReadonlyMap<string, IndicatorRow>;
}): BatchPlan {
  const halfLife = input.halfLifeDays ?? indicatorScoreRules.defaultHalfLifeDays;
  const byKey = new Map(input.rows.map((r) => [keyOf(r), r]));
  for (const [k, r] of input.aliases ?? []) byKey.set(k, r);
  const scores = new Map<number, ScoreState>();
  const next = new Map<number, IndicatorUpdate>();
  const before = new Map<number, IndicatorRow>();
  const plan: BatchPlan = { sources: [], sourceLosses: [], updates: [], tally: new Map() };
  const planned = new Set<string>();
  for (const s of input.sightings) {
    const row = byKey.get(keyOf(s));
    if (!row) continue; // cannot happen: every key was inserted or found in this transaction
    before.set(row.id, row);
    const u = next.get(row.id) ?? {
      id: row.id,
      status: row.status,
      riskLevel: row.risk_level,
      reportCount: row.report_count,
      answerCount: row.answer_count,
      lossFen: row.loss_fen,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      lastReportedAt: row.last_reported_at,
      riskScore: row.risk_score,
      scoredAt: row.scored_at,
      regradeAt: row.regrade_at,
    };
    next.set(row.id, u);
    let score = scores.get(row.id) ?? { score: row.risk_score, at: row.scored_at };
    const key: SourceKey = { indicatorId: row.id, sourceKind: s.sourceKind, sourceId: s.sourceId };
    const k = sourceKeyString(key);
    if (planned.has(k)) continue;
    planned.add(k);
    const counted = input.existing.get(k);
    if (counted === undefined) {
      plan.sources.push({
        indicator_id: row.id,
        source_kind: s.sourceKind,
        source_id: s.sourceId,
        report_id: s.reportId,
        report_number: s.reportNumber,
        loss_fen: s.lossFen,
        seen_at: s.at,
      });
      // Seen again: the source's whole weight, from when it was seen.
      score = addToScore(score, sourceWeight({ kind: s.sourceKind, lossFen: s.lossFen }), s.at, halfLife);
      if (s.sourceKind === 'report') {
        u.reportCount += 1;
        u.lossFen += s.lossFen;
        if (!u.lastReportedAt || s.at > u.lastReportedAt) u.lastReportedAt = s.at;
      } else u.answerCount += 1;
      if (s.at < u.firstSeenAt) u.firstSeenAt = s.at;
      if (s.at > u.lastSeenAt) u.lastSeenAt = s.at;
    } else if (counted !== s.lossFen) {
      plan.sourceLosses.push({ ...key, lossFen: s.lossFen });
      u.lossFen += s.lossFen - counted;
      const kind = s.sourceKind;
      const delta = sourceWeight({ kind, lossFen: s.lossFen }) - sourceWeight({ kind, lossFen: counted });
      score = addToScore(score, delta, s.at, halfLife);
    }
    scores.set(row.id, score);
  }
  const add = (status: IndicatorStatus, d: number) =>
    plan.tally.set(status, (plan.tally.get(status) ?? 0) + d);
  for (const [id, u] of next) {
    const row = before.get(id)!;
    u.lossFen = Math.max(0, u.lossFen);
    u.status = indicatorStatusAfterReports(
      u.status,
      u.reportCount,
      input.sharedReports,
      row.decided_at !== null,
    );
    const score = scores.get(id) ?? { score: row.risk_score, at: row.scored_at };
    u.riskScore = score.score;
    u.scoredAt = score.at;
    u.riskLevel = riskLevelOfScore(scoreAt(score, input.now, halfLife));
    u.regradeAt = nextRegradeAt(score, halfLife);
    const isCreated = input.created.has(id);
    if (isCreated) add(u.status, 1);
    else if (u.status !== row.status) {
      add(row.status, -1);
      add(u.status, 1);
    }
    const isChanged =
      isCreated ||
      u.status !== row.status ||
      u.riskLevel !== row.risk_level ||
      u.reportCount !== row.report_count ||
      u.answerCount !== row.answer_count ||
      u.lossFen !== row.loss_fen ||
      u.riskScore !== row.risk_score ||
      u.firstSeenAt.getTime() !== row.first_seen_at.getTime() ||
      u.lastSeenAt.getTime() !== row.last_seen_at.getTime() ||
      (u.lastReportedAt?.getTime() ?? null) !== (row.last_reported_at?.getTime() ?? null);
    if (isChanged) plan.updates.push(u);
  }
  plan.updates.sort((a, b) => a.id - b.id);
  return plan;
}
