import {
  twoCardInstructionActions,
  twoCardInstructionAnswers,
  twoCardInstructionStatuses,
  twoCardKinds,
  twoCardMeasureKinds,
  twoCardMeasureStates,
  twoCardRefusalReasons,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime, day } from './instant';
import { SignatureAlgorithm } from './bank';

const count = z.number().int().min(0);
const reason = z.string().trim().min(1).max(500);

// Two cards (断卡): bank cards and SIMs sold or rented to gangs, their holders, where they were opened, and the
// measures (惩戒措施) taken against holders.

export const TwoCardKind = z.enum(twoCardKinds).meta({ id: 'TwoCardKind' });
export const TwoCardMeasureKind = z.enum(twoCardMeasureKinds).meta({ id: 'TwoCardMeasureKind' });
export const TwoCardMeasureState = z.enum(twoCardMeasureStates).meta({ id: 'TwoCardMeasureState' });

/** A card found in cases. */
export const TwoCardView = z
  .object({
    id: z.uuid(),
    kind: TwoCardKind,
    number: z.string().describe('A bank card or account: digits. A SIM: the 11 national digits'),
    institution: z.string().describe('The bank’s code (a bank card) or the operator (a SIM)'),
    placeCode: z.string().nullable().describe('The opening branch’s or outlet’s code'),
    placeName: z.string().nullable().describe('The opening branch’s or outlet’s name'),
    openedOn: day.nullable(),
    holderId: z.uuid().nullable().describe('Null while the holder is not known'),
    reportIds: z.array(z.uuid()).describe('The cases (reports) the card was found in'),
    firstSeenAt: datetime,
  })
  .meta({ id: 'TwoCard' });
export type TwoCardView = z.infer<typeof TwoCardView>;

/** A holder (卡农) and how many cards and cases they are in. */
export const TwoCardHolderSummary = z
  .object({
    id: z.uuid(),
    idNumberMasked: z.string().describe('The ID number, masked; the whole number is in the holder’s detail'),
    countyCode: z.string().nullable().describe('The county the ID number was issued in (its police)'),
    cardCount: count,
    caseCount: count.describe('Distinct cases (reports) their cards were found in'),
    measuresInForce: count,
    handOff: z
      .object({ countyCode: z.string(), dueAt: datetime, handedOffAt: datetime })
      .nullable()
      .describe('The latest hand-off to county police'),
  })
  .meta({ id: 'TwoCardHolderSummary' });
export type TwoCardHolderSummary = z.infer<typeof TwoCardHolderSummary>;

export const TwoCardHolderQuery = z.strictObject({
  minCases: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1)
    .describe('Holders in at least this many cases'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const TwoCardHolderList = z
  .object({ items: z.array(TwoCardHolderSummary).describe('Most cases first, then most cards') })
  .meta({ id: 'TwoCardHolderList' });
export type TwoCardHolderList = z.infer<typeof TwoCardHolderList>;

export const TwoCardInstructionStatus = z
  .enum(twoCardInstructionStatuses)
  .meta({ id: 'TwoCardInstructionStatus' });
export const TwoCardInstructionAction = z
  .enum(twoCardInstructionActions)
  .meta({ id: 'TwoCardInstructionAction' });
export const TwoCardRefusalReason = z.enum(twoCardRefusalReasons).meta({ id: 'TwoCardRefusalReason' });

/**
 * Where a measure's instruction to one party stands: nothing personal (the centre's page, the live stream, the
 * event on the bus). The party reads the signed document itself with `GET /api/two-cards/instructions/{id}`.
 */
export const TwoCardInstructionSummary = z
  .object({
    id: z.uuid(),
    measureId: z.uuid(),
    action: TwoCardInstructionAction.describe(
      'apply: the measure from its start to its end; lift: it ends now',
    ),
    kind: TwoCardMeasureKind,
    partyKind: z.enum(['bank', 'operator']),
    partyCode: z.string().describe('The bank’s code, or the operator'),
    status: TwoCardInstructionStatus,
    refusalReason: TwoCardRefusalReason.nullable(),
    issuedAt: datetime,
    updatedAt: datetime,
    dueAt: datetime.describe(
      'By when the party executes or refuses it: its issue plus the deployment’s instruction SLA ' +
        '(FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS, 72 by default)',
    ),
    isOverdue: z
      .boolean()
      .describe('Past its deadline neither executed nor refused: the centre was alerted (once)'),
  })
  .meta({ id: 'TwoCardInstructionSummary' });
export type TwoCardInstructionSummary = z.infer<typeof TwoCardInstructionSummary>;

/** A measure against a holder, with its state now. */
export const TwoCardMeasureView = z
  .object({
    id: z.uuid(),
    holderId: z.uuid(),
    kind: TwoCardMeasureKind,
    startsAt: datetime,
    endsAt: datetime.describe('The start plus the configured period of the kind'),
    reason: z.string(),
    decidingUnit: z.string(),
    state: TwoCardMeasureState,
    createdAt: datetime,
    createdBy: z.string().describe('Username'),
    lift: z
      .object({ at: datetime, by: z.string(), reason: z.string() })
      .nullable()
      .describe('When, by whom and why it was lifted'),
    instructions: z
      .array(TwoCardInstructionSummary)
      .describe(
        'The signed instructions that carry it to its parties (applied, then lifted) and their answers; empty ' +
          'for a bank measure when none of the holder’s bank cards is known',
      ),
  })
  .meta({ id: 'TwoCardMeasure' });
export type TwoCardMeasureView = z.infer<typeof TwoCardMeasureView>;

export const TwoCardHolderDetail = z
  .object({
    holder: TwoCardHolderSummary.extend({ idNumber: z.string() }),
    cards: z.array(TwoCardView),
    measures: z.array(TwoCardMeasureView),
  })
  .meta({ id: 'TwoCardHolderDetail' });
export type TwoCardHolderDetail = z.infer<typeof TwoCardHolderDetail>;

export const TwoCardLeagueQuery = z.strictObject({
  kind: z.enum(['bank', 'operator']).describe('Bank branches (bank cards) or operators’ outlets (SIMs)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const TwoCardLeagueRow = z
  .object({
    institution: z.string(),
    placeCode: z.string().nullable(),
    placeName: z.string().nullable(),
    cardCount: count,
    holderCount: count,
    caseCount: count,
  })
  .meta({ id: 'TwoCardLeagueRow' });

export const TwoCardLeague = z
  .object({
    kind: z.enum(['bank', 'operator']),
    rows: z.array(TwoCardLeagueRow).describe('Most cards first: where the cards found in cases were opened'),
  })
  .meta({ id: 'TwoCardLeague' });
export type TwoCardLeague = z.infer<typeof TwoCardLeague>;

export const RecordTwoCardMeasureRequest = z
  .strictObject({
    kind: TwoCardMeasureKind,
    startsAt: datetime.describe('When it takes effect; it ends after the configured period of its kind'),
    reason: reason.describe('Why: the finding (认定) it rests on'),
    decidingUnit: z.string().trim().min(1).max(100).describe('The unit that decided it (认定单位)'),
  })
  .meta({ id: 'RecordTwoCardMeasureRequest' });
export type RecordTwoCardMeasureRequest = z.infer<typeof RecordTwoCardMeasureRequest>;

export const LiftTwoCardMeasureRequest = z
  .strictObject({ reason: reason.describe('Why it is lifted (an appeal granted, a finding withdrawn)') })
  .meta({ id: 'LiftTwoCardMeasureRequest' });

export const TwoCardMeasureQuery = z.strictObject({
  holderId: z.uuid().optional(),
  state: TwoCardMeasureState.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const TwoCardMeasureList = z
  .object({ items: z.array(TwoCardMeasureView).describe('The latest started first') })
  .meta({ id: 'TwoCardMeasureList' });

export const HandOffTwoCardHolderRequest = z
  .strictObject({
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional()
      .describe('The county’s GB/T 2260 code; omitted: the county the holder’s ID number was issued in'),
    dueAt: datetime.describe('When the county’s police must have reported back'),
    reason: reason.describe('What the police are asked to do'),
  })
  .meta({ id: 'HandOffTwoCardHolderRequest' });
export type HandOffTwoCardHolderRequest = z.infer<typeof HandOffTwoCardHolderRequest>;

export const TwoCardImportRequest = z
  .discriminatedUnion('format', [
    z.strictObject({
      format: z.literal('csv'),
      csv: z
        .string()
        .min(1)
        .max(5_000_000)
        .describe('Header `kind,number,holder_id_number,institution,place_code,place_name,opened_on`'),
    }),
    z.strictObject({
      format: z.literal('json'),
      rows: z
        .array(z.record(z.string(), z.unknown()))
        .min(1)
        .max(20_000)
        .describe('One object a row, keyed by the CSV’s column names; row n is line n'),
    }),
  ])
  .meta({ id: 'TwoCardImportRequest' });
export type TwoCardImportRequest = z.infer<typeof TwoCardImportRequest>;

export const TwoCardImportResult = z
  .object({
    accepted: count.describe('Good rows taken'),
    cardsCreated: count,
    cardsUpdated: count,
    holdersCreated: count,
    problems: z
      .array(z.object({ line: z.number().int(), field: z.string(), reason: z.string(), message: z.string() }))
      .describe('Bad rows, each by line; the others were taken'),
  })
  .meta({ id: 'TwoCardImportResult' });
export type TwoCardImportResult = z.infer<typeof TwoCardImportResult>;

/**
 * The signed instruction a party receives for a measure: the document as signed by the centre (the same signer
 * as emergency stops and countermeasures). It names the holder's ID number: a party sees only its own.
 */
export const TwoCardInstruction = z
  .object({
    instructionId: z.uuid(),
    measureId: z.uuid(),
    action: TwoCardInstructionAction,
    kind: TwoCardMeasureKind,
    partyKind: z.enum(['bank', 'operator']),
    partyCode: z.string(),
    holder: z.object({ idNumber: z.string().describe('The holder’s 18-character ID number') }),
    cards: z
      .array(z.string())
      .describe(
        'The holder’s cards known to have been opened with this party (accounts for a bank, SIMs for an operator)',
      ),
    startsAt: datetime,
    endsAt: datetime,
    reason: z.string().describe('The finding (认定) the measure rests on'),
    decidingUnit: z.string().describe('认定单位'),
    liftReason: z.string().nullable().describe('Why it is lifted (action lift)'),
    issuedAt: datetime,
  })
  .meta({ id: 'TwoCardInstruction' });
export type TwoCardInstruction = z.infer<typeof TwoCardInstruction>;

export const TwoCardInstructionView = TwoCardInstructionSummary.extend({
  note: z.string().nullable(),
  acknowledgedAt: datetime.nullable(),
  executedAt: datetime.nullable(),
  refusedAt: datetime.nullable(),
  withdrawnAt: datetime
    .nullable()
    .describe(
      'When the centre’s lift of the measure withdrew this apply instruction before its party executed or refused it (status withdrawn): the party is sent the lift instead and can no longer execute it',
    ),
  instruction: TwoCardInstruction,
  signature: z.string().describe('Ed25519 or SM2 (base64) over the canonical JSON of `instruction`'),
  keyId: z.string(),
  algorithm: SignatureAlgorithm.describe(
    'The signature’s algorithm, named as on bank instructions and `GET /api/bank/signing-key`: `Ed25519` or `SM2`',
  ),
}).meta({ id: 'TwoCardInstructionView' });
export type TwoCardInstructionView = z.infer<typeof TwoCardInstructionView>;

export const TwoCardInstructionQuery = z.strictObject({
  status: z
    .enum(['pending', ...twoCardInstructionStatuses])
    .default('pending')
    .describe('pending: awaiting the party (sent, acknowledged)'),
  after: z
    .string()
    .regex(/^[1-9]\d{0,17}$/)
    .optional()
    .describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TwoCardInstructionQuery = z.infer<typeof TwoCardInstructionQuery>;

export const TwoCardInstructionList = z
  .object({ items: z.array(TwoCardInstructionView), nextCursor: z.string().nullable() })
  .meta({ id: 'TwoCardInstructionList' });
export type TwoCardInstructionList = z.infer<typeof TwoCardInstructionList>;

export const TwoCardInstructionAnswer = z
  .strictObject({
    answer: z.enum(twoCardInstructionAnswers),
    refusalReason: TwoCardRefusalReason.optional().describe('Required with `refused`, refused otherwise'),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .meta({ id: 'TwoCardInstructionAnswer' });
export type TwoCardInstructionAnswer = z.infer<typeof TwoCardInstructionAnswer>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** A measure's instruction to a party was issued or answered: the party's console and the centre follow it. */
    'two-card-instruction.changed': { item: TwoCardInstructionSummary; change: string };
  }
}
