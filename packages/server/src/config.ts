import {
  defaultTwoCardInstructionSlaHours,
  defaultTwoCardPeriods,
  type TwoCardPeriods,
} from '@fanzha/domain';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  countermeasureKinds,
  defaultAppealDueDays,
  defaultAppealEffectFailuresAlert,
  defaultCountermeasureSlaHours,
  type CountermeasureKind,
  type CountermeasureSla,
} from '@fanzha/domain';
import {
  defaultRates,
  limitClasses,
  parseRate,
  type LimitClass,
  type RateLimits,
} from './platform/http/rate-limit';
import { cryptoSuites, type CryptoSuite } from './platform/crypto/suites';
import { DEFAULT_POOL_SIZE, SERVER_POOL_KEEP_OPEN } from './db/pool-limits';

/** A measure's length in months: one month to twenty years. */
const months = z.coerce.number().int().min(1).max(240);

/**
 * The one place that reads `process.env`. Parsed once into a frozen, typed object; every problem is
 * listed at once so an operator fixes them in one go, and the process stops before doing anything.
 */
export type ProcessRole = 'all' | 'api' | 'worker';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly role: ProcessRole;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** PostgreSQL connections this process may hold at once (DATABASE_URL only). */
  readonly dbPoolSize: number;
  readonly natsUrl: string | undefined;
  /**
   * Every NATS name of this deployment (stream, subjects, durable consumers, signals) carries it, so that
   * deployments sharing one NATS server see nothing of each other. See `defaultNatsNamespace`.
   */
  readonly natsNamespace: string;
  /** On PostgreSQL (DATABASE_URL): the system of record, never demo data. */
  readonly isProduction: boolean;
  /** The seeded demo accounts and simulated province: the embedded default only. */
  readonly demo: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly outboxPollMs: number;
  /** 32-byte key for secrets at rest; embedded mode keeps one in the data folder when none is given. */
  readonly secretKey: Buffer | undefined;
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  readonly isCookieSecure: boolean;
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges or proxy-addr's names); none by default. */
  readonly trustProxy: readonly string[];
  /** `username:password` of an admin to create at start when the database has none. */
  readonly bootstrapAdmin: { username: string; password: string } | undefined;
  /**
   * Origins (scheme://host:port) that banks' webhooks may use although they are plain http or reach a loopback,
   * private or link-local address: an operator's explicit exception to the https-to-public-addresses rule.
   */
  readonly webhookAllow: readonly string[];
  /** The centre's name as warnings sign it and the public verification page answers it (FANZHA_CENTRE_NAME). */
  readonly centreName: string;
  /** The phone a person held by a protective hold may call to ask or appeal (FANZHA_CENTRE_PHONE). */
  readonly centrePhone: string;
  /** The centre's public verification page, if published (FANZHA_CENTRE_VERIFY_URL): printed in holds. */
  readonly centreVerifyUrl: string | null;
  /** Requests per client in each limit class (`platform/http/rate-limit.ts`); undefined: that class is off. */
  readonly rateLimits: RateLimits;
  /**
   * The metrics listener (`GET /metrics`, Prometheus text) on a port of its own, in every role; off when
   * FANZHA_METRICS_PORT is not set. Never served on the API's port.
   */
  readonly metrics: { readonly port: number; readonly host: string } | undefined;
  /** The audit chain's head is signed when the last checkpoint is this old (and the chain has grown)… */
  readonly auditCheckpointMinutes: number;
  /** …or this many entries behind the head. */
  readonly auditCheckpointEntries: number;
  /** Which algorithms sign and hash: Ed25519 / SHA-256, or SM2 / SM3 (GB/T 39786). */
  readonly crypto: CryptoSuite;
  /**
   * An active indicator named by more distinct reports than this becomes `shared` (kept, never matched) until
   * an analyst decides: a value many unrelated reports share, such as a bank's hotline.
   */
  readonly indicatorSharedReports: number;
  /** An indicator's risk score halves every this many days without a new source (its decay). */
  readonly indicatorHalfLifeDays: number;
  /** A cluster of linked reports (串并案) growing past this many reports raises the centre's alert. */
  readonly clusterAlertReports: number;
  /**
   * The length in months of each two-cards measure (断卡惩戒): FANZHA_TWO_CARDS_NO_NON_COUNTER_MONTHS (60),
   * FANZHA_TWO_CARDS_NO_NEW_ACCOUNTS_MONTHS (36), FANZHA_TWO_CARDS_LIMIT_PHONE_CARDS_MONTHS (60).
   */
  readonly twoCardPeriods: TwoCardPeriods;
  /**
   * Hours a bank or operator has to execute or refuse a two-cards instruction before it is escalated
   * (FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS, 72: the project's choice, no rule gives one).
   */
  readonly twoCardInstructionSlaHours: number;
  /**
   * Hours a countermeasure (技术反制) may wait on its party before its SLA is missed, per kind
   * (FANZHA_COUNTERMEASURE_SLA_HOURS, e.g. `block_phone=2,takedown_url=24,block_app=24,restrict_account=1`;
   * kinds not named keep their default).
   */
  readonly countermeasureSlaHours: CountermeasureSla;
  /** Days from an appeal's filing to its decision before it is escalated (FANZHA_APPEAL_DUE_DAYS, 15). */
  readonly appealDueDays: number;
  /**
   * Failed attempts of one effect of a granted appeal after which the supervisors get one alert
   * (FANZHA_APPEAL_EFFECT_FAILURES_ALERT, 5); the retries go on.
   */
  readonly appealEffectFailuresAlert: number;
  /**
   * The most the signals stream keeps on the NATS server's disk (FANZHA_SIGNALS_MAX_BYTES): a backlog of
   * unscreened batches beyond it drops its oldest. JetStream reserves this much of its storage up front.
   */
  readonly signalsMaxBytes: number;
}

/** The variable that sets a limit class: `sign-in` → FANZHA_RATE_SIGN_IN. */
export const rateVariable = (limitClass: LimitClass) =>
  `FANZHA_RATE_${limitClass.toUpperCase().replace(/-/g, '_')}`;

export const NATS_NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * The namespace a deployment gets when none is set: its database's name and a short hash of where that
 * database lives (host, port, name), so two centres whose databases are both called `fanzha` still differ,
 * while every process of one deployment — which must reach the same database — agrees without being told.
 * On the embedded database, the data folder stands in for the database. Processes that name the same
 * database differently (another host alias) must set FANZHA_NATS_NAMESPACE.
 */
export function defaultNatsNamespace(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `local-${shortHash(resolve(dataDir))}`;
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const where = `${url.hostname.toLowerCase()}:${url.port || '5432'}/${name}`;
  const readable = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 32);
  return `${readable || 'db'}-${shortHash(where)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

const flag = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const rate = z.string().refine((v) => parseRate(v) !== 'invalid', {
  message: "must be N/s, N/min or N/h (N requests at once, N more each second, minute or hour), or 'off'",
});

const schema = z.object({
  FANZHA_RATE_LIMITS: flag.default(true),
  ...(Object.fromEntries(limitClasses.map((c) => [rateVariable(c), rate.default(defaultRates[c])])) as Record<
    `FANZHA_RATE_${string}`,
    z.ZodDefault<typeof rate>
  >),
  FANZHA_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // The default depends on the demo (see below), so it is resolved after parsing.
  FANZHA_HOST: z.string().min(1).optional(),
  FANZHA_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  FANZHA_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// or tls:// URL')
    .optional(),
  FANZHA_NATS_NAMESPACE: z
    .string()
    .regex(
      NATS_NAMESPACE_PATTERN,
      'must be 1-40 lower-case letters, digits, - or _, starting with a letter or digit',
    )
    .optional(),
  // Default: on for the embedded database, off with DATABASE_URL (where it is refused).
  FANZHA_DEMO: flag.optional(),
  FANZHA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FANZHA_DB_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(
      SERVER_POOL_KEEP_OPEN,
      `must be at least ${SERVER_POOL_KEEP_OPEN} (the connections a process keeps open)`,
    )
    .max(1000)
    .default(DEFAULT_POOL_SIZE),
  FANZHA_OUTBOX_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(200),
  FANZHA_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`')
    .optional(),
  FANZHA_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  FANZHA_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  FANZHA_COOKIE_SECURE: flag.default(false),
  FANZHA_AUDIT_CHECKPOINT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  FANZHA_CRYPTO: z.enum(cryptoSuites).default('international'),
  FANZHA_AUDIT_CHECKPOINT_ENTRIES: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  FANZHA_INDICATOR_SHARED_REPORTS: z.coerce.number().int().min(1).max(1_000_000).default(50),
  FANZHA_INDICATOR_HALF_LIFE_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  FANZHA_CLUSTER_ALERT_REPORTS: z.coerce.number().int().min(1).max(1_000_000).default(5),
  FANZHA_TWO_CARDS_NO_NON_COUNTER_MONTHS: months.default(defaultTwoCardPeriods.no_non_counter_services),
  FANZHA_TWO_CARDS_NO_NEW_ACCOUNTS_MONTHS: months.default(defaultTwoCardPeriods.no_new_accounts),
  FANZHA_TWO_CARDS_LIMIT_PHONE_CARDS_MONTHS: months.default(defaultTwoCardPeriods.limit_new_phone_cards),
  FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(defaultTwoCardInstructionSlaHours),
  FANZHA_COUNTERMEASURE_SLA_HOURS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const out: CountermeasureSla = { ...defaultCountermeasureSlaHours };
      const named = new Set<string>();
      for (const part of (s ?? '').split(',').filter((p) => p.trim() !== '')) {
        const [kind, hours, ...rest] = part.split('=').map((x) => x.trim());
        // Hours written as a decimal number (`2`, `0.5`): not `0x10` nor `1e2`, which Number() would read.
        const h = /^\d+(\.\d+)?$/.test(hours ?? '') ? Number(hours) : NaN;
        if (
          rest.length > 0 ||
          !(countermeasureKinds as readonly string[]).includes(kind ?? '') ||
          named.has(kind!) ||
          !(h > 0 && h <= 720)
        ) {
          ctx.addIssue({
            code: 'custom',
            message: `"${part}": want kind=hours, each kind once, a kind of ${countermeasureKinds.join(', ')} and 0 < hours ≤ 720 (a decimal number)`,
          });
          return z.NEVER;
        }
        named.add(kind!);
        out[kind as CountermeasureKind] = h;
      }
      return out;
    }),
  FANZHA_APPEAL_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(defaultAppealDueDays),
  FANZHA_APPEAL_EFFECT_FAILURES_ALERT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(defaultAppealEffectFailuresAlert),
  FANZHA_SIGNALS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 ** 2, 'must be at least 1 MiB (1048576)')
    .max(1024 ** 4, 'must be at most 1 TiB')
    .default(128 * 1024 ** 2),
  FANZHA_CENTRE_NAME: z.string().trim().min(2).max(40).default('反诈中心'),
  FANZHA_CENTRE_PHONE: z
    .string()
    .trim()
    .regex(/^[0-9+() -]{3,30}$/, 'must be a phone number')
    .default('96110'),
  FANZHA_CENTRE_VERIFY_URL: z.url({ protocol: /^https?$/ }).optional(),
  FANZHA_WEBHOOK_ALLOW: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)))
    .default([]),
  FANZHA_TRUST_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isProxySpec), {
      message:
        "must list IP addresses or CIDR ranges (or 'loopback', 'linklocal', 'uniquelocal'), comma-separated",
    })
    .optional(),
  // 0 asks the system for a free port (tests); off when unset.
  FANZHA_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  FANZHA_METRICS_HOST: z
    .string()
    .refine((v) => isIP(v) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(v), {
      message: 'must be an IP address or a host name to listen on',
    })
    .optional(),
  FANZHA_BOOTSTRAP_ADMIN: z
    .string()
    .refine((v) => /^[a-z][a-z0-9._-]{2,31}:/.test(v), {
      message: 'must be username:password, the username 3–32 of a–z 0–9 . _ - starting with a letter a–z',
    })
    .refine((v) => !/^[a-z][a-z0-9._-]{2,31}:/.test(v) || /^[^:]*:.{12,}$/.test(v), {
      message: 'the password (after the first colon) must be at least 12 characters',
    })
    .optional(),
});

/** An address, a CIDR range, or one of proxy-addr's names for reserved ranges. */
function isProxySpec(spec: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(spec)) return true;
  const [address = '', bits, ...rest] = spec.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const secretVariables = new Set(['FANZHA_SECRET_KEY', 'FANZHA_BOOTSTRAP_ADMIN', 'DATABASE_URL']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Only where the data is — for maintenance that must not need the secrets (an auditor verifying the
 * trail holds read access to the database and nothing else).
 */
export function loadStorageConfig(
  env: Record<string, string | undefined> = process.env,
): Pick<Config, 'databaseUrl' | 'dataDir'> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.pick({ DATABASE_URL: true, FANZHA_DATA_DIR: true }).safeParse(present);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map(
        (i) =>
          `${i.path.join('.')}: ${i.message} (got ${String(i.path[0]) === 'DATABASE_URL' ? 'a hidden value' : JSON.stringify(present[String(i.path[0])] ?? null)})`,
      ),
    );
  return Object.freeze({ databaseUrl: parsed.data.DATABASE_URL, dataDir: parsed.data.FANZHA_DATA_DIR });
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (i) =>
          // Secrets are never echoed back, not even into an error message.
          `${i.path.join('.')}: ${i.message} (got ${secretVariables.has(String(i.path[0])) ? 'a hidden value' : JSON.stringify(present[String(i.path[0])] ?? null)})`,
      );
  // Rules across variables look at what was given, so they are listed even when a value is malformed.
  const role = present.FANZHA_ROLE;
  const isSplit = role === 'api' || role === 'worker';
  const hasDatabase = present.DATABASE_URL !== undefined;
  // PGlite is one process's private database: API and worker roles must share a real PostgreSQL.
  if (isSplit && !hasDatabase)
    problems.push(
      `FANZHA_ROLE: role '${role}' needs DATABASE_URL (the embedded database serves one process)`,
    );
  // Several processes must share one key, and a database server must not be paired with a key file
  // that only one machine holds.
  if (hasDatabase && present.FANZHA_SECRET_KEY === undefined)
    problems.push('FANZHA_SECRET_KEY: required with DATABASE_URL (64 hex digits, the same on every process)');
  if (isSplit && present.NATS_URL === undefined)
    problems.push(
      `FANZHA_ROLE: role '${role}' needs NATS_URL (the in-process bus cannot reach other processes)`,
    );
  // The demo publishes its accounts' passwords and codes and files simulated reports: never on the
  // database that is the system of record.
  if (hasDatabase && flag.safeParse(present.FANZHA_DEMO).data === true)
    problems.push('FANZHA_DEMO: the demo runs only on the embedded database; turn it off with DATABASE_URL');
  // The embedded database is one connection in the process: a pool size would silently mean nothing.
  if (!hasDatabase && present.FANZHA_DB_POOL_SIZE !== undefined)
    problems.push('FANZHA_DB_POOL_SIZE: set without DATABASE_URL (the embedded database is one connection)');
  // The metrics listener is off unless its port is set: a host alone would silently serve nothing.
  if (present.FANZHA_METRICS_HOST !== undefined && present.FANZHA_METRICS_PORT === undefined)
    problems.push('FANZHA_METRICS_HOST: set without FANZHA_METRICS_PORT (the metrics listener is off)');
  // Two listeners cannot share a port, and the metrics must never answer on the API's.
  const metricsPort = Number(present.FANZHA_METRICS_PORT ?? Number.NaN);
  if (metricsPort > 0 && metricsPort === Number(present.FANZHA_PORT ?? 8080))
    problems.push(
      `FANZHA_METRICS_PORT: must differ from FANZHA_PORT (${metricsPort}); metrics are never served on the API's port`,
    );
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const v = parsed.data;
  const demo = v.FANZHA_DEMO ?? !v.DATABASE_URL;
  return Object.freeze({
    port: v.FANZHA_PORT,
    // A demo answers anyone who can reach it with its accounts' codes: this machine only, unless asked.
    host: v.FANZHA_HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    role: v.FANZHA_ROLE,
    dataDir: v.FANZHA_DATA_DIR,
    databaseUrl: v.DATABASE_URL,
    dbPoolSize: v.FANZHA_DB_POOL_SIZE,
    natsUrl: v.NATS_URL,
    natsNamespace: v.FANZHA_NATS_NAMESPACE ?? defaultNatsNamespace(v.DATABASE_URL, v.FANZHA_DATA_DIR),
    isProduction: v.DATABASE_URL !== undefined,
    demo,
    logLevel: v.FANZHA_LOG_LEVEL,
    outboxPollMs: v.FANZHA_OUTBOX_POLL_MS,
    secretKey: v.FANZHA_SECRET_KEY ? Buffer.from(v.FANZHA_SECRET_KEY, 'hex') : undefined,
    sessionIdleMinutes: v.FANZHA_SESSION_IDLE_MINUTES,
    sessionMaxHours: v.FANZHA_SESSION_MAX_HOURS,
    isCookieSecure: v.FANZHA_COOKIE_SECURE,
    webhookAllow: Object.freeze(v.FANZHA_WEBHOOK_ALLOW),
    centreName: v.FANZHA_CENTRE_NAME,
    centrePhone: v.FANZHA_CENTRE_PHONE,
    centreVerifyUrl: v.FANZHA_CENTRE_VERIFY_URL ?? null,
    rateLimits: Object.freeze(
      Object.fromEntries(
        limitClasses.map((c) => {
          const text = (v as Record<string, unknown>)[rateVariable(c)] as string;
          const parsed = v.FANZHA_RATE_LIMITS ? parseRate(text) : undefined;
          return [c, parsed === 'invalid' ? undefined : parsed];
        }),
      ) as RateLimits,
    ),
    auditCheckpointMinutes: v.FANZHA_AUDIT_CHECKPOINT_MINUTES,
    auditCheckpointEntries: v.FANZHA_AUDIT_CHECKPOINT_ENTRIES,
    crypto: v.FANZHA_CRYPTO,
    indicatorSharedReports: v.FANZHA_INDICATOR_SHARED_REPORTS,
    indicatorHalfLifeDays: v.FANZHA_INDICATOR_HALF_LIFE_DAYS,
    clusterAlertReports: v.FANZHA_CLUSTER_ALERT_REPORTS,
    twoCardPeriods: Object.freeze({
      no_non_counter_services: v.FANZHA_TWO_CARDS_NO_NON_COUNTER_MONTHS,
      no_new_accounts: v.FANZHA_TWO_CARDS_NO_NEW_ACCOUNTS_MONTHS,
      limit_new_phone_cards: v.FANZHA_TWO_CARDS_LIMIT_PHONE_CARDS_MONTHS,
    }),
    twoCardInstructionSlaHours: v.FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS,
    countermeasureSlaHours: Object.freeze(v.FANZHA_COUNTERMEASURE_SLA_HOURS),
    appealDueDays: v.FANZHA_APPEAL_DUE_DAYS,
    appealEffectFailuresAlert: v.FANZHA_APPEAL_EFFECT_FAILURES_ALERT,
    signalsMaxBytes: v.FANZHA_SIGNALS_MAX_BYTES,
    trustProxy: Object.freeze(v.FANZHA_TRUST_PROXY ?? []),
    // Loopback unless asked: what the process counts is for the scraper, not the network.
    metrics:
      v.FANZHA_METRICS_PORT === undefined
        ? undefined
        : Object.freeze({ port: v.FANZHA_METRICS_PORT, host: v.FANZHA_METRICS_HOST ?? '127.0.0.1' }),
    bootstrapAdmin: v.FANZHA_BOOTSTRAP_ADMIN
      ? {
          username: v.FANZHA_BOOTSTRAP_ADMIN.slice(0, v.FANZHA_BOOTSTRAP_ADMIN.indexOf(':')),
          password: v.FANZHA_BOOTSTRAP_ADMIN.slice(v.FANZHA_BOOTSTRAP_ADMIN.indexOf(':') + 1),
        }
      : undefined,
  });
}
