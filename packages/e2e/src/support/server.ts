import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The embedded database's folder. */
  dataDir: string;
  /** The server's own PostgreSQL database, when the run is against PostgreSQL. */
  databaseUrl: string | undefined;
  /**
   * SIGTERM, as a service manager stops it: resolves with how long the process took to exit, or rejects
   * (after a SIGKILL) when it did not exit within `withinMs`. Keeps the data folder.
   */
  terminate(withinMs: number): Promise<number>;
  /** SIGTERM, wait for the exit, remove the data folder (unless it was given). Safe to call twice. */
  stop(): Promise<void>;
  /** The end of what the process wrote (standard error, then standard output): its start notices. */
  output(): string;
}

/** Asks the OS for a port nobody uses; the tiny race until the server binds it is acceptable in tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** The server answers 503 for every page when the web app is missing; say why before a browser test fails vaguely. */
export function assertWebBuilt(): void {
  if (!existsSync(join(repoRoot, 'packages/web/dist/index.html'))) {
    throw new Error('packages/web/dist is missing: run `npm run build:web` before the browser tests');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the last part of a stream: enough to explain a failed start without holding a whole log. */
function tail(limit = 16_000) {
  let text = '';
  return {
    push: (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(-limit);
    },
    toString: () => text,
  };
}

/**
 * Starts a real fanzha server process on a free port with a fresh embedded database, exactly as an
 * operator would (`node --import tsx packages/server/src/main.ts`), and waits until it is healthy.
 */
export async function startServer(
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Start on this data folder (a restart); the caller removes it. */
    dataDir?: string;
    /** Listen on this port (a restart, so open pages reconnect); a free one otherwise. */
    port?: number;
    /** With DATABASE_URL: start on this server's database (a restart); its first server drops it. */
    databaseUrl?: string | undefined;
  } = {},
): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'fanzha-e2e-')));
  // Against PostgreSQL (DATABASE_URL set), each server gets a database of its own, as each embedded one
  // gets its own folder: test files must not see each other's accounts.
  const database =
    process.env.DATABASE_URL && !options.databaseUrl
      ? await createDatabase(process.env.DATABASE_URL)
      : undefined;
  const databaseUrl = options.databaseUrl ?? database?.url;
  const natsUrl = process.env.NATS_URL;
  // On NATS, the deployment's names follow its database (a restart on it finds its streams again), and
  // the streams go when the database does: a run leaves the NATS server as it found it.
  const namespace = natsUrl && databaseUrl ? namespaceOf(databaseUrl) : undefined;
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      FANZHA_PORT: String(port),
      FANZHA_DATA_DIR: dataDir,
      // Accounts come from FANZHA_BOOTSTRAP_ADMIN and the API, as in production (the demo is refused
      // with DATABASE_URL, which the scaled-out run sets); listen on this machine only.
      FANZHA_DEMO: 'off',
      FANZHA_HOST: '127.0.0.1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(namespace
        ? {
            FANZHA_NATS_NAMESPACE: namespace,
            // JetStream reserves the signals cap of its storage for each deployment's stream.
            FANZHA_SIGNALS_MAX_BYTES: String(8 * 1024 ** 2),
          }
        : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = tail();
  const stderr = tail();
  child.stdout.on('data', stdout.push);
  child.stderr.on('data', stderr.push);

  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  // If the test process dies without calling stop(), do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let isStopped = false;
  const stop = async () => {
    if (isStopped) return;
    isStopped = true;
    process.off('exit', killOnExit);
    if (!hasExited) {
      child.kill('SIGTERM');
      const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(10_000)]);
      if (outcome !== 'exited') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    if (database) {
      await database.drop();
      if (natsUrl && namespace) await deleteStreams(natsUrl, namespace);
    }
  };

  const terminate = async (withinMs: number) => {
    process.off('exit', killOnExit);
    const startedAt = Date.now();
    child.kill('SIGTERM');
    const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(withinMs)]);
    if (outcome !== 'exited') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the server did not exit within ${withinMs} ms of SIGTERM`);
    }
    return Date.now() - startedAt;
  };

  const failure = async (reason: string) => {
    await stop();
    return new Error(
      `fanzha server did not start: ${reason}\n--- stderr ---\n${stderr.toString()}\n--- stdout ---\n${stdout.toString()}`,
    );
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) throw await failure(`the process exited with ${String(await exited)}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200)
        return {
          url,
          dataDir,
          databaseUrl,
          terminate,
          stop,
          output: () => `${stderr.toString()}${stdout.toString()}`,
        };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw await failure(`GET ${url}/api/health did not answer 200 in time`);
    await sleep(150);
  }
}

/** The NATS namespace of the deployment on this database: the database's own name (`fanzha_e2e_…`). */
function namespaceOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1)).toLowerCase();
}

/** Removes a deployment's streams (its events and its signals) from the NATS server. */
async function deleteStreams(natsUrl: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [`FANZHA_${namespace}`, `FANZHA_${namespace}_SIGNALS`])
      await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** A fresh PostgreSQL database of its own on the server `baseUrl` names; `drop()` removes it. */
export async function createDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fanzha_e2e_${randomBytes(5).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
