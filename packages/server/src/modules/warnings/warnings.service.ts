import type { EpisodeList, EpisodeQuery, EpisodeView, HoldRequest, VerifyAnswer } from '@fanzha/contracts';
import {
  applyLadderCommand,
  ladderReasonMessagesZh,
  ladderTransitions,
  parseVerificationCode,
  tickLadder,
  type Clock,
  type LadderCommand,
  type LadderReason,
  type LadderState,
  type PersuasionOutcome,
  type RandomBytes,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { canonicalHash } from '../../platform/crypto/canonical-json';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { BankInstructionService } from '../bank-protocol/index';
import { episodeCountyOf, isEpisodeInScope } from '../case/index';
import { changeOf, contactsFor, emitEpisodes, rowAfter, withdrawUnsent } from './warnings.effects';
import { insertContacts } from './warnings.carrier';
import { carrierRepository as carriers } from './warnings.carrier.repository';
import { decodeCursor, encodeCursor } from './warnings.cursor';
import { createHoldInstructions, holdTarget, type AppealChannel } from './warnings.hold';
import { ladderFromJson } from './warnings.ladder';
import { warningsRepository as repo, type EpisodeRow } from './warnings.repository';
import { summaryOf, viewOf } from './warnings.views';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

/**
 * The port to the reports module's intake drafts (it owns them; app.ts hands its service in): open the
 * draft for an episode's person who had already paid — the same one again if the episode has it — and
 * tell where a report stands.
 */
export interface IntakeDrafts {
  open(
    trx: Trx,
    ctx: Ctx,
    draft: {
      episodeId: string;
      person: {
        name: string | null;
        phone: string | null;
        idNumber: string | null;
        countyCode: string | null;
      };
      warnedAbout: Array<{ kind: string; value: string; amountFen: number | null; at: Date }>;
    },
  ): Promise<{ id: string; number: string }>;
  brief(
    db: Kysely<DB> | Trx,
    id: string,
  ): Promise<{ id: string; number: string; status: string } | undefined>;
}

const notFound = () => new AppError('not_found', 'No such episode for your desk');

/** A key already used on the episode for another command or another body: nothing of this one is applied. */
const keyReused = () =>
  new AppError('conflict', 'This Idempotency-Key was used with another command or body on this episode', [
    { field: 'header.idempotency-key', reason: 'idempotency.reused', message: 'used with another body' },
  ]);

/** What an idempotency key answers for: the command's route and its body as sent. */
const requestHashOf = (request: { command: string; body: unknown }) => canonicalHash(request);

/** A command the ladder refuses: 409 (not at this step, same approver) or 400 (a hold's terms). */
function refusal(reason: string, message: string, field: string): AppError {
  const problem = { field, reason, message };
  const zh = ladderReasonMessagesZh[reason as LadderReason];
  return reason === 'ladder.hold_hours' || reason === 'ladder.hold_reason'
    ? validationError([problem])
    : new AppError('conflict', zh ? `${message} (${zh})` : message, [problem]);
}

/** Whether the command was already carried out (a retry without a key): the episode stands as asked. */
function isAlreadyDone(s: LadderState, command: LadderCommand): boolean {
  switch (command.type) {
    case 'outcome':
      return s.step === 'closed' && s.closeReason === command.outcome;
    case 'request_hold':
      return (
        s.step === 'hold_pending' &&
        s.hold?.requestedBy === command.by &&
        s.hold.reason === command.reason.trim() &&
        s.hold.hours === command.hours &&
        (s.hold.bankCode ?? null) === (command.bankCode ?? null) &&
        (s.hold.account ?? null) === (command.account ?? null)
      );
    case 'approve_hold':
      return s.step === 'hold' && s.hold?.approvedBy === command.by;
    case 'reject_hold':
      return false;
    case 'release_hold':
      return s.step === 'closed' && s.closeReason === 'hold_released';
    case 'carrier_answer':
      return false;
  }
}

/** What a hold request adds to the audit and the history: the bank and account it names. */
const holdDetailsOf = (cmd: LadderCommand) =>
  cmd.type === 'request_hold' ? { bankCode: cmd.bankCode ?? null, account: cmd.account ?? null } : {};

/**
 * The persuasion console: episodes in the actor's scope, one in full, taking one, and the commands the
 * ladder takes from people (outcomes, protective holds). Every change is audited in its transaction and
 * published as `episode.changed`; a command that could be sent twice is idempotent by key, or by being
 * already done.
 */
export function createWarningsConsole(deps: {
  db: Kysely<DB>;
  clock: Clock;
  random: RandomBytes;
  centreName: string;
  /** The person's bank gets the protective hold's instructions through it. */
  bankInstructions: BankInstructionService;
  /** Whom a held person may ask: printed in the hold's instruction. */
  appeal: AppealChannel;
  wake: () => void;
  /** The reports module's drafts (已被骗转账 → an intake draft); without it only the flag is set. */
  intakeDrafts?: IntakeDrafts;
}) {
  const { db, clock } = deps;
  const holds = createHoldInstructions(deps);

  async function view(d: Kysely<DB> | Trx, row: EpisodeRow): Promise<EpisodeView> {
    const [warnings, contacts, atBank, requests, report] = await Promise.all([
      repo.warningsOf(d, row.id),
      repo.contactsOf(d, row.id),
      deps.bankInstructions.byEpisode(d, row.id),
      carriers.ofEpisode(d, row.id),
      row.intake_report_id && deps.intakeDrafts
        ? deps.intakeDrafts.brief(d, row.intake_report_id)
        : Promise.resolve(undefined),
    ]);
    return viewOf(row, warnings, contacts, atBank, clock.now(), { requests, report: report ?? null });
  }

  /**
   * The person had already paid: an intake draft through the reports module, prefilled with the person and
   * what they were warned about, linked both ways. Once: the reports module returns the episode's draft if
   * it has one.
   */
  async function openIntakeDraft(trx: Trx, ctx: Ctx, row: EpisodeRow): Promise<string | null> {
    if (!deps.intakeDrafts) return row.intake_report_id;
    const warnings = await repo.warningsOf(trx, row.id);
    const draft = await deps.intakeDrafts.open(trx, ctx, {
      episodeId: row.id,
      person: {
        name: row.person_name,
        phone: row.person_phone,
        idNumber: row.person_id_number,
        countyCode: row.county_code,
      },
      warnedAbout: warnings.flatMap((w) =>
        w.indicator_kind && w.indicator_value
          ? [{ kind: w.indicator_kind, value: w.indicator_value, amountFen: w.amount_fen, at: w.signal_at }]
          : [],
      ),
    });
    await carriers.setIntakeReport(trx, row.id, draft.id);
    return draft.id;
  }

  async function lockInScope(trx: Trx, actor: Actor, id: string): Promise<EpisodeRow> {
    const row = await repo.lock(trx, id);
    if (!row || !isEpisodeInScope(actor, row.county_code)) throw notFound();
    return row;
  }

  async function command(
    ctx: Ctx,
    id: string,
    /** The command, or how to make it from the ladder as it stands (after the timers due). */
    given: LadderCommand | ((trx: Trx, ladder: LadderState) => Promise<LadderCommand>),
    opts: {
      idempotencyKey?: string | undefined;
      field: string;
      details?: Record<string, unknown>;
      /** The command's route and body as sent: a key used again must come with the same. */
      request: { command: string; body: unknown };
    },
  ): Promise<EpisodeView> {
    const requestHash = requestHashOf(opts.request);
    const result = await db.transaction().execute(async (trx) => {
      const row = await lockInScope(trx, ctx.actor, id);
      if (opts.idempotencyKey) {
        const earlier = await repo.requestHashOfKey(trx, id, opts.idempotencyKey);
        // A retry answers the episode as it stands; the key with another command or body is refused.
        if (earlier && earlier.requestHash !== null && earlier.requestHash !== requestHash) throw keyReused();
        if (earlier) return { row, changed: false };
      }
      // Timers due by now fire first, at their own times: the command meets the ladder as it stands.
      const ticked = tickLadder(ladderFromJson(row.ladder), ctx.at);
      const cmd = typeof given === 'function' ? await given(trx, ticked.state) : given;
      const action = cmd.type === 'outcome' ? 'episode.outcome' : `episode.${cmd.type}`;
      if (isAlreadyDone(ticked.state, cmd)) return { row, changed: false };
      const applied = applyLadderCommand(ticked.state, cmd, ctx.at);
      if (!applied.ok) throw refusal(applied.reason, applied.message, opts.field);
      const { state, actions } = applied.value;
      const change = changeOf(row, state, ctx.at);
      await repo.applyChanges(trx, [change]);
      await insertContacts(
        trx,
        clock,
        [
          ...contactsFor(id, ticked.state, ticked.actions, ctx.at, deps.random),
          ...contactsFor(id, state, actions, ctx.at, deps.random),
        ],
        [row],
      );
      await withdrawUnsent(trx, [change]);
      let intakeReportId = row.intake_report_id;
      if (actions.includes('open_intake_draft')) {
        await repo.markIntakeDraftWanted(trx, id, ctx.at);
        intakeReportId = await openIntakeDraft(trx, ctx, row);
      }
      if (actions.includes('send_hold_to_bank')) await holds.send(trx, row, state, ctx.at);
      if (actions.includes('lift_hold')) await holds.lift(trx, row, ctx.actor, ctx.at);
      const details = opts.details && { ...opts.details, ...holdDetailsOf(cmd) };
      const stored = opts.idempotencyKey ? { ...details, requestHash } : details;
      await repo.recordEvent(trx, {
        id: randomUUID(),
        episode_id: id,
        at: ctx.at,
        event: cmd.type === 'outcome' ? cmd.outcome : cmd.type,
        step: state.step,
        by_user: ctx.actor.userId,
        idempotency_key: opts.idempotencyKey ?? null,
        details: stored && Object.keys(stored).length > 0 ? JSON.stringify(stored) : null,
      });
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action,
          objectType: 'episode',
          objectId: id,
          result: 'success',
          details: { from: row.step, to: state.step, countyCode: row.county_code, ...details },
        }),
      );
      const after = {
        ...rowAfter(row, change),
        intake_draft_wanted_at: actions.includes('open_intake_draft') ? ctx.at : row.intake_draft_wanted_at,
        intake_report_id: intakeReportId,
      };
      await emitEpisodes(trx, clock, [
        { row: after, change: cmd.type === 'outcome' ? cmd.outcome : cmd.type },
      ]);
      return { row: after, changed: true };
    });
    if (result.changed) {
      await deps.bankInstructions.afterCommit();
      deps.wake();
    }
    return view(db, (await repo.get(db, id)) ?? result.row);
  }

  return {
    async list(actor: Actor, q: EpisodeQuery): Promise<EpisodeList> {
      const after = q.after === undefined ? undefined : decodeCursor(q.after);
      if (q.after !== undefined && after === undefined)
        throw validationError([
          { field: 'query.after', reason: 'invalid_cursor', message: 'not a cursor this API gave' },
        ]);
      const own = episodeCountyOf(actor);
      // A county's persuader asking for another county gets nothing rather than an error that confirms it.
      const county = own ?? q.county;
      if (own !== undefined && q.county !== undefined && q.county !== own)
        return { episodes: [], next: null };
      const rows = await repo.list(db, {
        countyCode: county,
        isOpen: q.open !== 'false',
        grade: q.grade,
        step: q.step,
        isOverdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        after,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        episodes: page.map(summaryOf),
        next: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
      };
    },

    async get(actor: Actor, id: string): Promise<EpisodeView> {
      const row = await repo.get(db, id);
      if (!row || !isEpisodeInScope(actor, row.county_code)) throw notFound();
      return view(db, row);
    },

    /** The persuader takes the episode: the console shows whose it is. */
    async take(ctx: Ctx, id: string): Promise<EpisodeView> {
      const changed = await db.transaction().execute(async (trx) => {
        const row = await lockInScope(trx, ctx.actor, id);
        if (row.taken_by === ctx.actor.userId) return false;
        if (row.closed_at !== null) throw new AppError('conflict', 'The episode is closed');
        if (row.taken_by !== null && ctx.actor.role !== 'supervisor')
          throw new AppError('conflict', 'Another persuader has taken this episode', [
            { field: 'params.id', reason: 'episode.taken', message: 'taken by another persuader' },
          ]);
        await repo.take(trx, id, ctx.actor.userId, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'episode.take',
            objectType: 'episode',
            objectId: id,
            result: 'success',
            details: { countyCode: row.county_code, from: row.taken_by },
          }),
        );
        await emitEpisodes(trx, clock, [
          {
            row: { ...row, taken_by: ctx.actor.userId, taken_at: ctx.at, version: row.version + 1 },
            change: 'taken',
          },
        ]);
        return true;
      });
      if (changed) deps.wake();
      return this.get(ctx.actor, id);
    },

    outcome: (
      ctx: Ctx,
      id: string,
      body: { outcome: PersuasionOutcome; note?: string | undefined },
      key?: string,
    ) =>
      command(
        ctx,
        id,
        { type: 'outcome', outcome: body.outcome, by: ctx.actor.userId },
        {
          idempotencyKey: key,
          field: 'body.outcome',
          details: { outcome: body.outcome, ...(body.note ? { note: body.note } : {}) },
          request: { command: 'outcome', body },
        },
      ),

    /** The bank is the one named, or the episode's only bank (see `holdTarget`); bad terms change nothing. */
    requestHold: (ctx: Ctx, id: string, body: HoldRequest, key?: string) =>
      command(
        ctx,
        id,
        // The bank is resolved only where a hold can be asked for (or was just asked for: a retry): elsewhere
        // the ladder refuses the request as not allowed at this step, whatever its bank.
        async (trx, ladder) => ({
          type: 'request_hold',
          by: ctx.actor.userId,
          reason: body.reason,
          hours: body.hours,
          ...(ladder.step === 'hold_pending' || ladderTransitions[ladder.step].request_hold
            ? await holdTarget(trx, id, body)
            : {}),
        }),
        {
          idempotencyKey: key,
          field: 'params.id',
          details: { reason: body.reason, hours: body.hours },
          request: { command: 'request_hold', body },
        },
      ),

    /**
     * The protective holds in force at `bankCode` on `account` (an appeal names them): a hold naming that
     * account, or naming none (the bank holds the person's transfers) when the person's phone is `phone`.
     */
    async holdsOnAccount(bankCode: string, account: string, phone: string) {
      const rows = await repo.holding(db);
      return rows.flatMap((row) => {
        const hold = ladderFromJson(row.ladder).hold;
        if (!hold || hold.bankCode !== bankCode) return [];
        const held = hold.account ? hold.account === account : row.person_phone === phone;
        return held ? [{ episodeId: row.id, endsAt: hold.endsAt }] : [];
      });
    },

    /** The person's bank confirms (or refuses) a hold, or confirms its release. */
    confirmHold: holds.confirm,

    approveHold: (ctx: Ctx, id: string, key?: string) =>
      command(
        ctx,
        id,
        { type: 'approve_hold', by: ctx.actor.userId },
        { idempotencyKey: key, field: 'params.id', request: { command: 'approve_hold', body: {} } },
      ),

    rejectHold: (ctx: Ctx, id: string, key?: string) =>
      command(
        ctx,
        id,
        { type: 'reject_hold', by: ctx.actor.userId },
        { idempotencyKey: key, field: 'params.id', request: { command: 'reject_hold', body: {} } },
      ),

    releaseHold: (ctx: Ctx, id: string, key?: string) =>
      command(
        ctx,
        id,
        { type: 'release_hold', by: ctx.actor.userId },
        { idempotencyKey: key, field: 'params.id', request: { command: 'release_hold', body: {} } },
      ),

    /**
     * A citizen's check of a code. A malformed one is refused by its check character before any lookup; an
     * unknown one is simply not genuine. Nothing about the person is told.
     */
    async verify(input: string): Promise<VerifyAnswer> {
      const parsed = parseVerificationCode(input);
      if (!parsed.ok)
        throw validationError([{ field: 'params.code', reason: parsed.reason, message: parsed.message }]);
      const found = await repo.byCode(db, parsed.value);
      if (!found) return { isGenuine: false, at: null, centre: null, channel: null };
      return {
        isGenuine: true,
        at: (found.sent_at ?? found.created_at).toISOString(),
        centre: deps.centreName,
        channel: found.channel,
      };
    },
  };
}
export type WarningsConsole = ReturnType<typeof createWarningsConsole>;
