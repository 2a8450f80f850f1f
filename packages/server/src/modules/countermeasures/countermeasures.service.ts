import type {
  CountermeasureAnswer,
  CountermeasureBatchAnswer,
  CountermeasureBatchResult,
  CountermeasureBatchView,
  CountermeasureHistory,
  CountermeasureHistoryEntry,
  CountermeasureInstruction,
  CountermeasureList,
  CountermeasureQuery,
  CountermeasureRequest,
  CountermeasureView,
} from '@fanzha/contracts';
import {
  countermeasureDueAt,
  countermeasureEventActor,
  countermeasureEvents,
  eventOfAnswer,
  isAwaitingParty,
  nextCountermeasureStatus,
  partyKindOf,
  type Clock,
  type CountermeasureSla,
  type CountermeasureEvent,
  type CountermeasureStatus,
  type IndicatorSnapshot,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { CountermeasureTable, DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { canonicalHash, canonicalJson } from '../../platform/crypto/canonical-json';
import type { Signer } from '../../platform/crypto/signer';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { checkRequest } from './countermeasures.request';
import {
  countermeasureRepository as repo,
  OPEN_STATUSES,
  type CountermeasureRow,
  type NewCountermeasure,
} from './countermeasures.repository';
import { toCountermeasureView } from './countermeasures.view';
import { emitChanged } from './countermeasures.events';
import { createCountermeasureFigures } from './countermeasures.figures';
import { signLift } from './countermeasures.instruction';
import { createCountermeasureSweep } from './countermeasures.sla';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };

const notFound = () => new AppError('not_found', 'No such countermeasure for your organisation');

/** The party a liaison (or a party's system, by its key) acts for; null for the centre's staff. */
function partyOf(actor: Actor): { kind: 'operator' | 'bank'; code: string } | null | 'none' {
  if (actor.role === 'telecom_liaison')
    return actor.operatorCode ? { kind: 'operator', code: actor.operatorCode } : 'none';
  if (actor.role === 'bank_liaison') return actor.bankCode ? { kind: 'bank', code: actor.bankCode } : 'none';
  return actor.role === 'analyst' || actor.role === 'supervisor' ? null : 'none';
}

const isOwn = (actor: Actor, r: CountermeasureRow) => {
  const p = partyOf(actor);
  return p === null || (p !== 'none' && p.kind === r.party_kind && p.code === r.party_code);
};

/** What moves with each status: its time, and the SLA clock (running while the party is awaited). */
function changesFor(
  r: CountermeasureRow,
  to: CountermeasureStatus,
  at: Date,
  sla: CountermeasureSla,
): Updateable<CountermeasureTable> {
  const set: Updateable<CountermeasureTable> = { status: to, updated_at: at };
  if (to === 'acknowledged') set.acknowledged_at = at;
  if (to === 'executed') set.executed_at = at;
  if (to === 'refused') set.refused_at = at;
  if (to === 'lifted') set.lifted_at = at;
  if (to === 'lift_requested') {
    set.lift_requested_at = at;
    set.due_at = countermeasureDueAt(r.kind, at, sla);
    set.overdue_at = null;
  } else if (!isAwaitingParty(to)) set.due_at = null;
  return set;
}

/**
 * Countermeasures (技术反制): the centre's analysts and supervisors request them (signed, idempotent, in
 * batches), the party's liaison or system answers, each change is audited, goes out as
 * `countermeasure.changed` (and as a supervision task), and the SLA sweep alerts on those left waiting.
 */
export function createCountermeasuresService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  signer: Signer;
  sla: CountermeasureSla;
  /** The registry's indicators by id (the indicators module's reader). */
  indicators: { getMany(ids: number[]): Promise<IndicatorSnapshot[]> };
  wake: () => void;
}) {
  const { db, clock, signer, sla } = deps;

  const emit = (trx: Trx, rows: CountermeasureRow[], change: string) => emitChanged(trx, clock, rows, change);

  async function request(
    ctx: Ctx,
    body: CountermeasureRequest,
    key: string,
  ): Promise<CountermeasureBatchView> {
    const hash = canonicalHash(body);
    const replay = async (): Promise<CountermeasureBatchView | undefined> => {
      const b = await repo.batchByKey(db, key);
      if (!b) return undefined;
      if (b.body_hash !== hash)
        throw new AppError('conflict', 'This Idempotency-Key was used with another request', [
          {
            field: 'header.idempotency-key',
            reason: 'idempotency.reused',
            message: 'used with another body',
          },
        ]);
      return { batchId: b.id, items: (await repo.ofBatch(db, b.id)).map(toCountermeasureView) };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    const ids = body.items.flatMap((i) => (i.indicatorId === undefined ? [] : [i.indicatorId]));
    const found = new Map((await deps.indicators.getMany(ids)).map((s) => [s.id, s] as const));
    const checked = checkRequest(body, found);
    if (!checked.ok) throw validationError(checked.problems);
    const at = ctx.at;
    const batchId = randomUUID();
    const rows: NewCountermeasure[] = checked.items.map((it) => {
      const id = randomUUID();
      const dueAt = countermeasureDueAt(it.kind, at, sla);
      const instruction: CountermeasureInstruction = {
        id,
        kind: it.kind,
        partyKind: partyKindOf[it.kind],
        partyCode: it.partyCode,
        value: it.value,
        reason: it.reason,
        requestedAt: at.toISOString(),
        dueAt: dueAt.toISOString(),
      };
      return {
        id,
        batch_id: batchId,
        kind: it.kind,
        party_kind: partyKindOf[it.kind],
        party_code: it.partyCode,
        indicator_id: it.indicatorId,
        value: it.value,
        reason: it.reason,
        status: 'requested',
        refusal_reason: null,
        note: null,
        lift_reason: null,
        instruction: JSON.stringify(instruction),
        signature: signer.sign(instruction),
        key_id: signer.keyId,
        algorithm: signer.algorithm,
        requested_by: ctx.actor.userId,
        requested_at: at,
        due_at: dueAt,
        overdue_at: null,
        updated_at: at,
      };
    });
    const isNew = await db.transaction().execute(async (trx) => {
      const taken = await repo.insertBatch(trx, {
        id: batchId,
        idempotency_key: key,
        body_hash: hash,
        requested_by: ctx.actor.userId,
        created_at: at,
      });
      if (!taken) return false;
      await repo.insert(trx, rows);
      await repo.insertEvents(
        trx,
        rows.map((r) => ({
          id: randomUUID(),
          countermeasure_id: r.id,
          event: 'request',
          from_status: 'requested',
          to_status: 'requested',
          at,
          by_username: ctx.actor.username,
          idempotency_key: key,
          details: JSON.stringify({ batchId }),
        })),
      );
      await appendAudit(
        trx,
        ...rows.map((r) =>
          auditEntry(ctx, {
            action: 'countermeasure.request',
            objectType: 'countermeasure',
            objectId: r.id,
            result: 'success',
            details: { batchId, kind: r.kind, partyCode: r.party_code, indicatorId: r.indicator_id ?? null },
          }),
        ),
      );
      await emit(trx, await repo.ofBatch(trx, batchId), 'requested');
      return true;
    });
    if (isNew) deps.wake();
    const out = await replay();
    if (!out) throw new Error('countermeasure batch vanished');
    return out;
  }

  async function list(actor: Actor, q: CountermeasureQuery): Promise<CountermeasureList> {
    const party = partyOf(actor);
    if (party === 'none') return { items: [], nextCursor: null };
    // A party sees its own only: a filter naming another is refused, never silently read as its own.
    if (party && q.partyCode !== undefined && q.partyCode !== party.code)
      throw new AppError('forbidden', 'Only your own organisation’s countermeasures', [
        {
          field: 'query.partyCode',
          reason: 'not_own_party',
          message: `you answer for ${party.code}: leave partyCode out, or name your own`,
        },
      ]);
    const rows = await repo.list(db, {
      party,
      ...(q.partyCode ? { partyCode: q.partyCode } : {}),
      statuses: q.status === 'open' ? OPEN_STATUSES : [q.status],
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.after ? { after: q.after } : {}),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toCountermeasureView),
      nextCursor: rows.length > q.limit && last ? String(last.seq) : null,
    };
  }

  async function get(actor: Actor, id: string): Promise<CountermeasureView> {
    const r = await repo.get(db, id);
    if (!r || !isOwn(actor, r)) throw notFound();
    return toCountermeasureView(r);
  }

  /**
   * One countermeasure's history, oldest first, to whoever may read it (another party's is 404). Steps recorded
   * at one instant come in the lifecycle's order (it only moves forward). A party sees its own side's names and
   * not the centre's staff.
   */
  async function history(actor: Actor, id: string): Promise<CountermeasureHistory> {
    const r = await repo.get(db, id);
    if (!r || !isOwn(actor, r)) throw notFound();
    const isCentre = partyOf(actor) === null;
    const rows = await repo.eventsOf(db, id);
    const step = (e: string) => (['request', ...countermeasureEvents] as string[]).indexOf(e);
    rows.sort((a, b) => a.at.getTime() - b.at.getTime() || step(a.event) - step(b.event));
    return {
      items: rows.map((e) => {
        const event = e.event as CountermeasureHistoryEntry['event'];
        const d = (typeof e.details === 'string' ? JSON.parse(e.details) : (e.details ?? {})) as {
          refusalReason?: CountermeasureHistoryEntry['refusalReason'];
          note?: string;
          liftReason?: string;
        };
        const isPartys = event !== 'request' && countermeasureEventActor[event] === 'party';
        return {
          event,
          from: e.from_status as CountermeasureStatus,
          to: e.to_status as CountermeasureStatus,
          at: e.at.toISOString(),
          by: isCentre || isPartys ? e.by_username : null,
          refusalReason: d.refusalReason ?? null,
          note: d.note ?? null,
          liftReason: d.liftReason ?? null,
        };
      }),
    };
  }

  /** Every countermeasure on one value (its normal form): an appeal's subject, seen by the centre. */
  const onValue = async (value: string): Promise<CountermeasureView[]> =>
    (await repo.onValue(db, value)).map(toCountermeasureView);

  /** Moves one countermeasure by an event, once per idempotency key; in its own transaction. */
  async function move(
    ctx: Ctx,
    id: string,
    event: CountermeasureEvent,
    key: string,
    extra: { refusalReason?: string; note?: string; liftReason?: string },
    mayAct: (r: CountermeasureRow) => boolean,
  ): Promise<CountermeasureView> {
    const changed = await db.transaction().execute(async (trx) => {
      const r = await repo.lock(trx, id);
      if (!r || !mayAct(r)) throw notFound();
      const earlier = await repo.eventByKey(trx, id, key);
      if (earlier) {
        if (earlier.event === event && canonicalJson(earlier.details) === canonicalJson(extra)) return false;
        throw new AppError('conflict', 'This Idempotency-Key was used with another answer', [
          {
            field: 'header.idempotency-key',
            reason: 'idempotency.reused',
            message: 'used with another answer',
          },
        ]);
      }
      const to = nextCountermeasureStatus(r.status, event);
      if (to === undefined)
        throw new AppError('conflict', `A countermeasure that is ${r.status} cannot take ${event}`, [
          {
            // A party's answer names its field; the centre's lift has none but the countermeasure.
            field: event === 'request_lift' ? 'params.id' : 'body.answer',
            reason: 'countermeasure.transition',
            message: `status is ${r.status}`,
          },
        ]);
      const set = changesFor(r, to, ctx.at, sla);
      // The lift goes out signed, as the request did; made once, with the transition (a retry never re-signs).
      const lift =
        to === 'lift_requested'
          ? signLift(signer, r, extra.liftReason ?? '', ctx.at, countermeasureDueAt(r.kind, ctx.at, sla))
          : undefined;
      if (lift) Object.assign(set, lift.columns);
      if (extra.refusalReason)
        set.refusal_reason = extra.refusalReason as CountermeasureRow['refusal_reason'];
      if (extra.note) set.note = extra.note;
      if (extra.liftReason) set.lift_reason = extra.liftReason;
      await repo.update(trx, id, set);
      await repo.insertEvents(trx, [
        {
          id: randomUUID(),
          countermeasure_id: id,
          event,
          from_status: r.status,
          to_status: to,
          at: ctx.at,
          by_username: ctx.actor.username,
          idempotency_key: key,
          details: JSON.stringify(extra),
        },
      ]);
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: event === 'request_lift' ? 'countermeasure.lift' : 'countermeasure.answer',
          objectType: 'countermeasure',
          objectId: id,
          result: 'success',
          details: {
            event,
            from: r.status,
            to,
            partyCode: r.party_code,
            ...extra,
            ...(lift ? { liftInstructionId: lift.instructionId } : {}),
          },
        }),
      );
      const after = await repo.get(trx, id);
      if (after) await emit(trx, [after], to);
      return true;
    });
    if (changed) deps.wake();
    return get(ctx.actor, id);
  }

  async function answer(ctx: Ctx, id: string, body: CountermeasureAnswer, key: string) {
    if (body.answer === 'refused' && !body.refusalReason)
      throw validationError([
        { field: 'body.refusalReason', reason: 'required', message: 'A refusal needs its reason' },
      ]);
    if (body.answer !== 'refused' && body.refusalReason)
      throw validationError([
        { field: 'body.refusalReason', reason: 'unexpected', message: 'Only a refusal has a reason' },
      ]);
    const party = partyOf(ctx.actor);
    return move(
      ctx,
      id,
      eventOfAnswer[body.answer],
      key,
      {
        ...(body.refusalReason ? { refusalReason: body.refusalReason } : {}),
        ...(body.note ? { note: body.note } : {}),
      },
      (r) => party !== null && party !== 'none' && isOwn(ctx.actor, r),
    );
  }

  /** Each item in its own transaction: a bad item is refused beside the good ones. */
  async function answerBatch(
    ctx: Ctx,
    body: CountermeasureBatchAnswer,
    key: string,
  ): Promise<CountermeasureBatchResult> {
    const results: CountermeasureBatchResult['results'] = [];
    for (const { id, ...a } of body.answers) {
      try {
        results.push({ id, ok: true, item: await answer(ctx, id, a, `${key}:${id}`), error: null });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ id, ok: false, item: null, error: { code: err.code, message: err.message } });
      }
    }
    return { results };
  }

  const requestLift = (ctx: Ctx, id: string, reason: string, key: string) =>
    move(ctx, id, 'request_lift', key, { liftReason: reason }, () => partyOf(ctx.actor) === null);

  return {
    request,
    list,
    get,
    history,
    onValue,
    answer,
    answerBatch,
    requestLift,
    sweepOnce: createCountermeasureSweep({ db, clock, wake: deps.wake }),
    ...createCountermeasureFigures({ db }),
  };
}
export type CountermeasuresService = ReturnType<typeof createCountermeasuresService>;
