import type { StopPaymentView, WallTickerItem } from '@fanzha/contracts';
import { stopExpiresAt, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { newEvent } from '../../platform/events';
import type { Logger } from '../../platform/logger';
import { enqueue } from '../../platform/outbox/outbox';
import { planBatch, type EpisodeChange, type StopChange, type TaskChange } from './wall.plan';
import {
  addTallies,
  appendTicker,
  lockEpisodes,
  lockReports,
  lockStops,
  lockTasks,
  readReportFacts,
  saveStates,
} from './wall.rollup.repository';
import { tickerText } from './wall.ticker';

export const WALL_CONSUMER = 'wall-rollup';
const SUBJECTS = [
  'report.changed',
  'stop-payment.changed',
  'county-task.changed',
  'episode.opened',
  'episode.changed',
];
/** Lines pushed with one `wall.changed`; a wall shows fewer. */
const PUSHED_LINES = 20;

/** Legal fields of a request (stops, freezes, returns); read defensively, older events lack them. */
type StopLegal = Partial<{
  legalState: string;
  expiresAt: string | null;
  frozenFen: number;
  returnedFen: number;
}>;

const date = (v: string | null | undefined) => (v ? new Date(v) : null);

export function stopChangeOf(event: EventEnvelope<'stop-payment.changed'>): StopChange {
  const v: StopPaymentView & StopLegal = event.data.request;
  const outcome = v.result?.outcome ?? null;
  const answeredAt = date(v.result?.answeredAt);
  const isStopped = outcome === 'stopped' && answeredAt !== null;
  return {
    id: v.id,
    occurredAt: new Date(event.occurredAt),
    reportId: v.reportId,
    bankCode: v.account.bankCode,
    layer: v.layer,
    sentAt: date(v.sentAt),
    outcome,
    answeredAt,
    stoppedFen: v.result?.stoppedFen ?? 0,
    frozenFen: v.frozenFen ?? 0,
    returnedFen: v.returnedFen ?? 0,
    // In force until frozen, renewed, released or lapsed; an event without legal fields: while stopped.
    isInForce: v.legalState !== undefined ? v.legalState === 'stopped' : isStopped,
    expiresAt: date(v.expiresAt) ?? (isStopped && answeredAt ? stopExpiresAt(answeredAt) : null),
  };
}

const OPEN_TASK = new Set(['issued', 'accepted', 'contacted']);

export function taskChangeOf(event: EventEnvelope<'county-task.changed'>): TaskChange {
  const t = event.data.task;
  const isOpen = OPEN_TASK.has(t.status);
  // Overdue from the first deadline still ahead of it: accepting (while issued), then answering.
  const acceptBy = t.status === 'issued' ? Date.parse(t.acceptDueAt) : Infinity;
  return {
    id: t.id,
    occurredAt: new Date(event.occurredAt),
    countyCode: t.countyCode,
    isOpen,
    isOverdue: isOpen && t.isOverdue,
    dueAt: new Date(Math.min(acceptBy, Date.parse(t.dueAt))),
  };
}

export function episodeChangeOf(event: EventEnvelope<'episode.opened' | 'episode.changed'>): EpisodeChange {
  const e = event.data.episode;
  return {
    id: e.id,
    version: e.version,
    warningCount: e.warningCount,
    lastWarningAt: new Date(e.lastWarningAt),
    isPersuaded: !e.isOpen && e.closeReason === 'persuaded',
    closedAt: date(e.closedAt),
  };
}

export interface WallRollupDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Tells the outbox relay that a `wall.changed` was committed. */
  wake: () => void;
}

/**
 * Applies a batch of events to the wall's rollups in one transaction, and records one `wall.changed`
 * (with the new ticker lines) in the outbox of that transaction when anything changed.
 */
export async function applyWallEvents(deps: WallRollupDeps, events: EventEnvelope[]): Promise<void> {
  const reportIds = new Set<string>();
  const stopChanges: StopChange[] = [];
  const taskChanges: TaskChange[] = [];
  const episodeChanges: EpisodeChange[] = [];
  for (const event of events) {
    if (event.subject === 'report.changed') reportIds.add((event as EventEnvelope<'report.changed'>).data.id);
    else if (event.subject === 'stop-payment.changed') {
      const change = stopChangeOf(event as EventEnvelope<'stop-payment.changed'>);
      stopChanges.push(change);
      // A bank's answer also sets the report's first stop result: read the report again.
      reportIds.add(change.reportId);
    } else if (event.subject === 'county-task.changed')
      taskChanges.push(taskChangeOf(event as EventEnvelope<'county-task.changed'>));
    else if (event.subject === 'episode.opened' || event.subject === 'episode.changed')
      episodeChanges.push(episodeChangeOf(event as EventEnvelope<'episode.opened' | 'episode.changed'>));
  }
  const at = deps.clock.now();
  const isChanged = await deps.db.transaction().execute(async (trx) => {
    // Lock order — reports, requests, tasks, episodes, counters — is the same in every batch: no deadlocks.
    const counted = await lockReports(trx, reportIds);
    const stops = await lockStops(
      trx,
      stopChanges.map((c) => c.id),
    );
    const tasks = await lockTasks(
      trx,
      taskChanges.map((c) => c.id),
    );
    const episodes = await lockEpisodes(
      trx,
      episodeChanges.map((c) => c.id),
    );
    const facts = await readReportFacts(trx, reportIds);
    const plan = planBatch({
      reports: new Map([...counted].map(([id, c]) => [id, { counted: c, facts: facts.get(id) }])),
      stops,
      tasks,
      episodes,
      stopChanges,
      taskChanges,
      episodeChanges,
      at,
    });
    await saveStates(trx, plan);
    await addTallies(trx, plan.tallies);
    const lines = await appendTicker(
      trx,
      plan.ticker.map((l) => ({ ...l, text: tickerText(l) })),
    );
    const hasChanges =
      plan.reports.size + plan.stops.size + plan.tasks.size + plan.episodes.size + plan.tallies.length > 0;
    if (hasChanges) {
      const ticker: WallTickerItem[] = lines.slice(-PUSHED_LINES).reverse();
      await enqueue(trx, newEvent('wall.changed', { at: at.toISOString(), ticker }, deps.clock));
    }
    return hasChanges;
  });
  if (isChanged) deps.wake();
}

/** Events applied in one transaction at most; what arrives while one batch is applied forms the next. */
const MAX_BATCH = 500;

/**
 * The wall's rollup consumer (worker role): one durable consumer group taking batches, each applied in one
 * transaction. No dedupe marker is needed: a batch applies new − counted, so a redelivered event changes
 * nothing twice.
 */
export function startWallRollup(deps: WallRollupDeps & { bus: Bus; log: Logger }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: WALL_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyWallEvents(deps, events),
  );
}
