import type {
  CarrierAnswerRequest,
  CarrierRequestList,
  CarrierRequestQuery,
  CarrierRequestSummary,
  CarrierRequestView,
} from '@fanzha/contracts';
import {
  applyLadderCommand,
  carrierAnswerEvents,
  carrierFor,
  countyLabel,
  tickLadder,
  type Clock,
  type RandomBytes,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, EpisodeContactTable } from '../../db/schema';
import { personIdOf, type Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { carrierRepository as carriers, type CarrierRequestRow } from './warnings.carrier.repository';
import { changeOf, contactsFor, emitEpisodes, rowAfter, withdrawUnsent } from './warnings.effects';
import { ladderFromJson, maskPhone } from './warnings.ladder';
import { warningsRepository as repo, type EpisodeRow } from './warnings.repository';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };
type EpisodeFacts = Pick<EpisodeRow, 'id' | 'person_phone' | 'county_code' | 'grade'>;

/** What the centre asks of the operator, every time: cut the fraudster's call, undo any forwarding. */
const asks: CarrierRequestView['asks'] = ['interrupt_line', 'clear_call_forwarding'];

export function carrierView(r: CarrierRequestRow, e: EpisodeFacts | undefined): CarrierRequestView {
  const county = e?.county_code ?? null;
  return {
    id: r.id,
    episodeId: r.episode_id,
    operatorCode: r.operator_code,
    phone: e?.person_phone ?? null,
    countyCode: county,
    countyName: county ? (countyLabel(county) ?? null) : null,
    grade: e?.grade ?? 'low',
    asks,
    status: r.status,
    answer: r.answer,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
    answeredBy: r.answered_by,
  };
}

/** What the bus and the stream carry: the phone masked. */
function summaryOfRequest(r: CarrierRequestRow, e: EpisodeFacts | undefined): CarrierRequestSummary {
  const { phone, ...rest } = carrierView(r, e);
  return { ...rest, phoneMasked: maskPhone(phone) };
}

/**
 * The contacts the ladder made, with a carrier assist request for each `carrier_assist` among them, to the
 * person's operator (`carrierFor`: the operator whose signal warned, else the number's segment). A person
 * with no operator to name gets no request: the contact stays `assigned` with why, and the step runs its
 * SLA. In the caller's transaction, with `carrier-request.changed` in the outbox.
 */
export async function insertContacts(
  trx: Trx,
  clock: Clock,
  contacts: Array<Insertable<EpisodeContactTable>>,
  episodes: readonly EpisodeFacts[],
): Promise<void> {
  const assists = contacts.filter((c) => c.channel === 'carrier_assist');
  if (assists.length === 0) {
    await repo.insertContacts(trx, contacts);
    return;
  }
  const byId = new Map(episodes.map((e) => [e.id, e]));
  const sources = await carriers.operatorSources(trx, [...new Set(assists.map((c) => c.episode_id))]);
  const requests: CarrierRequestRow[] = [];
  for (const c of assists) {
    const e = byId.get(c.episode_id);
    const of = sources.filter((s) => s.episode_id === c.episode_id).map((s) => s.source);
    const operator = carrierFor(e?.person_phone ?? null, of);
    if (operator === null) {
      c.failure = 'no_operator';
      continue;
    }
    requests.push({
      id: randomUUID(),
      episode_id: c.episode_id,
      contact_id: c.id,
      operator_code: operator,
      status: 'open',
      answer: null,
      reason: null,
      answered_by: null,
      answered_at: null,
      created_at: c.created_at as Date,
    });
  }
  await repo.insertContacts(trx, contacts);
  await carriers.insert(trx, requests);
  await enqueue(
    trx,
    ...requests.map((r) =>
      newEvent('carrier-request.changed', { request: summaryOfRequest(r, byId.get(r.episode_id)) }, clock),
    ),
  );
}

const notFound = () => new AppError('not_found', 'No such carrier assist request for your operator');

/**
 * The operator's side of carrier assist: its liaison (`telecom_liaison`, bound to one operator) lists the
 * requests to it and answers each — `interrupted`, `forwarding_cleared`, `refused` (with a reason) or
 * `not_our_subscriber`. An answer is given once: the same answer again changes nothing, another is 409. It
 * is audited, shown on the episode's contact, and moves the ladder as its table says (at the carrier
 * step only; later it is kept and changes nothing there).
 */
export function createCarrierDesk(deps: {
  db: Kysely<DB>;
  clock: Clock;
  random: RandomBytes;
  wake: () => void;
}) {
  const { db, clock } = deps;
  const operatorOf = (actor: Actor) => (actor.role === 'supervisor' ? null : actor.operatorCode);

  async function list(ctx: Ctx, q: CarrierRequestQuery): Promise<CarrierRequestList> {
    const operator = operatorOf(ctx.actor);
    if (operator === null && ctx.actor.role !== 'supervisor') return { requests: [], nextCursor: null };
    const found = await carriers.list(db, {
      operatorCode: operator,
      status: q.status,
      ...(q.after ? { after: q.after } : {}),
      limit: q.limit,
    });
    const rows = found.slice(0, q.limit);
    const last = rows.at(-1);
    const nextCursor = found.length > q.limit && last ? String(last.seq) : null;
    const episodes = new Map(
      (await repo.byIds(db, [...new Set(rows.map((r) => r.episode_id))])).map((e) => [e.id, e]),
    );
    // The subscribers' numbers were read: one audit entry for the page.
    if (rows.length > 0)
      await appendAudit(
        db,
        auditEntry(ctx, {
          action: 'carrier_request.list',
          objectType: 'carrier_request',
          objectId: operator ?? 'all',
          result: 'success',
          details: { status: q.status, count: rows.length },
        }),
      );
    return { requests: rows.map((r) => carrierView(r, episodes.get(r.episode_id))), nextCursor };
  }

  /** One request as the actor may see it (not found: another operator's, or no operator's desk). */
  async function find(actor: Actor, id: string): Promise<CarrierRequestView> {
    const r = await carriers.get(db, id);
    const operator = operatorOf(actor);
    if (
      !r ||
      (operator !== null && r.operator_code !== operator) ||
      (!operator && actor.role !== 'supervisor')
    )
      throw notFound();
    return carrierView(r, await repo.get(db, r.episode_id));
  }

  /** One request read, the subscriber's number in full: audited as the list's pages are. */
  async function get(ctx: Ctx, id: string): Promise<CarrierRequestView> {
    const view = await find(ctx.actor, id);
    await appendAudit(
      db,
      auditEntry(ctx, {
        action: 'carrier_request.read',
        objectType: 'carrier_request',
        objectId: view.id,
        result: 'success',
      }),
    );
    return view;
  }

  async function answer(ctx: Ctx, id: string, body: CarrierAnswerRequest): Promise<CarrierRequestView> {
    if (body.answer === 'refused' && !body.reason)
      throw validationError([
        { field: 'body.reason', reason: 'required', message: 'A refusal needs its reason' },
      ]);
    const by = ctx.actor.username;
    const changed = await db.transaction().execute(async (trx) => {
      const r = await carriers.lock(trx, id);
      if (!r || r.operator_code !== ctx.actor.operatorCode) throw notFound();
      if (r.status === 'answered') {
        if (r.answer === body.answer && (r.reason ?? null) === (body.reason ?? null)) return false;
        throw new AppError('conflict', `The request was answered already (${r.answer})`, [
          { field: 'body.answer', reason: 'carrier.answered', message: `answered ${r.answer}` },
        ]);
      }
      const row = await repo.lock(trx, r.episode_id);
      if (!row) throw notFound();
      const reason = body.reason ?? null;
      await carriers.answer(trx, id, { answer: body.answer, reason, by, at: ctx.at });
      const isDone = body.answer === 'interrupted' || body.answer === 'forwarding_cleared';
      await carriers.markContact(trx, r.contact_id, {
        status: isDone ? 'sent' : 'failed',
        at: ctx.at,
        failure: isDone ? null : body.answer === 'refused' ? `refused: ${reason}` : body.answer,
      });
      const moved = await moveLadder(trx, ctx, row, r, body.answer);
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'carrier_request.answer',
          objectType: 'carrier_request',
          objectId: id,
          result: 'success',
          details: {
            episodeId: r.episode_id,
            operatorCode: r.operator_code,
            answer: body.answer,
            ...(reason ? { reason } : {}),
            from: row.step,
            to: moved.step,
          },
        }),
      );
      const answered = {
        ...r,
        status: 'answered' as const,
        answer: body.answer,
        reason,
        answered_by: by,
        answered_at: ctx.at,
      };
      await enqueue(
        trx,
        newEvent('carrier-request.changed', { request: summaryOfRequest(answered, row) }, clock),
      );
      await emitEpisodes(trx, clock, [{ row: moved, change: carrierAnswerEvents[body.answer] }]);
      return true;
    });
    if (changed) deps.wake();
    return find(ctx.actor, id);
  }

  /**
   * The ladder meets the answer as it stands now (timers due fire first). At the carrier step it moves as
   * its table says; anywhere else the answer is kept on the request and the contact only.
   */
  async function moveLadder(
    trx: Trx,
    ctx: Ctx,
    row: EpisodeRow,
    r: CarrierRequestRow,
    a: CarrierAnswerRequest['answer'],
  ): Promise<EpisodeRow> {
    const stored = ladderFromJson(row.ladder);
    const ticked = tickLadder(stored, ctx.at);
    const applied = applyLadderCommand(
      ticked.state,
      { type: 'carrier_answer', answer: a, by: r.operator_code },
      ctx.at,
    );
    // Not at the carrier step, and no timer fired meanwhile: the ladder stays as it is.
    if (!applied.ok && ticked.state.history.length === stored.history.length) return row;
    const { state, actions } = applied.ok ? applied.value : { state: ticked.state, actions: [] };
    const change = changeOf(row, state, ctx.at);
    await repo.applyChanges(trx, [change]);
    await insertContacts(
      trx,
      clock,
      [
        ...contactsFor(row.id, ticked.state, ticked.actions, ctx.at, deps.random),
        ...contactsFor(row.id, state, actions, ctx.at, deps.random),
      ],
      [row],
    );
    await withdrawUnsent(trx, [change]);
    await repo.recordEvent(trx, {
      id: randomUUID(),
      episode_id: row.id,
      at: ctx.at,
      event: carrierAnswerEvents[a],
      step: state.step,
      // An operator's system answering with its key is no user of the centre's (the audit names the key).
      by_user: personIdOf(ctx.actor),
      idempotency_key: null,
      details: JSON.stringify({ requestId: r.id, operatorCode: r.operator_code, isApplied: applied.ok }),
    });
    return rowAfter(row, change);
  }

  return { list, get, answer };
}
export type CarrierDesk = ReturnType<typeof createCarrierDesk>;
