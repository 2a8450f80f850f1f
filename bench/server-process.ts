/**
 * fanzha server processes for benchmarks, started as an operator starts them, a round-robin balancer in
 * front of several API processes, and signing in as people do (password, then the authenticator's code).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApiClient, type ApiClient } from '../packages/contracts/src/index';
import { totpCode, totpStep } from '../packages/server/src/platform/crypto/totp';

const root = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN = { username: 'bench', password: 'Province-Passw0rd-2026' };

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Extra Node.js flags for the server processes (not the bench's own), split on spaces: e.g.
 * `FANZHA_BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` profiles each server process (Node
 * refuses `--cpu-prof` in NODE_OPTIONS). Each profile is written when its process stops.
 */
const serverNodeArgs = (process.env.FANZHA_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * `FANZHA_BENCH_SERVER_STDOUT=inherit` shows the server processes' standard output (with
 * `FANZHA_BENCH_SERVER_NODE_ARGS=--trace-gc`, each garbage collection and its pause); by default it is dropped.
 */
const serverStdout = process.env.FANZHA_BENCH_SERVER_STDOUT === 'inherit' ? 'inherit' : 'ignore';

/** `node packages/server/src/main.ts` as an operator starts it; resolves once healthy. */
export async function serve(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [...serverNodeArgs, '--import', 'tsx', 'packages/server/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        FANZHA_PORT: String(listenOn),
        FANZHA_HOST: '127.0.0.1',
        FANZHA_DEMO: 'off',
        FANZHA_LOG_LEVEL: 'warn',
        FANZHA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
        // A benchmark is a load generator with one session or key per robot: it measures the server, not its
        // rate limits (docs/operations.md, "Rate limits").
        FANZHA_RATE_LIMITS: 'off',
        ...env,
      },
      stdio: ['ignore', serverStdout, 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${listenOn}`;
  for (const t0 = Date.now(); ;) {
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() - t0 > 120_000) throw new Error('the server did not start in 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The bootstrap admin's first sign-in, enrolling the authenticator as a person would. */
export function signInAdmin(url: string): Promise<ApiClient> {
  return signInClient(url, ADMIN.username, ADMIN.password);
}

/** A user's first sign-in through the typed client (it keeps the session), enrolling the authenticator. */
export async function signInClient(url: string, username: string, password: string): Promise<ApiClient> {
  const client = createApiClient({ baseUrl: url });
  const challenge = await client.POST('/api/auth/sign-in', { body: { username, password } });
  await client.POST('/api/auth/verify', {
    body: {
      challengeId: challenge.challengeId,
      code: totpCode(challenge.enrolment!.secret, totpStep(new Date())),
    },
  });
  return client;
}

/** A user's first sign-in on one node; returns the session cookie (for the stream). */
export async function signInCookie(url: string, username: string, password: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const step1 = (await (await post('/api/auth/sign-in', { username, password })).json()) as {
    challengeId: string;
    enrolment?: { secret: string };
  };
  const step2 = await post('/api/auth/verify', {
    challengeId: step1.challengeId,
    code: totpCode(step1.enrolment!.secret, totpStep(new Date())),
  });
  if (!step2.ok) throw new Error(`sign-in of ${username}: ${step2.status}`);
  return /fanzha_session=[^;]*/.exec(step2.headers.get('set-cookie') ?? '')![0];
}

/**
 * A plain round-robin balancer, as an operator puts in front of API processes: each request (a stream
 * included) goes to the next process. Sessions live in the database, so any process serves any request.
 */
export async function balancer(
  targets: string[],
  port?: number,
): Promise<{ url: string; stop(): Promise<void>; requests: Map<string, number> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  /** Requests passed on, by method and path shape (ids and numbers as `:id`, no query). */
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const route = `${req.method} ${routeShape(req.url ?? '')}`;
    requests.set(route, (requests.get(route) ?? 0) + 1);
    const target = new URL(targets[next++ % targets.length]!);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // The client went away (a closed stream): so does the upstream connection.
    res.on('close', () => {
      if (!res.writableEnded) upstream.destroy();
    });
    req.pipe(upstream);
  });
  // Idle client connections kept as long as fanzha's own server keeps them (Node's 5 s default raced the
  // simulator's reuse of an idle connection under load: a request now and then failed as "fetch failed").
  server.keepAliveTimeout = 72_000;
  const listenOn = port ?? (await freePort());
  await new Promise<void>((r) => server.listen(listenOn, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${listenOn}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

/** A path without its query, each id-like segment (a UUID, a number, a long code) as `:id`. */
function routeShape(url: string): string {
  return url
    .split('?')[0]!
    .split('/')
    .map((part) =>
      /^[0-9a-f-]{16,}$/i.test(part) || /^\d+$/.test(part) || /\d{6,}/.test(part) ? ':id' : part,
    )
    .join('/');
}
