import { operators } from '@fanzha/domain';
import { z } from 'zod';

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
} as const;
export type SignalKind = keyof typeof signalSubjects;

/**
 * The subjects of one deployment (its `FANZHA_NATS_NAMESPACE`): `fanzha-<namespace>.signals.<kind>`, so
 * that centres sharing a NATS server do not receive each other's operators' signals. Without a namespace,
 * the shared subjects above.
 */
export function signalSubjectsIn(namespace: string | undefined): Record<SignalKind, string> {
  if (!namespace) return signalSubjects;
  return {
    call: `fanzha-${namespace}.signals.call`,
    sms: `fanzha-${namespace}.signals.sms`,
    url: `fanzha-${namespace}.signals.url`,
    app: `fanzha-${namespace}.signals.app`,
  };
}
export const signalKinds = Object.keys(signalSubjects) as SignalKind[];

const datetime = z.iso.datetime({ offset: true });
const e164 = z.string().regex(/^\+\d{6,15}$/, 'E.164, e.g. +8613800000000');

const SignalBase = z.object({
  id: z.string().min(1).max(64).describe("The operator's own id of the signal: deduplicate on it"),
  at: datetime,
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
