import { CallSignal, isInstantInRange, type SignalBatchKind } from '@fanzha/contracts';

/**
 * A hand-written check of the hot signals — calls and SMS, the operators' firehose — that accepts exactly
 * what their contracts (`signalSchemas.call`, `.sms`: strict zod objects) accept, without zod's per-object
 * work. It only ever says "valid": a signal it does not accept is checked by the zod schema, whose problems
 * (field, reason) are the refusal, so a refusal is the schema's own whatever this check says.
 * `screening.hot-check.test.ts` proves it accepts what the schemas accept and nothing else (a table of
 * edge cases and a property over near-valid signals).
 */

/** The contract's own ISO date-time pattern (with an offset), not a copy: the two cannot drift apart. */
const datetime = CallSignal.shape.at._zod.def.pattern!;
const e164 = /^\+\d{6,15}$/;
const county = /^\d{6}$/;
const sha256 = /^[0-9a-f]{64}$/;

type Fields = Record<string, unknown>;

/** A plain object (as JSON gives) with exactly `count` own keys: with every named field present, no other. */
function isPlainWith(value: unknown, count: number): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && Object.keys(value).length === count;
}

const isText = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;

/** `id`, `at`, `subscriber`, `countyCode`: the fields every operator's signal has. */
const isBase = (s: Fields): boolean =>
  isText(s.id, 1, 64) &&
  typeof s.at === 'string' &&
  datetime.test(s.at) &&
  isInstantInRange(s.at) &&
  typeof s.subscriber === 'string' &&
  e164.test(s.subscriber) &&
  (s.countyCode === null || (typeof s.countyCode === 'string' && county.test(s.countyCode)));

/** A `CallSignal`: the base, `from`, `durationS`, `isInternational`. */
export const isValidCall = (s: unknown): boolean =>
  isPlainWith(s, 7) &&
  isBase(s) &&
  isText(s.from, 3, 32) &&
  typeof s.durationS === 'number' &&
  Number.isSafeInteger(s.durationS) &&
  s.durationS >= 0 &&
  typeof s.isInternational === 'boolean';

/** An `SmsSignal`: the base, `from`, `hasLink`, `textSha256`. */
export const isValidSms = (s: unknown): boolean =>
  isPlainWith(s, 7) &&
  isBase(s) &&
  isText(s.from, 3, 32) &&
  typeof s.hasLink === 'boolean' &&
  typeof s.textSha256 === 'string' &&
  sha256.test(s.textSha256);

/** The hot kinds' checks; the other kinds are checked by their schemas alone. */
export const hotChecks: Partial<Record<SignalBatchKind, (signal: unknown) => boolean>> = {
  call: isValidCall,
  sms: isValidSms,
};
