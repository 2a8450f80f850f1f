import { z } from 'zod';
import { OnwardTransfer, StopFailureReason, StopPaymentStatus } from './stop-payments';

const datetime = z.iso.datetime({ offset: true });

/**
 * What the centre instructs a bank to do, exactly as signed. Banks verify `signature` (Ed25519, base64)
 * over the canonical JSON of `instruction` (keys sorted at every depth, no spaces) with the centre's
 * public key from `GET /api/bank/signing-key`.
 */
export const SignedInstruction = z
  .object({
    instruction: z.object({
      type: z.literal('emergency_stop_payment'),
      instructionId: z.uuid(),
      bankCode: z.string(),
      account: z.object({ number: z.string(), name: z.string().nullable() }),
      amountFen: z.number().int().describe('Amount involved'),
      transferredAt: datetime.nullable(),
      legalDocNumber: z.string(),
      layer: z.number().int(),
      parentInstructionId: z.uuid().nullable(),
      reportNumber: z.string(),
      issuedAt: datetime,
      expiresAt: datetime.describe(
        'An emergency stop lasts 48 hours from the stop unless converted to a freeze',
      ),
      issuer: z.string(),
      stopSeq: z
        .number()
        .int()
        .optional()
        .describe('2 on the second emergency stop of the account in the case'),
      renewsInstructionId: z.uuid().optional().describe('The instruction a second emergency stop renews'),
    }),
    signature: z.string(),
    keyId: z.string(),
    status: StopPaymentStatus,
  })
  .meta({ id: 'SignedInstruction' });
export type SignedInstruction = z.infer<typeof SignedInstruction>;

export const InstructionList = z
  .object({ instructions: z.array(SignedInstruction) })
  .meta({ id: 'InstructionList' });
export type InstructionList = z.infer<typeof InstructionList>;

export const InstructionQuery = z.object({
  status: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe('Default: sent,acknowledged (awaiting an answer)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * The bank's answer. Send it with an `Idempotency-Key` header (any unique string per answer, up to 128
 * characters): a retried or duplicated answer with the same key returns the first answer's result and
 * changes nothing; a different answer to an already answered instruction is refused (409).
 */
export const InstructionResultRequest = z
  .object({
    outcome: z.enum(['stopped', 'failed']),
    stoppedFen: z.number().int().min(0).max(1e13).default(0).describe('Amount now stopped on the account'),
    balanceFen: z.number().int().min(0).max(1e13).optional().describe('Balance at the time of the stop'),
    failureReason: StopFailureReason.optional().describe('Required when outcome is failed'),
    note: z.string().max(500).optional(),
    onwardTransfers: z
      .array(OnwardTransfer)
      .max(100)
      .default([])
      .describe('Money that already left the account: each becomes a stop-payment request one layer deeper'),
  })
  .meta({ id: 'InstructionResultRequest' });
export type InstructionResultRequest = z.input<typeof InstructionResultRequest>;
/** The answer as the server has it after validation (defaults filled in). */
export type InstructionResult = z.output<typeof InstructionResultRequest>;

export const SigningKey = z
  .object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyPem: z.string() })
  .meta({ id: 'SigningKey' });
export type SigningKey = z.infer<typeof SigningKey>;
