import { startSimulation, type Simulation } from './runner';

/**
 * The simulated province that `npm start` runs beside an embedded demo server, at people's pace: a new
 * report every few seconds, the robot desk sending, banks answering within a minute, until the server
 * stops. It signs in with the demo accounts, like anyone trying the demo.
 */
export const DEMO_REPORTS_PER_MINUTE = 12;

/**
 * The banks' transfer attempts posted to fanzha per minute in the demo (HTTP, so also on the embedded
 * default): one a second, 5 % of them to the gangs' mule cards — a few warnings a minute once reports have
 * named those cards, enough for the persuasion console to have work without drowning it.
 */
export const DEMO_BANK_SIGNALS_PER_MINUTE = 60;

/**
 * The operators' calls, SMS, URL visits and app installs per minute in the demo without NATS, posted to
 * `POST /api/operator/signals` with each operator's key: one a second, 5 % from the gangs' numbers, sites
 * and apps — once reports have named those, a few warnings a minute beside the banks'.
 */
export const DEMO_OPERATOR_SIGNALS_PER_MINUTE = 60;

/**
 * Countermeasures the demo's robot analyst requests per minute (a batch every half minute): the operators'
 * and the robot banks' systems acknowledge them in seconds and execute or refuse them within minutes, so the
 * countermeasures console and the wall's 关停涉诈号码 move. Those at the demo's liaison banks wait for people.
 */
export const DEMO_COUNTERMEASURES_PER_MINUTE = 3;

/**
 * Citizens' public risk lookups per minute in the demo: a fifth of the lookup's limit per address, which the
 * person trying `/lookup` shares with the simulator when both are on the same machine.
 */
export const DEMO_LOOKUPS_PER_MINUTE = 6;

/** Banks' payee checks per minute in the demo (mostly one to three payees, now and then a batch run). */
export const DEMO_PAYEE_CHECKS_PER_MINUTE = 6;

/**
 * The banks of the demo's bank liaison accounts (`icbc`, `ccb`): left to the person signed in as them, so
 * that what reaches those banks waits in their console instead of being answered by a robot in seconds.
 */
export const DEMO_PEOPLE_BANKS: readonly string[] = ['ICBC', 'CCB'];

/** The county of the demo's county persuader (`nanming-quanzu`): its episodes are left to people. */
export const DEMO_PEOPLE_COUNTY = '520102';

export interface DemoSimulation {
  seed: number;
  stop(): Promise<void>;
}

export function startDemo(opts: {
  baseUrl: string;
  natsUrl?: string | undefined;
  natsNamespace?: string | undefined;
  log: (message: string) => void;
  /** Banks left to people: default the demo accounts' banks; `[]` lets robots answer every bank. */
  banksForPeople?: readonly string[];
}): DemoSimulation {
  // A new province each start; the seed is printed so a run can be repeated.
  const seed = Math.floor(Date.now() % 1e9);
  let sim: Simulation | undefined;
  let isStopped = false;
  const starting = startSimulation({
    target: opts.baseUrl,
    auth: { kind: 'demo' },
    seed,
    ratePerMinute: DEMO_REPORTS_PER_MINUTE,
    pace: 1,
    warmUpMs: 90_000,
    natsUrl: opts.natsUrl,
    natsNamespace: opts.natsNamespace,
    signalsPerMinute: opts.natsUrl ? 6_000 : DEMO_OPERATOR_SIGNALS_PER_MINUTE,
    bankSignalsPerMinute: DEMO_BANK_SIGNALS_PER_MINUTE,
    // Robot persuaders work the episodes, except 南明区's: those wait for `nanming-quanzu` (and `quanzu`).
    isPersuaderRobot: true,
    persuasionCountiesForPeople: [DEMO_PEOPLE_COUNTY],
    // The demo's callbacks come due minutes after a case closes or a person is persuaded, not days.
    callbackDelayMinutes: 2,
    countermeasuresPerMinute: DEMO_COUNTERMEASURES_PER_MINUTE,
    lookupsPerMinute: DEMO_LOOKUPS_PER_MINUTE,
    payeeChecksPerMinute: DEMO_PAYEE_CHECKS_PER_MINUTE,
    isKeepingLog: false,
    banksForPeople: [...(opts.banksForPeople ?? DEMO_PEOPLE_BANKS)],
  }).then(
    (s) => {
      sim = s;
      if (isStopped) void s.stop(0);
    },
    (err: unknown) =>
      opts.log(`simulated province did not start: ${err instanceof Error ? err.message : String(err)}`),
  );
  return {
    seed,
    // Bounded: stopping the server must not wait on a slow clean-up (revoking the banks' keys).
    stop: () =>
      Promise.race([
        (async () => {
          isStopped = true;
          await starting;
          await sim?.stop(0);
        })(),
        new Promise<void>((resolve) => setTimeout(resolve, 3_000).unref()),
      ]),
  };
}
