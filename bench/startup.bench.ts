/**
 * Embedded start: from launching the server process (as `npm start` does) to `/api/health` answering
 * and the web app being served — with a new data folder (first start, PGlite initdb) and an existing one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, report } from './support';

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, FANZHA_PORT: String(port), FANZHA_DATA_DIR: dataDir, FANZHA_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await Promise.all(
        ['/api/health', '/'].map((p) =>
          fetch(`http://127.0.0.1:${port}${p}`)
            .then((r) => r.ok)
            .catch(() => false),
        ),
      );
      if (ok.every(Boolean)) return (performance.now() - t0) / 1000;
      if (performance.now() - t0 > 120_000) throw new Error('server did not start in 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

console.log(`# machine: ${machine()}`);
const dir = await mkdtemp(join(tmpdir(), 'fanzha-bench-start-'));
try {
  report('start_new_data_dir_s', await timeStart(dir), 's');
  report('start_existing_data_dir_s', await timeStart(dir), 's');
} finally {
  await rm(dir, { recursive: true, force: true });
}
