import type { CreateUserRequest, SessionInfo, SignInResponse } from '@fanzha/contracts';
import { TestClock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import { buildApp, type App, type Deps } from '../src/app';
import { loadConfig } from '../src/config';
import type { TestDatabase } from './test-databases';
import type { Bus } from '../src/platform/bus/bus';
import { createMemoryBus } from '../src/platform/bus/memory-bus';
import { createSecretBox } from '../src/platform/crypto/secret-box';
import { createFieldKeys, withFieldKeys } from '../src/platform/crypto/field-cipher';
import { createSigner } from '../src/platform/crypto/signer';
import { suiteAlgorithms } from '../src/platform/crypto/suites';
import { createRelay, type Relay } from '../src/platform/outbox/relay';
import {
  createWebhookRetries,
  startPartyNotices,
  startWebhookDelivery,
  type WebhookRetries,
} from '../src/modules/integrations/index';
import { totpCode, totpStep } from '../src/platform/crypto/totp';

/** A built app on a test database and a test clock, with helpers to make users and sign them in. */
export interface Harness {
  app: App;
  clock: TestClock;
  /** The database as the app's services use it: personal fields sealed and opened with the app's keys. */
  db: Kysely<DB>;
  /** The TOTP secret each user enrolled (by username), as their authenticator app would keep it. */
  secrets: Map<string, string>;
  createUser(
    input: Omit<CreateUserRequest, 'password'> & { password?: string },
  ): Promise<{ id: string; password: string }>;
  /** Both steps; enrols on first sign-in. Returns the session cookie. */
  signIn(username: string, password?: string): Promise<string>;
  codeFor(username: string): string;
  /** The worker's webhook retry sweep, run by the test when it wants (`retryOnce(at)`); not on its own. */
  webhookRetries: WebhookRetries;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'Correct-Horse-9-Battery';

export async function createHarness(
  database: TestDatabase,
  opts: {
    env?: Record<string, string>;
    logger?: object;
    start?: string;
    /** A bus shared with other nodes (the caller closes it); default a private in-process bus. */
    bus?: Bus;
    /** false: an API node without relay or consumers, as the `api` role runs. */
    isWorker?: boolean;
    /** Screening's seams (indicators, warnings, signals publisher); default none. */
    screening?: Deps['screening'];
    /** The SMS gateway and robot-call platform; default one that records and sends nothing. */
    messenger?: Deps['messenger'];
  } = {},
): Promise<Harness> {
  const clock = new TestClock(opts.start ?? '2026-05-01T08:00:00Z');
  const bus = opts.bus ?? createMemoryBus();
  const isWorker = opts.isWorker ?? true;
  const relayRef: { relay?: Relay } = {};
  // Rate limits are off unless a test sets them: the test clock stands still, so no bucket would ever
  // refill while a test signs in its cast and calls the API hundreds of times.
  const config = loadConfig({ FANZHA_DEMO: 'off', FANZHA_RATE_LIMITS: 'off', ...opts.env });
  const algorithms = suiteAlgorithms[config.crypto];
  const signer = createSigner(Buffer.alloc(32, 9), 'instructions', algorithms.signature);
  const fieldKeys = createFieldKeys(Buffer.alloc(32, 9), algorithms.fieldCipher);
  const app = await buildApp(
    {
      config,
      database,
      bus,
      clock,
      secretBox: createSecretBox(Buffer.alloc(32, 9)),
      signer,
      fieldKeys,
      checkpointSigner: createSigner(Buffer.alloc(32, 9), 'audit-checkpoints', algorithms.signature),
      // As a running server wakes relays: a worker's commit its own relay, an API node's one of the workers'
      // relays through the bus.
      wakeRelay: () => (isWorker ? relayRef.relay?.wake() : bus.signal('outbox')),
      startedAt: clock.now(),
      ...(opts.screening ? { screening: opts.screening } : {}),
      ...(opts.messenger ? { messenger: opts.messenger } : {}),
    },
    opts.logger ? { logger: opts.logger } : {},
  );
  // The real relay, so that events reach the bus (and live streams) as in a running server.
  const relay = isWorker
    ? createRelay({
        db: withFieldKeys(database.db, fieldKeys),
        bus,
        log: app.log,
        pollMs: 50,
        metrics: app.metrics,
      })
    : undefined;
  relayRef.relay = relay;
  relay?.start();
  const hookDeps = { db: database.db, bus, log: app.log, signer, clock, allow: config.webhookAllow };
  const webhooks = isWorker ? await startWebhookDelivery(hookDeps) : undefined;
  const notices = isWorker ? await startPartyNotices(hookDeps) : undefined;
  const webhookRetries = createWebhookRetries({ ...hookDeps, db: withFieldKeys(database.db, fieldKeys) });
  const secrets = new Map<string, string>();
  const codeFor = (username: string) => totpCode(secrets.get(username)!, totpStep(clock.now()));

  return {
    app,
    clock,
    db: withFieldKeys(database.db, fieldKeys),
    secrets,
    codeFor,
    webhookRetries,
    async createUser(input) {
      const password = input.password ?? TEST_PASSWORD;
      const user = await app.services.users.create(
        { at: clock.now(), requestId: null, actor: null },
        { ...input, password },
      );
      return { id: user.id, password };
    },
    async signIn(username, password = TEST_PASSWORD) {
      const step1 = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username, password },
      });
      if (step1.statusCode !== 200)
        throw new Error(`sign-in step 1 for ${username}: ${step1.statusCode} ${step1.body}`);
      const challenge = step1.json<SignInResponse>();
      if (challenge.enrolment) secrets.set(username, challenge.enrolment.secret);
      const step2 = await app.inject({
        method: 'POST',
        url: '/api/auth/verify',
        payload: { challengeId: challenge.challengeId, code: codeFor(username) },
      });
      if (step2.statusCode !== 200)
        throw new Error(`sign-in step 2 for ${username}: ${step2.statusCode} ${step2.body}`);
      step2.json<SessionInfo>();
      const cookie = String(step2.headers['set-cookie']).split(';')[0]!;
      // Codes are single-use: move past this step so the next sign-in of anyone gets a fresh one.
      clock.advance(30_000);
      return cookie;
    },
    async close() {
      await app.close();
      await webhooks?.stop();
      await notices?.stop();
      await relay?.stop();
      if (!opts.bus) await bus.close();
    },
  };
}

/** A test's cast: each person's username (also their display name), role and scope (a bank, an operator or a county). */
export type Cast = ReadonlyArray<
  readonly [
    username: string,
    role: CreateUserRequest['role'],
    scope: Pick<CreateUserRequest, 'bankCode' | 'operatorCode' | 'countyCode'>,
  ]
>;

/** Creates each person of the cast. */
export async function createCast(h: Harness, cast: Cast): Promise<void> {
  for (const [username, role, scope] of cast)
    await h.createUser({ username, displayName: username, role, ...scope });
}

/** Signs each person of the cast in; their session cookies by username. */
export async function signInCast(h: Harness, cast: Cast): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const [username] of cast) cookies[username] = await h.signIn(username);
  return cookies;
}
