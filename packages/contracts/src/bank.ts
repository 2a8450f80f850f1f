import {
  BANK_PROTOCOL_VERSION,
  bankInstructionKinds,
  bankInstructionStatuses,
  EMERGENCY_STOP_HOURS,
  measureFailureReasons,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { Payee } from './freezes';
import { AccountUse, OnwardTransfer, StopFailureReason } from './stop-payments';

const fen = z.number().int().min(0).max(1e13);
const uuid = z.uuid();

export const BankInstructionKind = z.enum(bankInstructionKinds).meta({ id: 'BankInstructionKind' });
export type BankInstructionKind = z.infer<typeof BankInstructionKind>;
export const BankInstructionStatus = z.enum(bankInstructionStatuses).meta({ id: 'BankInstructionStatus' });
export const MeasureFailureReason = z.enum(measureFailureReasons).meta({ id: 'MeasureFailureReason' });

/** What every signed instruction carries, whatever its kind. */
const common = {
  version: z
    .literal(BANK_PROTOCOL_VERSION)
    .describe('Version of the signed shape (see the protocol changelog)'),
  instructionId: uuid,
  bankCode: z.string(),
  account: z
    .looseObject({ number: z.string(), name: z.string().nullable() })
    .describe('The account at your bank the measure applies to'),
  reportNumber: z.string(),
  issuedAt: datetime,
  issuer: z.string(),
};

const EmergencyStop = z
  .looseObject({
    type: z.literal('emergency_stop_payment'),
    ...common,
    amountFen: z.number().int().describe('Amount involved: the money that reached the account'),
    transferredAt: datetime.nullable(),
    legalDocNumber: z.string(),
    layer: z.number().int(),
    parentInstructionId: uuid.nullable(),
    lapsesAfterHours: z
      .literal(EMERGENCY_STOP_HOURS)
      .describe(
        'The stop lapses this many hours after the moment you stopped the account (`stoppedAt` in your answer), ' +
          'unless a freeze or the second emergency stop follows; fanzha sends a `stop_lapsed` notice then',
      ),
    stopSeq: z.union([z.literal(1), z.literal(2)]).describe('2 on the second (and last) emergency stop'),
    renewsInstructionId: uuid.nullable().describe('The emergency stop a second stop renews'),
  })
  .meta({ id: 'EmergencyStopInstruction' });

const Freeze = z
  .looseObject({
    type: z.literal('freeze'),
    ...common,
    stopInstructionId: uuid.describe('The emergency stop this freeze converts'),
    amountFen: z.number().int().describe('Freeze at most this amount (协助冻结)'),
    decisionNumber: z.string().describe('冻结决定书 number'),
    endsAt: datetime.describe('The freeze ends at this instant unless renewed (at most six months)'),
    reason: z.string(),
    appealChannel: z.string().describe('Where the account holder may appeal; tell them when they ask'),
  })
  .meta({ id: 'FreezeInstruction' });

const FreezeRenewal = z
  .looseObject({
    type: z.literal('freeze_renewal'),
    ...common,
    freezeInstructionId: uuid,
    decisionNumber: z.string(),
    previousEndsAt: datetime,
    endsAt: datetime.describe('The new end of the freeze'),
  })
  .meta({ id: 'FreezeRenewalInstruction' });

const Release = z
  .looseObject({
    type: z.literal('release'),
    ...common,
    freezeInstructionId: uuid,
    amountFen: z
      .number()
      .int()
      .describe('Release this much of the frozen money (解冻); the rest stays frozen'),
    decisionNumber: z.string(),
  })
  .meta({ id: 'ReleaseInstruction' });

const Return = z
  .looseObject({
    type: z.literal('return'),
    ...common,
    freezeInstructionId: uuid,
    amountFen: z.number().int().describe('Return this much of the frozen money to the payee (资金返还)'),
    payee: z.looseObject(Payee.shape).describe("The victim's account the money goes back to"),
    decisionNumber: z.string(),
    dueAt: datetime.describe('Due by the end of the third working day in China after the approval'),
  })
  .meta({ id: 'ReturnInstruction' });

const StopLapsed = z
  .looseObject({
    type: z.literal('stop_lapsed'),
    ...common,
    stopInstructionId: uuid,
    stoppedAt: datetime,
    lapsedAt: datetime.describe('48 hours after the stop: no freeze or second stop followed'),
  })
  .meta({ id: 'StopLapsedNotice' });

/**
 * What a protective hold's instructions carry in place of a report's: no report number (a hold belongs to a
 * warning episode) and an account only when the officer named one.
 */
const holdCommon = {
  version: common.version,
  instructionId: uuid,
  bankCode: z.string(),
  account: z
    .looseObject({ number: z.string(), name: z.string().nullable() })
    .nullable()
    .describe(
      'The account to hold, when the centre names one; null: every account of the person at your bank',
    ),
  issuedAt: datetime,
  issuer: z.string(),
  episodeId: uuid.describe('The warning episode (预警事件) the hold belongs to'),
};

const ProtectiveHold = z
  .looseObject({
    type: z.literal('protective_hold'),
    ...holdCommon,
    person: z
      .looseObject({
        name: z.string().nullable(),
        idNumber: z.string().nullable(),
        phone: z.string().nullable().describe('E.164'),
      })
      .describe('Your customer to protect: at least one of the ID number and the mobile is given'),
    hours: z.number().int().min(1).max(72),
    startsAt: datetime,
    endsAt: datetime.describe(
      'The hold lapses by itself at this instant: no further instruction is sent for the lapse',
    ),
    reason: z.string(),
    appealChannel: z
      .looseObject({
        centre: z.string(),
        phone: z.string(),
        verifyUrl: z
          .string()
          .nullable()
          .describe('Where the customer checks that the hold is genuine, when the centre publishes one'),
      })
      .describe('Whom the customer may ask or appeal to; tell them when they ask why a transfer is held'),
    requestedBy: z.string().describe('The officer who requested the hold'),
    approvedBy: z.string().describe('The second officer who approved it'),
  })
  .meta({ id: 'ProtectiveHoldInstruction' });

const ProtectiveHoldRelease = z
  .looseObject({
    type: z.literal('protective_hold_release'),
    ...holdCommon,
    holdInstructionId: uuid.describe('The protective hold to lift now, before its end'),
    releasedBy: z.string(),
    releasedAt: datetime,
  })
  .meta({ id: 'ProtectiveHoldReleaseInstruction' });

/** Version 1 emergency stops, signed before the upgrade: kept exactly as signed so their signatures verify. */
const LegacyEmergencyStop = z
  .looseObject({
    type: z.literal('emergency_stop_payment'),
    instructionId: uuid,
    bankCode: z.string(),
    expiresAt: datetime.describe(
      'Version 1 counted 48 hours from the send: use the item’s deadlineAt instead',
    ),
  })
  .meta({ id: 'LegacyEmergencyStopInstruction' });

/**
 * The signed instruction itself, one shape per kind (`type`). Objects are open, at every depth: a later version
 * may add fields, and the bytes you verify are exactly those signed (a closed nested object would drop a field
 * it does not name from the response, and the signature would no longer verify).
 */
export const Instruction = z
  .union([
    EmergencyStop,
    Freeze,
    FreezeRenewal,
    Release,
    Return,
    StopLapsed,
    ProtectiveHold,
    ProtectiveHoldRelease,
    LegacyEmergencyStop,
  ])
  .meta({ id: 'Instruction' });
export type Instruction = z.infer<typeof Instruction>;
export type InstructionOf<K extends BankInstructionKind> = Extract<
  z.infer<
    | typeof EmergencyStop
    | typeof Freeze
    | typeof FreezeRenewal
    | typeof Release
    | typeof Return
    | typeof StopLapsed
    | typeof ProtectiveHold
    | typeof ProtectiveHoldRelease
  >,
  { type: K }
>;

/** What the bank reported, as the centre recorded it (not signed by the centre). */
export const BankAnswerView = z
  .object({
    outcome: BankInstructionStatus,
    amountFen: z
      .number()
      .int()
      .nullable()
      .describe('Stopped, frozen, released or returned, as the bank confirmed'),
    executedAt: datetime.nullable().describe('When the bank did it'),
    bankReference: z.string().nullable(),
    failureReason: z.string().nullable(),
    note: z.string().nullable(),
    answeredAt: datetime,
    answeredBy: z.string(),
  })
  .meta({ id: 'BankAnswer' });

/** Signature algorithms of the bank protocol: Ed25519, or SM2 (GB/T 32918, with SM3) at a centre set to them. */
export const SignatureAlgorithm = z.enum(['Ed25519', 'SM2']);

/**
 * One instruction in a bank's queue: exactly as signed, with its state. Banks verify `signature` (base64, in
 * `algorithm`) over the canonical JSON of `instruction` (keys sorted at every depth, no spaces) with the
 * centre's public key from `GET /api/bank/signing-key` (`keyId` names it).
 */
export const SignedInstruction = z
  .object({
    instruction: Instruction,
    signature: z.string(),
    keyId: z.string(),
    algorithm: SignatureAlgorithm.describe(
      'The signature’s algorithm: Ed25519 (64 bytes), or SM2 (r ‖ s, 64 bytes, over SM3(Z ‖ message) with the default user id 1234567812345678)',
    ),
    kind: BankInstructionKind,
    status: BankInstructionStatus,
    sequence: z
      .string()
      .describe('Position in your bank’s change feed: moves on every change; pass it as `after` to resume'),
    updatedAt: datetime,
    deadlineAt: datetime
      .nullable()
      .describe(
        'The legal deadline now running, or null where none runs: an emergency stop’s lapse (48 h after the stop ' +
          'you confirmed) until a freeze holds it, a second stop renews it or it lapses; a freeze’s end while it is ' +
          'requested or in force; for an open renewal, the freeze’s current end; an open return’s due time; a ' +
          'protective hold’s end until it is refused or its release confirmed. Not part of the signed instruction: ' +
          'when it changes the item moves in your feed',
      ),
    answer: BankAnswerView.nullable(),
  })
  .meta({ id: 'SignedInstruction' });
export type SignedInstruction = z.infer<typeof SignedInstruction>;

export const InstructionList = z
  .object({
    instructions: z.array(SignedInstruction),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Pass as `after` for the next page, or later to get only what changed since; null when empty',
      ),
    hasMore: z.boolean().describe('More instructions match beyond this page'),
  })
  .meta({ id: 'InstructionList' });
export type InstructionList = z.infer<typeof InstructionList>;

export const InstructionQuery = z
  .strictObject({
    status: z
      .string()
      .regex(/^[a-z]+(,[a-z]+)*$/)
      .optional()
      .describe('Comma-separated statuses; default the open ones: sent,acknowledged. `all` for every status'),
    kind: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/)
      .optional()
      .describe('Comma-separated kinds; default all'),
    after: z
      .string()
      .regex(/^[0-9]{1,18}$/)
      .optional()
      .describe('A `sequence` (or `nextCursor`): only instructions changed after it'),
    updatedSince: datetime.optional().describe('Only instructions changed at or after this instant'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .describe('Ordered by `sequence`, the order in which instructions changed: a stable order for polling');

/**
 * The bank's answer to an emergency stop. Send it with an `Idempotency-Key` header (any unique string per
 * answer, up to 128 characters): a retried or duplicated answer with the same key returns the first answer's
 * result and changes nothing; a different answer to an already answered instruction is refused (409).
 */
export const InstructionResultRequest = z
  .strictObject({
    outcome: z.enum(['stopped', 'failed']),
    stoppedFen: fen.describe('Amount now stopped on the account (0 when failed)'),
    balanceFen: fen.optional().describe('Balance at the time of the stop; stoppedFen may not exceed it'),
    stoppedAt: datetime
      .optional()
      .describe(
        'When you stopped the account: the 48 hours run from here. Omitted: the moment fanzha receives the answer',
      ),
    failureReason: StopFailureReason.optional().describe('Required when outcome is failed'),
    note: z.string().trim().min(1).max(500).optional().describe('Required when failureReason is other'),
    onwardTransfers: z
      .array(OnwardTransfer)
      .max(100)
      .describe(
        'Money that already left the account (an empty list when none): each becomes an emergency stop one layer ' +
          'deeper, sent at once to its bank',
      ),
    accountUse: AccountUse.optional().describe(
      'What the answered account is used for, when you know: a merchant, payroll or business account is ' +
        'reviewed by the centre before it is frozen',
    ),
    holderIdNumber: z
      .string()
      .max(32)
      .optional()
      .describe(
        'The resident ID number (18 characters, with its check character) of the answered account’s holder, ' +
          'when you know it: it goes to the centre’s two-cards (断卡) registry only, sealed, and is never shown ' +
          'on the desks. A wrong number is refused (400, field body.holderIdNumber) and nothing is recorded',
      ),
  })
  .meta({ id: 'InstructionResultRequest' });
export type InstructionResultRequest = z.input<typeof InstructionResultRequest>;
export type InstructionResult = z.output<typeof InstructionResultRequest>;

/**
 * The bank's confirmation of a freeze, renewal, release, return, lapse notice, protective hold or its release:
 * what it actually did. Sent
 * with an `Idempotency-Key` header, like an answer.
 */
export const MeasureConfirmationRequest = z
  .discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z
        .enum(['frozen', 'renewed', 'released', 'returned', 'lifted', 'held'])
        .describe(
          'Must match the kind: frozen (freeze), renewed, released, returned, lifted (stop_lapsed, ' +
            'protective_hold_release), held (protective_hold)',
        ),
      executedAt: datetime.describe('When you did it; not in the future, not before the instruction'),
      amountFen: fen
        .optional()
        .describe(
          'Required for freeze, release and return: the amount actually frozen, released or returned (at most the ' +
            'instruction’s; less is a partial execution and the rest stays frozen). Not allowed on the other kinds',
        ),
      bankReference: z
        .string()
        .trim()
        .min(2)
        .max(64)
        .optional()
        .describe('Required for a return: the reference of the transfer to the payee'),
      note: z.string().trim().min(1).max(500).optional(),
    }),
    z.strictObject({
      outcome: z.literal('failed'),
      failureReason: MeasureFailureReason,
      note: z.string().trim().min(1).max(500).optional().describe('Required when failureReason is other'),
    }),
  ])
  .meta({ id: 'MeasureConfirmationRequest' });
export type MeasureConfirmationRequest = z.infer<typeof MeasureConfirmationRequest>;

export const SigningKey = z
  .object({ algorithm: SignatureAlgorithm, keyId: z.string(), publicKeyPem: z.string() })
  .meta({ id: 'SigningKey' });
export type SigningKey = z.infer<typeof SigningKey>;

/** A webhook delivery: the instruction as in the queue, signed again as a whole so a replay is detectable. */
export const WebhookDelivery = z
  .object({
    deliveryId: uuid.describe('Unique per delivery attempt series; deduplicate on instruction.instructionId'),
    sentAt: datetime,
    event: z.enum(['instruction', 'test']),
    item: SignedInstruction.nullable().describe('Null for a test delivery'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookTestResult = z
  .object({
    deliveryId: uuid,
    url: z.string(),
    status: z.number().int().nullable().describe('The HTTP status your endpoint answered, or null'),
    error: z.string().nullable(),
    ms: z.number().int(),
  })
  .meta({ id: 'WebhookTestResult' });
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;
