import {
  nextStopPaymentStatus,
  type Clock,
  type EventEnvelope,
  type StopPaymentEvent,
  type StopPaymentStatus,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import type { AuditContext } from '../audit/index';
import type { BankInstructionService } from '../bank-protocol/index';
import { isOwnCounty, type StopPaymentRow } from '../case/index';
import type { RequestWriter } from './stop-payment.requests';
import { stopPaymentRepository as repo, type ReportMilestonesRead } from './stop-payment.repository';

export type Trx = Transaction<DB>;
export type Ctx = AuditContext & { actor: Actor };

/** Sets a report's first-instruction and first-result moments, each only once (the reports module's table). */
export type MarkReportMilestones = (
  trx: Trx,
  reportId: string,
  at: { firstInstructionSentAt?: Date; firstStopResultAt?: Date },
) => Promise<void>;

/**
 * Of the milestones a change reached, those its lock read as unset: one read as set is left out (each is set
 * once and never cleared), so most sends and answers, which come after their report's first, run no update.
 */
export function unsetMilestones(
  read: ReportMilestonesRead,
  at: { firstInstructionSentAt?: Date; firstStopResultAt?: Date },
): { firstInstructionSentAt?: Date; firstStopResultAt?: Date } {
  return {
    ...(at.firstInstructionSentAt && read.firstInstructionSentAt === null
      ? { firstInstructionSentAt: at.firstInstructionSentAt }
      : {}),
    ...(at.firstStopResultAt && read.firstStopResultAt === null
      ? { firstStopResultAt: at.firstStopResultAt }
      : {}),
  };
}

export interface StopPaymentDeps {
  db: Kysely<DB>;
  clock: Clock;
  bankInstructions: BankInstructionService;
  /** Tells the outbox relay that events were committed (so it need not wait for its poll). */
  wake: () => void;
  markReportMilestones: MarkReportMilestones;
}

/** What the use cases of this module share. */
export interface StopPaymentContext extends StopPaymentDeps {
  writer: RequestWriter;
  /** Adds the current views' events of requests changed in `trx` (read back: for changes made elsewhere). */
  changedEvents(trx: Trx, ids: string[], events: EventEnvelope[]): Promise<void>;
}

/** Each event's word in a refusal: "it cannot be acknowledged". */
const eventDone: Record<StopPaymentEvent, string> = {
  send: 'sent',
  ack: 'acknowledged',
  answer_stopped: 'answered',
  answer_failed: 'answered',
  withdraw: 'withdrawn',
};

export function transition(row: StopPaymentRow, event: StopPaymentEvent): StopPaymentStatus {
  const next = nextStopPaymentStatus(row.status, event);
  if (!next) throw new AppError('conflict', `The request is ${row.status}: it cannot be ${eventDone[event]}`);
  return next;
}

/**
 * Locks an instruction for its bank's answer or acknowledgement. Another bank's instruction, or one not yet
 * sent, does not exist as far as a bank can tell.
 */
export async function lockForBank(trx: Trx, actor: Actor, id: string) {
  const locked = await repo.lock(trx, id);
  if (
    !locked ||
    locked.row.bank_code !== actor.bankCode ||
    ['pending', 'withdrawn'].includes(locked.row.status)
  )
    throw new AppError('not_found', 'No such instruction for your bank');
  return locked;
}

/** Locks a request for a change by the actor, with its report's facts; out of scope, it does not exist. */
export async function lockInScope(trx: Trx, actor: Actor, id: string) {
  const locked = await repo.lock(trx, id);
  // County police act on the cases their county owns (the same check as isInScope, on the facts in hand).
  if (!locked || (actor.role === 'county_police' && !isOwnCounty(actor, locked.report.owningCountyCode)))
    throw new AppError('not_found', 'No such stop-payment request');
  return locked;
}

/** Locks a request for a change by the actor; out of scope, it does not exist. */
export async function lockRequest(trx: Trx, actor: Actor, id: string): Promise<StopPaymentRow> {
  return (await lockInScope(trx, actor, id)).row;
}

/**
 * Where the holder's ID number a bank's answer gives is sealed in the answer's `stop-payment.changed` event
 * (bound to the request's id): the two-cards consumer opens it.
 */
export const HOLDER_ID_NUMBER_PLACE = 'stop_payment.answer_holder_id_number';
