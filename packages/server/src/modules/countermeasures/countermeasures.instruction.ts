import type { CountermeasureLiftInstruction } from '@fanzha/contracts';
import { randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { CountermeasureTable } from '../../db/schema';
import type { Signer } from '../../platform/crypto/signer';
import type { CountermeasureRow } from './countermeasures.repository';

/**
 * The signed lift of an executed countermeasure: what the centre asks its party to undo, signed with the
 * instruction key as the request was, so the party acts only on a lift the centre made. Its own id is a fresh
 * nonce and `action: "lift"` sets it apart from any request; it is made once, when the lift is asked.
 */
export function signLift(
  signer: Signer,
  r: CountermeasureRow,
  reason: string,
  at: Date,
  dueAt: Date,
): {
  instructionId: string;
  columns: Pick<
    Updateable<CountermeasureTable>,
    'lift_instruction' | 'lift_signature' | 'lift_key_id' | 'lift_algorithm'
  >;
} {
  const instruction: CountermeasureLiftInstruction = {
    id: randomUUID(),
    action: 'lift',
    countermeasureId: r.id,
    kind: r.kind,
    partyKind: r.party_kind,
    partyCode: r.party_code,
    value: r.value,
    reason,
    requestedAt: at.toISOString(),
    dueAt: dueAt.toISOString(),
  };
  return {
    instructionId: instruction.id,
    columns: {
      lift_instruction: JSON.stringify(instruction),
      lift_signature: signer.sign(instruction),
      lift_key_id: signer.keyId,
      lift_algorithm: signer.algorithm,
    },
  };
}
