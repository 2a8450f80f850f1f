import { ConfigError, loadConfig } from './config';
import { SecretKeyError } from './platform/crypto/secret-key';
import { start } from './start';
import { startNotice } from './start-notice';

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

// A database whose secret key is missing or another one: a configuration problem too (no new key is made).
const running = await start(config, {
  logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
}).catch((err: unknown) => {
  if (!(err instanceof SecretKeyError)) throw err;
  console.error(err.message);
  process.exit(2);
});
const { url } = running;
// The demo comes alive: a simulated province files reports and answers as banks, over the API like any outsider.
const province =
  running.demoAccounts.length > 0 && config.role === 'all'
    ? (await import('@fanzha/simulator')).startDemo({
        baseUrl: url,
        natsUrl: config.natsUrl,
        natsNamespace: config.natsNamespace,
        log: (message) => running.app.log.warn(message),
      })
    : undefined;
console.log(startNotice(config, { url, demoAccounts: running.demoAccounts, provinceSeed: province?.seed }));

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
