import { z } from 'zod';

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
  readonly natsUrl: string | undefined;
  readonly demo: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly outboxPollMs: number;
}

const flag = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const schema = z.object({
  FANZHA_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  FANZHA_HOST: z.string().min(1).default('0.0.0.0'),
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
  FANZHA_DEMO: flag.default(true),
  FANZHA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FANZHA_OUTBOX_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(200),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (i) =>
          `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])] ?? null)})`,
      );
  if (parsed.success) {
    const v = parsed.data;
    // PGlite is one process's private database: API and worker roles must share a real PostgreSQL.
    if (v.FANZHA_ROLE !== 'all' && !v.DATABASE_URL)
      problems.push(
        `FANZHA_ROLE: role '${v.FANZHA_ROLE}' needs DATABASE_URL (the embedded database serves one process)`,
      );
    if (v.FANZHA_ROLE !== 'all' && !v.NATS_URL)
      problems.push(
        `FANZHA_ROLE: role '${v.FANZHA_ROLE}' needs NATS_URL (the in-process bus cannot reach other processes)`,
      );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const v = parsed.data;
  return Object.freeze({
    port: v.FANZHA_PORT,
    host: v.FANZHA_HOST,
    role: v.FANZHA_ROLE,
    dataDir: v.FANZHA_DATA_DIR,
    databaseUrl: v.DATABASE_URL,
    natsUrl: v.NATS_URL,
    demo: v.FANZHA_DEMO,
    logLevel: v.FANZHA_LOG_LEVEL,
    outboxPollMs: v.FANZHA_OUTBOX_POLL_MS,
  });
}
