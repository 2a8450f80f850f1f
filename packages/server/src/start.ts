import { systemClock } from './platform/clock';
import { buildApp, type App } from './app';
import type { Config } from './config';
import { migrate, openDatabase, type Database } from './db/database';
import { SERVER_POOL_KEEP_OPEN } from './db/pool-limits';
import type { Bus } from './platform/bus/bus';
import { createMemoryBus } from './platform/bus/memory-bus';
import { createNatsBus } from './platform/bus/nats-bus';
import { createRelay, RELAY_SIGNAL_GROUP, type Relay } from './platform/outbox/relay';
import { startOutboxRetention } from './platform/outbox/retention';
import { createAuditCheckpointer, createAuditSealer } from './modules/audit/index';
import {
  createWebhookRetries,
  startPartyNotices,
  startWebhookDelivery,
  startWebhookRetries,
} from './modules/integrations/index';
import { startLegalTimers } from './modules/legal-timers/index';
import { startEpisodeSweep } from './modules/warnings/index';
import { startWallRollup } from './modules/wall/index';
import { countReports, startPublicityRollup } from './modules/publicity/index';
import { backfillAgeBands } from './modules/reports/index';
import { startFollowUpConsumer, startFollowUpSweep } from './modules/warning-follow-up/index';
import { startCountermeasureSweep } from './modules/countermeasures/index';
import { startAppealSweep, startAppealsConsumer } from './modules/appeals/index';
import { startCallbacksConsumer } from './modules/callbacks/index';
import { startTasksConsumer } from './modules/tasks/index';
import { startPeriodReportSchedule } from './modules/period-reports/index';
import {
  registerIndicatorMetrics,
  startIndicatorConsumer,
  startIndicatorRegrade,
} from './modules/indicators/index';
import { startCaseLinker } from './modules/case-links/index';
import { startLiveMoneyGraph, startMoneyGraphConsumer } from './modules/money-graph/index';
import { startTwoCardInstructionSweep, startTwoCardsConsumer } from './modules/two-cards/index';
import { createSignalPublisher, defaultSignalStreamLimits, startScreening } from './modules/screening/index';
import {
  ensureBootstrapAdmin,
  firstAdminNotice,
  seedDemoAccounts,
  setDemoAccountsEnabled,
  startSignInHousekeeping,
} from './modules/identity/index';
import { loadSecretKey } from './platform/crypto/secret-key';
import { claimDataDir } from './platform/data-dir-lock';
import { createSecretBox } from './platform/crypto/secret-box';
import { createSigner } from './platform/crypto/signer';
import { createFieldKeys, withFieldKeys, type FieldKeys } from './platform/crypto/field-cipher';
import { sealPlaintextFields } from './platform/crypto/field-rotation';
import { createMetrics } from './platform/metrics/metrics';
import { startMetricsServer, type MetricsServer } from './platform/metrics/metrics-server';
import { suiteAlgorithms } from './platform/crypto/suites';

export interface Running {
  app: App;
  database: Database;
  bus: Bus;
  relay: Relay | undefined;
  /** The keys of personal data at rest (a handle that carries them: `withFieldKeys(database.db, fieldKeys)`). */
  fieldKeys: FieldKeys;
  /** Where the HTTP server listens, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Where the metrics listener answers (FANZHA_METRICS_PORT), e.g. http://127.0.0.1:9464/metrics; off if undefined. */
  metricsUrl: string | undefined;
  /** Demo accounts seeded at start (embedded demo only). */
  demoAccounts: Array<{ username: string; role: string }>;
  stop(): Promise<void>;
}

/**
 * Starts fanzha in the configured role: opens and migrates the database, connects the bus, starts the
 * outbox relay and the event consumers (roles all and worker) and the HTTP server (every role answers
 * health; only all and api serve the API, its reference, the stream — with its live listener — and the web
 * app).
 */
export async function start(config: Config, opts: { logger?: boolean | object } = {}): Promise<Running> {
  // The configuration refuses this already; a hand-built one must not slip demo data into the record.
  if (config.demo && config.databaseUrl)
    throw new Error('the demo runs only on the embedded database, never with DATABASE_URL');
  const startedAt = systemClock.now();
  const release = config.databaseUrl ? undefined : claimDataDir(config.dataDir);
  const database = await openDatabase(
    config.databaseUrl
      ? {
          kind: 'postgres',
          url: config.databaseUrl,
          poolSize: config.dbPoolSize,
          keepOpen: SERVER_POOL_KEEP_OPEN,
          applicationName: `fanzha ${config.role}`,
        }
      : { kind: 'pglite', dataDir: config.dataDir },
  );
  await migrate(database.db);
  const bus = config.natsUrl
    ? await createNatsBus({ url: config.natsUrl, namespace: config.natsNamespace })
    : createMemoryBus();
  const secretKey = config.secretKey ?? (await loadSecretKey(config.dataDir, database.db));
  const secretBox = createSecretBox(secretKey);
  const relayRef: { relay?: Relay } = {};
  // A commit wakes this process's relay; an api process runs none and wakes one of the workers' relays
  // through the bus, which must not wait for its poll to publish what was committed. One relay is enough:
  // a woken relay waits for one that is publishing, then reads (see the relay).
  const wakeRelays = (): void => {
    if (config.role === 'api') bus.signal('outbox');
    else relayRef.relay?.wake();
  };
  const algorithms = suiteAlgorithms[config.crypto];
  const signer = createSigner(secretKey, 'instructions', algorithms.signature);
  const checkpointSigner = createSigner(secretKey, 'audit-checkpoints', algorithms.signature);
  const fieldKeys = createFieldKeys(secretKey, algorithms.fieldCipher);
  // The handle every service and consumer writes through: it seals personal fields, and the events each enqueues.
  const keyed = withFieldKeys(database.db, fieldKeys);
  // With NATS, a batch accepted over HTTP goes into the signals stream for the workers' matchers.
  const signalLimits = { ...defaultSignalStreamLimits, maxBytes: config.signalsMaxBytes };
  const signalPublisher =
    config.natsUrl && config.role !== 'worker'
      ? await createSignalPublisher({
          url: config.natsUrl,
          namespace: config.natsNamespace,
          limits: signalLimits,
        })
      : undefined;
  const app = await buildApp(
    {
      config,
      database,
      bus,
      clock: systemClock,
      secretBox,
      signer,
      fieldKeys,
      checkpointSigner,
      wakeRelay: () => wakeRelays(),
      startedAt,
      // The process's own figures (memory, CPU, event loop) only where they are served.
      metrics: createMetrics({ withProcessMetrics: config.metrics !== undefined }),
      // With NATS, a bank's batch taken over HTTP goes to the signals stream (the app wires its own
      // indicators and warnings modules into screening).
      screening: { publisher: signalPublisher },
    },
    opts,
  );
  // Personal fields written before they were encrypted (marked by migration 0011) are encrypted now, before
  // the process takes work; with none left this is one query per field.
  await sealPlaintextFields(keyed, {
    onProgress: (p) => app.log.info(p, 'personal data at rest: encrypted values written before encryption'),
  });
  // Reports written before age bands existed (migration 0025) get theirs, and publicity counts them; with none
  // left this is one query.
  if (config.role !== 'api')
    await backfillAgeBands(keyed, {
      onBatch: (ids) => countReports(database.db, ids),
    });
  const seed = { db: database.db, users: app.services.users, clock: systemClock, secretBox };
  if (config.bootstrapAdmin && (await ensureBootstrapAdmin(seed, config.bootstrapAdmin)))
    app.log.warn(
      `created the first admin account '${config.bootstrapAdmin.username}' (FANZHA_BOOTSTRAP_ADMIN)`,
    );
  const demoAccounts = config.demo ? await seedDemoAccounts(seed) : [];
  // The demo's accounts sign in only while the demo is on: a real start on a folder the demo used disables them.
  if (config.role !== 'api') {
    const changed = await setDemoAccountsEnabled(seed, config.demo);
    if (changed.length > 0 && !config.demo)
      app.log.warn({ accounts: changed }, 'the demo is off: the demo accounts in this database are disabled');
  }
  // Without an admin nobody can sign in to create users: say how to make the first one (the sign-in
  // page says it too).
  if (await app.services.users.needsFirstAdmin()) app.log.warn(firstAdminNotice(config));
  if (config.isProduction)
    app.log.info(
      { role: config.role, storage: 'postgres', host: config.host, port: config.port },
      'production start: PostgreSQL is the system of record; no demo accounts, no simulated province, no /api/demo',
    );
  else if (config.demo)
    app.log.warn(
      { host: config.host },
      'DEMO start: demo accounts with a published password and codes; not for real use',
    );
  // Every process of a deployment must name the same namespace: the log says which, to compare.
  if (config.natsUrl)
    app.log.info(
      { natsNamespace: config.natsNamespace, role: config.role },
      'NATS namespace (FANZHA_NATS_NAMESPACE)',
    );
  const sealer =
    config.role === 'api'
      ? undefined
      : createAuditSealer({
          db: database.db,
          log: app.log,
          everyMs: 500,
          hashAlgorithm: algorithms.hash,
        });
  sealer?.start();
  // The chain's head is signed every FANZHA_AUDIT_CHECKPOINT_MINUTES (or _ENTRIES), looked at twice a minute.
  const checkpointer =
    config.role === 'api'
      ? undefined
      : createAuditCheckpointer({
          db: database.db,
          signer: checkpointSigner,
          clock: systemClock,
          log: app.log,
          everyMs: 30_000,
          everyMinutes: config.auditCheckpointMinutes,
          everyEntries: config.auditCheckpointEntries,
        });
  checkpointer?.start();
  // Bursts of refused sign-ins are closed (their counts audited) within seconds of their end.
  const housekeeping =
    config.role === 'api'
      ? undefined
      : startSignInHousekeeping({
          auth: app.services.auth,
          log: app.log,
          everyMs: 5_000,
          pruneEveryMs: 3_600_000,
        });
  const relay =
    config.role === 'api'
      ? undefined
      : createRelay({
          // It opens the sealed envelopes before publishing.
          db: keyed,
          bus,
          log: app.log,
          pollMs: config.outboxPollMs,
          metrics: app.metrics,
        });
  const webhooks =
    config.role === 'api'
      ? undefined
      : await startWebhookDelivery({
          db: database.db,
          bus,
          log: app.log,
          signer,
          clock: systemClock,
          allow: config.webhookAllow,
        });
  const notices =
    config.role === 'api'
      ? undefined
      : await startPartyNotices({
          db: database.db,
          bus,
          log: app.log,
          signer,
          clock: systemClock,
          allow: config.webhookAllow,
        });
  // A delivery the party's endpoint did not take is tried again, with growing pauses, for three days.
  const webhookRetries =
    config.role === 'api'
      ? undefined
      : startWebhookRetries(
          createWebhookRetries({
            db: keyed,
            log: app.log,
            signer,
            clock: systemClock,
            allow: config.webhookAllow,
          }),
          { log: app.log, everyMs: 1000 },
        );
  const wall =
    config.role === 'api'
      ? undefined
      : await startWallRollup({
          db: keyed,
          bus,
          clock: systemClock,
          log: app.log,
          wake: wakeRelays,
        });
  // What each warning episode came to, kept for the follow-up checks and the effectiveness figures.
  const followUps =
    config.role === 'api' ? undefined : await startFollowUpConsumer({ db: keyed, bus, clock: systemClock });
  // Callbacks (回访) after a report closes, money is returned, a person is persuaded: the person sealed.
  const callbacks =
    config.role === 'api' ? undefined : await startCallbacksConsumer({ db: keyed, bus, clock: systemClock });
  // Publicity's weekly counts (county × fraud type × age band) of submitted reports.
  const publicityRollup =
    config.role === 'api' ? undefined : await startPublicityRollup({ db: keyed, bus, clock: systemClock });
  // Every instruction module's events keep the supervision queue (督办).
  const taskQueue =
    config.role === 'api' ? undefined : await startTasksConsumer({ db: keyed, bus, clock: systemClock });
  // Submitted reports' contacts and accounts and banks' onward accounts become indicators (registry).
  const indicators =
    config.role === 'api'
      ? undefined
      : await startIndicatorConsumer({
          db: keyed,
          bus,
          clock: systemClock,
          log: app.log,
          sharedReports: config.indicatorSharedReports,
          halfLifeDays: config.indicatorHalfLifeDays,
          wake: wakeRelays,
          // The same counter the app registered (asking again by name returns it).
          onSkipped: registerIndicatorMetrics(app.metrics, {
            indicators: app.services.indicators,
            log: app.log,
          }),
        });
  // Case linking (串并案): each submitted report and bank's answer is linked against the reports sharing its values.
  const caseLinker =
    config.role === 'api'
      ? undefined
      : await startCaseLinker({
          db: keyed,
          bus,
          clock: systemClock,
          sharedReports: config.indicatorSharedReports,
          alertReports: config.clusterAlertReports,
          wake: wakeRelays,
        });
  // Reports' payments and banks' onward transfers become the money graph's record (money-graph.changed).
  const moneyGraphRecord =
    config.role === 'api'
      ? undefined
      : await startMoneyGraphConsumer({ db: keyed, bus, clock: systemClock, wake: wakeRelays });
  // Two cards (断卡): the bank cards and SIMs reports and banks' answers name, with the cases they are in.
  const twoCardsRecord =
    config.role === 'api'
      ? undefined
      : await startTwoCardsConsumer({
          db: keyed,
          bus,
          clock: systemClock,
          issueMissing: app.services.twoCards.issueMissing,
          wake: wakeRelays,
        });
  // Appeals: a freeze's release an appeal's grant left for a second approver, followed to its approval or rejection.
  const appealReleases =
    config.role === 'api' ? undefined : await startAppealsConsumer({ db: keyed, bus, clock: systemClock });
  // The live money graph the API traces on: built from the record, kept current by money-graph.changed.
  const moneyGraphLive =
    config.role === 'worker'
      ? undefined
      : await startLiveMoneyGraph({ live: app.services.moneyGraphLive, bus, log: app.log });
  // The matcher (built from every indicator, kept current by indicator.changed) and, with NATS, this
  // process's share of the signals stream.
  const screening =
    config.role === 'api'
      ? undefined
      : await startScreening({
          screening: app.services.screening,
          db: keyed,
          bus,
          clock: systemClock,
          log: app.log,
          ...(config.natsUrl
            ? { nats: { url: config.natsUrl, namespace: config.natsNamespace, limits: signalLimits } }
            : {}),
        });
  // Lapses, overdue returns and tasks are noticed within a second of their deadline.
  const timers =
    config.role === 'api'
      ? undefined
      : startLegalTimers(app.services.legalTimers, { log: app.log, everyMs: 1000 });
  // The persuasion ladder's timers (高: an SMS SLA of one minute) and the messages it sends.
  const episodes =
    config.role === 'api'
      ? undefined
      : startEpisodeSweep(app.services.episodeSweep, { log: app.log, everyMs: 1000 });
  // Did the warning work: each closed episode checked against later reports, 7 and 30 days after it closed.
  const followUpChecks =
    config.role === 'api'
      ? undefined
      : startFollowUpSweep(app.services.followUpSweep, { log: app.log, everyMs: 60_000 });
  // Countermeasures past their SLA unanswered: alerted within a minute.
  const countermeasureSla =
    config.role === 'api'
      ? undefined
      : startCountermeasureSweep(app.services.countermeasures, { log: app.log, everyMs: 60_000 });
  // Two-cards instructions past their deadline unanswered: escalated within a minute.
  const twoCardInstructionSla =
    config.role === 'api'
      ? undefined
      : startTwoCardInstructionSweep(app.services.twoCards, { log: app.log, everyMs: 60_000 });
  // Appeals past their deadline undecided: escalated to the supervisors within a minute.
  const appealDeadlines =
    config.role === 'api'
      ? undefined
      : startAppealSweep(app.services.appeals, { log: app.log, everyMs: 60_000 });
  // Quiet indicators' risk levels decay: those whose score fell below their level's threshold are regraded.
  const indicatorRegrade =
    config.role === 'api'
      ? undefined
      : startIndicatorRegrade(app.services.indicatorRegrade, { log: app.log, everyMs: 60_000 });
  // The period reports (日报/周报/月报): yesterday's after midnight China time, Mondays the week's, the 1st the month's.
  const periodReports =
    config.role === 'api'
      ? undefined
      : startPeriodReportSchedule(app.services.periodReports, { log: app.log, everyMs: 300_000 });
  const retention =
    config.role === 'api'
      ? undefined
      : startOutboxRetention({ db: database.db, log: app.log, everyMs: 3_600_000 });
  // A process that crashed between a commit and numbering its banks' feeds left changes pending: numbered here.
  if (config.role !== 'api') app.services.bankInstructions.sequencer.start(1000);
  relayRef.relay = relay;
  const relayWake = relay
    ? await bus.onSignal('outbox', () => relay.wake(), { group: RELAY_SIGNAL_GROUP })
    : undefined;
  relay?.start();
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  // Every role has its own listener, so each process can be scraped; never the API's port.
  const metricsServer: MetricsServer | undefined = config.metrics
    ? await startMetricsServer({ metrics: app.metrics, ...config.metrics, log: app.log })
    : undefined;

  let stopping: Promise<void> | undefined;
  return {
    app,
    database,
    bus,
    relay,
    fieldKeys,
    url,
    metricsUrl: metricsServer?.url,
    demoAccounts,
    stop() {
      // Order matters: stop taking requests, finish the relay round in flight, then close connections.
      stopping ??= (async () => {
        await app.close();
        await screening?.stop();
        await signalPublisher?.close();
        await metricsServer?.stop();
        await webhooks?.stop();
        await notices?.stop();
        await webhookRetries?.stop();
        await timers?.stop();
        await episodes?.stop();
        await followUpChecks?.stop();
        await countermeasureSla?.stop();
        await twoCardInstructionSla?.stop();
        await appealDeadlines?.stop();
        await indicatorRegrade?.stop();
        await periodReports?.stop();
        await retention?.stop();
        await wall?.stop();
        await followUps?.stop();
        await callbacks?.stop();
        await publicityRollup?.stop();
        await caseLinker?.stop();
        await taskQueue?.stop();
        await indicators?.stop();
        await moneyGraphRecord?.stop();
        await twoCardsRecord?.stop();
        await appealReleases?.stop();
        await moneyGraphLive?.stop();
        await relayWake?.stop();
        await relay?.stop();
        await housekeeping?.stop();
        await checkpointer?.stop();
        await sealer?.stop();
        await bus.close();
        await database.close();
        release?.();
      })();
      return stopping;
    },
  };
}
