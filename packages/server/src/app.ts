import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from '@fanzha/domain';
import type { Config } from './config';
import type { Database } from './db/database';
import { auditRoutes, installFailureAudit } from './modules/audit/index';
import { healthRoutes } from './modules/health/index';
import {
  authRoutes,
  createAuthService,
  createUsersService,
  demoRoutes,
  readCookie,
  SESSION_COOKIE,
  usersRoutes,
  type AuthService,
  type UsersService,
} from './modules/identity/index';
import { webRoutes } from './modules/web/index';
import type { Bus } from './platform/bus/bus';
import type { SecretBox } from './platform/crypto/secret-box';
import type { Signer } from './platform/crypto/signer';
import { openFieldKeys, withFieldKeys, type FieldKeys } from './platform/crypto/field-cipher';
import {
  authenticateBankKey,
  authenticateSignalKey,
  bankKeyRoutes,
  signalKeyRoutes,
  testDelivery,
} from './modules/integrations/index';
import {
  bankProtocolRoutes,
  createBankInstructionService,
  type BankInstructionService,
} from './modules/bank-protocol/index';
import {
  createReportsService,
  intakeReports,
  markReportMilestones,
  reportHandOff,
  reportsRoutes,
  type ReportsService,
} from './modules/reports/index';
import {
  createStopPaymentService,
  stopPaymentLapses,
  stopPaymentRoutes,
  type StopPaymentService,
} from './modules/stop-payment/index';
import {
  alertRoutes,
  createAlertsService,
  createLegalTimers,
  type AlertsService,
  type LegalTimers,
} from './modules/legal-timers/index';
import {
  countyTaskRoutes,
  createCountyTasksService,
  type CountyTasksService,
} from './modules/county-tasks/index';
import { createFreezesService, freezeRoutes, type FreezesService } from './modules/freezes/index';
import {
  countermeasureRoutes,
  createCountermeasuresService,
  type CountermeasuresService,
} from './modules/countermeasures/index';
import { appealRoutes, createAppealsService, type AppealsService } from './modules/appeals/index';
import { createStreamHub, streamRoutes, type StreamHub } from './modules/stream/index';
import { clockRoutes, wallRoutes } from './modules/wall/index';
import { createFollowUpSweep, followUpRoutes, type FollowUpSweep } from './modules/warning-follow-up/index';
import {
  callbackRates,
  callbackRoutes,
  createCallbacksService,
  type CallbacksService,
} from './modules/callbacks/index';
import { createPublicityService, publicityRoutes, type PublicityService } from './modules/publicity/index';
import { caseLinkRoutes, createCaseLinksService, type CaseLinksService } from './modules/case-links/index';
import { createTwoCardsService, twoCardRoutes, type TwoCardsService } from './modules/two-cards/index';
import { casePackRoutes, casePackSources, createCasePacks } from './modules/case-packs/index';
import { createTasksService, openTaskCounts, taskRoutes, type TasksService } from './modules/tasks/index';
import { createPeriodReports, periodReportRoutes, type PeriodReports } from './modules/period-reports/index';
import {
  addIndicatorHits,
  createIndicatorDecisions,
  createIndicatorExchange,
  createIndicatorRegrade,
  createIndicatorsService,
  indicatorDecisionRoutes,
  indicatorExchangeRoutes,
  indicatorRoutes,
  type IndicatorDecisions,
  type IndicatorExchange,
  type IndicatorRegrade,
  registerIndicatorMetrics,
  type IndicatorsService,
} from './modules/indicators/index';
import { createRiskLookupService, riskLookupRoutes } from './modules/risk-lookup/index';
import {
  createLiveMoneyGraph,
  createMoneyGraphService,
  moneyGraphRoutes,
  registerMoneyGraphMetrics,
  type LiveMoneyGraph,
  type MoneyGraphService,
} from './modules/money-graph/index';
import {
  createScreeningService,
  screeningRoutes,
  type IndicatorReader,
  type ScreeningService,
  type SignalPublisher,
  type WarningsSink,
} from './modules/screening/index';
import {
  carrierRoutes,
  createCarrierDesk,
  createEpisodeSweep,
  createHitRecorder,
  createRecordingMessenger,
  createWarningsConsole,
  cryptoRandom,
  warningRoutes,
  type CarrierDesk,
  type EpisodeSweep,
  type Messenger,
  type RecordHits,
  type WarningsConsole,
} from './modules/warnings/index';
import { answerRouterError, installErrorHandler } from './platform/http/errors';
import { securitySchemes, withOptionalEmptyBodies, withSecurity } from './platform/http/openapi-security';
import { urlForLog } from './platform/http/log-url';
import { installStrictInput } from './platform/http/strict-input';
import { bearerTokenOf, installPolicies, publicRoute, type RegisteredRoute } from './platform/http/policy';
import { createRateLimiter } from './platform/http/rate-limit';
import { installSecurityHeaders } from './platform/http/security-headers';
import type { Logger } from './platform/logger';
import { createMetrics, type Metrics } from './platform/metrics/metrics';
import { installRequestMetrics } from './platform/metrics/http-metrics';
import { registerConsumerMetrics, registerOutboxMetrics } from './platform/metrics/platform-metrics';
import { version } from './version';

/** What every module's routes and services are built from: explicit, small, typed. */
export interface Deps {
  config: Config;
  database: Database;
  bus: Bus;
  clock: Clock;
  secretBox: SecretBox;
  signer: Signer;
  /** The keys of personal fields at rest (created from the secret key; the data keys load at build). */
  fieldKeys: FieldKeys;
  /** Signs the audit chain's checkpoints: a key of its own, apart from the instruction-signing key. */
  checkpointSigner: Signer;
  /** Tells the outbox relay that events were committed, so it publishes at once. */
  wakeRelay: () => void;
  log: Logger;
  startedAt: Date;
  /** The process's metrics: a feature registers its counters here (see platform/metrics/metrics.ts). */
  metrics: Metrics;
  /**
   * Screening's seams: the indicators it matches, the warnings module its hits go to, and (with NATS) the
   * signals stream that HTTP batches are published to. Absent parts: this app's own indicators module and
   * `recordHits`; without a publisher, an HTTP batch is screened in this process.
   */
  screening?: { indicators?: IndicatorReader; warnings?: WarningsSink; publisher?: SignalPublisher };
  /** The SMS gateway and robot-call platform (warnings, appeals' decisions); default: records each message as sent. */
  messenger?: Messenger;
}

export type App = FastifyInstance & {
  registeredRoutes: RegisteredRoute[];
  /** Served on the metrics listener only (start.ts), never on this app's port. */
  metrics: Metrics;
  services: {
    auth: AuthService;
    users: UsersService;
    reports: ReportsService;
    stopPayments: StopPaymentService;
    bankInstructions: BankInstructionService;
    countyTasks: CountyTasksService;
    freezes: FreezesService;
    alerts: AlertsService;
    /** The legal timers' sweep: started by roles that run background work (see start.ts). */
    legalTimers: LegalTimers;
    /** The registry of indicators: its API's reads and screening's reader (`indicators.reader`). */
    indicators: IndicatorsService;
    /** Indicator exchange: imports (COPY on PostgreSQL) and exports (CSV, STIX 2.1). */
    indicatorExchange: IndicatorExchange;
    /** Analysts' and operators' decisions on indicators, merges, and their history. */
    indicatorDecisions: IndicatorDecisions;
    /** The decay of quiet indicators' risk levels: started like the other sweeps (see start.ts). */
    indicatorRegrade: IndicatorRegrade;
    /** Signals in, the matcher, hits out (its worker part is started by start.ts). */
    screening: ScreeningService;
    /** Warnings: screening hands its hits to `recordHits` in its own transaction. */
    recordHits: RecordHits;
    warnings: WarningsConsole;
    /** Carrier assist: the operators' requests and answers. */
    carrierDesk: CarrierDesk;
    /** The persuasion ladder's timers and the messenger's queue: started like the legal timers. */
    episodeSweep: EpisodeSweep;
    /** The follow-up checks 7 and 30 days after an episode closed: started like the ladder's sweep. */
    followUpSweep: FollowUpSweep;
    /** Callbacks to victims and warned people (回访); scheduled by its consumer (start.ts). */
    callbacks: CallbacksService;
    /** Publicity (宣传): briefs and campaigns. */
    publicity: PublicityService;
    /** The supervision queue (督办): every instruction as a task. */
    tasks: TasksService;
    /** The period reports (日报/周报/月报): on demand, and the schedule started like the sweeps. */
    periodReports: PeriodReports;
    /** Case linking (串并案): clusters of linked reports, the analysts' decisions, `clusterFacts` for the case pack. */
    caseLinks: CaseLinksService;
    /** The money graph: its traces, and the live graph start.ts builds and keeps current. */
    moneyGraph: MoneyGraphService;
    moneyGraphLive: LiveMoneyGraph;
    /** Two cards (断卡): cards found in cases, their holders, the league of branches and outlets, measures. */
    twoCards: TwoCardsService;
    /** Countermeasures (技术反制): requests, answers, figures; its SLA sweep is started by start.ts. */
    countermeasures: CountermeasuresService;
    /** Appeals (申诉): filing, review, decision; its deadline sweep is started by start.ts. */
    appeals: AppealsService;
  };
  /** Absent on a worker, which serves no stream. */
  hub: StreamHub | undefined;
};

const requestIdPattern = /^[A-Za-z0-9._:-]{8,64}$/;
/** Node.js refuses a request whose line and headers pass 16 KiB: no path parameter can be longer. */
const maxUrlLength = 16 * 1024;

/** Builds the HTTP app. It does not listen: `main.ts` does, and tests use `app.inject()`. */
export async function buildApp(
  given: Omit<Deps, 'log' | 'metrics'> & { metrics?: Metrics },
  opts: { logger?: boolean | object } = {},
): Promise<App> {
  const deps = { ...given, metrics: given.metrics ?? createMetrics() };
  const { config, metrics } = deps;
  const app = Fastify({
    logger: opts.logger ?? false,
    // One line per request at info would drown the log (and cost) at thousands of requests a second:
    // refusals and failures are logged below, the rest at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // An upstream request id (from a telephony system or a bank gateway) is kept, so logs join up.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For is believed only from the proxies the operator lists; from anyone else it is the
    // client's own claim, and the peer's address stands.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    // The router's own limit on a path parameter (100 characters by default) answered 414 in Fastify's
    // body, without a request id. No route has a pattern parameter whose matching that limit protects, so
    // it is raised to the longest request line Node.js accepts: an over-long parameter then reaches its
    // route and is refused by the route's schema like any other bad value (400, naming the parameter).
    routerOptions: { maxParamLength: maxUrlLength },
    frameworkErrors: answerRouterError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installStrictInput(app);
  installSecurityHeaders(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const fields = {
      method: req.method,
      url: urlForLog(req.url),
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) req.log.error(fields, 'request failed');
    else if (reply.statusCode >= 400) req.log.info(fields, 'request refused');
    else req.log.debug(fields, 'request completed');
  });
  installRequestMetrics(app, metrics);

  const { clock, secretBox } = deps;
  // Every handle the modules get carries the field keys: their repositories encrypt and decrypt with them.
  await openFieldKeys(deps.database.db, deps.fieldKeys, clock.now());
  const db = withFieldKeys(deps.database.db, deps.fieldKeys);
  const auth = createAuthService({
    db,
    clock,
    secretBox,
    sessionIdleMs: config.sessionIdleMinutes * 60_000,
    sessionMaxMs: config.sessionMaxHours * 3_600_000,
  });
  const users = createUsersService({ db });
  const bankInstructions = createBankInstructionService({
    db,
    clock,
    signer: deps.signer,
    wake: () => deps.wakeRelay(),
    log: app.log,
  });
  const wake = () => deps.wakeRelay();
  app.addHook('onClose', () => bankInstructions.sequencer.stop());
  // Stop-payment sets a report's milestones through the reports module, which it cannot import (reports
  // calls stop-payment): the function is handed to it here.
  const stopPayments = createStopPaymentService({
    db,
    clock,
    bankInstructions,
    wake,
    markReportMilestones,
  });
  const reports = createReportsService({ db, clock, stopPayments, wake });
  const countyTasks = createCountyTasksService({ db, clock, reports: reportHandOff, wake });
  const freezes = createFreezesService({ db, clock, stopPayments, bankInstructions, wake });
  const alerts = createAlertsService({ db });
  const legalTimers = createLegalTimers({
    db,
    clock,
    stopPayments: { ...stopPaymentLapses, emitChanged: (trx, ids) => stopPayments.emitChanged(trx, ids) },
    bankInstructions,
    wake,
    metrics,
  });
  const recordHits = createHitRecorder({ clock, random: cryptoRandom });
  const warnings = createWarningsConsole({
    db,
    clock,
    random: cryptoRandom,
    centreName: config.centreName,
    bankInstructions,
    appeal: { centre: config.centreName, phone: config.centrePhone, verifyUrl: config.centreVerifyUrl },
    wake,
    // Already paid → an intake draft: the reports module owns drafts, and makes it.
    intakeDrafts: { open: (trx, ctx, d) => reports.openFromEpisode(trx, ctx, d), brief: reports.brief },
  });
  const carrierDesk = createCarrierDesk({ db, clock, random: cryptoRandom, wake });
  // The centre's SMS gateway and robot-call platform: the warnings' messages, the appeals' decisions.
  const messenger = deps.messenger ?? createRecordingMessenger();
  const episodeSweep = createEpisodeSweep({
    db,
    clock,
    random: cryptoRandom,
    messenger,
    centreName: config.centreName,
    wake,
  });
  const followUpSweep = createFollowUpSweep({ db, clock });
  const callbacks = createCallbacksService({ db, clock, wake });
  const publicity = createPublicityService({ db, clock, wake });
  const tasks = createTasksService({ db, clock, countyTasks, wake });
  const periodReports = createPeriodReports({ db, clock });
  const caseLinks = createCaseLinksService({ db, clock, alertReports: config.clusterAlertReports, wake });
  const twoCards = createTwoCardsService({
    db,
    clock,
    periods: config.twoCardPeriods,
    signer: deps.signer,
    instructionSlaHours: config.twoCardInstructionSlaHours,
    wake,
  });
  const indicators = createIndicatorsService({ db });
  const riskLookup = createRiskLookupService({
    db,
    clock,
    indicators,
    halfLifeDays: config.indicatorHalfLifeDays,
  });
  const countermeasures = createCountermeasuresService({
    db,
    clock,
    signer: deps.signer,
    sla: config.countermeasureSlaHours,
    indicators: indicators.reader,
    wake,
  });
  const indicatorExchange = createIndicatorExchange({
    db,
    clock,
    wake,
  });
  registerIndicatorMetrics(metrics, { indicators, log: app.log });
  const halfLifeDays = config.indicatorHalfLifeDays;
  const indicatorDecisions = createIndicatorDecisions({ db, clock, wake, halfLifeDays });
  const indicatorRegrade = createIndicatorRegrade({ db, clock, wake, halfLifeDays });
  const appeals = createAppealsService({
    db,
    clock,
    dueDays: config.appealDueDays,
    effectFailuresAlert: config.appealEffectFailuresAlert,
    messenger,
    indicators,
    indicatorDecisions,
    countermeasures,
    twoCards,
    freezes,
    holds: warnings,
    centreName: config.centreName,
    wake,
  });
  const moneyGraphLive = createLiveMoneyGraph({ db });
  registerMoneyGraphMetrics(metrics, moneyGraphLive);
  const moneyGraph = createMoneyGraphService({
    db,
    live: moneyGraphLive,
    stopPayment: (actor, id) => stopPayments.get(actor, id),
  });
  const casePacks = createCasePacks({
    db,
    clock,
    sources: casePackSources({ caseLinks, moneyGraph, stopPayments }),
  });
  const screening = createScreeningService({
    db,
    clock,
    indicators: deps.screening?.indicators ?? indicators.reader,
    warnings: deps.screening?.warnings ?? {
      // The warnings, and the hit counts of their indicators (a redelivery adds nothing), in the transaction
      // that acknowledges the batch.
      recordHits: async (trx, hits) =>
        addIndicatorHits(trx, (await recordHits(trx, hits)).listedIndicatorIds),
    },
    publisher: deps.screening?.publisher,
    metrics,
    log: app.log,
  });
  registerOutboxMetrics(metrics, { db, log: app.log });
  registerConsumerMetrics(metrics, { bus: deps.bus, log: app.log });
  const registeredRoutes = installPolicies(app, {
    isStrict: true,
    publicPrefixes: [{ prefix: '/api/docs', limit: 'public' }],
    limiter: createRateLimiter({ limits: config.rateLimits, clock }),
    authenticate: async (req) => {
      // Banks', operators' and upstream centres' systems send their key (a signal key only on its own
      // sender's signals route); people have a session cookie.
      const bearer = bearerTokenOf(req.headers.authorization);
      const token = bearer ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
      const actor = bearer
        ? ((await authenticateBankKey(db, bearer)) ??
          (await authenticateSignalKey(db, bearer, req.routeOptions.url)))
        : token
          ? await auth.authenticate(token)
          : undefined;
      // The actor carries the request's address into every audit entry written on its behalf.
      return actor && { ...actor, clientAddress: req.ip };
    },
  });
  installFailureAudit(app, { db, clock, log: app.log });

  const full: Deps = { ...deps, log: app.log };
  const services = {
    auth,
    users,
    reports,
    stopPayments,
    bankInstructions,
    countyTasks,
    freezes,
    alerts,
    legalTimers,
    indicators,
    moneyGraph,
    moneyGraphLive,
    indicatorExchange,
    indicatorDecisions,
    indicatorRegrade,
    screening,
    recordHits,
    warnings,
    carrierDesk,
    episodeSweep,
    followUpSweep,
    callbacks,
    publicity,
    tasks,
    periodReports,
    caseLinks,
    twoCards,
    countermeasures,
    appeals,
  };
  // A worker answers health only (metrics have a listener of their own, see start.ts): the API, its
  // reference, the stream and the web app belong to the all and api roles, so that a worker's port exposes
  // nothing else.
  if (config.role === 'worker') {
    await app.register(healthRoutes(full));
    await app.ready();
    return Object.assign(app, { registeredRoutes, metrics, hub: undefined, services });
  }
  const hub = createStreamHub({ db, bus: deps.bus, log: app.log });
  await hub.start();
  // Open streams would hold the server's close open for ever: end them as soon as closing starts.
  app.addHook('preClose', (done) => {
    hub.closeAll();
    done();
  });
  app.addHook('onClose', () => hub.stop());
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      components: { securitySchemes },
      info: {
        title: 'fanzha API',
        version,
        description:
          'API of fanzha, the anti-telecom-fraud command centre: intake, stop-payment, bank and operator ' +
          'integration, tasks, warnings and the command wall. Errors always answer with `ErrorBody`. ' +
          'Staff sign in with a password and a TOTP code (`/api/auth/sign-in`, `/api/auth/verify`); the session ' +
          'is an HttpOnly cookie, and state changes must be sent as `application/json`.',
      },
      tags: [
        { name: 'platform', description: 'Health and documents' },
        { name: 'auth', description: 'Sign-in with two factors, sessions' },
        { name: 'users', description: 'Accounts, roles and their scopes (admin)' },
        { name: 'audit', description: 'The hash-chained audit trail (auditor)' },
        {
          name: 'intake',
          description: 'Reports (警情): intake drafts that push accounts while typing, submission',
        },
        {
          name: 'stop-payment',
          description: 'The stop-payment desk (止付岗): queue and signed instructions',
        },
        {
          name: 'bank',
          description:
            'For banks: every measure (emergency stop, freeze, renewal, release, return, lapse notice) as a signed ' +
            'instruction in your change feed; acknowledge, answer or confirm what you did, signed and idempotent',
        },
        { name: 'live', description: 'Server-Sent Events with replay' },
        {
          name: 'integrations',
          description: "Keys for banks', operators' and upstream centres' systems (admin)",
        },
        { name: 'stats', description: 'Aggregates for the wall (no personal data)' },
        {
          name: 'indicators',
          description:
            'The registry of indicators (涉诈号码/网址/APP/账户): what reports and bank answers named, normalised, with provenance',
        },
        {
          name: 'money-graph',
          description:
            'The money graph (资金图谱): every transfer from reports and bank answers, traced across layers under an allocation rule',
        },
        {
          name: 'public',
          description:
            'No sign-in: the public risk lookup of a phone number, URL or bank account (a coarse level, no record ' +
            'does not mean safe), limited per client address',
        },
        { name: 'signals', description: 'Early-warning signals: dead letters (admin, supervisor)' },
        {
          name: 'warnings',
          description:
            'Early warning and persuasion (预警劝阻): episodes, the persuasion ladder, protective holds, and the ' +
            'public check of verification codes',
        },
        {
          name: 'countermeasures',
          description:
            'Countermeasures (技术反制): the centre’s signed requests to block numbers, take down URLs, block apps ' +
            '(operators) and restrict accounts (banks), their answers, SLA and figures',
        },
        {
          name: 'appeals',
          description:
            'Appeals (申诉, Anti-Telecom and Online Fraud Law Art. 32): filed on the public form, reviewed and ' +
            'decided by two different people; a grant delists the value and lifts the measures on it',
        },
        {
          name: 'tasks',
          description:
            'The supervision queue (督办): every instruction as a task with an owner and a deadline; urge, ' +
            'reassign, escalate; the league of counties, banks and operators',
        },
        {
          name: 'two-cards',
          description:
            'Two cards (断卡): bank cards and SIMs found in cases, their holders and opening branches or outlets, ' +
            'the league for regulators, measures against holders and their hand-off to county police',
        },
      ],
    },
    transform: (doc) => withSecurity(jsonSchemaTransform(doc), doc.route),
    transformObject: (doc) => withOptionalEmptyBodies(jsonSchemaTransformObject(doc)),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { config: publicRoute('public'), schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(healthRoutes(full));
  await app.register(
    authRoutes({ auth, isCookieSecure: config.isCookieSecure, sessionMaxS: config.sessionMaxHours * 3600 }),
  );
  await app.register(usersRoutes({ users, clock }));
  await app.register(auditRoutes({ db, checkpointSigner: deps.checkpointSigner }));
  await app.register(
    reportsRoutes({
      reports,
      clock,
      intake: (ctx, inputs, prefix) => intakeReports({ db, clock, wake, stopPayments }, ctx, inputs, prefix),
    }),
  );
  await app.register(stopPaymentRoutes({ stopPayments, bankInstructions, clock }));
  await app.register(
    bankProtocolRoutes({
      bankInstructions,
      clock,
      signer: deps.signer,
      async acknowledge(ctx, id) {
        const item = await bankInstructions.get(ctx.actor, id);
        if (item.kind !== 'emergency_stop_payment') return bankInstructions.acknowledgeMeasure(ctx, id);
        await stopPayments.acknowledge(ctx, id);
        return bankInstructions.get(ctx.actor, id);
      },
      // A protective hold's instruction belongs to a warning episode; every other measure to a case's freeze.
      confirm: async (ctx, id, body, key) =>
        (await bankInstructions.isHoldInstruction(id))
          ? warnings.confirmHold(ctx, id, body, key)
          : freezes.confirmMeasure(ctx, id, body, key),
      testWebhook: (actor) =>
        testDelivery({ db, signer: deps.signer, clock, allow: config.webhookAllow }, actor),
    }),
  );
  await app.register(freezeRoutes({ freezes, clock }));
  await app.register(countyTaskRoutes({ tasks: countyTasks, clock }));
  await app.register(alertRoutes({ alerts, clock }));
  await app.register(warningRoutes({ console: warnings, clock }));
  await app.register(carrierRoutes({ desk: carrierDesk, clock }));
  await app.register(countermeasureRoutes({ countermeasures, clock }));
  await app.register(appealRoutes({ appeals, clock }));
  await app.register(bankKeyRoutes({ db, clock, webhookAllow: config.webhookAllow }));
  await app.register(signalKeyRoutes({ db, clock, webhookAllow: config.webhookAllow }));
  await app.register(clockRoutes({ db, clock }));
  await app.register(
    wallRoutes({
      db,
      clock,
      loop: {
        callbackRates: (from, to) => callbackRates(db, from, to, null),
        openTasks: (now) => openTaskCounts(db, now),
        investigation: (now) => caseLinks.wallFigures(now),
        blockedNumbers: (from, to) => countermeasures.phonesShutBetween(from, to),
      },
    }),
  );
  await app.register(followUpRoutes({ db, clock }));
  await app.register(callbackRoutes({ callbacks, db, clock }));
  await app.register(publicityRoutes({ publicity, clock }));
  await app.register(taskRoutes({ tasks, clock }));
  await app.register(caseLinkRoutes({ caseLinks, clock }));
  await app.register(twoCardRoutes({ twoCards, clock }));
  await app.register(periodReportRoutes({ reports: periodReports, clock }));
  await app.register(indicatorRoutes({ indicators }));
  await app.register(indicatorDecisionRoutes({ decisions: indicatorDecisions, clock }));
  await app.register(moneyGraphRoutes({ moneyGraph }));
  await app.register(casePackRoutes({ packs: casePacks }));
  await app.register(riskLookupRoutes({ lookup: riskLookup, clock }));
  await app.register(indicatorExchangeRoutes({ exchange: indicatorExchange, clock }));
  await app.register(screeningRoutes({ screening, clock }));
  await app.register(streamRoutes({ hub, reauthenticate: (actor) => auth.isStillValid(actor) }));
  if (config.demo) await app.register(demoRoutes({ db, clock, secretBox }));
  await app.register(webRoutes());
  await app.ready();
  return Object.assign(app, { registeredRoutes, metrics, hub, services });
}
