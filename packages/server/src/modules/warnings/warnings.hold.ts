import type { FieldProblem, MeasureConfirmationRequest, SignedInstruction } from '@fanzha/contracts';
import {
  findBankByCode,
  holdConfirmationProblems,
  isHoldKind,
  normaliseBankAccount,
  type Clock,
  type LadderState,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  answerHash,
  executedAtProblems,
  type BankInstructionRow,
  type BankInstructionService,
} from '../bank-protocol/index';
import { usernames } from '../case/index';
import { emitEpisodes } from './warnings.effects';
import { warningsRepository as repo, type EpisodeRow } from './warnings.repository';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };

/** Whom a held customer may ask or appeal to: printed in the signed instruction for the bank to tell them. */
export interface AppealChannel {
  centre: string;
  phone: string;
  verifyUrl: string | null;
}

/**
 * The bank a hold request goes to, and the account it names. The officer names the bank; when they do not and
 * every bank signal of the episode came from one bank, that bank is meant (the person was seen paying from it).
 * Otherwise — no bank signal (an operator's or an upstream warning), or signals from several banks — the
 * officer must say which: a guess would hold the wrong bank or none.
 */
export async function holdTarget(
  d: Kysely<DB> | Trx,
  episodeId: string,
  body: { bankCode?: string | undefined; account?: string | undefined },
): Promise<{ bankCode: string; account: string | null }> {
  const problems: FieldProblem[] = [];
  let bankCode = body.bankCode ?? null;
  if (bankCode !== null && !findBankByCode(bankCode))
    problems.push({
      field: 'body.bankCode',
      reason: 'unknown_bank',
      message: `no bank has the code ${bankCode}`,
    });
  if (bankCode === null) {
    const banks = await repo.signalBanks(d, episodeId);
    if (banks.length === 1) bankCode = banks[0]!;
    else
      problems.push({
        field: 'body.bankCode',
        reason: 'required',
        message:
          banks.length === 0
            ? 'no bank signal names the person’s bank: say which bank is to hold'
            : `the person’s signals came from several banks (${banks.join(', ')}): say which is to hold`,
      });
  }
  let account: string | null = null;
  if (body.account !== undefined) {
    const parsed = normaliseBankAccount(body.account);
    if (parsed.ok) account = parsed.value;
    else problems.push({ field: 'body.account', reason: parsed.reason, message: parsed.message });
  }
  if (problems.length > 0) throw validationError(problems);
  return { bankCode: bankCode!, account };
}

/**
 * The protective hold at the person's bank: the approval sends the signed `protective_hold` instruction, a
 * release (or any closing while held) sends `protective_hold_release`, the lapse sends nothing (the bank lifts it
 * at its end by itself), and the bank's confirmation is recorded on the instruction and shown on the episode.
 */
export function createHoldInstructions(deps: {
  db: Kysely<DB>;
  clock: Clock;
  bankInstructions: BankInstructionService;
  appeal: AppealChannel;
  wake: () => void;
}) {
  const { db, clock, bankInstructions } = deps;

  /** On approval: one signed instruction to the person's bank, in the approval's transaction. */
  async function send(trx: Trx, row: EpisodeRow, state: LadderState, at: Date): Promise<void> {
    const hold = state.hold!;
    if (!hold.bankCode)
      throw new AppError(
        'conflict',
        'This hold names no bank: reject it and request it again with the bank',
        [{ field: 'params.id', reason: 'hold.no_bank', message: 'the hold request names no bank' }],
      );
    const names = await usernames(trx, [hold.requestedBy, hold.approvedBy]);
    await bankInstructions.issue(
      trx,
      [
        {
          kind: 'protective_hold',
          bankCode: hold.bankCode,
          account: hold.account ? { number: hold.account, name: row.person_name } : null,
          episodeId: row.id,
          fields: {
            person: { name: row.person_name, idNumber: row.person_id_number, phone: row.person_phone },
            hours: hold.hours,
            startsAt: hold.startsAt!.toISOString(),
            endsAt: hold.endsAt!.toISOString(),
            reason: hold.reason,
            appealChannel: deps.appeal,
            requestedBy: names.get(hold.requestedBy) ?? hold.requestedBy,
            approvedBy: names.get(hold.approvedBy!) ?? hold.approvedBy!,
          },
        },
      ],
      at,
    );
    await bankInstructions.refreshDeadlines(trx, { episodeIds: [row.id] }, at);
  }

  /**
   * The hold ends early (released, or the episode closed while held): the bank is told to lift it — unless it
   * refused the hold, or was never sent one (a hold approved before holds reached banks).
   */
  async function lift(trx: Trx, row: EpisodeRow, actor: Actor, at: Date): Promise<void> {
    const sent = await bankInstructions.byEpisode(trx, row.id);
    const hold = sent.find((i) => i.kind === 'protective_hold');
    if (!hold || hold.status === 'failed' || sent.some((i) => i.kind === 'protective_hold_release')) return;
    await bankInstructions.issue(
      trx,
      [
        {
          kind: 'protective_hold_release',
          bankCode: hold.bank_code,
          account: (hold.payload['account'] as { number: string; name: string | null } | null) ?? null,
          episodeId: row.id,
          fields: { holdInstructionId: hold.id, releasedBy: actor.username, releasedAt: at.toISOString() },
        },
      ],
      at,
    );
  }

  /** The episode's change for a confirmation: what the bank did. */
  const changeOfAnswer = (row: BankInstructionRow, outcome: string) =>
    outcome === 'failed' ? 'hold_refused' : row.kind === 'protective_hold' ? 'hold_confirmed' : 'hold_lifted';

  /**
   * The bank's confirmation of a hold (`held`, or `failed` with its reason) or of its release (`lifted`):
   * recorded on the instruction, audited, listed in the episode's history and pushed to the consoles, in one
   * transaction. The same confirmation again changes nothing; a different one is refused.
   */
  async function confirm(
    ctx: Ctx,
    id: string,
    body: MeasureConfirmationRequest,
    key: string,
  ): Promise<SignedInstruction> {
    const hash = answerHash(body);
    await db.transaction().execute(async (trx) => {
      const row = await bankInstructions.lockForBank(trx, ctx.actor, id);
      if (!isHoldKind(row.kind) || row.episode_id === null)
        throw new AppError('conflict', 'Not a protective hold’s instruction');
      if (bankInstructions.isRepeat(row, key, hash)) return;
      const status = bankInstructions.transition(row, body.outcome === 'failed' ? 'fail' : 'execute');
      const problems: FieldProblem[] = holdConfirmationProblems(row.kind, body).map((p) => ({
        ...p,
        field: `body.${p.field}`,
      }));
      const executedAt = body.outcome === 'failed' ? null : new Date(body.executedAt);
      if (executedAt) problems.push(...executedAtProblems('body.executedAt', executedAt, row, ctx.at));
      if (problems.length > 0) throw validationError(problems);
      const failureReason = body.outcome === 'failed' ? body.failureReason : null;
      await bankInstructions.recordAnswer(
        trx,
        row.id,
        {
          status,
          amountFen: null,
          executedAt,
          bankReference: body.outcome === 'failed' ? null : (body.bankReference ?? null),
          failureReason,
          note: body.note ?? null,
          answeredBy: ctx.actor.username,
          answerKey: key,
          answerHash: hash,
        },
        ctx.at,
      );
      // A hold refused, or lifted early, no longer runs to its end.
      await bankInstructions.refreshDeadlines(trx, { episodeIds: [row.episode_id] }, ctx.at);
      const details = {
        kind: row.kind,
        outcome: body.outcome,
        episodeId: row.episode_id,
        bankCode: row.bank_code,
        ...(failureReason ? { failureReason } : {}),
        idempotencyKey: key,
      };
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'bank-instruction.confirm',
          objectType: 'bank_instruction',
          objectId: id,
          result: 'success',
          details,
        }),
      );
      const change = changeOfAnswer(row, body.outcome);
      const episode = await repo.touch(trx, row.episode_id, ctx.at);
      await repo.recordEvent(trx, {
        id: randomUUID(),
        episode_id: row.episode_id,
        at: ctx.at,
        event: change,
        step: episode.step,
        by_user: null,
        idempotency_key: null,
        details: JSON.stringify({ ...details, instructionId: id, answeredBy: ctx.actor.username }),
      });
      await emitEpisodes(trx, clock, [{ row: episode, change }]);
    });
    await bankInstructions.afterCommit();
    deps.wake();
    return bankInstructions.get(ctx.actor, id);
  }

  return { send, lift, confirm };
}
export type HoldInstructions = ReturnType<typeof createHoldInstructions>;
