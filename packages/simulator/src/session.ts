import { randomBytes } from 'node:crypto';
import { ApiError, createApiClient, type ApiClient } from '@fanzha/contracts';
import type { Operator, Role } from '@fanzha/domain';
import { totpCode, totpStep, TOTP_STEP_MS } from './totp';

/**
 * How the robots get in: an admin — on a demo server the demo admin (its current code is public there),
 * anywhere else given credentials — provisions a robot call-taker, a robot desk officer, a robot
 * supervisor (for the case robots) and the banks' keys, which are disabled and revoked again when the run
 * ends.
 */
export type SimAuth =
  | { kind: 'demo' }
  | { kind: 'admin'; username: string; password: string; totpSecret: string }
  /** An admin session the caller already holds (tests: a TOTP code is good only once). */
  | { kind: 'client'; admin: ApiClient };

export interface Robot {
  client: ApiClient;
  /** Signs in again (sessions end after hours); returns the new client. */
  renew(): Promise<ApiClient>;
  /** Set when the run ends: the robot sends nothing more and never signs in again. */
  isStopped?: boolean;
}

export interface Robots {
  /** Provisions at the start and cleans up at the end, possibly days later: renewed like the others. */
  admin: Robot;
  callTaker: Robot;
  desk: Robot;
  /** Works county tasks and approves returns (the case robots); absent when people do that. */
  supervisor: Robot | undefined;
  /** The centre's robot persuaders: one works episodes, the other approves its holds; absent when people do. */
  persuaders: { persuader: Robot; approver: Robot } | undefined;
  /** The centre's robot analyst: requests countermeasures (技术反制); absent when the run asks for none. */
  analyst: Robot | undefined;
  /**
   * Stops the call-taker, desk and supervisor robots, waits for their requests in flight, then disables
   * the robot accounts this run created (not the demo ones) — so that no robot signs in again with a
   * disabled account.
   */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isUnauthenticated = (err: unknown) => err instanceof ApiError && err.status === 401;

/**
 * Password, then a code. A code works once per account (the server keeps the last step used), and the
 * server also takes the next step's code: on a refusal try that, then wait for a fresh step.
 */
async function signIn(
  baseUrl: string,
  username: string,
  password: string,
  secretOf: (enrolment: string | undefined) => string,
  codesOf: (secret: string) => Promise<string[]> = async (secret) => {
    const step = totpStep(Date.now());
    return [totpCode(secret, step), totpCode(secret, step + 1)];
  },
): Promise<ApiClient> {
  for (let attempt = 0; ; attempt++) {
    const client = createApiClient({ baseUrl });
    const challenge = await client.POST('/api/auth/sign-in', { body: { username, password } });
    const secret = secretOf(challenge.next === 'enrol_totp' ? challenge.enrolment?.secret : undefined);
    for (const code of await codesOf(secret)) {
      try {
        await client.POST('/api/auth/verify', { body: { challengeId: challenge.challengeId, code } });
        return client;
      } catch (err) {
        if (!isUnauthenticated(err)) throw err;
      }
    }
    if (attempt >= 2) throw new Error(`could not sign in as ${username}: the TOTP codes were refused`);
    await sleep((totpStep(Date.now()) + 1) * TOTP_STEP_MS - Date.now() + 500);
  }
}

async function demoSignIn(baseUrl: string, username: string): Promise<ApiClient> {
  const accountOf = async () => {
    const { data, response } = await createApiClient({ baseUrl }).raw.GET('/api/demo/accounts');
    if (!data)
      throw new Error(`${baseUrl} is not a demo server (GET /api/demo/accounts: ${response.status})`);
    const { accounts } = data;
    const found = accounts.find((a) => a.username === username);
    if (!found) throw new Error(`the demo server has no account ${username}`);
    return found;
  };
  const first = await accountOf();
  // The demo lists each account's current code, asked again at every attempt.
  return signIn(
    baseUrl,
    username,
    first.password,
    () => '',
    async () => [(await accountOf()).totpCode],
  );
}

function robotPassword(): string {
  return `Sim-${randomBytes(12).toString('base64url')}-9q`;
}

async function createRobot(
  admin: ApiClient,
  baseUrl: string,
  username: string,
  role: Role,
  displayName: string,
) {
  const password = robotPassword();
  await admin.POST('/api/users', { body: { username, displayName, role, password } });
  let secret: string | undefined;
  const login = () =>
    signIn(baseUrl, username, password, (enrolment) => {
      secret ??= enrolment;
      if (!secret) throw new Error(`${username} asked for a code before enrolling`);
      return secret;
    });
  const robot: Robot = { client: await login(), renew: async () => (robot.client = await login()) };
  return robot;
}

export async function signInRobots(
  baseUrl: string,
  auth: SimAuth,
  runTag: string,
  isCaseRobot = false,
  isPersuaderRobot = false,
  isAnalystRobot = false,
): Promise<Robots> {
  const adminLogin = (a: Extract<SimAuth, { kind: 'admin' }>) =>
    signIn(baseUrl, a.username, a.password, (enrolment) => {
      if (enrolment)
        throw new Error(
          `${a.username} has no authenticator yet: sign in once in the web app to enrol, then pass its secret`,
        );
      return a.totpSecret;
    });
  // On a demo server the demo admin provisions the robots: were they to use the demo accounts, their
  // sign-ins would use up the codes people are about to click on the sign-in page.
  const admin: Robot =
    auth.kind === 'demo'
      ? {
          client: await demoSignIn(baseUrl, 'admin'),
          renew: async () => (admin.client = await demoSignIn(baseUrl, 'admin')),
        }
      : auth.kind === 'client'
        ? { client: auth.admin, renew: async () => auth.admin }
        : { client: await adminLogin(auth), renew: async () => (admin.client = await adminLogin(auth)) };
  const names = {
    callTaker: `sim-ct-${runTag}`,
    desk: `sim-desk-${runTag}`,
    supervisor: `sim-sup-${runTag}`,
    persuader: `sim-pz-${runTag}`,
    approver: `sim-pz2-${runTag}`,
    analyst: `sim-an-${runTag}`,
  };
  const callTaker = await createRobot(
    admin.client,
    baseUrl,
    names.callTaker,
    'call_taker',
    '模拟·接警机器人',
  );
  const desk = await createRobot(
    admin.client,
    baseUrl,
    names.desk,
    'stop_payment_officer',
    '模拟·止付机器人',
  );
  const supervisor = isCaseRobot
    ? await createRobot(admin.client, baseUrl, names.supervisor, 'supervisor', '模拟·值班长机器人')
    : undefined;
  const persuaders = isPersuaderRobot
    ? {
        persuader: await createRobot(admin.client, baseUrl, names.persuader, 'persuader', '模拟·劝阻机器人'),
        approver: await createRobot(
          admin.client,
          baseUrl,
          names.approver,
          'persuader',
          '模拟·劝阻复核机器人',
        ),
      }
    : undefined;
  const analyst = isAnalystRobot
    ? await createRobot(admin.client, baseUrl, names.analyst, 'analyst', '模拟·研判机器人')
    : undefined;
  const ours = new Set([
    names.callTaker,
    names.desk,
    ...(isCaseRobot ? [names.supervisor] : []),
    ...(isPersuaderRobot ? [names.persuader, names.approver] : []),
    ...(isAnalystRobot ? [names.analyst] : []),
  ]);
  return {
    admin,
    callTaker,
    desk,
    supervisor,
    persuaders,
    analyst,
    close: async () => {
      const workers = [
        callTaker,
        desk,
        ...(supervisor ? [supervisor] : []),
        ...(persuaders ? [persuaders.persuader, persuaders.approver] : []),
        ...(analyst ? [analyst] : []),
      ];
      for (const robot of workers) robot.isStopped = true;
      await Promise.all(workers.map((robot) => settled(robot, 10_000)));
      const { users } = await asRobot(admin, (c) => c.GET('/api/users'));
      for (const u of users.filter((u) => ours.has(u.username)))
        await asRobot(admin, (c) =>
          c.POST('/api/users/{id}/disable', { params: { path: { id: u.id } }, body: {} }),
        ).catch(() => undefined);
    },
  };
}

/** Registers a bank system's key (admin); the key itself is shown only in this answer. */
export function createBankKey(
  admin: ApiClient,
  body: { name: string; bankCode: string; publicKeyPem: string },
) {
  return admin.POST('/api/integrations/bank-keys', { body });
}

export function revokeBankKey(admin: ApiClient, id: string) {
  return admin.POST('/api/integrations/bank-keys/{id}/revoke', { params: { path: { id } }, body: {} });
}

/** Registers an operator's signal system's key (admin); the key itself is shown only in this answer. */
export function createOperatorSignalKey(
  admin: ApiClient,
  body: { name: string; operator: Operator; publicKeyPem: string },
) {
  return admin.POST('/api/integrations/signal-keys', {
    body: {
      name: body.name,
      sender: { kind: 'operator', operator: body.operator },
      publicKeyPem: body.publicKeyPem,
    },
  });
}

export function revokeSignalKey(admin: ApiClient, id: string) {
  return admin.POST('/api/integrations/signal-keys/{id}/revoke', { params: { path: { id } }, body: {} });
}

/** A request a stopped robot was asked to make, and did not. */
class RobotStopped extends Error {
  constructor() {
    super('the robot has stopped: the run is over');
  }
}

/** Each robot's requests in flight, and who waits for them to settle. */
const flights = new WeakMap<Robot, { n: number; waiting: Array<() => void> }>();
const flightOf = (robot: Robot) => {
  let f = flights.get(robot);
  if (!f) flights.set(robot, (f = { n: 0, waiting: [] }));
  return f;
};

/** Resolves once the robot has no request in flight, or after `boundMs` (a request that never answers). */
function settled(robot: Robot, boundMs: number): Promise<void> {
  const f = flightOf(robot);
  if (f.n === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, boundMs);
    f.waiting.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs `fn` with a robot's client, signing in again once if the session has ended. A stopped robot
 * refuses: it neither sends nor signs in again.
 */
export async function asRobot<T>(robot: Robot, fn: (client: ApiClient) => Promise<T>): Promise<T> {
  if (robot.isStopped) throw new RobotStopped();
  const f = flightOf(robot);
  f.n++;
  try {
    return await fn(robot.client);
  } catch (err) {
    if (!isUnauthenticated(err) || robot.isStopped) throw err;
    return await fn(await robot.renew());
  } finally {
    if (--f.n === 0) for (const wake of f.waiting.splice(0)) wake();
  }
}

/**
 * Retries what may have failed on the way (connection refused or reset: status 0; 502–504, 429, and what else
 * `isAlsoSafe` says): up to three more times with a growing pause. Only for requests that are safe to repeat.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  attempts = 4,
  isAlsoSafe: (err: unknown) => boolean = () => false,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const isTransient =
        (err instanceof ApiError && [0, 429, 502, 503, 504].includes(err.status)) || isAlsoSafe(err);
      if (!isTransient || i >= attempts) throw err;
      await sleep(200 * 2 ** i);
    }
  }
}
