import type {
  ClusterDecisionResult,
  ClusterEventView,
  HandOffClusterRequest,
  MergeClustersRequest,
  SplitClusterRequest,
  TaskReport,
} from '@fanzha/contracts';
import {
  crossesAlert,
  nextClusterStatus,
  planMerge,
  planSplit,
  validateCountyCode,
  type Clock,
  type ClusterDecision,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { canonicalHash } from '../../platform/crypto/canonical-json';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  caseLinkQueries as q,
  caseLinkWrites as w,
  type ClusterRow,
  type NewEvent,
} from './case-links.repository';
import { createClusterReads, profileOf } from './case-links.reads';
import { REQUEST_HASH, toClusterSummary } from './case-links.view';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;
/** The decision asked for: its kind, the clusters it names (the path's, or the merge's) and its body as sent. */
type Asked = { kind: ClusterEventView['kind']; clusterIds: readonly string[]; body: unknown };
/** The user's Idempotency-Key and the hash of the request it was spent on (null: sent without a key). */
type Scoped = { key: string; requestHash: string } | null;

/** What an Idempotency-Key answers for: the decision, the clusters it names and the body as sent. */
const requestHashOf = (asked: Asked) =>
  canonicalHash({ kind: asked.kind, clusterIds: asked.clusterIds, body: asked.body });

const notFound = () => new AppError('not_found', 'No such cluster');
/** Each decision's word in a refusal: "it cannot be handed off". */
const decided: Record<ClusterDecision, string> = {
  confirm: 'confirmed',
  split: 'split',
  merge: 'merged',
  hand_off: 'handed off',
};

export function createCaseLinksService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  alertReports: number;
  wake: () => void;
}) {
  const { db, clock } = deps;
  const reads = createClusterReads({ db });

  function decisionEvent(
    ctx: Ctx,
    clusterId: string,
    kind: ClusterEventView['kind'],
    reason: string | null,
    details: Record<string, unknown>,
    scoped: Scoped,
  ): NewEvent {
    return {
      id: randomUUID(),
      cluster_id: clusterId,
      kind,
      at: ctx.at,
      actor_id: ctx.actor.userId,
      reason,
      details: scoped ? { ...details, [REQUEST_HASH]: scoped.requestHash } : details,
      idempotency_key: scoped?.key ?? null,
    };
  }

  /** Scopes an Idempotency-Key to its user: one analyst's key never answers another's request. */
  const scopedKey = (ctx: Ctx, key: string | undefined) => (key ? `${ctx.actor.userId}:${key}` : null);

  /**
   * A retried decision: the cluster as it stands, and nothing changes. A key the user already spent on another
   * decision, another cluster or another body is refused: answering that decision would tell the client this
   * one was made when it was not (a hand-off to another unit, a split of other reports).
   */
  async function replay(
    trx: Trx,
    key: string | null,
    asked: Asked,
  ): Promise<ClusterDecisionResult | undefined> {
    if (!key) return undefined;
    const earlier = await w.eventByKey(trx, key);
    if (!earlier) return undefined;
    const details = (typeof earlier.details === 'string' ? JSON.parse(earlier.details) : earlier.details) as {
      splitOff?: string | null;
      [REQUEST_HASH]?: string;
    };
    // Decisions recorded before the request's hash was kept are checked by their kind and cluster only.
    const earlierHash = details[REQUEST_HASH];
    if (
      earlier.kind !== asked.kind ||
      !asked.clusterIds.includes(earlier.cluster_id) ||
      (earlierHash !== undefined && earlierHash !== requestHashOf(asked))
    )
      throw new AppError(
        'conflict',
        'This Idempotency-Key was used for another decision, cluster or body: send this one with a new key',
        [
          {
            field: 'header.idempotency-key',
            reason: 'idempotency.reused',
            message: 'used for another decision, cluster or body',
          },
        ],
      );
    const row = await q.get(trx, earlier.cluster_id);
    if (!row) throw notFound();
    return { cluster: toClusterSummary(row), splitOff: details.splitOff ?? null };
  }

  async function publish(trx: Trx, rows: Array<{ row: ClusterRow; change: ClusterEventView['kind'] }>) {
    await enqueue(
      trx,
      ...rows.map(({ row, change }) =>
        newEvent('cluster.changed', { cluster: toClusterSummary(row), change }, clock),
      ),
    );
  }

  async function audit(
    ctx: Ctx,
    trx: Trx,
    decision: ClusterDecision,
    id: string,
    details: Record<string, unknown>,
  ) {
    await appendAudit(
      trx,
      auditEntry(ctx, {
        action: `cluster.${decision}`,
        objectType: 'cluster',
        objectId: id,
        result: 'success',
        details,
      }),
    );
  }

  async function lockOne(trx: Trx, id: string, decision: ClusterDecision): Promise<ClusterRow> {
    const [row] = await w.lockClusters(trx, [id]);
    if (!row) throw notFound();
    if (!nextClusterStatus(row.status, decision))
      throw new AppError('conflict', `The cluster is ${row.status}: it cannot be ${decided[decision]}`);
    return row;
  }

  async function decide(
    ctx: Ctx,
    key: string | undefined,
    asked: Asked,
    run: (trx: Trx, scoped: Scoped) => Promise<ClusterDecisionResult>,
  ): Promise<ClusterDecisionResult> {
    const result = await db.transaction().execute(async (trx) => {
      const scoped = scopedKey(ctx, key);
      // Decisions and the linker take the same lock: a split never interleaves with a report joining.
      await w.lockLinker(trx);
      return (
        (await replay(trx, scoped, asked)) ??
        run(trx, scoped ? { key: scoped, requestHash: requestHashOf(asked) } : null)
      );
    });
    deps.wake();
    return result;
  }

  return {
    ...reads,
    confirm: (ctx: Ctx, id: string, body: { reason?: string | undefined }, key?: string) =>
      decide(ctx, key, { kind: 'confirmed', clusterIds: [id], body }, async (trx, scoped) => {
        const row = await lockOne(trx, id, 'confirm');
        const after = await w.updateCluster(trx, id, { status: 'confirmed', updated_at: ctx.at });
        await w.insertEvents(trx, [decisionEvent(ctx, id, 'confirmed', body.reason ?? null, {}, scoped)]);
        await audit(ctx, trx, 'confirm', id, { from: row.status, reason: body.reason ?? null });
        await publish(trx, [{ row: after, change: 'confirmed' }]);
        return { cluster: toClusterSummary(after), splitOff: null };
      }),

    split: (ctx: Ctx, id: string, body: SplitClusterRequest, key?: string) =>
      decide(ctx, key, { kind: 'split', clusterIds: [id], body }, async (trx, scoped) => {
        await lockOne(trx, id, 'split');
        const members = await q.memberIds(trx, id);
        const links = (await q.links(trx, members))
          .filter((l) => l.status === 'active')
          .map((l) => ({ a: l.report_a, b: l.report_b, kind: l.kind, value: l.value }));
        const plan = planSplit(members, links, body.reportIds);
        if (!plan.ok)
          throw validationError([{ field: 'body.reportIds', reason: plan.reason, message: plan.message }]);
        const { stay, moved, severed } = plan.value;
        await w.severLinks(trx, severed, ctx.at);
        let splitOff: ClusterRow | null = null;
        if (moved.length > 1) {
          splitOff = {
            id: randomUUID(),
            status: 'open',
            report_count: moved.length,
            merged_into: null,
            alerted_at: null,
            hand_off_unit_kind: null,
            hand_off_unit_code: null,
            hand_off_due_at: null,
            handed_off_at: null,
            created_at: ctx.at,
            updated_at: ctx.at,
          };
          await w.insertCluster(trx, splitOff);
          await w.placeReports(trx, splitOff.id, moved, ctx.at);
        } else await w.unplaceReports(trx, moved);
        const after = await w.updateCluster(trx, id, { report_count: stay.length, updated_at: ctx.at });
        const severedEvidence = severed.map((l) => ({ a: l.a, b: l.b, kind: l.kind, value: l.value }));
        await w.insertEvents(trx, [
          decisionEvent(
            ctx,
            id,
            'split',
            body.reason,
            { reportIds: moved, severed: severedEvidence, splitOff: splitOff?.id ?? null },
            scoped,
          ),
          ...(splitOff
            ? [
                decisionEvent(
                  ctx,
                  splitOff.id,
                  'split_off',
                  body.reason,
                  { from: id, reportIds: moved },
                  null,
                ),
              ]
            : []),
        ]);
        await audit(ctx, trx, 'split', id, {
          reportIds: moved,
          severedLinks: severed.length,
          splitOff: splitOff?.id ?? null,
          reason: body.reason,
        });
        await publish(trx, [
          { row: after, change: 'split' },
          ...(splitOff ? [{ row: splitOff, change: 'split_off' as const }] : []),
        ]);
        return { cluster: toClusterSummary(after), splitOff: splitOff?.id ?? null };
      }),

    merge: (ctx: Ctx, body: MergeClustersRequest, key?: string) =>
      decide(ctx, key, { kind: 'merged', clusterIds: body.clusterIds, body }, async (trx, scoped) => {
        const rows = await w.lockClusters(trx, [...new Set(body.clusterIds)]);
        if (rows.length !== new Set(body.clusterIds).size) throw notFound();
        const plan = planMerge(
          body.clusterIds.map((cid) => {
            const r = rows.find((x) => x.id === cid)!;
            return { id: r.id, reportCount: r.report_count, status: r.status };
          }),
        );
        if (!plan.ok) {
          if (plan.reason === 'merge.status') throw new AppError('conflict', plan.message);
          throw validationError([{ field: 'body.clusterIds', reason: plan.reason, message: plan.message }]);
        }
        const { survivor, absorbed } = plan.value;
        const survivorRow = rows.find((r) => r.id === survivor)!;
        const total = rows.reduce((s, r) => s + r.report_count, 0);
        const absorbedRows = await w.absorb(trx, survivor, absorbed, ctx.at);
        const isNewlyAlerted = survivorRow.alerted_at === null && crossesAlert(0, total, deps.alertReports);
        const after = await w.updateCluster(trx, survivor, {
          report_count: total,
          updated_at: ctx.at,
          ...(isNewlyAlerted ? { alerted_at: ctx.at } : {}),
        });
        await w.insertEvents(trx, [
          decisionEvent(ctx, survivor, 'merged', body.reason, { absorbed, reportCount: total }, scoped),
          ...absorbed.map((a) => decisionEvent(ctx, a, 'absorbed', body.reason, { into: survivor }, null)),
          ...(isNewlyAlerted
            ? [
                decisionEvent(
                  ctx,
                  survivor,
                  'alerted',
                  null,
                  { reportCount: total, threshold: deps.alertReports },
                  null,
                ),
              ]
            : []),
        ]);
        await audit(ctx, trx, 'merge', survivor, { absorbed, reportCount: total, reason: body.reason });
        await publish(trx, [
          { row: after, change: 'merged' },
          ...absorbedRows.map((r) => ({ row: r, change: 'absorbed' as const })),
        ]);
        return { cluster: toClusterSummary(after), splitOff: null };
      }),

    handOff: (ctx: Ctx, id: string, body: HandOffClusterRequest, key?: string) =>
      decide(ctx, key, { kind: 'handed_off', clusterIds: [id], body }, async (trx, scoped) => {
        if (body.unitKind === 'county') {
          const county = validateCountyCode(body.unitCode);
          if (!county.ok)
            throw validationError([
              { field: 'body.unitCode', reason: county.reason, message: county.message },
            ]);
        } else if (body.unitCode !== 'centre')
          throw validationError([
            {
              field: 'body.unitCode',
              reason: 'clusters.unit',
              message: 'The centre’s own unit is written `centre`',
            },
          ]);
        const dueAt = new Date(body.dueAt);
        if (dueAt <= ctx.at)
          throw validationError([
            { field: 'body.dueAt', reason: 'in_past', message: 'must be later than now' },
          ]);
        await lockOne(trx, id, 'hand_off');
        const after = await w.updateCluster(trx, id, {
          status: 'handed_off',
          hand_off_unit_kind: body.unitKind,
          hand_off_unit_code: body.unitCode,
          hand_off_due_at: dueAt,
          handed_off_at: ctx.at,
          updated_at: ctx.at,
        });
        const { profile } = await profileOf(trx, id);
        await w.insertEvents(trx, [
          decisionEvent(
            ctx,
            id,
            'handed_off',
            body.reason,
            { unitKind: body.unitKind, unitCode: body.unitCode, dueAt: dueAt.toISOString() },
            scoped,
          ),
        ]);
        await audit(ctx, trx, 'hand_off', id, {
          unitKind: body.unitKind,
          unitCode: body.unitCode,
          dueAt: dueAt.toISOString(),
          reason: body.reason,
        });
        const task: TaskReport = {
          kind: 'investigation',
          sourceId: id,
          title:
            `串并案移交：${profile.reportCount} 起报案，损失 ${(profile.lossFen / 100).toFixed(2)} 元`.slice(
              0,
              200,
            ),
          reportId: null,
          owner: { unitKind: body.unitKind, unitCode: body.unitCode, userId: null },
          openedAt: ctx.at.toISOString(),
          dueAt: dueAt.toISOString(),
          status: 'open',
          doneAt: null,
          feedback: null,
        };
        await enqueue(trx, newEvent('task.reported', { task }, clock));
        await publish(trx, [{ row: after, change: 'handed_off' }]);
        return { cluster: toClusterSummary(after), splitOff: null };
      }),
  };
}
export type CaseLinksService = ReturnType<typeof createCaseLinksService>;
