import { randomUUID } from 'node:crypto';
import type { FieldProblem, InstructionOf, SignedInstruction } from '@fanzha/contracts';
import {
  BANK_PROTOCOL_VERSION,
  isHoldKind,
  nextBankInstructionStatus,
  type HoldKind,
  type BankInstructionEvent,
  type BankInstructionKind,
  type BankInstructionStatus,
  type Clock,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { canonicalHash } from '../../platform/crypto/canonical-json';
import type { Signer } from '../../platform/crypto/signer';
import { AppError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  bankInstructionRepository as repo,
  type BankInstructionRow,
  type BankQueueQuery,
  type NewBankInstruction,
} from './bank-instructions.repository';
import { createFeedSequencer } from './bank-feed.sequencer';
import { movedDeadlines } from './bank-instructions.deadlines';
import { toSignedInstruction } from './bank-instructions.view';
import type { Logger } from '../../platform/logger';
import { CLOCK_SKEW_MS, inFutureProblems } from '../../platform/http/clock-skew';

type Trx = Transaction<DB>;
export const ISSUER = 'fanzha anti-fraud centre';

/** The fields of one kind's signed instruction that the caller supplies; the service adds the common ones. */
type KindFields<K extends BankInstructionKind> = Omit<
  InstructionOf<K>,
  | 'type'
  | 'version'
  | 'instructionId'
  | 'bankCode'
  | 'account'
  | 'reportNumber'
  | 'episodeId'
  | 'issuedAt'
  | 'issuer'
>;

type CaseKind = Exclude<BankInstructionKind, HoldKind>;

/** A measure of a case: it names the fraudster's account, its report and its stop-payment request. */
type CaseInstructionSpec = {
  [K in CaseKind]: {
    kind: K;
    /** Defaults to a new id; emergency stops, freezes and fund decisions reuse their own id. */
    id?: string;
    bankCode: string;
    account: { number: string; name: string | null };
    reportId: string;
    reportNumber: string;
    stopPaymentId: string;
    fields: KindFields<K>;
  };
}[CaseKind];

/** A protective hold or its release: it names a warned person (an account only if given) and its episode. */
type HoldInstructionSpec = {
  [K in HoldKind]: {
    kind: K;
    id?: string;
    bankCode: string;
    account: { number: string; name: string | null } | null;
    episodeId: string;
    fields: KindFields<K>;
  };
}[HoldKind];

export type InstructionSpec = CaseInstructionSpec | HoldInstructionSpec;

const isHoldSpec = (s: InstructionSpec): s is HoldInstructionSpec => isHoldKind(s.kind);

/** What the bank reported, as recorded on the instruction. */
export interface RecordedAnswer {
  status: BankInstructionStatus;
  amountFen: number | null;
  executedAt: Date | null;
  bankReference: string | null;
  failureReason: string | null;
  note: string | null;
  answeredBy: string;
  answerKey: string;
  answerHash: string;
}

/** Why an instruction of a kind that only ends a restriction cannot be answered `failed`. */
const cannotFailMessages: Partial<Record<BankInstructionKind, string>> = {
  stop_lapsed: 'A lapse notice cannot fail: confirm it as lifted',
  protective_hold_release: 'A protective hold’s release cannot fail: confirm it as lifted',
};

export const answerHash = (body: unknown) => canonicalHash(body);

/**
 * The bank's queue: issues signed instructions of every kind, records acknowledgements and answers, and
 * serves each bank its own feed. It owns `bank_instruction` and `bank_feed`; the owners of stops, freezes and
 * decisions call it in their transactions, so an instruction exists exactly when its measure does.
 */
export function createBankInstructionService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  signer: Signer;
  /** Tells the outbox relay that events were committed. */
  wake: () => void;
  log?: Logger;
}) {
  const { db, clock, signer } = deps;
  const sequencer = createFeedSequencer({ db, clock, wakeRelay: deps.wake, log: deps.log });

  /** Signs instructions without writing them: the owner of a measure can store its rows first. */
  function prepare(specs: InstructionSpec[], at: Date): NewBankInstruction[] {
    return specs.map((s) => {
      const id = s.id ?? randomUUID();
      const common = {
        type: s.kind,
        version: BANK_PROTOCOL_VERSION,
        instructionId: id,
        bankCode: s.bankCode,
        account: s.account,
        issuedAt: at.toISOString(),
        issuer: ISSUER,
      };
      const hold = isHoldSpec(s);
      const payload = hold
        ? { ...common, episodeId: s.episodeId, ...s.fields }
        : { ...common, reportNumber: s.reportNumber, ...s.fields };
      return {
        id,
        kind: s.kind,
        bankCode: s.bankCode,
        reportId: hold ? null : s.reportId,
        stopPaymentId: hold ? null : s.stopPaymentId,
        episodeId: hold ? s.episodeId : null,
        payload,
        signature: signer.sign(payload),
        keyId: signer.keyId,
        algorithm: signer.algorithm,
        issuedAt: at,
      };
    });
  }

  /**
   * Whether this process wrote instructions since the sequencer was last asked: only a hint that spares the
   * sequencer its look for pending rows (another writer's call may have taken it first; then it looks).
   */
  let wrote = false;

  /** Queues signed instructions in one multi-row insert; the sequencer numbers them after the commit. */
  async function insertPrepared(trx: Trx, items: NewBankInstruction[]): Promise<BankInstructionRow[]> {
    const rows = await repo.insert(trx, items);
    wrote ||= rows.length > 0;
    return rows;
  }

  /** Changes instructions in one statement; the sequencer numbers them anew after the commit. */
  async function update(trx: Trx, ids: string[], patch: Parameters<typeof repo.update>[2]) {
    const rows = await repo.update(trx, ids, patch);
    wrote ||= rows.length > 0;
    return rows;
  }

  /**
   * Awaited after the commit of every transaction that may have written instructions: the sequencer numbers
   * what is pending at the end of the banks' feeds and announces each change (`bank-instruction.changed`, with
   * its number), in a round of its own shared with every change committed meanwhile. A writer never locks a
   * feed, so answers naming the same banks do not wait for each other's commits, and the writer's caller
   * still sees its changes numbered. What a crash leaves unnumbered is numbered by the sweep or by the next
   * read of that bank's feed.
   */
  async function afterCommit(): Promise<void> {
    const known = wrote;
    wrote = false;
    await sequencer.sweep({ known });
  }

  return {
    prepare,
    insertPrepared,
    afterCommit,
    /** Numbers what a transaction left pending: swept by background roles, stopped with the app. */
    sequencer,

    /** Signs and queues instructions, in one multi-row insert; the sequencer numbers them after the commit. */
    issue: (trx: Trx, specs: InstructionSpec[], at: Date): Promise<BankInstructionRow[]> =>
      insertPrepared(trx, prepare(specs, at)),

    /** Locks one of the actor's bank's instructions; another bank's does not exist as far as a bank can tell. */
    async lockForBank(trx: Trx, actor: Actor, id: string): Promise<BankInstructionRow> {
      const row = await repo.lock(trx, id);
      if (!row || row.bank_code !== actor.bankCode)
        throw new AppError('not_found', 'No such instruction for your bank');
      return row;
    },

    /** The status after `event`, or a 409 that says why not. */
    transition(row: BankInstructionRow, event: BankInstructionEvent): BankInstructionStatus {
      const next = nextBankInstructionStatus(row.kind, row.status, event);
      if (next) return next;
      // A lapse notice and a hold's release only end a restriction, which a bank can always do: open or not,
      // they are never answered `failed`.
      const cannotFail = cannotFailMessages[row.kind];
      if (event === 'fail' && cannotFail)
        throw new AppError('conflict', cannotFail, [
          { field: 'body.outcome', reason: 'cannot_fail', message: cannotFail },
        ]);
      throw new AppError(
        'conflict',
        `The instruction is ${row.status}: it cannot be ${event === 'ack' ? 'acknowledged' : 'answered'} again`,
      );
    },

    async acknowledge(trx: Trx, row: BankInstructionRow, at: Date): Promise<void> {
      if (row.status === 'acknowledged') return;
      const status = this.transition(row, 'ack');
      await update(trx, [row.id], { status, acknowledged_at: at, updated_at: at });
    },

    /**
     * A repeated answer with the same content returns true (nothing to do); a different answer to an answered
     * instruction is refused.
     */
    isRepeat(row: BankInstructionRow, key: string, hash: string): boolean {
      if (row.answer_hash === null) return false;
      if (row.answer_hash === hash) return true;
      throw new AppError(
        'conflict',
        row.answer_key === key
          ? 'This Idempotency-Key was used for a different answer'
          : 'This instruction has already been answered differently',
      );
    },

    /** A bank's answer, with the deadline it leaves running (`instructionDeadlineAt`) when the caller has it. */
    async recordAnswer(
      trx: Trx,
      id: string,
      a: RecordedAnswer,
      at: Date,
      deadlineAt?: Date | null,
    ): Promise<void> {
      await update(trx, [id], {
        status: a.status,
        amount_fen: a.amountFen,
        executed_at: a.executedAt,
        bank_reference: a.bankReference,
        failure_reason: a.failureReason,
        note: a.note,
        answered_at: at,
        answered_by: a.answeredBy,
        answer_key: a.answerKey,
        answer_hash: a.answerHash,
        updated_at: at,
        ...(deadlineAt !== undefined ? { deadline_at: deadlineAt } : {}),
      });
    },

    /**
     * Sets every instruction of these stops and episodes to the deadline now running on it
     * (`instructionDeadlineAt`, the one rule): called last in each transaction that issues an instruction or
     * changes a stop, freeze, decision or hold. Only an instruction whose deadline changed is written, and so
     * moves in its bank's feed.
     */
    async refreshDeadlines(
      trx: Trx,
      on: { stopPaymentIds?: string[]; episodeIds?: string[] },
      at: Date,
    ): Promise<void> {
      for (const { deadline, ids } of await movedDeadlines(trx, on))
        await update(trx, ids, { deadline_at: deadline, updated_at: at });
    },

    /**
     * One page of the actor's bank's feed, after numbering what is pending; `nextCursor` resumes after it (or
     * stays where the poller was).
     */
    async list(
      actor: Actor,
      q: BankQueueQuery,
    ): Promise<{ items: SignedInstruction[]; hasMore: boolean; nextCursor: string | null }> {
      if (!actor.bankCode) return { items: [], hasMore: false, nextCursor: null };
      // The page and a look for changes still waiting for their number, in one statement; only when some are
      // waiting are they numbered (in place) and the page read again.
      const looked = await repo.list(db, actor.bankCode, q);
      let rows = looked.rows;
      if (looked.hasPending) {
        await sequencer.settle(actor.bankCode, { known: true });
        rows = (await repo.list(db, actor.bankCode, q)).rows;
      }
      const items = rows.slice(0, q.limit).map(toSignedInstruction);
      return {
        items,
        hasMore: rows.length > q.limit,
        // The cursor the bank passed stays as it was sent: never through a number, which would round it.
        nextCursor: items.at(-1)?.sequence ?? q.after,
      };
    },

    /** One of the actor's bank's instructions, in its current place in the feed. */
    async get(actor: Actor, id: string): Promise<SignedInstruction> {
      let row = await repo.get(db, id);
      if (!row || row.bank_code !== actor.bankCode)
        throw new AppError('not_found', 'No such instruction for your bank');
      if (row.pending) {
        await sequencer.settle(row.bank_code, { known: true });
        row = (await repo.get(db, id)) ?? row;
      }
      return toSignedInstruction(row);
    },

    byStop: (stopPaymentIds: string[]) => repo.byStop(db, stopPaymentIds),

    /** A protective hold's instructions (the hold, and its release if any), in the order issued. */
    byEpisode: (d: Kysely<DB> | Trx, episodeId: string) => repo.byEpisode(d, episodeId),

    /** Whether the instruction is a protective hold's: its confirmation goes to the warnings module. */
    async isHoldInstruction(id: string): Promise<boolean> {
      const kind = await repo.kindOf(db, id);
      return kind !== undefined && isHoldKind(kind);
    },

    /** A bank acknowledges a freeze, renewal, release, return or lapse notice (not an emergency stop). */
    async acknowledgeMeasure(ctx: AuditContext & { actor: Actor }, id: string): Promise<SignedInstruction> {
      await db.transaction().execute(async (trx) => {
        const row = await this.lockForBank(trx, ctx.actor, id);
        if (row.status === 'acknowledged') return;
        await this.acknowledge(trx, row, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'bank-instruction.acknowledge',
            objectType: 'bank_instruction',
            objectId: id,
            result: 'success',
            details: { kind: row.kind },
          }),
        );
      });
      await afterCommit();
      deps.wake();
      return this.get(ctx.actor, id);
    },
  };
}
export type BankInstructionService = ReturnType<typeof createBankInstructionService>;

/** Problems common to every answer: the moment the bank says it acted must be after the instruction and not ahead. */
export function executedAtProblems(
  field: string,
  executedAt: Date,
  row: Pick<BankInstructionRow, 'issued_at'>,
  now: Date,
): FieldProblem[] {
  const ahead = inFutureProblems(field, executedAt, now);
  if (ahead.length > 0) return ahead;
  if (executedAt.getTime() < row.issued_at.getTime() - CLOCK_SKEW_MS)
    return [{ field, reason: 'before_instruction', message: 'must not be before the instruction was sent' }];
  return [];
}
