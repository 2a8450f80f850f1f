import { randomBytes } from 'node:crypto';
import { createApiClient } from '@fanzha/contracts';
import { findBankByCode, operators } from '@fanzha/domain';
import { startBankSignals, type SignallingBank } from './bank-signal-sender';
import { startSimulatedBank, type SimulatedBank } from './banks';
import { createCallTaker } from './call-taker';
import { startAnalystRobot } from './analyst-robot';
import { createCountermeasureBook } from './countermeasure-book';
import { startCountermeasureParties, type AnsweringParty } from './countermeasure-parties';
import { startTwoCardParties } from './two-card-parties';
import { startLookups } from './lookup-robot';
import { startCaseRobots } from './case-robots';
import { createDesk } from './desk';
import { createMuleNetwork } from './mules';
import { resolveOptions, type ResolvedOptions, type SimulationOptions } from './options';
import { createMeasureBook } from './measures';
import { makeFraud, nextArrival } from './scenario';
import { startOperatorSignals, type SignallingOperator } from './operator-signal-sender';
import {
  asRobot,
  createBankKey,
  createOperatorSignalKey,
  revokeBankKey,
  revokeSignalKey,
  signInRobots,
  type Robots,
} from './session';
import { startPersuaderRobots } from './persuaders';
import { startCallbackRobot } from './callback-robot';
import { startAppealsRobot } from './appeals-robot';
import { startSignalFeed } from './signal-publisher';
import { centreVerifier, newAnswerKey } from './signing';
import { newStats, type SimStats } from './stats';
import { summarize, type SimSummary } from './summary';
import { createTimers } from './timers';
import { createWorld, type World } from './world';

/** A running simulation: watch `stats`, control banks, `stop()` early; `done` gives the summary. */
export interface Simulation {
  options: ResolvedOptions;
  runTag: string;
  stats: SimStats;
  world: World;
  /** Wall clock (epoch ms) at simulation time 0. */
  startedAt: number;
  banks: Map<string, SimulatedBank>;
  /** Reports of the run so far (planned, as the clock goes). */
  planned(): number;
  /**
   * Work still open that the end of the run waits for: the world's open reports and instructions, calls being
   * typed, case work, signals in flight, countermeasures unanswered, lookups and persuasion under way.
   */
  openWork(): number;
  done: Promise<SimSummary>;
  /** Stops taking calls now, waits up to `drainMs` for open work, cleans up. */
  stop(drainMs?: number): Promise<SimSummary>;
}

export async function startSimulation(input: SimulationOptions): Promise<Simulation> {
  const options = resolveOptions(input);
  const runTag = options.runTag ?? randomBytes(3).toString('hex');
  const stats = newStats();
  const timers = createTimers();
  const robots: Robots = await signInRobots(
    options.target,
    options.auth,
    runTag,
    options.isCaseRobot,
    options.isPersuaderRobot,
    options.countermeasuresPerMinute > 0,
  );
  const centre = await createApiClient({ baseUrl: options.target }).GET('/api/bank/signing-key');
  const verify = centreVerifier(centre.publicKeyPem);
  const pace = options.pace;
  const isLeftToPeople = (bankCode: string) => options.banksForPeople.includes(bankCode);
  const world = createWorld({
    seed: options.seed,
    pace,
    isDeskRobot: options.isDeskRobot,
    slowOf: (code) => options.faults[code]?.slow ?? 1,
    isForPeople: isLeftToPeople,
    stats,
    isKeepingLog: options.isKeepingLog,
    onEvent: options.onEvent,
  });

  const measures = createMeasureBook();
  const keys: string[] = [];
  const signalKeys: string[] = [];
  const banks = new Map<string, SimulatedBank>();
  const signallingBanks: SignallingBank[] = [];
  const signallingOperators: SignallingOperator[] = [];
  let signals: { stop(): Promise<void> } | undefined;
  const cleanUp = async () => {
    timers.stop();
    await signals?.stop().catch(() => undefined);
    for (const bank of banks.values()) bank.stop();
    for (const id of keys) await asRobot(robots.admin, (c) => revokeBankKey(c, id)).catch(() => undefined);
    for (const id of signalKeys)
      await asRobot(robots.admin, (c) => revokeSignalKey(c, id)).catch(() => undefined);
    await robots.close().catch(() => undefined);
  };
  try {
    for (const bankCode of options.banks) {
      const answerKey = newAnswerKey();
      const created = await asRobot(robots.admin, (c) =>
        createBankKey(c, {
          name: `模拟${findBankByCode(bankCode)?.nameZh ?? bankCode}系统 ${runTag}`,
          bankCode,
          publicKeyPem: answerKey.publicKeyPem,
        }),
      );
      keys.push(created.id);
      signallingBanks.push({ bankCode, apiKey: created.key, answerKey });
      banks.set(
        bankCode,
        startSimulatedBank({
          bankCode,
          baseUrl: options.target,
          apiKey: created.key,
          answerKey,
          verify,
          seed: options.seed,
          world,
          measures,
          stats,
          timers,
          pace,
          pollMs: pace >= 0.5 ? 5_000 : 1_000,
          fault: options.faults[bankCode] ?? {},
          isLeftToPeople: isLeftToPeople(bankCode),
        }),
      );
    }
    // Without NATS the operators' systems post their feeds over HTTPS, each with a key of its own made
    // for this run (revoked at its end, as the banks' keys are); with the same key they answer countermeasures.
    if ((!options.natsUrl && options.signalsPerMinute > 0) || options.countermeasuresPerMinute > 0)
      for (const operator of operators) {
        const answerKey = newAnswerKey();
        const created = await asRobot(robots.admin, (c) =>
          createOperatorSignalKey(c, {
            name: `模拟运营商信令网关 ${operator} ${runTag}`,
            operator,
            publicKeyPem: answerKey.publicKeyPem,
          }),
        );
        signalKeys.push(created.id);
        signallingOperators.push({ operator, apiKey: created.key, answerKey });
      }
    signals =
      options.natsUrl && options.signalsPerMinute > 0
        ? await startSignalFeed({
            natsUrl: options.natsUrl,
            natsNamespace: options.natsNamespace,
            perMinute: options.signalsPerMinute,
            feed: {
              seed: options.seed,
              runTag,
              gangs: options.mules.gangs,
              fraudShare: options.signalFraudShare,
            },
            stats,
            timers,
          })
        : undefined;
  } catch (err) {
    // Half set up: leave nothing behind (keys, robot accounts, polling banks).
    await cleanUp();
    throw err;
  }
  const desk = createDesk({
    robot: options.isDeskRobot ? robots.desk : undefined,
    world,
    timers,
    stats,
    runTag,
    concurrency: 16,
  });
  const cases = robots.supervisor
    ? startCaseRobots({
        supervisor: robots.supervisor,
        officer: robots.desk,
        world,
        timers,
        stats,
        measures,
        seed: options.seed,
        runTag,
        pace,
        isLeftToPeople,
      })
    : undefined;
  const caseWorkOpen = () => cases?.open() ?? 0;
  // The supervisor's robot also answers the centre's due callbacks (回访), so their figures are not empty.
  if (robots.supervisor)
    startCallbackRobot({
      robot: robots.supervisor,
      seed: options.seed,
      pollMs: pace >= 0.5 ? 10_000 : 2_000,
      delayMinutes: options.callbackDelayMinutes,
      timers,
      stats,
    });
  // Now and then a person whose number the province listed appeals on the public form (申诉).
  if (robots.supervisor)
    startAppealsRobot({
      baseUrl: options.target,
      reader: robots.supervisor,
      timers,
      stats,
      seed: options.seed,
    });
  const callTaker = createCallTaker({
    robot: robots.callTaker,
    world,
    desk,
    timers,
    stats,
    mode: options.intake,
    concurrency: options.intake === 'batch' ? 4 : 32,
  });
  const ctx = {
    seed: options.seed,
    runTag,
    mules: createMuleNetwork(options.seed, options.mules),
    intake: options.intake,
    today: new Date(),
  };
  const bankSignals =
    options.bankSignalsPerMinute > 0
      ? startBankSignals({
          baseUrl: options.target,
          banks: signallingBanks,
          perMinute: options.bankSignalsPerMinute,
          feed: {
            seed: options.seed,
            runTag,
            fraudShare: options.bankSignalFraudShare,
            mules: ctx.mules,
            layerOneCards: options.mules.poolSizes[0] ?? 1,
            today: ctx.today,
          },
          stats,
          timers,
        })
      : undefined;
  const signalFeed = {
    seed: options.seed,
    runTag,
    gangs: options.mules.gangs,
    fraudShare: options.signalFraudShare,
  };
  const operatorSignals =
    !options.natsUrl && options.signalsPerMinute > 0 && signallingOperators.length > 0
      ? startOperatorSignals({
          baseUrl: options.target,
          operators: signallingOperators,
          perMinute: options.signalsPerMinute,
          feed: signalFeed,
          stats,
          timers,
        })
      : undefined;
  const persuaders = robots.persuaders
    ? startPersuaderRobots({
        ...robots.persuaders,
        seed: options.seed,
        runTag,
        pace,
        pollMs: pace >= 0.5 ? 5_000 : 1_000,
        countiesForPeople: options.persuasionCountiesForPeople,
        timers,
        stats,
      })
    : undefined;
  // Countermeasures: the robot analyst requests, the operators' and the robot banks' systems answer.
  const countermeasureBook = createCountermeasureBook();
  const answeringParties: AnsweringParty[] =
    options.countermeasuresPerMinute > 0
      ? [
          ...signallingOperators.map((o) => ({
            partyCode: o.operator,
            apiKey: o.apiKey,
            answerKey: o.answerKey,
          })),
          ...signallingBanks
            .filter((b) => !isLeftToPeople(b.bankCode))
            .map((b) => ({ partyCode: b.bankCode, apiKey: b.apiKey, answerKey: b.answerKey })),
        ]
      : [];
  const answeringCodes = new Set(answeringParties.map((p) => p.partyCode));
  const countermeasureParties =
    answeringParties.length > 0
      ? startCountermeasureParties({
          baseUrl: options.target,
          parties: answeringParties,
          seed: options.seed,
          pace,
          pollMs: pace >= 0.5 ? 5_000 : 1_000,
          verify,
          book: countermeasureBook,
          timers,
          stats,
        })
      : undefined;
  // Two-cards measures recorded at the centre: the same systems carry them out.
  const twoCardParties =
    answeringParties.length > 0
      ? startTwoCardParties({
          baseUrl: options.target,
          parties: answeringParties,
          seed: options.seed,
          pace,
          pollMs: pace >= 0.5 ? 15_000 : 2_000,
          verify,
          timers,
          stats,
        })
      : undefined;
  const analyst = robots.analyst
    ? startAnalystRobot({
        robot: robots.analyst,
        seed: options.seed,
        runTag,
        perMinute: options.countermeasuresPerMinute,
        gangs: options.mules.gangs,
        mules: ctx.mules,
        layerOneCards: options.mules.poolSizes[0] ?? 1,
        isAnsweredByRobot: (code) => answeringCodes.has(code),
        book: countermeasureBook,
        everyMs: pace >= 0.5 ? 30_000 : 1_000,
        timers,
        stats,
      })
    : undefined;
  const countermeasuresOpen = () => countermeasureBook.open() + (analyst?.inFlight() ?? 0);
  const lookups =
    options.lookupsPerMinute > 0 || options.payeeChecksPerMinute > 0
      ? startLookups({
          baseUrl: options.target,
          world: {
            seed: options.seed,
            runTag,
            gangs: options.mules.gangs,
            mules: ctx.mules,
            layerOneCards: options.mules.poolSizes[0] ?? 1,
          },
          lookupsPerMinute: options.lookupsPerMinute,
          payeeChecksPerMinute: options.payeeChecksPerMinute,
          banks: signallingBanks,
          timers,
          stats,
        })
      : undefined;
  /** When the banks' signals last went quiet (none in flight) after intake ended: the persuaders look once more. */
  let signalsQuietAt: number | undefined;
  const persuasionOpen = () => {
    if (
      signalsQuietAt === undefined &&
      (bankSignals?.inFlight() ?? 0) === 0 &&
      (operatorSignals?.inFlight() ?? 0) === 0
    )
      signalsQuietAt = Date.now();
    return persuaders?.open(signalsQuietAt) ?? 0;
  };
  const startedAt = Date.now();
  let planned = 0;
  let isIntakeOver = false;

  // Calls arrive on the simulation clock; everything due is taken, then the loop sleeps to the next one.
  const intake = (async () => {
    let at = nextArrival(options.seed, 0, -options.warmUpMs, options.ratePerMinute);
    while (!isIntakeOver && (options.durationMs === undefined || at < options.durationMs)) {
      const wait = startedAt + at - Date.now();
      if (wait > 0) {
        await timers.sleep(Math.min(wait, 1_000));
        continue;
      }
      const fraud = makeFraud(ctx, planned, at);
      callTaker.take(world.begin(fraud, startedAt + at));
      planned++;
      at = nextArrival(options.seed, planned, at, options.ratePerMinute);
      if (planned % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // The run lasts its duration even when the next call would come after it (signals keep flowing).
    while (!isIntakeOver && options.durationMs !== undefined && Date.now() < startedAt + options.durationMs)
      await timers.sleep(Math.min(1_000, startedAt + options.durationMs - Date.now()));
    isIntakeOver = true;
  })();

  const openWork = () =>
    world.openCount() +
    callTaker.inFlight() +
    caseWorkOpen() +
    (bankSignals?.inFlight() ?? 0) +
    (operatorSignals?.inFlight() ?? 0) +
    countermeasuresOpen() +
    (lookups?.inFlight() ?? 0) +
    persuasionOpen();

  const pruning = setInterval(() => world.prune(Date.now()), 30_000);
  let finished: Promise<SimSummary> | undefined;
  const finish = (drainMs: number) =>
    (finished ??= (async () => {
      isIntakeOver = true;
      await intake;
      bankSignals?.stop();
      operatorSignals?.stop();
      analyst?.stop();
      lookups?.stop();
      const deadline = Date.now() + drainMs;
      while (openWork() > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      // The parties' systems stop looking before their keys are revoked.
      countermeasureParties?.stop();
      twoCardParties?.stop();
      const summary = summarize(stats, startedAt, Date.now(), {
        unfinished: world.openCount(),
        caseWorkOpen: caseWorkOpen(),
        withPeople: world.withPeopleCount(),
      });
      // What fails from here on fails because the clean-up revokes the keys: the summary stands as the run's.
      stats.isSummarized = true;
      clearInterval(pruning);
      await cleanUp();
      return summary;
    })());

  const done = (async () => {
    await intake;
    return finish(options.drainTimeoutMs);
  })();

  return {
    options,
    runTag,
    stats,
    world,
    startedAt,
    banks,
    planned: () => planned,
    openWork,
    done,
    stop: (drainMs = 5_000) => finish(drainMs),
  };
}
