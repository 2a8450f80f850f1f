import type {
  CountermeasureInstruction,
  CountermeasureLiftInstruction,
  CountermeasureView,
  TaskReport,
} from '@fanzha/contracts';
import { countermeasureKindNamesZh, isAwaitingParty } from '@fanzha/domain';
import { wireAlgorithm } from '../../platform/crypto/signer';
import type { CountermeasureRow } from './countermeasures.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const json = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
/**
 * A signature's algorithm as the bank protocol names it (`Ed25519`, `SM2`: as on instructions and the signing key),
 * from the signer's name recorded beside it (`ed25519`, `sm2`). Only the view changes: the signed bytes are the
 * instruction's, which never named its algorithm.
 */
const onWire = (recorded: string) => wireAlgorithm(recorded.toLowerCase() === 'sm2' ? 'sm2' : 'ed25519');

/** The signed lift, once asked: all four columns are written together (lifts asked before they were, none). */
function liftOf(r: CountermeasureRow): CountermeasureView['lift'] {
  if (r.lift_instruction === null || !r.lift_signature || !r.lift_key_id || !r.lift_algorithm) return null;
  return {
    instruction: json<CountermeasureLiftInstruction>(r.lift_instruction),
    signature: r.lift_signature,
    keyId: r.lift_key_id,
    algorithm: onWire(r.lift_algorithm),
  };
}

export function toCountermeasureView(r: CountermeasureRow): CountermeasureView {
  const instruction = json<CountermeasureInstruction>(r.instruction);
  return {
    id: r.id,
    batchId: r.batch_id,
    kind: r.kind,
    partyKind: r.party_kind,
    partyCode: r.party_code,
    indicatorId: r.indicator_id === null ? null : Number(r.indicator_id),
    value: r.value,
    reason: r.reason,
    status: r.status,
    refusalReason: r.refusal_reason,
    note: r.note,
    liftReason: r.lift_reason,
    requestedAt: r.requested_at.toISOString(),
    acknowledgedAt: iso(r.acknowledged_at),
    executedAt: iso(r.executed_at),
    refusedAt: iso(r.refused_at),
    liftRequestedAt: iso(r.lift_requested_at),
    liftedAt: iso(r.lifted_at),
    dueAt: iso(r.due_at),
    isOverdue: r.overdue_at !== null && isAwaitingParty(r.status),
    instruction,
    signature: r.signature,
    keyId: r.key_id,
    algorithm: onWire(r.algorithm),
    lift: liftOf(r),
  };
}

/** The countermeasure as a task of the supervision queue (督办): its party answers for it within the SLA. */
export function taskOfCountermeasure(v: CountermeasureView): TaskReport {
  const awaiting = isAwaitingParty(v.status);
  const doneAt = v.liftedAt ?? v.refusedAt ?? v.executedAt;
  return {
    kind: 'countermeasure',
    sourceId: v.id,
    title:
      `${countermeasureKindNamesZh[v.kind]}${v.status === 'lift_requested' ? '（解除）' : ''} ${v.value}`.slice(
        0,
        200,
      ),
    reportId: null,
    owner: { unitKind: v.partyKind, unitCode: v.partyCode, userId: null },
    openedAt: v.liftRequestedAt ?? v.requestedAt,
    dueAt: v.dueAt,
    status: awaiting ? 'open' : 'done',
    doneAt: awaiting ? null : doneAt,
    feedback: awaiting
      ? null
      : `${v.status}${v.refusalReason ? `：${v.refusalReason}` : ''}${v.note ? ` ${v.note}` : ''}`.slice(
          0,
          2000,
        ),
  };
}
