import { operators } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { FieldProblem } from './errors';

/**
 * Operators' signals for early warning (预警): a call or SMS from a number to a subscriber, a visit to a
 * URL, an app installed. Operators (and the simulator) publish them on the broker in batches — one NATS
 * message carries many signals of one kind from one operator — because screening runs at millions a
 * minute and per-message overhead would dominate.
 *
 * The subjects sit outside the event bus's stream (seven days of events of record), which must not fill with
 * a firehose. These are the subjects without a deployment's namespace; see `signalSubjectsIn`.
 */
export const signalSubjects = {
  call: 'fanzha-signals.call',
  sms: 'fanzha-signals.sms',
  url: 'fanzha-signals.url',
  app: 'fanzha-signals.app',
  bank: 'fanzha-signals.bank',
  upstream: 'fanzha-signals.upstream',
} as const;
/** The kinds of a signal batch: the operators' four, a bank's transfer attempts, an upstream centre's warnings. */
export type SignalBatchKind = keyof typeof signalSubjects;
export const signalBatchKinds = Object.keys(signalSubjects) as SignalBatchKind[];
/** The operators' kinds (what the simulator's operator feeds publish). */
export const signalKinds = ['call', 'sms', 'url', 'app'] as const;
export type SignalKind = (typeof signalKinds)[number];

/**
 * The subjects of one deployment (its `FANZHA_NATS_NAMESPACE`): `fanzha-<namespace>.signals.<kind>`, so
 * that centres sharing a NATS server do not receive each other's operators' signals. Without a namespace,
 * the shared subjects above.
 */
export function signalSubjectsIn(namespace: string | undefined): Record<SignalBatchKind, string> {
  if (!namespace) return signalSubjects;
  return {
    call: `fanzha-${namespace}.signals.call`,
    sms: `fanzha-${namespace}.signals.sms`,
    url: `fanzha-${namespace}.signals.url`,
    app: `fanzha-${namespace}.signals.app`,
    bank: `fanzha-${namespace}.signals.bank`,
    upstream: `fanzha-${namespace}.signals.upstream`,
  };
}

/** A signal's own time: what it says, and the server's rule at receipt (not the schema's, which holds whenever read). */
const futureRule = (what: string) =>
  `${what}. More than 24 hours after the centre receives the batch, the signal is refused alone (\`time_future\`)`;

const e164 = z.string().regex(/^\+\d{6,15}$/, 'E.164, e.g. +8613800000000');

const SignalBase = z.object({
  id: z.string().min(1).max(64).describe("The operator's own id of the signal: deduplicate on it"),
  at: datetime.describe(futureRule('When it happened')),
  subscriber: e164.describe("The operator's subscriber the signal concerns (the potential victim)"),
  countyCode: z
    .string()
    .regex(/^\d{6}$/)
    .nullable()
    .describe("GB/T 2260 county of the subscriber's registered address, when the operator knows it"),
});

export const CallSignal = SignalBase.extend({
  from: z.string().min(3).max(32).describe('Calling number as delivered (E.164 for mobiles)'),
  durationS: z.number().int().min(0).describe('0 for an unanswered call'),
  isInternational: z.boolean(),
});
export type CallSignal = z.infer<typeof CallSignal>;

export const SmsSignal = SignalBase.extend({
  from: z.string().min(3).max(32),
  hasLink: z.boolean().describe('The message carries a URL'),
  textSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('Hash of the text: the content itself stays with the operator'),
});
export type SmsSignal = z.infer<typeof SmsSignal>;

export const UrlSignal = SignalBase.extend({
  url: z.string().min(1).max(2000),
  domain: z.string().min(1).max(253).describe('Registrable domain, lower-case'),
});
export type UrlSignal = z.infer<typeof UrlSignal>;

export const AppSignal = SignalBase.extend({
  appName: z.string().min(1).max(100),
  packageName: z.string().min(1).max(200).describe('e.g. com.example.app'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('Hash of the installed package'),
});
export type AppSignal = z.infer<typeof AppSignal>;

const batch = <K extends SignalKind, S extends z.ZodType>(kind: K, signal: S) =>
  z.object({
    kind: z.literal(kind),
    operator: z.enum(operators),
    sentAt: datetime,
    signals: z.array(signal).min(1).max(5_000),
  });

/** One broker message on `signalSubjects[kind]`: JSON, UTF-8. */
export const SignalBatch = z
  .discriminatedUnion('kind', [
    batch('call', CallSignal),
    batch('sms', SmsSignal),
    batch('url', UrlSignal),
    batch('app', AppSignal),
  ])
  .meta({ id: 'SignalBatch' });
export type SignalBatch = z.infer<typeof SignalBatch>;

/** A bank's code as in the bank table (`ICBC`, `CCB`, a city bank's code). */
const bankCode = z.string().regex(/^[A-Z0-9]{2,16}$/);
const idNumber = z
  .string()
  .regex(/^\d{17}[\dX]$/)
  .describe('18-character resident ID number, upper-case X');
const personName = z.string().min(1).max(64);

export const transferChannels = [
  'mobile_banking',
  'online_banking',
  'counter',
  'atm',
  'third_party_payment',
] as const;

/**
 * A bank customer's transfer or payment attempt, sent before the money leaves: the payer (the person to warn:
 * their mobile and/or ID number) and the payee's account, which is screened against the centre's fraudster
 * and mule accounts.
 */
export const BankTransferSignal = z
  .strictObject({
    id: z.string().min(1).max(64).describe("The bank's own id of the signal: deduplicate on it"),
    at: datetime.describe(futureRule('When the customer started the transfer')),
    payer: z
      .strictObject({
        phone: e164.nullable(),
        idNumber: idNumber.nullable(),
        name: personName.nullable(),
      })
      .refine((p) => p.phone !== null || p.idNumber !== null, {
        message: 'the payer needs a phone or an ID number',
        path: ['phone'],
      }),
    payee: z.strictObject({
      account: z.string().min(8).max(40).describe('Account or card number (spaces and hyphens allowed)'),
      name: personName.nullable(),
    }),
    amountFen: z.number().int().min(1).max(1e13).describe('Amount in fen (1/100 yuan)'),
    channel: z.enum(transferChannels),
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .describe("GB/T 2260 county of the payer's account branch or address, when the bank knows it"),
  })
  .meta({ id: 'BankTransferSignal' });
export type BankTransferSignal = z.infer<typeof BankTransferSignal>;

/** An upstream (national or provincial) centre's already-decided warning about one person. */
export const UpstreamWarningSignal = z
  .strictObject({
    id: z.string().min(1).max(64).describe("The upstream centre's own id of the warning: deduplicate on it"),
    at: datetime.describe(futureRule('When the upstream centre warned')),
    level: z.enum(['high', 'medium', 'low']).describe('高 / 中 / 低 as the upstream centre decided it'),
    person: z
      .strictObject({
        phone: e164.nullable(),
        idNumber: idNumber.nullable(),
        name: personName.nullable(),
      })
      .refine((p) => p.phone !== null || p.idNumber !== null, {
        message: 'the person needs a phone or an ID number',
        path: ['phone'],
      }),
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable(),
    reason: z.string().min(1).max(500).describe('Why the upstream centre warns (shown to the persuader)'),
  })
  .meta({ id: 'UpstreamWarningSignal' });
export type UpstreamWarningSignal = z.infer<typeof UpstreamWarningSignal>;

/** Per-signal schemas by batch kind: a batch's envelope is checked first, then each signal on its own. */
export const signalSchemas = {
  // Screening refuses unknown fields in every signal, the operators' included.
  call: CallSignal.strict(),
  sms: SmsSignal.strict(),
  url: UrlSignal.strict(),
  app: AppSignal.strict(),
  bank: BankTransferSignal,
  upstream: UpstreamWarningSignal,
} as const satisfies Record<SignalBatchKind, z.ZodType>;

/** An upstream centre's id, as in its batches' `centre` and its signals' source `upstream:<centre>`. */
export const upstreamCentreId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,31}$/, '2–32 of a–z 0–9 _ -, starting with a letter or digit')
  .describe("e.g. 'national', 'gz-province'");

/**
 * The envelope of one batch of any kind, its signals not yet checked: how a worker reads a broker message
 * (a bad signal is dead-lettered alone, the rest of its batch screened). The sender is `operator` (an
 * operator's code), `bank` (a bank's code) or `centre` (an upstream centre's id), by kind.
 */
const operatorEnvelope = <K extends SignalKind>(kind: K) =>
  z.strictObject({
    kind: z.literal(kind),
    operator: z.enum(operators),
    sentAt: datetime,
    signals: z.array(z.unknown()).min(1).max(5_000),
  });
export const SignalEnvelope = z.discriminatedUnion('kind', [
  operatorEnvelope('call'),
  operatorEnvelope('sms'),
  operatorEnvelope('url'),
  operatorEnvelope('app'),
  z.strictObject({
    kind: z.literal('bank'),
    bank: bankCode,
    sentAt: datetime,
    signals: z.array(z.unknown()).min(1).max(5_000),
  }),
  z.strictObject({
    kind: z.literal('upstream'),
    centre: upstreamCentreId,
    sentAt: datetime,
    signals: z.array(z.unknown()).min(1).max(5_000),
  }),
]);

const signalItems = (what: string) =>
  z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(5_000)
    .describe(`Each a ${what}; each is checked on its own and answered in \`results\` at its index`);

/** `POST /api/bank/signals`: a bank's batch of transfer attempts; the bank is the key's. */
export const BankSignalBatchRequest = z
  .strictObject({
    sentAt: datetime,
    signals: signalItems('BankTransferSignal'),
  })
  .meta({ id: 'BankSignalBatchRequest' });
export type BankSignalBatchRequest = z.infer<typeof BankSignalBatchRequest>;

export const SignalResult = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('accepted'), id: z.string() }),
  z.strictObject({
    status: z.literal('refused'),
    id: z.string().nullable().describe("The signal's id when it had a readable one"),
    problems: z.array(FieldProblem).min(1),
  }),
]);
export type SignalResult = z.infer<typeof SignalResult>;

export const SignalBatchResponse = z
  .strictObject({
    accepted: z.number().int().min(0),
    refused: z.number().int().min(0),
    hits: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe(
        'Signals that hit an indicator, when screened before the answer (embedded deployment); null when queued for the workers',
      ),
    results: z.array(SignalResult).describe('One per signal, in the order sent'),
  })
  .meta({ id: 'SignalBatchResponse' });
export type SignalBatchResponse = z.infer<typeof SignalBatchResponse>;

export const DeadLetterView = z
  .strictObject({
    id: z.string(),
    receivedAt: datetime,
    via: z.enum(['nats', 'http', 'in_process']),
    kind: z.string().nullable().describe('The batch kind when it could be read'),
    source: z
      .string()
      .nullable()
      .describe('`operator:<code>`, `bank:<code>`, `upstream:<centre>` when known'),
    signalId: z.string().nullable().describe('null: the whole batch was unreadable'),
    problems: z.array(FieldProblem).min(1),
    excerpt: z.string().describe('The first 1,000 characters of the batch or signal as received'),
  })
  .meta({ id: 'DeadLetterView' });
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const DeadLetterQuery = z.strictObject({
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .describe('Page back: dead letters older than this id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const DeadLetterList = z
  .strictObject({ deadLetters: z.array(DeadLetterView), total: z.number().int().min(0) })
  .meta({ id: 'DeadLetterList' });
export type DeadLetterList = z.infer<typeof DeadLetterList>;

/** `POST /api/operator/signals`: one operator's batch of one kind; the operator is the key's. */
export const OperatorSignalBatchRequest = z
  .strictObject({
    kind: z.enum(signalKinds).describe('What every signal of the batch is: `call`, `sms`, `url` or `app`'),
    sentAt: datetime,
    signals: signalItems('CallSignal, SmsSignal, UrlSignal or AppSignal, as `kind` says'),
  })
  .meta({ id: 'OperatorSignalBatchRequest' });
export type OperatorSignalBatchRequest = z.infer<typeof OperatorSignalBatchRequest>;

/** `POST /api/upstream/signals`: an upstream centre's batch of decided warnings; the centre is the key's. */
export const UpstreamSignalBatchRequest = z
  .strictObject({
    sentAt: datetime,
    signals: signalItems('UpstreamWarningSignal'),
  })
  .meta({ id: 'UpstreamSignalBatchRequest' });
export type UpstreamSignalBatchRequest = z.infer<typeof UpstreamSignalBatchRequest>;

/** Who a signal key sends for: one operator, or one upstream (national or provincial) centre. */
export const SignalSender = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('operator'), operator: z.enum(operators) }),
    z.strictObject({ kind: z.literal('upstream'), centre: upstreamCentreId }),
  ])
  .meta({ id: 'SignalSender' });
export type SignalSender = z.infer<typeof SignalSender>;

export const SignalKeyView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    sender: SignalSender,
    publicKeyPem: z.string(),
    webhookUrl: z.string().nullable(),
    createdAt: datetime,
    revokedAt: datetime.nullable(),
  })
  .meta({ id: 'SignalKeyView' });
export type SignalKeyView = z.infer<typeof SignalKeyView>;

export const CreateSignalKeyRequest = z
  .strictObject({
    name: z.string().trim().min(3).max(64).describe("e.g. 'China Mobile Guizhou signal gateway'"),
    sender: SignalSender.describe(
      'The operator or upstream centre the key sends for: never taken from a batch',
    ),
    publicKeyPem: z
      .string()
      .max(2000)
      .describe(
        "The sender's Ed25519 public key (SPKI PEM): its system signs every batch with the private half",
      ),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .describe(
        "An operator's only: where to POST, signed, a notice of each carrier assist request and countermeasure " +
          'awaiting it (the queues stay the source of truth). https to a public address only; plain http and ' +
          'loopback, private or link-local addresses are refused unless the centre lists the origin in ' +
          'FANZHA_WEBHOOK_ALLOW; never with a username or password (`credentials`)',
      ),
  })
  .meta({ id: 'CreateSignalKeyRequest' });
export type CreateSignalKeyRequest = z.infer<typeof CreateSignalKeyRequest>;

/** The key itself is shown once, at creation; fanzha keeps only its hash. */
export const CreatedSignalKey = SignalKeyView.extend({
  key: z.string().describe('Send as `Authorization: Bearer <key>` to the signals endpoint of its sender'),
}).meta({ id: 'CreatedSignalKey' });
export type CreatedSignalKey = z.infer<typeof CreatedSignalKey>;

export const SignalKeyList = z.strictObject({ keys: z.array(SignalKeyView) }).meta({ id: 'SignalKeyList' });
export type SignalKeyList = z.infer<typeof SignalKeyList>;

/**
 * What fanzha POSTs to a party's webhook when something awaits it: which thing, by id, and its status. The
 * party then reads it from the API with its key (so nothing personal travels in the notice itself).
 */
export const PartyNotice = z
  .strictObject({
    deliveryId: z.uuid().describe('The same on every retry of this notice: deduplicate on it'),
    sentAt: datetime,
    event: z
      .enum(['carrier_request', 'countermeasure', 'two_card_measure'])
      .describe(
        'carrier_request: GET /api/carrier-requests/{id}; countermeasure: GET /api/countermeasures/{id} (a ' +
          'lift_requested one carries its signed `lift`: verify it before lifting); two_card_measure: ' +
          'GET /api/two-cards/instructions/{id}',
      ),
    id: z.uuid(),
    status: z.string().describe('Its status when the notice was made, e.g. open, requested, lift_requested'),
  })
  .meta({ id: 'PartyNotice' });
export type PartyNotice = z.infer<typeof PartyNotice>;
