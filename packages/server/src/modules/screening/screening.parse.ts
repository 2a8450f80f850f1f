import {
  SignalEnvelope,
  signalSchemas,
  type AppSignal,
  type BankTransferSignal,
  type CallSignal,
  type FieldProblem,
  type SignalBatchKind,
  type SmsSignal,
  type UpstreamWarningSignal,
  type UrlSignal,
} from '@fanzha/contracts';
import {
  indicatorKey,
  normaliseApp,
  normaliseBankAccount,
  normaliseDomain,
  normalisePhone,
  type SignalKind,
  type WarningGrade,
} from '@fanzha/domain';
import type { z } from 'zod';
import { unsafeTextIn } from '../../platform/http/strict-input';
import { hotChecks } from './screening.hot-check';

/** A signal read and checked, with the indicator keys (`kind:normal form`) it is screened on. */
export interface ScreenItem {
  /** Its place in the batch as sent. */
  readonly index: number;
  readonly signalId: string;
  readonly signalKind: SignalKind;
  readonly at: string;
  readonly person: {
    readonly phone: string | null;
    readonly idNumber: string | null;
    readonly name: string | null;
    readonly countyCode: string | null;
  };
  /** Empty for an upstream warning (a hit of itself) or a value that has no normal form (a withheld number). */
  readonly keys: readonly string[];
  readonly amountFen: number | null;
  readonly upstreamGrade: WarningGrade | null;
}

/** What an operator can inspect of a batch or signal that could not be read. */
export interface DeadLetter {
  readonly kind: string | null;
  readonly source: string | null;
  /** null: the whole batch, or a signal without a readable id. */
  readonly signalId: string | null;
  /** The signal's place in its batch; null: the whole batch. */
  readonly position: number | null;
  readonly problems: readonly FieldProblem[];
  readonly excerpt: string;
}

export interface ParsedBatch {
  /** null when the envelope itself could not be read: then `dead` holds the one dead letter of it. */
  readonly kind: SignalBatchKind | null;
  readonly source: string | null;
  readonly sentAt: string | null;
  readonly items: readonly ScreenItem[];
  readonly dead: readonly DeadLetter[];
  /** One per signal in the order sent: its id and, when refused, the problems. */
  readonly results: ReadonlyArray<
    { status: 'accepted'; id: string } | { status: 'refused'; id: string | null; problems: FieldProblem[] }
  >;
}

export const EXCERPT_CHARS = 1000;

/**
 * How far past its receipt a signal's own time (`at`) may fall: a sender's clock or time zone, not a signal
 * to come. Later, the signal is refused alone (`time_future`): its time would feed the warnings' "again
 * within 24 hours" and the console's order. Not a rule of the contract, which holds whenever it is read.
 */
export const SIGNAL_FUTURE_SKEW_MS = 24 * 3_600_000;

const unsafeTextGlobal = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g; // eslint-disable-line no-control-regex

/** Text the database can store: NUL and lone surrogates (a JSON parser's message may quote them) become `?`. */
export const storableText = (text: string): string => text.replace(unsafeTextGlobal, '?');

/** A bounded excerpt that the database can store whatever was received (no NUL, no lone surrogate). */
export function excerptOf(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  // Cut first, then clean: a cut between a surrogate pair leaves a lone half, which the cleaning removes.
  return text.slice(0, EXCERPT_CHARS).replace(unsafeTextGlobal, '?');
}

function problemsOf(error: z.ZodError, at: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = [at, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: `${path}.${key}`.replace(unsafeTextGlobal, '?'),
        reason: 'unrecognized_keys',
        message: 'is not a field of this signal',
      }));
    return [{ field: path.replace(unsafeTextGlobal, '?'), reason: issue.code, message: issue.message }];
  });
}

const domainKind: Record<SignalBatchKind, SignalKind> = {
  call: 'call',
  sms: 'sms',
  url: 'url_visit',
  app: 'app_install',
  bank: 'bank_transfer',
  upstream: 'upstream_warning',
};

const keyOf = (
  kind: 'phone' | 'domain' | 'app' | 'account',
  normalised: { ok: true; value: string } | { ok: false },
): string[] => (normalised.ok ? [indicatorKey(kind, normalised.value)] : []);

const phoneOrNull = (value: string | null): string | null => {
  if (value === null) return null;
  const n = normalisePhone(value);
  return n.ok ? n.value : value;
};

/** The screening view of one checked signal. */
function itemOf(kind: SignalBatchKind, index: number, signal: unknown): ScreenItem {
  const signalKind = domainKind[kind];
  switch (kind) {
    case 'call':
    case 'sms': {
      const s = signal as CallSignal | SmsSignal;
      return {
        index,
        signalKind,
        signalId: s.id,
        at: s.at,
        person: { phone: phoneOrNull(s.subscriber), idNumber: null, name: null, countyCode: s.countyCode },
        keys: keyOf('phone', normalisePhone(s.from)),
        amountFen: null,
        upstreamGrade: null,
      };
    }
    case 'url': {
      const s = signal as UrlSignal;
      const byDomain = normaliseDomain(s.domain);
      return {
        index,
        signalKind,
        signalId: s.id,
        at: s.at,
        person: { phone: phoneOrNull(s.subscriber), idNumber: null, name: null, countyCode: s.countyCode },
        keys: keyOf('domain', byDomain.ok ? byDomain : normaliseDomain(s.url)),
        amountFen: null,
        upstreamGrade: null,
      };
    }
    case 'app': {
      const s = signal as AppSignal;
      const keys = [...keyOf('app', normaliseApp(s.packageName)), ...keyOf('app', normaliseApp(s.sha256))];
      return {
        index,
        signalKind,
        signalId: s.id,
        at: s.at,
        person: { phone: phoneOrNull(s.subscriber), idNumber: null, name: null, countyCode: s.countyCode },
        keys,
        amountFen: null,
        upstreamGrade: null,
      };
    }
    case 'bank': {
      const s = signal as BankTransferSignal;
      return {
        index,
        signalKind,
        signalId: s.id,
        at: s.at,
        person: {
          phone: phoneOrNull(s.payer.phone),
          idNumber: s.payer.idNumber,
          name: s.payer.name,
          countyCode: s.countyCode,
        },
        keys: keyOf('account', normaliseBankAccount(s.payee.account)),
        amountFen: s.amountFen,
        upstreamGrade: null,
      };
    }
    case 'upstream': {
      const s = signal as UpstreamWarningSignal;
      return {
        index,
        signalKind,
        signalId: s.id,
        at: s.at,
        person: {
          phone: phoneOrNull(s.person.phone),
          idNumber: s.person.idNumber,
          name: s.person.name,
          countyCode: s.countyCode,
        },
        keys: [],
        amountFen: null,
        upstreamGrade: s.level,
      };
    }
  }
}

function sourceOf(envelope: Record<string, unknown>): string {
  if (envelope.kind === 'bank') return `bank:${String(envelope.bank)}`;
  if (envelope.kind === 'upstream') return `upstream:${String(envelope.centre)}`;
  return `operator:${String(envelope.operator)}`;
}

const readableId = (signal: unknown): string | null => {
  const id = (signal as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 && unsafeTextIn(id, 'id').length === 0
    ? id
    : null;
};

/**
 * Reads one batch (a broker message's text, or a parsed body): the envelope first — unreadable, the whole
 * batch is one dead letter — then each signal on its own, so a poison signal is dead-lettered alone and
 * the good ones beside it are screened.
 */
/**
 * `raw`: the text of a broker message, or a body already parsed; `receivedAt`: the server's time as it reads
 * the batch, which a signal's own time may pass by `SIGNAL_FUTURE_SKEW_MS` at most.
 */
export function parseBatch(raw: unknown, receivedAt: Date): ParsedBatch {
  const deadBatch = (problems: FieldProblem[], kind: string | null = null, source: string | null = null) => ({
    kind: null,
    source: null,
    sentAt: null,
    items: [],
    results: [],
    dead: [{ kind, source, signalId: null, position: null, problems, excerpt: excerptOf(raw) }],
  });
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return deadBatch([
        { field: 'batch', reason: 'invalid_json', message: (err as Error).message.slice(0, 200) },
      ]);
    }
  }
  const unsafeEnvelope =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? unsafeTextIn({ ...(value as Record<string, unknown>), signals: undefined }, 'batch')
      : [];
  if (unsafeEnvelope.length > 0) return deadBatch(unsafeEnvelope);
  const envelope = SignalEnvelope.safeParse(value);
  if (!envelope.success) {
    const v = value as { kind?: unknown } | null;
    const kind = typeof v?.kind === 'string' && v.kind.length <= 16 ? excerptOf(v.kind) : null;
    return deadBatch(problemsOf(envelope.error, 'batch'), kind);
  }
  const batch = envelope.data as { kind: SignalBatchKind; sentAt: string; signals: unknown[] } & Record<
    string,
    unknown
  >;
  const kind = batch.kind;
  const source = sourceOf(batch);
  const schema = signalSchemas[kind] as z.ZodType;
  // Calls and SMS (the firehose) by a hand-written check first; what it does not accept, the schema
  // checks, and its problems are the refusal.
  const isValid = hotChecks[kind];
  const items: ScreenItem[] = [];
  const dead: DeadLetter[] = [];
  const results: ParsedBatch['results'][number][] = [];
  const seen = new Set<string>();
  // Text without an escape or a surrogate cannot hold NUL or a lone surrogate: skip the walk through
  // every field (a third of the cost of reading a batch).
  const mayBeUnsafe = typeof raw !== 'string' || /\\u|[\u0000\uD800-\uDFFF]/.test(raw); // eslint-disable-line no-control-regex
  const latest = receivedAt.getTime() + SIGNAL_FUTURE_SKEW_MS;
  batch.signals.forEach((signal, index) => {
    const at = `signals.${index}`;
    const id = readableId(signal);
    const refuse = (problems: FieldProblem[]) => {
      dead.push({ kind, source, signalId: id, position: index, problems, excerpt: excerptOf(signal) });
      results.push({ status: 'refused', id, problems });
    };
    const unsafe = mayBeUnsafe ? unsafeTextIn(signal, at) : [];
    if (unsafe.length > 0) return refuse(unsafe);
    let checked: unknown = signal;
    if (!isValid?.(signal)) {
      const parsed = schema.safeParse(signal);
      if (!parsed.success) return refuse(problemsOf(parsed.error, at));
      checked = parsed.data;
    }
    const item = itemOf(kind, index, checked);
    if (Date.parse(item.at) > latest)
      return refuse([
        {
          field: `${at}.at`,
          reason: 'time_future',
          message: 'is more than 24 hours after the centre received the signal',
        },
      ]);
    // The same id twice in one batch is one signal: screened once, accepted twice.
    if (!seen.has(item.signalId)) {
      seen.add(item.signalId);
      items.push(item);
    }
    results.push({ status: 'accepted', id: item.signalId });
  });
  return { kind, source, sentAt: batch.sentAt, items, dead, results };
}
