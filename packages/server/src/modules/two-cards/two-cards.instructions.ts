import type {
  TaskReport,
  TwoCardInstruction,
  TwoCardInstructionAnswer,
  TwoCardInstructionList,
  TwoCardInstructionQuery,
  TwoCardInstructionSummary,
  TwoCardInstructionView,
} from '@fanzha/contracts';
import {
  isAwaitingTwoCardParty,
  nextTwoCardInstructionStatus,
  operators,
  twoCardInstructionDueAt,
  twoCardMeasureNamesZh,
  twoCardPartyKindOf,
  type Clock,
  type TwoCardInstructionAction,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB, TwoCardInstructionTable } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { wireAlgorithm, type Signer } from '../../platform/crypto/signer';
import { newEvent } from '../../platform/events';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { sweepOverdue } from '../legal-timers/index';
import {
  PENDING,
  twoCardInstructionRepository as repo,
  type InstructionRow,
  type InstructionSummaryRow,
  type NewInstruction,
} from './two-cards.instructions.repository';
import { twoCardsRepository, type HolderRow, type MeasureRow } from './two-cards.repository';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };
type Party = { kind: 'bank' | 'operator'; code: string };

const notFound = () => new AppError('not_found', 'No such two-cards instruction for your organisation');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toInstructionSummary(r: InstructionSummaryRow): TwoCardInstructionSummary {
  return {
    id: r.id,
    measureId: r.measure_id,
    action: r.action,
    kind: r.kind,
    partyKind: r.party_kind,
    partyCode: r.party_code,
    status: r.status,
    refusalReason: r.refusal_reason as TwoCardInstructionSummary['refusalReason'],
    issuedAt: r.issued_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    isOverdue: r.overdue_at !== null && isAwaitingTwoCardParty(r.status),
  };
}

/**
 * The instruction as a task of the supervision queue (督办): its party executes or refuses it by its deadline.
 * Nothing personal: the measure's kind and the party, never the holder.
 */
export function taskOfInstruction(r: InstructionSummaryRow): TaskReport {
  const awaiting = isAwaitingTwoCardParty(r.status);
  const doneAt = r.executed_at ?? r.refused_at ?? r.withdrawn_at;
  return {
    kind: 'two-card-instruction',
    sourceId: r.id,
    title:
      `断卡措施${r.action === 'lift' ? '解除' : '执行'}：${twoCardMeasureNamesZh[r.kind]} ${r.party_code}`.slice(
        0,
        200,
      ),
    reportId: null,
    owner: { unitKind: r.party_kind, unitCode: r.party_code, userId: null },
    openedAt: r.issued_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    // Withdrawn by the measure's lift: nobody's work any more, and not the party's answer.
    status: awaiting ? 'open' : r.status === 'withdrawn' ? 'cancelled' : 'done',
    doneAt: awaiting || !doneAt ? null : doneAt.toISOString(),
    feedback: awaiting
      ? null
      : `${r.status}${r.refusal_reason ? `：${r.refusal_reason}` : ''}${r.note ? ` ${r.note}` : ''}`.slice(
          0,
          2000,
        ),
  };
}

function toInstructionView(r: InstructionRow): TwoCardInstructionView {
  const instruction = (
    typeof r.instruction === 'string' ? JSON.parse(r.instruction) : r.instruction
  ) as TwoCardInstruction;
  return {
    ...toInstructionSummary(r),
    note: r.note,
    acknowledgedAt: iso(r.acknowledged_at),
    executedAt: iso(r.executed_at),
    refusedAt: iso(r.refused_at),
    withdrawnAt: iso(r.withdrawn_at),
    instruction,
    signature: r.signature,
    keyId: r.key_id,
    // As the bank protocol names it (`Ed25519`, `SM2`), from the signer's name recorded beside the signature;
    // the signed bytes are the instruction's, which never named its algorithm.
    algorithm: wireAlgorithm(r.algorithm.toLowerCase() === 'sm2' ? 'sm2' : 'ed25519'),
  };
}

/** The party a liaison (or a party's system, by its key) acts for; none for anyone else. */
function partyOf(actor: Actor): Party | undefined {
  if (actor.role === 'telecom_liaison' && actor.operatorCode)
    return { kind: 'operator', code: actor.operatorCode };
  if (actor.role === 'bank_liaison' && actor.bankCode) return { kind: 'bank', code: actor.bankCode };
  return undefined;
}

const isOwn = (party: Party | undefined, r: { party_kind: string; party_code: string }) =>
  party !== undefined && party.kind === r.party_kind && party.code === r.party_code;

/**
 * The parties that carry out a measure, with the holder's cards each is known to hold. Account measures go to
 * the banks where the holder's bank cards were opened (the banks that know the person as a customer; a
 * province- or nation-wide broadcast to every bank is not the centre's to make); the phone-card limit goes to
 * every operator, as a new card may be asked of any of them.
 */
async function partiesOf(trx: Trx, m: MeasureRow): Promise<Array<Party & { cards: string[] }>> {
  const cards = await twoCardsRepository.cardsOfHolder(trx, m.holder_id);
  if (twoCardPartyKindOf[m.kind] === 'operator')
    return operators.map((code) => ({
      kind: 'operator' as const,
      code,
      cards: cards.filter((c) => c.kind === 'sim' && c.institution === code).map((c) => c.number),
    }));
  const banks = new Map<string, string[]>();
  for (const c of cards)
    if (c.kind === 'bank') banks.set(c.institution, [...(banks.get(c.institution) ?? []), c.number]);
  return [...banks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, numbers]) => ({ kind: 'bank' as const, code, cards: numbers }));
}

/**
 * Two-cards instructions: each measure recorded reaches its parties as a signed instruction (`apply`), each lift
 * as another (`lift`) to the parties that had it applied; the party reads its own with its key or from its
 * liaison's session and answers. Every change goes out as `two-card-instruction.changed` (the party's webhook
 * notice, the live streams), with nothing personal in it.
 */
export function createTwoCardInstructions(deps: {
  db: Kysely<DB>;
  clock: Clock;
  signer: Signer;
  /** Hours a party has to execute or refuse an instruction (FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS). */
  slaHours: number;
  wake: () => void;
}) {
  const { db, clock, signer, slaHours } = deps;

  /** Each change as `two-card-instruction.changed`, and the instruction's supervision task (督办) as it stands. */
  async function emit(trx: Trx, rows: InstructionSummaryRow[], change: string): Promise<void> {
    if (rows.length === 0) return;
    await enqueue(
      trx,
      ...rows.flatMap((r) => [
        newEvent('two-card-instruction.changed', { item: toInstructionSummary(r), change }, clock),
        newEvent('task.reported', { task: taskOfInstruction(r) }, clock),
      ]),
    );
  }

  /**
   * The parties of an action that have no instruction of it yet: for `apply`, the parties of the measure's kind;
   * for `lift`, those that had it applied.
   */
  async function missingParties(
    trx: Trx,
    m: MeasureRow,
    action: TwoCardInstructionAction,
  ): Promise<Array<Party & { cards: string[] }>> {
    const sent = await repo.ofMeasures(trx, [m.id]);
    const keyOf = (p: { kind: string; code: string }) => `${p.kind}:${p.code}`;
    const issued = new Set(
      sent.filter((r) => r.action === action).map((r) => keyOf({ kind: r.party_kind, code: r.party_code })),
    );
    const now = (await partiesOf(trx, m)).filter((p) => !issued.has(keyOf(p)));
    if (action === 'apply') return now;
    // A lift goes to every party that had the measure applied, whatever their answer — also a bank none of
    // whose cards is the holder's any more (an import gave the card to another holder): it applied the measure.
    const cardsNow = new Map(now.map((p) => [keyOf(p), p.cards] as const));
    const applied = new Map<string, Party & { cards: string[] }>();
    for (const r of sent) {
      const p = { kind: r.party_kind, code: r.party_code };
      if (r.action === 'apply' && !issued.has(keyOf(p)))
        applied.set(keyOf(p), { ...p, cards: cardsNow.get(keyOf(p)) ?? [] });
    }
    return [...applied.values()];
  }

  /** Signs and writes one instruction per party (a party that already has one is skipped by its unique key). */
  async function write(
    trx: Trx,
    m: MeasureRow,
    holder: HolderRow,
    action: TwoCardInstructionAction,
    parties: Array<Party & { cards: string[] }>,
    at: Date,
  ): Promise<InstructionSummaryRow[]> {
    const dueAt = twoCardInstructionDueAt(at, slaHours);
    const rows: NewInstruction[] = parties.map((p) => {
      const id = randomUUID();
      const instruction: TwoCardInstruction = {
        instructionId: id,
        measureId: m.id,
        action,
        kind: m.kind,
        partyKind: p.kind,
        partyCode: p.code,
        holder: { idNumber: holder.id_number },
        cards: p.cards,
        startsAt: m.starts_at.toISOString(),
        endsAt: m.ends_at.toISOString(),
        reason: m.reason,
        decidingUnit: m.deciding_unit,
        liftReason: action === 'lift' ? (m.lift_reason ?? '') : null,
        issuedAt: at.toISOString(),
      };
      return {
        id,
        measure_id: m.id,
        action,
        kind: m.kind,
        party_kind: p.kind,
        party_code: p.code,
        status: 'sent',
        refusal_reason: null,
        note: null,
        instruction,
        signature: signer.sign(instruction),
        key_id: signer.keyId,
        algorithm: signer.algorithm,
        issued_at: at,
        acknowledged_at: null,
        executed_at: null,
        refused_at: null,
        updated_at: at,
        due_at: dueAt,
        overdue_at: null,
      };
    });
    const written = await repo.insert(trx, rows);
    await emit(trx, written, 'issued');
    return written;
  }

  /**
   * Issues, in the measure's transaction, the signed instructions of an action: `apply` to the parties of its
   * kind, `lift` to those that had it applied. Once per measure, action and party.
   */
  async function issue(
    trx: Trx,
    m: MeasureRow,
    holder: HolderRow,
    action: TwoCardInstructionAction,
    at: Date,
  ): Promise<number> {
    return (await write(trx, m, holder, action, await missingParties(trx, m, action), at)).length;
  }

  /**
   * The measure's lift, in its transaction: its `apply` instructions not yet executed or refused are withdrawn
   * (their party can no longer execute them, their deadline no longer runs, their tasks are cancelled), each
   * audited and told to its party; the lift instruction goes to them as to the others. Returns how many.
   */
  async function withdraw(trx: Trx, ctx: AuditContext, measureId: string): Promise<number> {
    const rows = await repo.withdrawPending(trx, measureId, ctx.at);
    await appendAudit(
      trx,
      ...rows.map((r) =>
        auditEntry(ctx, {
          action: 'two_cards.instruction_withdraw',
          objectType: 'two_card_instruction',
          objectId: r.id,
          result: 'success',
          details: { measureId, action: r.action, partyKind: r.party_kind, partyCode: r.party_code },
        }),
      ),
    );
    await emit(trx, rows, 'withdrawn');
    return rows.length;
  }

  /**
   * A card of these holders was found after their measures were recorded (a bank's answer naming its holder,
   * an import): each measure not lifted and not ended reaches the parties it has not reached yet — a bank that
   * had no instruction for it — in the transaction that recorded the card. Once per measure, action and party:
   * a replay issues nothing more. Returns how many were issued.
   */
  async function issueMissing(
    trx: Trx,
    holderIds: string[],
    at: Date,
    /** Who found the card (an import's analyst); without it, the consumer of bank answers. */
    ctx: AuditContext = { at, requestId: null, actor: null, origin: 'two-cards-consumer' },
  ): Promise<number> {
    const ids = [...new Set(holderIds)];
    // After the card's write, before reading the measures: a measure recorded at the same time either sees the
    // card or is seen here (recording locks its holder first).
    await twoCardsRepository.lockHolders(trx, ids);
    const measures = await twoCardsRepository.liveMeasuresOf(trx, ids, at);
    let issued = 0;
    const holders = new Map<string, HolderRow>();
    for (const m of measures) {
      const parties = await missingParties(trx, m, 'apply');
      if (parties.length === 0) continue;
      if (!holders.has(m.holder_id))
        for (const h of await twoCardsRepository.holders(trx, [m.holder_id])) holders.set(h.id, h);
      const holder = holders.get(m.holder_id);
      if (!holder) continue;
      const written = await write(trx, m, holder, 'apply', parties, at);
      // Issued because a card was found, not on a request for them: the trail says so, and who found it.
      await appendAudit(
        trx,
        ...written.map((r) =>
          auditEntry(ctx, {
            action: 'two_cards.instruction_issue',
            objectType: 'two_card_instruction',
            objectId: r.id,
            result: 'success',
            details: {
              measureId: m.id,
              action: 'apply',
              partyKind: r.party_kind,
              partyCode: r.party_code,
              cause: 'card_found_after_measure',
            },
          }),
        ),
      );
      issued += written.length;
    }
    return issued;
  }

  /**
   * Escalates the instructions past their deadline neither executed nor refused, once each: an alert to the
   * supervisors (the task stays open in the queue, overdue). Idle, one indexed read-only statement (see
   * `sweepOverdue`).
   */
  const sweepOnce = (now: Date = clock.now()): Promise<number> =>
    sweepOverdue(
      deps,
      {
        hasOverdue: (conn, at) => repo.hasOverdue(conn, at),
        markOverdue: (trx, at, limit) => repo.markOverdue(trx, at, limit),
        alertOf: (r) => ({
          kind: 'task_overdue',
          threshold: 'execute',
          level: 'escalation',
          object_type: 'two_card_instruction',
          object_id: r.id,
          report_id: null,
          county_code: null,
          message: `断卡措施${r.action === 'lift' ? '解除' : ''}超过时限未执行：${twoCardMeasureNamesZh[r.kind]} ${r.party_code}`,
          due_at: r.due_at,
        }),
        within: (trx, rows) => emit(trx, rows, 'overdue'),
      },
      now,
    );

  async function list(actor: Actor, q: TwoCardInstructionQuery): Promise<TwoCardInstructionList> {
    const party = partyOf(actor);
    if (!party) return { items: [], nextCursor: null };
    const rows = await repo.ofParty(db, {
      partyKind: party.kind,
      partyCode: party.code,
      statuses: q.status === 'pending' ? PENDING : [q.status],
      ...(q.after ? { after: q.after } : {}),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toInstructionView),
      nextCursor: rows.length > q.limit && last ? String(last.seq) : null,
    };
  }

  /** One instruction, to its own party only (another's is 404: its existence is not told either). */
  async function get(actor: Actor, id: string): Promise<TwoCardInstructionView> {
    const r = await repo.get(db, id);
    if (!r || !isOwn(partyOf(actor), r)) throw notFound();
    return toInstructionView(r);
  }

  /**
   * The party's answer, as the lifecycle allows: the same answer again changes nothing (a retry), one the
   * lifecycle does not allow is `409`. A refusal needs its reason and only a refusal has one (`400`).
   */
  async function answer(
    ctx: Ctx,
    id: string,
    body: TwoCardInstructionAnswer,
  ): Promise<TwoCardInstructionView> {
    if (body.answer === 'refused' && !body.refusalReason)
      throw validationError([
        { field: 'body.refusalReason', reason: 'required', message: 'A refusal needs its reason' },
      ]);
    if (body.answer !== 'refused' && body.refusalReason)
      throw validationError([
        { field: 'body.refusalReason', reason: 'unexpected', message: 'Only a refusal has a reason' },
      ]);
    const party = partyOf(ctx.actor);
    const changed = await db.transaction().execute(async (trx) => {
      const r = await repo.lock(trx, id);
      if (!r || !isOwn(party, r)) throw notFound();
      const to = nextTwoCardInstructionStatus(r.status, body.answer);
      if (to === 'same') {
        if ((r.refusal_reason ?? undefined) === body.refusalReason) return false;
        throw new AppError('conflict', 'The instruction was already refused with another reason', [
          {
            field: 'body.refusalReason',
            reason: 'two_cards.answered',
            message: `refused: ${r.refusal_reason}`,
          },
        ]);
      }
      if (to === undefined)
        throw new AppError(
          'conflict',
          `An instruction that is ${r.status} cannot be answered ${body.answer}`,
          [{ field: 'body.answer', reason: 'two_cards.transition', message: `status is ${r.status}` }],
        );
      const set: Updateable<TwoCardInstructionTable> = { status: to, updated_at: ctx.at };
      if (to === 'acknowledged') set.acknowledged_at = ctx.at;
      if (to === 'executed') set.executed_at = ctx.at;
      if (to === 'refused') set.refused_at = ctx.at;
      if (body.refusalReason) set.refusal_reason = body.refusalReason;
      if (body.note) set.note = body.note;
      const after = await repo.update(trx, id, set);
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'two_cards.instruction_answer',
          objectType: 'two_card_instruction',
          objectId: id,
          result: 'success',
          details: {
            measureId: r.measure_id,
            action: r.action,
            from: r.status,
            to,
            partyCode: r.party_code,
            ...(body.refusalReason ? { refusalReason: body.refusalReason } : {}),
          },
        }),
      );
      await emit(trx, [after], to);
      return true;
    });
    if (changed) deps.wake();
    return get(ctx.actor, id);
  }

  /** Where each measure's instructions stand, by measure: nothing personal (the centre's page). */
  async function ofMeasures(ids: string[]): Promise<Map<string, TwoCardInstructionSummary[]>> {
    const out = new Map<string, TwoCardInstructionSummary[]>();
    for (const r of await repo.ofMeasures(db, ids))
      out.set(r.measure_id, [...(out.get(r.measure_id) ?? []), toInstructionSummary(r)]);
    return out;
  }

  return { issue, withdraw, issueMissing, sweepOnce, list, get, answer, ofMeasures };
}
export type TwoCardInstructions = ReturnType<typeof createTwoCardInstructions>;

/** Runs the instructions' deadline sweep every `everyMs` (roles that run background work, see start.ts). */
export function startTwoCardInstructionSweep(
  svc: { sweepInstructionsOnce(): Promise<number> },
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(() => svc.sweepInstructionsOnce(), { ...opts, what: 'two-cards instruction SLA sweep' });
}
