import { createHash, randomUUID } from 'node:crypto';
import type { FieldProblem, InstructionResult, StopPaymentView } from '@fanzha/contracts';
import {
  EMERGENCY_STOP_HOURS,
  isOpenStatus,
  MAX_EMERGENCY_STOPS,
  nextStopPaymentStatus,
  stopAnswerProblems,
  stopExpiresAt,
  stopPaymentStatuses,
  type Clock,
  type StopPaymentEvent,
  type StopPaymentStatus,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { canonicalJson } from '../../platform/crypto/canonical-json';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  executedAtProblems,
  type BankInstructionService,
  type InstructionSpec,
} from '../bank-protocol/index';
import type { Actor } from '../../platform/actor';
import {
  isInScope,
  isProblem,
  loadStopPaymentViews as loadViews,
  reportsOwnedBy,
  reportsTakenBy,
  resolveAccount,
  type StopPaymentRow,
} from '../case/index';

type Trx = Transaction<DB>;

/** A first-layer account as the intake draft has it right now. */
export interface FirstLayerAccount {
  number: string;
  bankCode: string;
  name: string | null;
  amountFen: number;
  transferredAt: Date | null;
}

export interface StopPaymentDeps {
  db: Kysely<DB>;
  clock: Clock;
  bankInstructions: BankInstructionService;
  /** Tells the outbox relay that events were committed (so it need not wait for its poll). */
  wake: () => void;
}

export function createStopPaymentService(deps: StopPaymentDeps) {
  const { db, clock, bankInstructions } = deps;

  /** Emits the current view of each changed request, in the same transaction as the change. */
  async function emitChanged(trx: Trx, ids: string[]): Promise<StopPaymentView[]> {
    if (ids.length === 0) return [];
    const rows = await trx.selectFrom('stop_payment').selectAll().where('id', 'in', ids).execute();
    const views = await loadViews(trx, rows, clock.now());
    const reports = new Map(
      (
        await trx
          .selectFrom('report')
          .select(['id', 'created_by', 'owning_county_code'])
          .where('id', 'in', [...new Set(rows.map((r) => r.report_id))])
          .execute()
      ).map((r) => [r.id, r]),
    );
    await enqueue(
      trx,
      ...views.map((v) =>
        newEvent(
          'stop-payment.changed',
          {
            request: v,
            reportCreatedBy: reports.get(v.reportId)?.created_by ?? '',
            owningCountyCode: reports.get(v.reportId)?.owning_county_code ?? null,
          },
          clock,
        ),
      ),
    );
    return views;
  }

  /** The signed emergency stop of a request (version 2: the 48 hours run from the bank's stop). */
  function stopSpec(row: StopPaymentRow, reportNumber: string, legalDocNumber: string): InstructionSpec {
    return {
      kind: 'emergency_stop_payment',
      id: row.id,
      bankCode: row.bank_code,
      account: { number: row.account_number, name: row.account_name },
      reportId: row.report_id,
      reportNumber,
      stopPaymentId: row.id,
      deadlineAt: null,
      fields: {
        amountFen: row.amount_fen,
        transferredAt: row.transferred_at?.toISOString() ?? null,
        legalDocNumber,
        layer: row.layer,
        parentInstructionId: row.parent_id,
        lapsesAfterHours: EMERGENCY_STOP_HOURS,
        stopSeq: row.stop_seq === 2 ? 2 : 1,
        renewsInstructionId: row.renews_id,
      },
    };
  }

  /** Moves requests of one report to `sent`, each with its signed instruction in its bank's queue. */
  async function markSent(
    trx: Trx,
    rows: StopPaymentRow[],
    legalDocNumber: string,
    sentBy: string,
    now: Date,
  ): Promise<void> {
    if (rows.length === 0) return;
    const report = await trx
      .selectFrom('report')
      .select(['number'])
      .where('id', '=', rows[0]!.report_id)
      .executeTakeFirstOrThrow();
    const issued = await bankInstructions.issue(
      trx,
      rows.map((r) => stopSpec(r, report.number, legalDocNumber)),
      now,
    );
    for (const i of issued)
      await trx
        .updateTable('stop_payment')
        .set({
          status: 'sent',
          legal_doc_number: legalDocNumber,
          instruction: JSON.stringify(i.payload),
          signature: i.signature,
          key_id: i.key_id,
          sent_at: now,
          sent_by: sentBy,
          updated_at: now,
        })
        .where('id', '=', i.id)
        .execute();
    await trx
      .updateTable('report')
      .set({ first_instruction_sent_at: now })
      .where('id', '=', rows[0]!.report_id)
      .where('first_instruction_sent_at', 'is', null)
      .execute();
  }

  async function lockForBank(trx: Trx, actor: Actor, id: string): Promise<StopPaymentRow> {
    const row = await trx
      .selectFrom('stop_payment')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    // Another bank's instruction, or one not yet sent, does not exist as far as a bank can tell.
    if (!row || row.bank_code !== actor.bankCode || row.status === 'pending' || row.status === 'withdrawn')
      throw new AppError('not_found', 'No such instruction for your bank');
    return row;
  }

  /**
   * The next layer, set-based: each onward transfer becomes a request one layer deeper, sent at once under the
   * parent's legal document — unless its account is already in this case's trail, whose request it joins (one
   * account, one emergency stop per case: a second would count against the legal limit). A few statements
   * whatever the number of transfers. Returns the new requests' ids.
   */
  async function cascade(
    trx: Trx,
    parent: StopPaymentRow,
    onward: Array<{
      account: { name?: string | undefined };
      amountFen: number;
      transferredAt: string;
      resolved: unknown;
    }>,
    now: Date,
  ): Promise<string[]> {
    if (onward.length === 0) return [];
    const accounts = onward.map((t) => t.resolved as { number: string; bankCode: string });
    const known = new Map(
      (
        await trx
          .selectFrom('stop_payment')
          .select(['id', 'account_number', 'stop_seq'])
          .where('report_id', '=', parent.report_id)
          .where(
            'account_number',
            'in',
            accounts.map((a) => a.number),
          )
          .where('status', '<>', 'withdrawn')
          .orderBy('stop_seq')
          .execute()
      ).map((r) => [r.account_number, r.id]), // the latest stop of an account wins
    );
    const childOf = new Map<string, string>();
    const fresh = onward.flatMap((t, i) => {
      const a = accounts[i]!;
      if (known.has(a.number) || childOf.has(a.number)) return [];
      const id = randomUUID();
      childOf.set(a.number, id);
      return [
        {
          id,
          report_id: parent.report_id,
          parent_id: parent.id,
          layer: parent.layer + 1,
          account_number: a.number,
          account_name: t.account.name ?? null,
          bank_code: a.bankCode,
          amount_fen: t.amountFen,
          transferred_at: new Date(t.transferredAt),
          status: 'pending' as const,
          created_at: now,
          updated_at: now,
        },
      ];
    });
    if (fresh.length > 0) {
      const inserted = await trx.insertInto('stop_payment').values(fresh).returningAll().execute();
      // The legal basis of the parent covers the money it led to: the next layer goes out at once.
      await markSent(trx, inserted, parent.legal_doc_number ?? '', 'cascade', now);
    }
    await trx
      .insertInto('onward_transfer')
      .values(
        onward.map((t, position) => {
          const a = accounts[position]!;
          return {
            stop_payment_id: parent.id,
            position,
            account_number: a.number,
            account_name: t.account.name ?? null,
            bank_code: a.bankCode,
            amount_fen: t.amountFen,
            transferred_at: new Date(t.transferredAt),
            child_id: known.get(a.number) ?? childOf.get(a.number)!,
          };
        }),
      )
      .execute();
    return fresh.map((f) => f.id);
  }

  /** Emergency stops still in force, nearest lapse first: what must be frozen or stopped again soon. */
  async function expiringStops(actor: Actor, limit: number, now: Date): Promise<StopPaymentView[]> {
    let q = db
      .selectFrom('stop_payment as s')
      .selectAll('s')
      .where('s.expires_at', '>', now)
      .where('s.renewed_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('account_freeze as f').select('f.id').whereRef('f.stop_payment_id', '=', 's.id'),
          ),
        ),
      );
    if (actor.role === 'county_police')
      q = q.where('s.report_id', 'in', reportsOwnedBy(db, actor.countyCode));
    if (actor.role === 'call_taker') q = q.where('s.report_id', 'in', reportsTakenBy(db, actor.userId));
    const rows = await q.orderBy('s.expires_at').limit(limit).execute();
    return loadViews(db, rows, now);
  }

  function transition(row: StopPaymentRow, event: StopPaymentEvent): StopPaymentStatus {
    const next = nextStopPaymentStatus(row.status, event);
    if (!next)
      throw new AppError('conflict', `The request is ${row.status}: it cannot be ${event.replace('_', ' ')}`);
    return next;
  }

  return {
    /**
     * Push while typing: makes the open first-layer requests of a draft match its valid accounts —
     * new accounts appear at the desk as pending, corrected ones change, removed ones are withdrawn.
     * Requests already sent are left alone. Returns the ids that changed.
     */
    async syncFirstLayer(
      trx: Trx,
      reportId: string,
      accounts: FirstLayerAccount[],
      now: Date,
    ): Promise<string[]> {
      const existing = await trx
        .selectFrom('stop_payment')
        .selectAll()
        .where('report_id', '=', reportId)
        .where('parent_id', 'is', null)
        .where('stop_seq', '=', 1)
        .where('status', '<>', 'withdrawn')
        .execute();
      const byNumber = new Map(existing.map((r) => [r.account_number, r]));
      // An account already reached through the trail (a deeper layer) has its request in this case.
      const deeper = new Set(
        (
          await trx
            .selectFrom('stop_payment')
            .select('account_number')
            .where('report_id', '=', reportId)
            .where('parent_id', 'is not', null)
            .where('status', '<>', 'withdrawn')
            .execute()
        ).map((r) => r.account_number),
      );
      const changed: string[] = [];
      for (const a of accounts) {
        const row = byNumber.get(a.number);
        byNumber.delete(a.number);
        if (!row && deeper.has(a.number)) continue;
        if (!row) {
          const id = randomUUID();
          await trx
            .insertInto('stop_payment')
            .values({
              id,
              report_id: reportId,
              parent_id: null,
              layer: 1,
              account_number: a.number,
              account_name: a.name,
              bank_code: a.bankCode,
              amount_fen: a.amountFen,
              transferred_at: a.transferredAt,
              status: 'pending',
              created_at: now,
              updated_at: now,
            })
            .execute();
          changed.push(id);
        } else if (
          row.status === 'pending' &&
          (row.account_name !== a.name ||
            row.amount_fen !== a.amountFen ||
            row.bank_code !== a.bankCode ||
            row.transferred_at?.getTime() !== a.transferredAt?.getTime())
        ) {
          await trx
            .updateTable('stop_payment')
            .set({
              account_name: a.name,
              amount_fen: a.amountFen,
              bank_code: a.bankCode,
              transferred_at: a.transferredAt,
              updated_at: now,
            })
            .where('id', '=', row.id)
            .execute();
          changed.push(row.id);
        }
      }
      for (const gone of byNumber.values()) {
        if (gone.status !== 'pending') continue;
        await trx
          .updateTable('stop_payment')
          .set({ status: 'withdrawn', updated_at: now })
          .where('id', '=', gone.id)
          .execute();
        changed.push(gone.id);
      }
      await emitChanged(trx, changed);
      return changed;
    },

    /**
     * One page of the queue: newest first by creation (then id), so `before` (the last row's creation time and
     * id) reads the next, older page without gaps or repeats; each page is sorted most urgent first.
     */
    async queue(
      actor: Actor,
      query: {
        statuses: StopPaymentStatus[];
        bank?: string | undefined;
        reportId?: string | undefined;
        isExpiring?: boolean;
        before?: { createdAt: Date; id: string } | undefined;
        limit: number;
      },
    ): Promise<{ requests: StopPaymentView[]; nextCursor: string | null; hasMore: boolean }> {
      const now = clock.now();
      if (query.isExpiring)
        return { requests: await expiringStops(actor, query.limit, now), nextCursor: null, hasMore: false };
      let q = db.selectFrom('stop_payment').selectAll().where('status', 'in', query.statuses);
      if (query.bank) q = q.where('bank_code', '=', query.bank);
      if (query.reportId) q = q.where('report_id', '=', query.reportId);
      // County police follow the money of the cases their county owns, and nothing else.
      if (actor.role === 'county_police')
        q = q.where('report_id', 'in', reportsOwnedBy(db, actor.countyCode));
      // A call-taker follows the accounts of the reports they took, as their report list and stream do.
      if (actor.role === 'call_taker') q = q.where('report_id', 'in', reportsTakenBy(db, actor.userId));
      const before = query.before;
      if (before)
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', before.createdAt),
            eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
          ]),
        );
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const hasMore = rows.length > query.limit;
      const views = await loadViews(db, page, now);
      // Most urgent first; the score moves with time, so it is computed on read.
      return {
        requests: views.sort((a, b) => b.urgency - a.urgency),
        nextCursor: hasMore && last ? `${last.created_at.getTime()}.${last.id}` : null,
        hasMore,
      };
    },

    async get(actor: Actor, id: string): Promise<StopPaymentView> {
      let q = db.selectFrom('stop_payment').selectAll().where('id', '=', id);
      if (actor.role === 'call_taker') q = q.where('report_id', 'in', reportsTakenBy(db, actor.userId));
      const row = await q.executeTakeFirst();
      if (!row || !(await isInScope(db, actor, row.report_id)))
        throw new AppError('not_found', 'No such stop-payment request');
      return (await loadViews(db, [row], clock.now()))[0]!;
    },

    /**
     * The second — and last — emergency stop of an account in a case, before or after the first lapses:
     * a new instruction to the same bank, which the bank answers like the first.
     */
    async restop(
      ctx: AuditContext & { actor: Actor },
      id: string,
      legalDocNumber: string,
    ): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const row = await lockRequest(trx, ctx.actor, id);
        const stops = await trx
          .selectFrom('stop_payment')
          .select(['id', 'stop_seq'])
          .where('report_id', '=', row.report_id)
          .where('account_number', '=', row.account_number)
          .where('status', '<>', 'withdrawn')
          .execute();
        if (stops.length >= MAX_EMERGENCY_STOPS)
          throw new AppError(
            'conflict',
            `This account already had ${MAX_EMERGENCY_STOPS} emergency stops in this case: convert it into a freeze`,
          );
        if (!row.stopped_at) throw new AppError('conflict', 'Only a stopped account can be stopped again');
        const frozen = await trx
          .selectFrom('account_freeze')
          .select('id')
          .where('stop_payment_id', '=', id)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (frozen) throw new AppError('conflict', 'The account is frozen: renew the freeze instead');
        const renewalId = randomUUID();
        await trx
          .insertInto('stop_payment')
          .values({
            id: renewalId,
            report_id: row.report_id,
            parent_id: row.parent_id,
            layer: row.layer,
            account_number: row.account_number,
            account_name: row.account_name,
            bank_code: row.bank_code,
            amount_fen: row.amount_fen,
            transferred_at: row.transferred_at,
            status: 'pending',
            stop_seq: row.stop_seq + 1,
            renews_id: row.id,
            created_at: ctx.at,
            updated_at: ctx.at,
          })
          .execute();
        const renewal = await trx
          .selectFrom('stop_payment')
          .selectAll()
          .where('id', '=', renewalId)
          .executeTakeFirstOrThrow();
        await markSent(trx, [renewal], legalDocNumber, ctx.actor.username, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.restop',
            objectType: 'stop_payment',
            objectId: renewalId,
            result: 'success',
            details: { renews: id, bankCode: row.bank_code, legalDocNumber },
          }),
        );
        return (await emitChanged(trx, [renewalId]))[0]!;
      });
      deps.wake();
      return view;
    },

    /** Emits the current views of requests changed elsewhere (freezes, returns, lapses) in `trx`. */
    emitChanged,

    /** The desk sends a pending request to its bank: signed, with the legal document's number. */
    async send(
      ctx: AuditContext & { actor: Actor },
      id: string,
      legalDocNumber: string,
    ): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const row = await lockRequest(trx, ctx.actor, id);
        transition(row, 'send');
        await markSent(trx, [row], legalDocNumber, ctx.actor.username, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.send',
            objectType: 'stop_payment',
            objectId: id,
            result: 'success',
            details: { bankCode: row.bank_code, layer: row.layer, legalDocNumber },
          }),
        );
        return (await emitChanged(trx, [id]))[0]!;
      });
      deps.wake();
      return view;
    },

    async acknowledge(ctx: AuditContext & { actor: Actor }, id: string): Promise<StopPaymentView> {
      const view = await db.transaction().execute(async (trx) => {
        const row = await lockForBank(trx, ctx.actor, id);
        if (row.status === 'acknowledged') return (await loadViews(trx, [row], ctx.at))[0]!; // repeated: no change
        const status = transition(row, 'ack');
        await trx
          .updateTable('stop_payment')
          .set({ status, acknowledged_at: ctx.at, updated_at: ctx.at })
          .where('id', '=', id)
          .execute();
        const instruction = await bankInstructions.lockForBank(trx, ctx.actor, id);
        await bankInstructions.acknowledge(trx, instruction, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.acknowledge',
            objectType: 'stop_payment',
            objectId: id,
            result: 'success',
          }),
        );
        return (await emitChanged(trx, [id]))[0]!;
      });
      deps.wake();
      return view;
    },

    /**
     * The bank's answer. Idempotent on the key and on the content: the same answer again changes nothing;
     * a different answer to an answered instruction is refused. Each onward transfer becomes, at once, a
     * sent request one layer deeper in its bank's queue.
     */
    async answer(
      ctx: AuditContext & { actor: Actor },
      id: string,
      body: InstructionResult,
      idempotencyKey: string,
    ): Promise<StopPaymentView> {
      const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
      const problems: FieldProblem[] = stopAnswerProblems(body).map((p) => ({
        ...p,
        field: `body.${p.field}`,
      }));
      const onward = body.onwardTransfers.map((t, i) => {
        const r = resolveAccount(`body.onwardTransfers.${i}.account`, t.account.number, t.account.bankCode, {
          isCardOnly: false,
        });
        if (isProblem(r)) problems.push(r);
        return { ...t, resolved: r };
      });
      const view = await db.transaction().execute(async (trx) => {
        const row = await lockForBank(trx, ctx.actor, id);
        if (row.answer_hash !== null) {
          if (row.answer_hash === hash) return (await loadViews(trx, [row], ctx.at))[0]!; // a retry or duplicate
          throw new AppError(
            'conflict',
            row.answer_key === idempotencyKey
              ? 'This Idempotency-Key was used for a different answer'
              : 'This instruction has already been answered differently',
          );
        }
        if (body.stoppedFen > row.amount_fen)
          problems.push({
            field: 'body.stoppedFen',
            reason: 'too_large',
            message: `at most the amount involved (${row.amount_fen} fen)`,
          });
        // The answering bank's feed and those of the banks the money went on to, locked in one order.
        await bankInstructions.lockFeeds(trx, [
          row.bank_code,
          ...onward.flatMap((t) => (isProblem(t.resolved) ? [] : [t.resolved.bankCode])),
        ]);
        const instruction = await bankInstructions.lockForBank(trx, ctx.actor, id);
        const stoppedAt = body.stoppedAt ? new Date(body.stoppedAt) : ctx.at;
        if (body.stoppedAt)
          problems.push(...executedAtProblems('body.stoppedAt', stoppedAt, instruction, ctx.at));
        if (problems.length > 0) throw validationError(problems);
        const status = transition(row, body.outcome === 'stopped' ? 'answer_stopped' : 'answer_failed');
        await trx
          .updateTable('stop_payment')
          .set({
            status,
            outcome: body.outcome,
            stopped_fen: body.stoppedFen,
            balance_fen: body.balanceFen ?? null,
            failure_reason: body.failureReason ?? null,
            note: body.note ?? null,
            answered_at: ctx.at,
            answered_by: ctx.actor.username,
            answer_key: idempotencyKey,
            answer_hash: hash,
            updated_at: ctx.at,
            // The legal clock starts at the stop: 48 hours to freeze or stop again.
            ...(status === 'stopped' ? { stopped_at: stoppedAt, expires_at: stopExpiresAt(stoppedAt) } : {}),
          })
          .where('id', '=', id)
          .execute();
        await bankInstructions.recordAnswer(
          trx,
          instruction,
          {
            status: status === 'stopped' ? 'stopped' : 'failed',
            amountFen: body.stoppedFen,
            executedAt: status === 'stopped' ? stoppedAt : null,
            bankReference: null,
            failureReason: body.failureReason ?? null,
            note: body.note ?? null,
            answeredBy: ctx.actor.username,
            answerKey: idempotencyKey,
            answerHash: hash,
          },
          ctx.at,
          status === 'stopped' ? stopExpiresAt(stoppedAt) : null,
        );
        const changed = [id];
        if (status === 'stopped' && row.renews_id) {
          await trx
            .updateTable('stop_payment')
            .set({ renewed_at: ctx.at, updated_at: ctx.at })
            .where('id', '=', row.renews_id)
            .execute();
          changed.push(row.renews_id);
        }
        const children = await cascade(trx, row, onward, ctx.at);
        await trx
          .updateTable('report')
          .set({ first_stop_result_at: ctx.at })
          .where('id', '=', row.report_id)
          .where('first_stop_result_at', 'is', null)
          .execute();
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'stop-payment.answer',
            objectType: 'stop_payment',
            objectId: id,
            result: 'success',
            details: {
              outcome: body.outcome,
              stoppedFen: body.stoppedFen,
              onward: children.length,
              idempotencyKey,
            },
          }),
        );
        return (await emitChanged(trx, [...changed, ...children])).find((v) => v.id === id)!;
      });
      deps.wake();
      return view;
    },
  };
}
export type StopPaymentService = ReturnType<typeof createStopPaymentService>;

/** Locks a request for a change by the actor; out of scope, it does not exist. */
export async function lockRequest(trx: Trx, actor: Actor, id: string): Promise<StopPaymentRow> {
  const row = await trx
    .selectFrom('stop_payment')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || !(await isInScope(trx, actor, row.report_id)))
    throw new AppError('not_found', 'No such stop-payment request');
  return row;
}

export const openStatuses = stopPaymentStatuses.filter(isOpenStatus);
