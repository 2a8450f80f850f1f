import type { ClusterEventView } from '@fanzha/contracts';
import {
  crossesAlert,
  distinctValues,
  normaliseIndicator,
  planLink,
  type Clock,
  type EventEnvelope,
  type IndicatorKind,
  type LinkValue,
  type ReportLink,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { newEvent } from '../../platform/events';
import { enqueue, processBatchOnce } from '../../platform/outbox/outbox';
import { reportIndicatorFacts } from '../case/index';
import { raiseAlerts } from '../legal-timers/index';
import { caseLinkWrites as w, type ClusterRow, type NewEvent, type ValueRow } from './case-links.repository';
import { toClusterSummary } from './case-links.view';

export const CASE_LINKS_CONSUMER = 'case-links';
const SUBJECTS = ['report.changed', 'stop-payment.changed', 'indicator.changed'];
const MAX_BATCH = 200;

type Trx = Transaction<DB>;
type ChangeKind = ClusterEventView['kind'];

export interface LinkerDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** A value named by more reports than this links nothing (FANZHA_INDICATOR_SHARED_REPORTS). */
  sharedReports: number;
  /** A cluster growing past this many reports raises the centre's alert (FANZHA_CLUSTER_ALERT_REPORTS). */
  alertReports: number;
  /** Tells the outbox relay that events were committed. */
  wake: () => void;
}

/** What a report's contact kinds are as link values; `other` (free text) names none. */
const contactKinds: Record<string, IndicatorKind | undefined> = {
  phone: 'phone',
  url: 'domain',
  app: 'app',
  social: 'social',
  device: 'device',
};

/** Normalises what one source named; values that do not normalise are dropped (the indicators module counts them). */
export function normalisedValues(
  named: ReadonlyArray<{ kind: string; value: string; layer?: number | null }>,
): Array<LinkValue & { layer: number | null }> {
  const out: Array<LinkValue & { layer: number | null }> = [];
  for (const n of named) {
    const kind = n.kind === 'account' ? 'account' : contactKinds[n.kind];
    if (!kind || n.value.trim() === '') continue;
    const normal = normaliseIndicator(kind, n.value);
    if (normal.ok) out.push({ kind, value: normal.value, layer: kind === 'account' ? (n.layer ?? 1) : null });
  }
  return out;
}

/** A statement counter, for the benchmark: how many statements the linker sent. */
export const linkerStats = { statements: 0, reports: 0 };

/** What the linker committed in one batch: the clusters that changed, for `cluster.changed`. */
export interface Outcome {
  changed: Map<string, { row: ClusterRow; change: ChangeKind }>;
}

function linkerEvent(
  clusterId: string,
  kind: ChangeKind,
  at: Date,
  details: Record<string, unknown>,
): NewEvent {
  return {
    id: randomUUID(),
    cluster_id: clusterId,
    kind,
    at,
    actor_id: null,
    reason: null,
    details,
    idempotency_key: null,
  };
}

const evidence = (links: readonly ReportLink[]) =>
  links.map((l) => ({ a: l.a, b: l.b, kind: l.kind, value: l.value }));

/**
 * Links one report (its values already in the index) against the reports sharing them: one look-up, then
 * the plan's writes — the links with their evidence, the cluster made, grown or merged, its history, and the
 * alert when it passes the threshold.
 */
export async function linkReport(
  deps: LinkerDeps,
  trx: Trx,
  reportId: string,
  values: readonly LinkValue[],
  out: Outcome,
): Promise<void> {
  const now = deps.clock.now();
  const { candidates, alerted } = await w.candidates(trx, reportId, values, deps.sharedReports + 2);
  linkerStats.statements++;
  linkerStats.reports++;
  const own = candidates.find((c) => c.reportId === reportId && c.clusterId);
  const plan = planLink({
    reportId,
    values,
    ownCluster: own?.clusterId
      ? { id: own.clusterId, reportCount: own.clusterReports, handedOffAt: own.clusterHandedOffAt ?? null }
      : null,
    candidates,
    sharedLimit: deps.sharedReports,
  });
  const d = plan.decision;
  if (d.kind === 'none') {
    if (plan.links.length > 0) {
      await w.insertLinks(trx, plan.links, now);
      linkerStats.statements++;
    }
    return;
  }
  const events: NewEvent[] = [];
  let isNewlyAlerted: boolean;
  let rows: ClusterRow[];
  if (d.kind === 'create') {
    const id = randomUUID();
    isNewlyAlerted = crossesAlert(0, d.reportCount, deps.alertReports);
    events.push(linkerEvent(id, 'created', now, { reportIds: d.members, links: evidence(plan.links) }));
    if (isNewlyAlerted) events.push(alertEvent(id, d.reportCount, deps.alertReports, now));
    rows = await w.writePlan(trx, {
      cluster: {
        insert: {
          id,
          status: 'open',
          report_count: d.reportCount,
          merged_into: null,
          alerted_at: isNewlyAlerted ? now : null,
          hand_off_unit_kind: null,
          hand_off_unit_code: null,
          hand_off_due_at: null,
          handed_off_at: null,
          created_at: now,
          updated_at: now,
        },
      },
      links: plan.links,
      place: d.members,
      absorb: [],
      events,
      at: now,
    });
  } else {
    isNewlyAlerted = !alerted.has(d.survivor) && crossesAlert(0, d.reportCount, deps.alertReports);
    const change: ChangeKind = d.absorbed.length > 0 ? 'merged' : 'grew';
    events.push(
      linkerEvent(d.survivor, change, now, {
        reportIds: d.added,
        ...(d.absorbed.length > 0 ? { absorbed: d.absorbed } : {}),
        ...(d.keptApart.length > 0 ? { keptApart: d.keptApart } : {}),
        links: evidence(plan.links),
        reportCount: d.reportCount,
      }),
      ...d.absorbed.map((a) => linkerEvent(a, 'absorbed', now, { into: d.survivor, by: reportId })),
    );
    if (isNewlyAlerted) events.push(alertEvent(d.survivor, d.reportCount, deps.alertReports, now));
    rows = await w.writePlan(trx, {
      cluster: {
        update: { id: d.survivor, reportCount: d.reportCount, alertedAt: isNewlyAlerted ? now : null },
      },
      links: plan.links,
      place: d.added,
      absorb: d.absorbed,
      events,
      at: now,
    });
  }
  linkerStats.statements++;
  const [row, ...absorbed] = rows;
  if (!row) throw new Error(`cluster ${d.kind === 'join' ? d.survivor : ''} vanished while linking`);
  for (const a of absorbed) out.changed.set(a.id, { row: a, change: 'absorbed' });
  const change: ChangeKind =
    d.kind === 'create' ? 'created' : isNewlyAlerted ? 'alerted' : d.absorbed.length > 0 ? 'merged' : 'grew';
  out.changed.set(row.id, { row, change: isNewlyAlerted ? 'alerted' : change });
  if (isNewlyAlerted) {
    await raiseAlerts(
      trx,
      deps.clock,
      [
        {
          kind: 'cluster_grown',
          threshold: String(deps.alertReports),
          level: 'reminder',
          object_type: 'cluster',
          object_id: row.id,
          report_id: reportId,
          county_code: null,
          message: `串并案团伙已达 ${row.report_count} 起报案（超过 ${deps.alertReports} 起），请研判`,
          due_at: null,
        },
      ],
      now,
    );
    linkerStats.statements++;
  }
}

const alertEvent = (clusterId: string, reportCount: number, threshold: number, at: Date) =>
  linkerEvent(clusterId, 'alerted', at, { reportCount, threshold });

/** An indicator marked not fraud (误报): its active links are severed, in the history of the clusters they joined. */
async function severNotFraud(
  deps: LinkerDeps,
  trx: Trx,
  value: { kind: IndicatorKind; value: string },
  out: Outcome,
): Promise<void> {
  const now = deps.clock.now();
  const severed = await sql<{ report_a: string; report_b: string; cluster_id: string | null }>`
    with s as (
      update report_link set status = 'severed', severed_at = ${now}
      where kind = ${value.kind} and value = ${value.value} and status = 'active'
      returning report_a, report_b
    )
    select s.report_a, s.report_b, cr.cluster_id from s left join cluster_report cr on cr.report_id = s.report_a`.execute(
    trx,
  );
  const byCluster = new Map<string, Array<{ a: string; b: string }>>();
  for (const r of severed.rows)
    if (r.cluster_id)
      byCluster.set(r.cluster_id, [...(byCluster.get(r.cluster_id) ?? []), { a: r.report_a, b: r.report_b }]);
  const events = [...byCluster].map(([id, pairs]) =>
    linkerEvent(id, 'link_severed', now, {
      kind: value.kind,
      value: value.value,
      reason: 'not_fraud',
      pairs,
    }),
  );
  await w.insertEvents(trx, events);
  for (const row of await w.lockClusters(trx, [...byCluster.keys()]))
    out.changed.set(row.id, { row, change: 'link_severed' });
}

/** Whether an event can change the links: a submitted report, an answer's onward transfers, a `not_fraud` value. */
function changesLinks(event: EventEnvelope): boolean {
  if (event.subject === 'report.changed')
    return (event as EventEnvelope<'report.changed'>).data.status !== 'draft';
  if (event.subject === 'stop-payment.changed')
    return (
      ((event as EventEnvelope<'stop-payment.changed'>).data.request.result?.onwardTransfers.length ?? 0) > 0
    );
  if (event.subject === 'indicator.changed')
    return (event as EventEnvelope<'indicator.changed'>).data.status === 'not_fraud';
  return false;
}

/**
 * Applies a batch of events once each (`processBatchOnce`), in one transaction under the linker's lock: the
 * values the submitted reports and the banks' answers named go into the index (one statement for the batch),
 * then each report is linked in turn. A replayed event finds its values and links recorded and changes nothing.
 */
export async function applyLinkEvents(deps: LinkerDeps, events: EventEnvelope[]): Promise<number> {
  const out: Outcome = { changed: new Map() };
  // Most events link nothing (a draft's save, a stop without onward transfers, an indicator's change other
  // than to `not_fraud`): they cost nothing here, not even a processed-event row or the linker's lock.
  const relevant = events.filter(changesLinks);
  await processBatchOnce(deps.db, CASE_LINKS_CONSUMER, relevant, async (trx, fresh) => {
    const reportIds = new Set<string>();
    const named = new Map<string, Array<{ kind: string; value: string; layer: number | null }>>();
    const add = (reportId: string, v: { kind: string; value: string; layer: number | null }) =>
      named.set(reportId, [...(named.get(reportId) ?? []), v]);
    const notFraud: Array<{ kind: IndicatorKind; value: string }> = [];
    for (const event of fresh) {
      // Only submitted reports pass the filter above.
      if (event.subject === 'report.changed')
        reportIds.add((event as EventEnvelope<'report.changed'>).data.id);
      else if (event.subject === 'stop-payment.changed') {
        const r = (event as EventEnvelope<'stop-payment.changed'>).data.request;
        // A bank's answer names the accounts the money went on to: the next layer's (mule) accounts.
        for (const t of r.result?.onwardTransfers ?? [])
          add(r.reportId, { kind: 'account', value: t.account.number, layer: r.layer + 1 });
      } else if (event.subject === 'indicator.changed') {
        const s = (event as EventEnvelope<'indicator.changed'>).data;
        if (s.status === 'not_fraud') notFraud.push({ kind: s.kind, value: s.value });
      }
    }
    for (const r of await reportIndicatorFacts(trx, [...reportIds].sort())) {
      for (const c of r.contacts) add(r.id, { ...c, layer: null });
      for (const a of r.accounts) add(r.id, { kind: 'account', value: a, layer: 1 });
    }
    if (named.size === 0 && notFraud.length === 0) return;
    await w.lockLinker(trx);
    const perReport = [...named]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([reportId, list]) => ({ reportId, values: normalisedValues(list) }));
    const rows: ValueRow[] = perReport.flatMap((r) =>
      r.values.map((v) => ({ kind: v.kind, value: v.value, report_id: r.reportId, layer: v.layer })),
    );
    if (rows.length > 0) {
      await w.insertValues(trx, rows, deps.clock.now());
      linkerStats.statements++;
    }
    for (const r of perReport)
      if (r.values.length > 0) await linkReport(deps, trx, r.reportId, distinctValues(r.values), out);
    for (const v of notFraud) await severNotFraud(deps, trx, v, out);
    if (out.changed.size > 0) {
      await enqueue(
        trx,
        ...[...out.changed.values()].map(({ row, change }) =>
          newEvent('cluster.changed', { cluster: toClusterSummary(row), change }, deps.clock),
        ),
      );
      linkerStats.statements++;
    }
  });
  if (out.changed.size > 0) deps.wake();
  return out.changed.size;
}

/**
 * The linker (roles all and worker): one durable consumer group taking batches of reports', banks' answers'
 * and indicators' events.
 */
export function startCaseLinker(deps: LinkerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: CASE_LINKS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyLinkEvents(deps, events).then(() => undefined),
  );
}
