import type { SignedInstruction } from '@fanzha/contracts';
import { wireAlgorithm } from '../../platform/crypto/signer';
import type { BankInstructionRow } from './bank-instructions.repository';

/** An instruction as a bank sees it: exactly as signed, with its state and its place in the bank's feed. */
export function toSignedInstruction(r: BankInstructionRow): SignedInstruction {
  return {
    instruction: r.payload as SignedInstruction['instruction'],
    signature: r.signature,
    keyId: r.key_id,
    algorithm: wireAlgorithm(r.signature_alg ?? 'ed25519'),
    kind: r.kind,
    status: r.status,
    sequence: String(r.seq ?? 0),
    updatedAt: r.updated_at.toISOString(),
    deadlineAt: r.deadline_at?.toISOString() ?? null,
    answer: r.answered_at
      ? {
          outcome: r.status,
          amountFen: r.amount_fen,
          executedAt: r.executed_at?.toISOString() ?? null,
          bankReference: r.bank_reference,
          failureReason: r.failure_reason,
          note: r.note,
          answeredAt: r.answered_at.toISOString(),
          answeredBy: r.answered_by ?? '',
        }
      : null,
  };
}
