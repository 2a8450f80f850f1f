import { isStorableTime } from '@fanzha/contracts';
import type {
  HandOffTwoCardHolderRequest,
  RecordTwoCardMeasureRequest,
  TaskReport,
  TwoCardHolderDetail,
  TwoCardHolderList,
  TwoCardHolderSummary,
  TwoCardImportRequest,
  TwoCardImportResult,
  TwoCardLeague,
  TwoCardMeasureView,
} from '@fanzha/contracts';
import {
  checkTwoCardCsv,
  checkTwoCardImportRow,
  holderCountyOf,
  isImportProblem,
  isLiftable,
  maskIdNumber,
  measureEndsAt,
  measureStateAt,
  twoCardKey,
  validateCountyCode,
  type Clock,
  type ImportedTwoCard,
  type TwoCardPeriods,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { usernames } from '../case/index';
import type { Signer } from '../../platform/crypto/signer';
import { createTwoCardInstructions } from './two-cards.instructions';
import {
  twoCardsRepository as repo,
  type HolderCounts,
  type HolderRow,
  type MeasureRow,
} from './two-cards.repository';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

const noHolder = () => new AppError('not_found', 'No such holder');
const noMeasure = () => new AppError('not_found', 'No such measure');

function toSummary(h: HolderRow, c: HolderCounts | undefined): TwoCardHolderSummary {
  return {
    id: h.id,
    idNumberMasked: maskIdNumber(h.id_number),
    countyCode: h.county_code,
    cardCount: c?.card_count ?? 0,
    caseCount: c?.case_count ?? 0,
    measuresInForce: c?.measures_in_force ?? 0,
    handOff:
      h.hand_off_county_code && h.hand_off_due_at && h.handed_off_at
        ? {
            countyCode: h.hand_off_county_code,
            dueAt: h.hand_off_due_at.toISOString(),
            handedOffAt: h.handed_off_at.toISOString(),
          }
        : null,
  };
}

export function createTwoCardsService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  periods: TwoCardPeriods;
  signer: Signer;
  /** Hours a party has to execute or refuse an instruction (FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS). */
  instructionSlaHours: number;
  wake: () => void;
}) {
  const { db, clock } = deps;
  const instructions = createTwoCardInstructions({ ...deps, slaHours: deps.instructionSlaHours });

  async function measureViews(rows: MeasureRow[]): Promise<TwoCardMeasureView[]> {
    const names = await usernames(
      db,
      rows.flatMap((r) => [r.created_by, r.lifted_by]),
    );
    const now = clock.now();
    const sent = await instructions.ofMeasures(rows.map((r) => r.id));
    return rows.map((m) => ({
      id: m.id,
      holderId: m.holder_id,
      kind: m.kind,
      startsAt: m.starts_at.toISOString(),
      endsAt: m.ends_at.toISOString(),
      reason: m.reason,
      decidingUnit: m.deciding_unit,
      state: measureStateAt({ startsAt: m.starts_at, endsAt: m.ends_at, liftedAt: m.lifted_at }, now),
      createdAt: m.created_at.toISOString(),
      createdBy: names.get(m.created_by) ?? m.created_by,
      lift:
        m.lifted_at && m.lifted_by
          ? {
              at: m.lifted_at.toISOString(),
              by: names.get(m.lifted_by) ?? m.lifted_by,
              reason: m.lift_reason ?? '',
            }
          : null,
      instructions: sent.get(m.id) ?? [],
    }));
  }

  async function audit(
    ctx: Ctx,
    trx: Trx,
    action: string,
    type: string,
    id: string,
    details: Record<string, unknown>,
  ) {
    await appendAudit(
      trx,
      auditEntry(ctx, { action, objectType: type, objectId: id, result: 'success', details }),
    );
  }

  return {
    /** The parties' side: their measures' signed instructions, read and answered. */
    instructions: { list: instructions.list, get: instructions.get, answer: instructions.answer },
    /** Escalates the instructions past their deadline unanswered (see `startTwoCardInstructionSweep`). */
    sweepInstructionsOnce: instructions.sweepOnce,
    /** For the two-cards consumer: the instructions a holder's newly found card calls for. */
    issueMissing: instructions.issueMissing,

    /** Holders in at least `minCases` cases, most cases first. */
    async holders(query: { minCases: number; limit: number }): Promise<TwoCardHolderList> {
      const counts = await repo.holderCounts(db, { ...query, at: clock.now() });
      const rows = new Map(
        (
          await repo.holders(
            db,
            counts.map((c) => c.holder_id),
          )
        ).map((h) => [h.id, h]),
      );
      return { items: counts.map((c) => toSummary(rows.get(c.holder_id)!, c)) };
    },

    /** A holder: their whole ID number, their cards with the cases each was found in, their measures. */
    async holder(id: string): Promise<TwoCardHolderDetail> {
      const [h] = await repo.holders(db, [id]);
      if (!h) throw noHolder();
      const [counts] = await repo.holderCounts(db, { minCases: 0, limit: 1, ids: [id], at: clock.now() });
      const cards = await repo.cardsOfHolder(db, id);
      const cases = await repo.casesOfCards(
        db,
        cards.map((c) => c.id),
      );
      const measures = await repo.measures(db, { holderId: id, at: clock.now(), limit: 500 });
      return {
        holder: { ...toSummary(h, counts), idNumber: h.id_number },
        cards: cards.map((c) => ({
          id: c.id,
          kind: c.kind,
          number: c.number,
          institution: c.institution,
          placeCode: c.place_code,
          placeName: c.place_name,
          openedOn: c.opened_on,
          holderId: c.holder_id,
          reportIds: cases.filter((k) => k.card_id === c.id).map((k) => k.report_id),
          firstSeenAt: c.first_seen_at.toISOString(),
        })),
        measures: await measureViews(measures),
      };
    },

    /**
     * The league of branches (bank cards) or outlets (SIMs): the centre's staff see every institution; a bank's
     * liaison only their bank's branches, an operator's liaison only their operator's outlets.
     */
    async league(actor: Actor, query: { kind: 'bank' | 'operator'; limit: number }): Promise<TwoCardLeague> {
      let institution: string | null = null;
      if (actor.role === 'bank_liaison' || actor.role === 'telecom_liaison') {
        const own = actor.role === 'bank_liaison' ? 'bank' : 'operator';
        if (query.kind !== own)
          throw new AppError('forbidden', `A ${actor.role.replace('_', ' ')} reads the ${own} league only`);
        institution = actor.role === 'bank_liaison' ? actor.bankCode : actor.operatorCode;
        if (!institution) throw new AppError('forbidden', 'The account is bound to no institution');
      }
      const rows = await repo.league(db, {
        kind: query.kind === 'bank' ? 'bank' : 'sim',
        institution,
        limit: query.limit,
      });
      return {
        kind: query.kind,
        rows: rows.map((r) => ({
          institution: r.institution,
          placeCode: r.place_code,
          placeName: r.place_name,
          cardCount: r.card_count,
          holderCount: r.holder_count,
          caseCount: r.case_count,
        })),
      };
    },

    /** Takes the good rows of an import (holders made, cards made or updated); the bad ones reported by line. */
    async importCards(ctx: Ctx, body: TwoCardImportRequest): Promise<TwoCardImportResult> {
      const today = ctx.at;
      const checked =
        body.format === 'csv'
          ? checkTwoCardCsv(body.csv, today)
          : body.rows.map((r, i) => checkTwoCardImportRow(i + 1, r, today));
      const problems = checked.filter(isImportProblem);
      // The last row naming a card wins, as a later line corrects an earlier one.
      const good = new Map<string, ImportedTwoCard>();
      for (const r of checked) if (!isImportProblem(r)) good.set(twoCardKey(r.card), r);
      const rows = [...good.values()].sort((a, b) => (twoCardKey(a.card) < twoCardKey(b.card) ? -1 : 1));
      let issued = 0;
      const result = await db.transaction().execute(async (trx) => {
        const people = new Map(
          rows.map((r) => [
            r.holderIdNumber,
            {
              id: randomUUID(),
              idNumber: r.holderIdNumber,
              countyCode: holderCountyOf(r.holderIdNumber, today),
            },
          ]),
        );
        const holders = await repo.holdersFor(trx, [...people.values()], ctx.at);
        const written = await repo.cardsImported(
          trx,
          rows.map((r) => ({
            id: randomUUID(),
            kind: r.card.kind,
            number: r.card.number,
            institution: (r.card.kind === 'bank' ? r.card.bankCode : r.card.operator)!,
            place_code: r.placeCode,
            place_name: r.placeName,
            opened_on: r.openedOn,
            holder_id: holders.ids.get(r.holderIdNumber)!,
          })),
          ctx.at,
        );
        // A card named for a holder already under a measure reaches its bank (or operator) too.
        issued = await instructions.issueMissing(trx, [...holders.ids.values()], ctx.at, ctx);
        const result: TwoCardImportResult = {
          accepted: checked.length - problems.length,
          cardsCreated: written.created,
          cardsUpdated: written.updated,
          holdersCreated: holders.created,
          problems,
        };
        await audit(ctx, trx, 'two_cards.import', 'two_card_import', randomUUID(), {
          format: body.format,
          ...result,
          problems: problems.length,
        });
        return result;
      });
      if (issued > 0) deps.wake();
      return result;
    },

    /** Records a measure against a holder; its end is its start plus the configured period of its kind. */
    async recordMeasure(
      ctx: Ctx,
      holderId: string,
      body: RecordTwoCardMeasureRequest,
      key: string | undefined,
    ): Promise<TwoCardMeasureView> {
      const scoped = key ? `${ctx.actor.userId}:${key}` : null;
      const startsAt = new Date(body.startsAt);
      const endsAt = measureEndsAt(body.kind, startsAt, deps.periods);
      // A start so late that its end passes the year 9999 has an end no timestamp holds.
      if (!isStorableTime(endsAt))
        throw validationError([
          {
            field: 'body.startsAt',
            reason: 'too_big',
            message: 'the measure would end after the year 9999',
          },
        ]);
      const row = await db.transaction().execute(async (trx) => {
        if (scoped) {
          const earlier = await repo.measureByKey(trx, scoped);
          // The key answers its own measure only: never another holder's, nor one of another kind.
          if (earlier && (earlier.holder_id !== holderId || earlier.kind !== body.kind))
            throw new AppError('conflict', 'This Idempotency-Key was used with another measure', [
              {
                field: 'header.idempotency-key',
                reason: 'idempotency.reused',
                message: 'used for another holder or kind',
              },
            ]);
          if (earlier) return earlier;
        }
        const holder = await repo.lockHolder(trx, holderId);
        if (!holder) throw noHolder();
        const m = await repo.insertMeasure(trx, {
          id: randomUUID(),
          holder_id: holderId,
          kind: body.kind,
          starts_at: startsAt,
          ends_at: endsAt,
          reason: body.reason,
          deciding_unit: body.decidingUnit,
          created_by: ctx.actor.userId,
          created_at: ctx.at,
          idempotency_key: scoped,
        });
        await audit(ctx, trx, 'two_cards.measure_record', 'two_card_measure', m.id, {
          holderId,
          kind: m.kind,
          startsAt: m.starts_at.toISOString(),
          endsAt: m.ends_at.toISOString(),
          decidingUnit: m.deciding_unit,
          reason: m.reason,
        });
        // Signed to each party that carries it out, in the same transaction: recorded means sent — unless it
        // has ended already (a past measure put on record): nothing is left to carry out, as for a card found
        // after a measure ended.
        const dates = { startsAt: m.starts_at, endsAt: m.ends_at, liftedAt: m.lifted_at };
        if (measureStateAt(dates, ctx.at) !== 'ended')
          await instructions.issue(trx, m, holder, 'apply', ctx.at);
        return m;
      });
      deps.wake();
      return (await measureViews([row]))[0]!;
    },

    async measures(query: {
      holderId?: string | undefined;
      state?: TwoCardMeasureView['state'] | undefined;
      limit: number;
    }): Promise<{ items: TwoCardMeasureView[] }> {
      const rows = await repo.measures(db, {
        ...(query.holderId ? { holderId: query.holderId } : {}),
        ...(query.state ? { state: query.state } : {}),
        at: clock.now(),
        limit: query.limit,
      });
      return { items: await measureViews(rows) };
    },

    /** The measures against the holder of an ID number (an appeal's subject); none when no such holder. */
    async measuresOfIdNumber(idNumber: string): Promise<TwoCardMeasureView[]> {
      const holderId = await repo.holderIdByIdNumber(db, idNumber);
      if (!holderId) return [];
      return measureViews(await repo.measures(db, { holderId, at: clock.now(), limit: 500 }));
    },

    /** Lifts a measure pending or in force, with a reason. `409` once lifted or ended. */
    async liftMeasure(ctx: Ctx, id: string, body: { reason: string }): Promise<TwoCardMeasureView> {
      const row = await db.transaction().execute(async (trx) => {
        const m = await repo.lockMeasure(trx, id);
        if (!m) throw noMeasure();
        const dates = { startsAt: m.starts_at, endsAt: m.ends_at, liftedAt: m.lifted_at };
        if (!isLiftable(dates, ctx.at)) {
          const message = `The measure is ${measureStateAt(dates, ctx.at)}: it cannot be lifted`;
          throw new AppError('conflict', message, [
            { field: 'params.id', reason: 'two_cards.measure_state', message },
          ]);
        }
        const after = await repo.liftMeasure(trx, id, {
          lifted_at: ctx.at,
          lifted_by: ctx.actor.userId,
          lift_reason: body.reason,
        });
        await audit(ctx, trx, 'two_cards.measure_lift', 'two_card_measure', id, {
          holderId: m.holder_id,
          kind: m.kind,
          reason: body.reason,
        });
        await instructions.withdraw(trx, ctx, id);
        const [holder] = await repo.holders(trx, [m.holder_id]);
        if (holder) await instructions.issue(trx, after, holder, 'lift', ctx.at);
        return after;
      });
      deps.wake();
      return (await measureViews([row]))[0]!;
    },

    /**
     * Hands a holder to their county's police as a task with a deadline (the supervision queue keeps it). A
     * second hand-off replaces the first task's owner and deadline.
     */
    async handOff(
      ctx: Ctx,
      holderId: string,
      body: HandOffTwoCardHolderRequest,
    ): Promise<TwoCardHolderSummary> {
      const dueAt = new Date(body.dueAt);
      if (dueAt <= ctx.at)
        throw validationError([
          { field: 'body.dueAt', reason: 'in_past', message: 'must be later than now' },
        ]);
      // A county given must be one of the province's county-level units, as a county task's transfer's.
      if (body.countyCode !== undefined) {
        const given = validateCountyCode(body.countyCode);
        if (!given.ok)
          throw validationError([{ field: 'body.countyCode', reason: given.reason, message: given.message }]);
      }
      await db.transaction().execute(async (trx) => {
        const h = await repo.lockHolder(trx, holderId);
        if (!h) throw noHolder();
        const county = body.countyCode ?? h.county_code;
        if (!county)
          throw new AppError('conflict', 'The holder’s ID number names no current county: give countyCode', [
            {
              field: 'body.countyCode',
              reason: 'required',
              message: 'the holder’s ID number names no current county',
            },
          ]);
        await repo.setHandOff(trx, holderId, {
          hand_off_county_code: county,
          hand_off_due_at: dueAt,
          handed_off_at: ctx.at,
        });
        const [counts] = await repo.holderCounts(trx, { minCases: 0, limit: 1, ids: [holderId], at: ctx.at });
        const task: TaskReport = {
          kind: 'two-cards',
          sourceId: holderId,
          title: `断卡移交：持卡人 ${maskIdNumber(h.id_number)}，${counts?.card_count ?? 0} 张卡，涉 ${counts?.case_count ?? 0} 起案件`,
          reportId: null,
          owner: { unitKind: 'county', unitCode: county, userId: null },
          openedAt: ctx.at.toISOString(),
          dueAt: dueAt.toISOString(),
          status: 'open',
          doneAt: null,
          feedback: null,
        };
        await enqueue(trx, newEvent('task.reported', { task }, clock));
        await audit(ctx, trx, 'two_cards.hand_off', 'two_card_holder', holderId, {
          countyCode: county,
          dueAt: dueAt.toISOString(),
          reason: body.reason,
        });
      });
      deps.wake();
      const [h] = await repo.holders(db, [holderId]);
      const [counts] = await repo.holderCounts(db, {
        minCases: 0,
        limit: 1,
        ids: [holderId],
        at: clock.now(),
      });
      return toSummary(h!, counts);
    },
  };
}
export type TwoCardsService = ReturnType<typeof createTwoCardsService>;
