import { isIP } from 'node:net';
import type { Config } from './config';
import { DEMO_PASSWORD } from './modules/identity/index';

/** Whether a listening address reaches this machine only. */
const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/**
 * What the console says at start: where to go, and — loudly — whether this is the demo or production,
 * so that nobody mistakes one for the other.
 */
export function startNotice(
  config: Config,
  running: { url: string; demoAccounts: Array<{ username: string }>; provinceSeed?: number | undefined },
): string {
  const { url } = running;
  const storage = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  const bus = config.natsUrl ? 'NATS JetStream (NATS_URL)' : 'in-process';
  const serves =
    config.role === 'worker'
      ? [`    health         ${url}/api/health`]
      : [
          `    web app        ${url}/`,
          `    command wall   ${url}/wall`,
          `    API reference  ${url}/api/docs`,
          `    health         ${url}/api/health`,
        ];
  const mode = config.isProduction
    ? [
        '  PRODUCTION: PostgreSQL is the system of record — no demo accounts, no simulated province,',
        `    no /api/demo; listening on ${config.host}:${config.port} (FANZHA_HOST, FANZHA_PORT)`,
        '',
      ]
    : running.demoAccounts.length > 0
      ? [
          '  DEMO MODE (FANZHA_DEMO=on): demo accounts, one per role — NOT FOR REAL USE',
          `    password for all: ${DEMO_PASSWORD}`,
          `    accounts: ${running.demoAccounts.map((a) => a.username).join(', ')}`,
          '    the sign-in page shows their current TOTP codes; start with FANZHA_DEMO=off for real use',
          ...(isLoopback(config.host)
            ? [`    listening on ${config.host} only (set FANZHA_HOST to open it to others)`]
            : [
                `    OPEN TO YOUR NETWORK: listening on ${config.host} (FANZHA_HOST) — anyone who reaches this`,
                '    address can sign in to every demo account, admin included, with the codes the sign-in page shows',
              ]),
          ...(running.provinceSeed !== undefined
            ? [`    simulated province: a report every few seconds (seed ${running.provinceSeed})`]
            : []),
          '',
        ]
      : [];
  return [
    '',
    `  fanzha 反诈 is running (role ${config.role}; storage ${storage}; bus ${bus})`,
    '',
    ...serves,
    '',
    ...mode,
    '  Stop with Ctrl+C.',
    '',
  ].join('\n');
}
