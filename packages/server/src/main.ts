import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD } from './modules/identity/index';
import { start } from './start';

// The process entry: parse configuration once (stopping on any problem), start, and stop cleanly on signals.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const running = await start(config, {
  logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
});
const { url } = running;
// The demo comes alive: a simulated province files reports and answers as banks, over the API like any outsider.
const province =
  running.demoAccounts.length > 0 && config.role === 'all'
    ? (await import('@fanzha/simulator')).startDemo({
        baseUrl: url,
        natsUrl: config.natsUrl,
        log: (message) => running.app.log.warn(message),
      })
    : undefined;
const storage = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
const bus = config.natsUrl ? 'NATS JetStream (NATS_URL)' : 'in-process';
console.log(
  [
    '',
    `  fanzha 反诈 is running (role ${config.role}; storage ${storage}; bus ${bus})`,
    '',
    `    web app        ${url}/`,
    `    command wall   ${url}/wall`,
    `    API reference  ${url}/api/docs`,
    `    health         ${url}/api/health`,
    '',
    ...(running.demoAccounts.length > 0
      ? [
          '  DEMO MODE (FANZHA_DEMO=on): demo accounts, one per role — NOT FOR REAL USE',
          `    password for all: ${DEMO_PASSWORD}`,
          `    accounts: ${running.demoAccounts.map((a) => a.username).join(', ')}`,
          '    the sign-in page shows their current TOTP codes; start with FANZHA_DEMO=off for real use',
          ...(province ? [`    simulated province: a report every few seconds (seed ${province.seed})`] : []),
          '',
        ]
      : []),
    '  Stop with Ctrl+C.',
    '',
  ].join('\n'),
);

let isStopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (isStopping) return;
    isStopping = true;
    Promise.resolve(province?.stop())
      .then(() => running.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('error while stopping', err);
          process.exit(1);
        },
      );
  });
}
