import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type {
  EpisodeCounted,
  ReportCounted,
  ReportFacts,
  StopCounted,
  Tally,
  TaskCounted,
} from './wall.plan';
import type { TickerLine } from './wall.ticker';

type Trx = Transaction<DB>;

/** Lines kept for the ticker; the wall shows the latest few. */
const TICKER_KEPT = 500;

const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

/**
 * Makes an empty counted state for each id that has none (what counted nothing yet), so that the `for
 * update` read after it locks every one of them.
 */
async function ensureCounted(
  trx: Trx,
  table: 'wall_report' | 'wall_stop' | 'wall_task' | 'wall_episode',
  key: 'report_id' | 'id',
  ids: readonly string[],
): Promise<void> {
  await sql`
    insert into ${sql.table(table)} (${sql.ref(key)})
    select unnest(${ids}::uuid[])
    on conflict (${sql.ref(key)}) do nothing`.execute(trx);
}

/**
 * Locks the counted state of each report (making an empty one first where there is none), in id order,
 * so that two workers applying changes to the same report take turns and neither counts twice.
 */
export async function lockReports(trx: Trx, ids: Iterable<string>): Promise<Map<string, ReportCounted>> {
  const list = sorted(ids);
  if (list.length === 0) return new Map();
  await ensureCounted(trx, 'wall_report', 'report_id', list);
  const rows = await trx
    .selectFrom('wall_report')
    .select([
      'report_id',
      'answered_at',
      'is_received',
      'county_code',
      'fraud_type',
      'loss_fen',
      'to_stop_s',
      'stopped_fen',
      'frozen_fen',
      'returned_fen',
    ])
    .where('report_id', 'in', list)
    .orderBy('report_id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((r) => [
      r.report_id,
      {
        answeredAt: r.answered_at,
        isReceived: r.is_received,
        countyCode: r.county_code,
        fraudType: r.fraud_type,
        lossFen: r.loss_fen,
        toStopS: r.to_stop_s,
        stoppedFen: r.stopped_fen,
        frozenFen: r.frozen_fen,
        returnedFen: r.returned_fen,
      },
    ]),
  );
}

/** The reports' current rows: only what the wall counts, never names, numbers or narratives. */
export async function readReportFacts(trx: Trx, ids: Iterable<string>): Promise<Map<string, ReportFacts>> {
  const list = sorted(ids);
  if (list.length === 0) return new Map();
  const rows = await trx
    .selectFrom('report')
    .select([
      'id',
      'call_answered_at',
      'status',
      'victim_county_code',
      'fraud_type',
      'total_loss_fen',
      'first_stop_result_at',
    ])
    .where('id', 'in', list)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        callAnsweredAt: r.call_answered_at,
        isSubmitted: r.status !== 'draft',
        countyCode: r.victim_county_code,
        fraudType: r.fraud_type,
        lossFen: r.total_loss_fen,
        firstStopResultAt: r.first_stop_result_at,
      },
    ]),
  );
}

export async function lockStops(trx: Trx, ids: Iterable<string>): Promise<Map<string, StopCounted>> {
  const list = sorted(ids);
  if (list.length === 0) return new Map();
  await ensureCounted(trx, 'wall_stop', 'id', list);
  const rows = await trx
    .selectFrom('wall_stop')
    .select([
      'id',
      'report_id',
      'bank_code',
      'layer',
      'is_stopped',
      'answered_at',
      'response_s',
      'stopped_fen',
      'frozen_fen',
      'returned_fen',
      'is_in_force',
      'expires_at',
      'event_at',
    ])
    .where('id', 'in', list)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        reportId: r.report_id,
        bankCode: r.bank_code,
        layer: r.layer,
        isStopped: r.is_stopped,
        answeredAt: r.answered_at,
        responseS: r.response_s,
        stoppedFen: r.stopped_fen,
        frozenFen: r.frozen_fen,
        returnedFen: r.returned_fen,
        isInForce: r.is_in_force,
        expiresAt: r.expires_at,
        eventAt: r.event_at,
      },
    ]),
  );
}

export async function lockTasks(trx: Trx, ids: Iterable<string>): Promise<Map<string, TaskCounted>> {
  const list = sorted(ids);
  if (list.length === 0) return new Map();
  await ensureCounted(trx, 'wall_task', 'id', list);
  const rows = await trx
    .selectFrom('wall_task')
    .select(['id', 'county_code', 'is_open', 'is_overdue', 'due_at', 'event_at'])
    .where('id', 'in', list)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        countyCode: r.county_code,
        isOpen: r.is_open,
        isOverdue: r.is_overdue,
        dueAt: r.due_at,
        eventAt: r.event_at,
      },
    ]),
  );
}

export async function lockEpisodes(trx: Trx, ids: Iterable<string>): Promise<Map<string, EpisodeCounted>> {
  const list = sorted(ids);
  if (list.length === 0) return new Map();
  await ensureCounted(trx, 'wall_episode', 'id', list);
  const rows = await trx
    .selectFrom('wall_episode')
    .select(['id', 'warning_count', 'is_persuaded', 'version'])
    .where('id', 'in', list)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { warningCount: r.warning_count, isPersuaded: r.is_persuaded, version: r.version },
    ]),
  );
}

/** Writes the new counted states: one statement per table (the rows exist: they were locked above). */
export async function saveStates(
  trx: Trx,
  plan: {
    reports: Map<string, ReportCounted>;
    stops: Map<string, StopCounted>;
    tasks: Map<string, TaskCounted>;
    episodes: Map<string, EpisodeCounted>;
  },
): Promise<void> {
  if (plan.reports.size > 0)
    await trx
      .insertInto('wall_report')
      .values(
        [...plan.reports].map(([id, r]) => ({
          report_id: id,
          answered_at: r.answeredAt,
          is_received: r.isReceived,
          county_code: r.countyCode,
          fraud_type: r.fraudType,
          loss_fen: r.lossFen,
          to_stop_s: r.toStopS,
          stopped_fen: r.stoppedFen,
          frozen_fen: r.frozenFen,
          returned_fen: r.returnedFen,
        })),
      )
      .onConflict((oc) =>
        oc.column('report_id').doUpdateSet((eb) => ({
          answered_at: eb.ref('excluded.answered_at'),
          is_received: eb.ref('excluded.is_received'),
          county_code: eb.ref('excluded.county_code'),
          fraud_type: eb.ref('excluded.fraud_type'),
          loss_fen: eb.ref('excluded.loss_fen'),
          to_stop_s: eb.ref('excluded.to_stop_s'),
          stopped_fen: eb.ref('excluded.stopped_fen'),
          frozen_fen: eb.ref('excluded.frozen_fen'),
          returned_fen: eb.ref('excluded.returned_fen'),
        })),
      )
      .execute();
  if (plan.stops.size > 0)
    await trx
      .insertInto('wall_stop')
      .values(
        [...plan.stops].map(([id, s]) => ({
          id,
          report_id: s.reportId,
          bank_code: s.bankCode,
          layer: s.layer,
          is_stopped: s.isStopped,
          answered_at: s.answeredAt,
          response_s: s.responseS,
          stopped_fen: s.stoppedFen,
          frozen_fen: s.frozenFen,
          returned_fen: s.returnedFen,
          is_in_force: s.isInForce,
          expires_at: s.expiresAt,
          event_at: s.eventAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          report_id: eb.ref('excluded.report_id'),
          bank_code: eb.ref('excluded.bank_code'),
          layer: eb.ref('excluded.layer'),
          is_stopped: eb.ref('excluded.is_stopped'),
          answered_at: eb.ref('excluded.answered_at'),
          response_s: eb.ref('excluded.response_s'),
          stopped_fen: eb.ref('excluded.stopped_fen'),
          frozen_fen: eb.ref('excluded.frozen_fen'),
          returned_fen: eb.ref('excluded.returned_fen'),
          is_in_force: eb.ref('excluded.is_in_force'),
          expires_at: eb.ref('excluded.expires_at'),
          event_at: eb.ref('excluded.event_at'),
        })),
      )
      .execute();
  if (plan.tasks.size > 0)
    await trx
      .insertInto('wall_task')
      .values(
        [...plan.tasks].map(([id, t]) => ({
          id,
          county_code: t.countyCode,
          is_open: t.isOpen,
          is_overdue: t.isOverdue,
          due_at: t.dueAt,
          event_at: t.eventAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          county_code: eb.ref('excluded.county_code'),
          is_open: eb.ref('excluded.is_open'),
          is_overdue: eb.ref('excluded.is_overdue'),
          due_at: eb.ref('excluded.due_at'),
          event_at: eb.ref('excluded.event_at'),
        })),
      )
      .execute();
  await saveEpisodes(trx, plan.episodes);
}

async function saveEpisodes(trx: Trx, episodes: Map<string, EpisodeCounted>): Promise<void> {
  if (episodes.size === 0) return;
  await trx
    .insertInto('wall_episode')
    .values(
      [...episodes].map(([id, e]) => ({
        id,
        warning_count: e.warningCount,
        is_persuaded: e.isPersuaded,
        version: e.version,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        warning_count: eb.ref('excluded.warning_count'),
        is_persuaded: eb.ref('excluded.is_persuaded'),
        version: eb.ref('excluded.version'),
      })),
    )
    .execute();
}

/** Adds the deltas to the counters (already merged and sorted by `mergeTallies`). */
export async function addTallies(trx: Trx, tallies: Tally[]): Promise<void> {
  const hours = tallies.filter((t) => t.table === 'hour');
  const days = tallies.filter((t) => t.table === 'day');
  if (hours.length > 0)
    await trx
      .insertInto('wall_hour')
      .values(hours.map((t) => ({ hour: t.bucket, metric: t.metric, n: t.n, fen: t.fen })))
      .onConflict((oc) =>
        oc.columns(['hour', 'metric']).doUpdateSet({
          n: sql`wall_hour.n + excluded.n`,
          fen: sql`wall_hour.fen + excluded.fen`,
        }),
      )
      .execute();
  if (days.length > 0)
    await trx
      .insertInto('wall_day')
      .values(days.map((t) => ({ day: t.bucket, metric: t.metric, key: t.key, n: t.n, fen: t.fen })))
      .onConflict((oc) =>
        oc.columns(['day', 'metric', 'key']).doUpdateSet({
          n: sql`wall_day.n + excluded.n`,
          fen: sql`wall_day.fen + excluded.fen`,
        }),
      )
      .execute();
}

/** Appends ticker lines (with their text) and forgets the oldest; returns the lines with their ids. */
export async function appendTicker(
  trx: Trx,
  lines: Array<TickerLine & { text: string }>,
): Promise<Array<TickerLine & { text: string; id: string }>> {
  if (lines.length === 0) return [];
  const rows = await trx
    .insertInto('wall_ticker')
    .values(
      lines.map((l) => ({
        at: l.at,
        kind: l.kind,
        county_code: l.countyCode,
        fraud_type: l.fraudType,
        loss_fen: l.lossFen,
        stopped_fen: l.stoppedFen,
        frozen_fen: l.frozenFen,
        returned_fen: l.returnedFen,
        text: l.text,
      })),
    )
    .returning('id')
    .execute();
  const last = rows.at(-1)?.id;
  if (last !== undefined)
    await trx
      .deleteFrom('wall_ticker')
      .where('id', '<=', last - TICKER_KEPT)
      .execute();
  return lines.map((l, i) => ({ ...l, id: String(rows[i]?.id ?? '') }));
}
