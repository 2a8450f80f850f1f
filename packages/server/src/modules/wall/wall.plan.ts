import { dayOf, hourOf } from './china-time';
import type { TickerLine } from './wall.ticker';

/**
 * The rollup arithmetic, without I/O. Each report, stop-payment request and county hand-off has a
 * "counted" state: what the rollups hold of it. A batch of changes turns into new counted states, the
 * counter deltas between old and new, and ticker lines. Replaying a change gives no delta, so the
 * consumer needs no per-event dedupe marker.
 */

/** A report as the wall counts it (no personal data: county, type, amounts, times). */
export interface ReportCounted {
  answeredAt: Date | null;
  isReceived: boolean;
  countyCode: string | null;
  fraudType: string | null;
  lossFen: number;
  toStopS: number | null;
  /** Sums over the report's requests, for the ticker. */
  stoppedFen: number;
  frozenFen: number;
  returnedFen: number;
}

/** The report's current row, read from the base table when any change touches it. */
export interface ReportFacts {
  callAnsweredAt: Date;
  isSubmitted: boolean;
  countyCode: string | null;
  fraudType: string | null;
  lossFen: number;
  firstStopResultAt: Date | null;
}

export interface StopCounted {
  reportId: string | null;
  bankCode: string | null;
  layer: number | null;
  isStopped: boolean;
  answeredAt: Date | null;
  responseS: number | null;
  stoppedFen: number;
  frozenFen: number;
  returnedFen: number;
  isInForce: boolean;
  expiresAt: Date | null;
  eventAt: Date | null;
}

/** A stop-payment request as its `stop-payment.changed` event carries it, reduced to what the wall needs. */
export interface StopChange {
  id: string;
  occurredAt: Date;
  reportId: string;
  bankCode: string;
  layer: number;
  sentAt: Date | null;
  outcome: 'stopped' | 'failed' | null;
  answeredAt: Date | null;
  stoppedFen: number;
  frozenFen: number;
  returnedFen: number;
  isInForce: boolean;
  expiresAt: Date | null;
}

export interface TaskCounted {
  countyCode: string | null;
  isOpen: boolean;
  isOverdue: boolean;
  /** When the task is overdue if nothing happens: its accept deadline while issued, then its answer deadline. */
  dueAt: Date | null;
  eventAt: Date | null;
}

export interface TaskChange extends Omit<TaskCounted, 'eventAt'> {
  id: string;
  occurredAt: Date;
}

/**
 * A person's warning episode as the wall counts it: the warnings listed in it (预警, person-times) and
 * whether it closed persuaded (劝阻). `version` orders the episode's events: a late one changes nothing.
 */
export interface EpisodeCounted {
  warningCount: number;
  isPersuaded: boolean;
  version: number;
}

/** An episode as its `episode.opened` / `episode.changed` event carries it, reduced to what the wall needs. */
export interface EpisodeChange {
  id: string;
  version: number;
  warningCount: number;
  /** When its latest warning arrived: the hour new warnings count in. */
  lastWarningAt: Date;
  isPersuaded: boolean;
  closedAt: Date | null;
}

export interface Tally {
  table: 'hour' | 'day';
  /** ISO instant of the hour, or the China day `YYYY-MM-DD`. */
  bucket: string;
  metric: string;
  key: string;
  n: number;
  fen: number;
}

export const emptyReport: ReportCounted = {
  answeredAt: null,
  isReceived: false,
  countyCode: null,
  fraudType: null,
  lossFen: 0,
  toStopS: null,
  stoppedFen: 0,
  frozenFen: 0,
  returnedFen: 0,
};

export const emptyStop: StopCounted = {
  reportId: null,
  bankCode: null,
  layer: null,
  isStopped: false,
  answeredAt: null,
  responseS: null,
  stoppedFen: 0,
  frozenFen: 0,
  returnedFen: 0,
  isInForce: false,
  expiresAt: null,
  eventAt: null,
};

export const emptyTask: TaskCounted = {
  countyCode: null,
  isOpen: false,
  isOverdue: false,
  dueAt: null,
  eventAt: null,
};

export const emptyEpisode: EpisodeCounted = { warningCount: 0, isPersuaded: false, version: 0 };

export interface BatchInput {
  reports: Map<string, { counted: ReportCounted; facts: ReportFacts | undefined }>;
  stops: Map<string, StopCounted>;
  tasks: Map<string, TaskCounted>;
  episodes: Map<string, EpisodeCounted>;
  stopChanges: StopChange[];
  taskChanges: TaskChange[];
  episodeChanges: EpisodeChange[];
  /** When the batch is applied: the time of the ticker's "received" lines. */
  at: Date;
}

export interface BatchPlan {
  reports: Map<string, ReportCounted>;
  stops: Map<string, StopCounted>;
  tasks: Map<string, TaskCounted>;
  episodes: Map<string, EpisodeCounted>;
  tallies: Tally[];
  ticker: TickerLine[];
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

function reportCounted(facts: ReportFacts, sums: ReportCounted): ReportCounted {
  return {
    ...sums,
    answeredAt: facts.callAnsweredAt,
    isReceived: facts.isSubmitted,
    countyCode: facts.countyCode,
    fraudType: facts.fraudType,
    lossFen: facts.lossFen,
    toStopS: facts.firstStopResultAt ? seconds(facts.callAnsweredAt, facts.firstStopResultAt) : null,
  };
}

/** What one report adds to the counters: reports received and losses, by hour, county and fraud type. */
function reportTallies(r: ReportCounted, sign: 1 | -1): Tally[] {
  if (!r.isReceived || !r.answeredAt) return [];
  const n = sign;
  const fen = sign * r.lossFen;
  const day = dayOf(r.answeredAt);
  return [
    { table: 'hour', bucket: hourOf(r.answeredAt).toISOString(), metric: 'received', key: '', n, fen },
    { table: 'day', bucket: day, metric: 'county', key: r.countyCode ?? '', n, fen },
    { table: 'day', bucket: day, metric: 'fraud_type', key: r.fraudType ?? '', n, fen },
  ];
}

/** What one request adds to the counters: an account stopped and the amount, in the hour of the answer. */
function stopTallies(s: StopCounted, sign: 1 | -1): Tally[] {
  if (!s.isStopped || !s.answeredAt) return [];
  const bucket = hourOf(s.answeredAt).toISOString();
  return [{ table: 'hour', bucket, metric: 'stopped', key: '', n: sign, fen: sign * s.stoppedFen }];
}

function stopCounted(c: StopChange): StopCounted {
  const isAnswered = c.outcome !== null && c.answeredAt !== null;
  return {
    reportId: c.reportId,
    bankCode: c.bankCode,
    layer: c.layer,
    isStopped: c.outcome === 'stopped',
    answeredAt: isAnswered ? c.answeredAt : null,
    responseS: isAnswered && c.sentAt && c.answeredAt ? Math.max(0, seconds(c.sentAt, c.answeredAt)) : null,
    stoppedFen: c.outcome === 'stopped' ? c.stoppedFen : 0,
    frozenFen: c.frozenFen,
    returnedFen: c.returnedFen,
    isInForce: c.isInForce && c.expiresAt !== null,
    expiresAt: c.expiresAt,
    eventAt: c.occurredAt,
  };
}

/**
 * Amounts frozen and returned count when they happen (the event's hour), as increases: a freeze that
 * ends (released, or turned into a return) does not undo money frozen that day.
 */
function movementTallies(old: StopCounted, next: StopCounted, at: Date): Tally[] {
  const bucket = hourOf(at).toISOString();
  const out: Tally[] = [];
  const frozen = next.frozenFen - old.frozenFen;
  if (frozen > 0)
    out.push({
      table: 'hour',
      bucket,
      metric: 'frozen',
      key: '',
      n: old.frozenFen === 0 ? 1 : 0,
      fen: frozen,
    });
  const returned = next.returnedFen - old.returnedFen;
  if (returned > 0)
    out.push({
      table: 'hour',
      bucket,
      metric: 'returned',
      key: '',
      n: old.returnedFen === 0 ? 1 : 0,
      fen: returned,
    });
  return out;
}

/**
 * What an episode's change adds: its new warnings in the hour of its latest warning (`warned`), and one
 * `persuaded` in the hour it closed persuaded. An episode never un-warns anyone; a persuasion counted is
 * taken back only if a later version says otherwise.
 */
function episodeTallies(old: EpisodeCounted, next: EpisodeChange): Tally[] {
  const out: Tally[] = [];
  const warned = next.warningCount - old.warningCount;
  if (warned > 0) {
    const bucket = hourOf(next.lastWarningAt).toISOString();
    out.push({ table: 'hour', bucket, metric: 'warned', key: '', n: warned, fen: 0 });
  }
  if (next.isPersuaded !== old.isPersuaded) {
    const at = next.closedAt ?? next.lastWarningAt;
    const n = next.isPersuaded ? 1 : -1;
    out.push({ table: 'hour', bucket: hourOf(at).toISOString(), metric: 'persuaded', key: '', n, fen: 0 });
  }
  return out;
}

/** Sums deltas per counter and drops those that cancel out. */
export function mergeTallies(tallies: Tally[]): Tally[] {
  const merged = new Map<string, Tally>();
  for (const t of tallies) {
    const id = `${t.table}|${t.bucket}|${t.metric}|${t.key}`;
    const seen = merged.get(id);
    if (seen) merged.set(id, { ...seen, n: seen.n + t.n, fen: seen.fen + t.fen });
    else merged.set(id, { ...t });
  }
  // Sorted, so that concurrent writers take the counters' row locks in one order.
  return [...merged.entries()]
    .filter(([, t]) => t.n !== 0 || t.fen !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t);
}

const sameStop = (a: StopCounted, b: StopCounted) =>
  (Object.keys(a) as Array<keyof StopCounted>).every((k) => {
    const x = a[k];
    const y = b[k];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });

/** Applies a batch of changes to the counted states. */
export function planBatch(input: BatchInput): BatchPlan {
  const tallies: Tally[] = [];
  const ticker: TickerLine[] = [];
  const reports = new Map<string, ReportCounted>();
  const changedReports = new Set<string>();
  const reportOf = (id: string | null): ReportCounted | undefined => {
    if (!id) return undefined;
    return reports.get(id) ?? input.reports.get(id)?.counted;
  };
  const setReport = (id: string, r: ReportCounted) => {
    reports.set(id, r);
    changedReports.add(id);
  };
  const line = (kind: TickerLine['kind'], r: ReportCounted, at: Date): TickerLine => ({
    kind,
    at: at.toISOString(),
    countyCode: r.countyCode,
    fraudType: r.fraudType,
    lossFen: r.lossFen,
    stoppedFen: r.stoppedFen,
    frozenFen: r.frozenFen,
    returnedFen: r.returnedFen,
  });

  // Reports first: their county, type and loss are what the stop lines below show.
  for (const [id, { counted, facts }] of input.reports) {
    if (!facts) continue; // not in the base table (yet): nothing to count
    const next = reportCounted(facts, counted);
    tallies.push(...reportTallies(counted, -1), ...reportTallies(next, 1));
    if (JSON.stringify(next) !== JSON.stringify(counted)) setReport(id, next);
    if (next.isReceived && !counted.isReceived) ticker.push(line('received', next, input.at));
  }

  const stops = new Map<string, StopCounted>();
  const ordered = [...input.stopChanges].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const change of ordered) {
    const old = stops.get(change.id) ?? input.stops.get(change.id) ?? emptyStop;
    // An older view arriving late (a redelivery) must not undo a newer one.
    if (old.eventAt && change.occurredAt < old.eventAt) continue;
    const next = stopCounted(change);
    if (sameStop(old, next)) continue;
    stops.set(change.id, next);
    tallies.push(
      ...stopTallies(old, -1),
      ...stopTallies(next, 1),
      ...movementTallies(old, next, change.occurredAt),
    );
    const report = reportOf(next.reportId);
    if (!report || !next.reportId) continue;
    const sums: ReportCounted = {
      ...report,
      stoppedFen: report.stoppedFen + next.stoppedFen - old.stoppedFen,
      frozenFen: report.frozenFen + next.frozenFen - old.frozenFen,
      returnedFen: report.returnedFen + Math.max(0, next.returnedFen - old.returnedFen),
    };
    if (
      sums.stoppedFen !== report.stoppedFen ||
      sums.frozenFen !== report.frozenFen ||
      sums.returnedFen !== report.returnedFen
    )
      setReport(next.reportId, sums);
    const at = change.occurredAt;
    if (next.isStopped && !old.isStopped) ticker.push(line('stopped', sums, at));
    else if (next.frozenFen > old.frozenFen) ticker.push(line('frozen', sums, at));
    else if (next.returnedFen > old.returnedFen) ticker.push(line('returned', sums, at));
  }

  const tasks = new Map<string, TaskCounted>();
  for (const change of [...input.taskChanges].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
  )) {
    const old = tasks.get(change.id) ?? input.tasks.get(change.id) ?? emptyTask;
    if (old.eventAt && change.occurredAt < old.eventAt) continue;
    const { id, occurredAt, ...rest } = change;
    tasks.set(id, { ...rest, eventAt: occurredAt });
  }

  const episodes = new Map<string, EpisodeCounted>();
  for (const change of [...input.episodeChanges].sort((a, b) => a.version - b.version)) {
    const old = episodes.get(change.id) ?? input.episodes.get(change.id) ?? emptyEpisode;
    if (change.version <= old.version) continue;
    const next: EpisodeCounted = {
      // Warnings are only ever listed: a count below the counted one is an older view.
      warningCount: Math.max(old.warningCount, change.warningCount),
      isPersuaded: change.isPersuaded,
      version: change.version,
    };
    tallies.push(...episodeTallies(old, { ...change, warningCount: next.warningCount }));
    episodes.set(change.id, next);
  }

  return {
    reports: new Map([...changedReports].map((id) => [id, reports.get(id)!])),
    stops,
    tasks,
    episodes,
    tallies: mergeTallies(tallies),
    ticker,
  };
}
