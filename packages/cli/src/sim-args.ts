import { parseArgs } from 'node:util';
import type { BankFault, SimulationOptions } from '@fanzha/simulator';

export const simUsage = `fanzha sim — runs the simulated province against a fanzha server

  fanzha sim [--seed S] [--rate R] [--duration D] [--target URL] [options]

  --seed S          any number or word; the same seed and settings give the same events (default: random)
  --rate R          reports per minute (default 60); also 5/s or 300/min
  --duration D      how long reports come in: 90s, 5m, 1h or seconds (default 60s); "forever" until Ctrl+C
  --target URL      the fanzha server (default http://127.0.0.1:8080)
  --pace P          human (default) or a factor: 1 people's speed, 0.05 twenty times faster, 0 no waiting
  --intake M        typing (autosaves as a person types; default unless --pace 0) or batch (whole reports)
  --desk D          robot (default) sends stop-payments; people leaves it to the desk console
  --cases C         robot (default): robot case officers accept and answer county tasks, freeze stopped
                    accounts and return money; people leaves that to the consoles
  --fault F         a bank fault, repeatable: ICBC:slow=3 (answers 3× later), CCB:pause (for the whole
                    run) or CCB:pause=30s, ABC:twice (every answer sent again)
  --people-banks B  banks whose instructions people answer at the bank liaison console, e.g. ICBC,CCB:
                    the robots only watch them (default none)
  --nats URL        publish operators' signals on this NATS (default $NATS_URL when --signals is given)
  --nats-namespace NS  the deployment's FANZHA_NATS_NAMESPACE, for the signals' subjects (default
                    $FANZHA_NATS_NAMESPACE; none: the shared fanzha-signals.* subjects)
  --signals N       operators' signals per minute: on NATS when it has a URL (up to millions), else
                    posted to POST /api/operator/signals with a signal key per operator made for the run
  --bank-signals N  banks' transfer attempts per minute, posted to POST /api/bank/signals by each bank's
                    system with its key (HTTP: no NATS needed; default 0); 5 % go to the gangs' mule cards
  --countermeasures N  countermeasures a robot analyst requests per minute (numbers, sites, apps, mule
                    cards); the operators' and banks' systems acknowledge, execute or refuse them (default 0)
  --lookups N       citizens' public risk lookups per minute, at most 30 (the per-address limit; default 0)
  --payee-checks N  banks' payee checks per minute at payment time, 1–100 payees each (default 0)
  --drain D         how long to wait for answers after the last report (default 60s + 10m × pace)
  --json            print the summary as JSON

Against a demo server (FANZHA_DEMO=on) the robots use the demo accounts. Anywhere else give an admin:
  --admin NAME with FANZHA_SIM_ADMIN_PASSWORD and FANZHA_SIM_ADMIN_TOTP_SECRET (base32) in the environment;
  the run creates a robot call-taker, a robot desk officer, a robot supervisor (with --cases robot) and
  the banks' keys, and disables them at the end.
`;

export class SimUsageError extends Error {}

export interface SimArgs {
  options: SimulationOptions;
  isJson: boolean;
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(text.trim());
  if (!m) throw new SimUsageError(`${flag} must be like 90s, 5m, 1h or a number of seconds (got "${text}")`);
  const ms = Number(m[1]) * (units[m[2] ?? 's'] ?? 1000);
  if (!(ms > 0)) throw new SimUsageError(`${flag} must be more than 0`);
  return ms;
}

export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(s|min|m|h))?$/.exec(text.trim());
  if (!m) throw new SimUsageError(`--rate must be reports per minute, or like 5/s (got "${text}")`);
  const perUnit = Number(m[1]);
  const perMinute = m[2] === 's' ? perUnit * 60 : m[2] === 'h' ? perUnit / 60 : perUnit;
  if (!(perMinute > 0)) throw new SimUsageError('--rate must be more than 0');
  return perMinute;
}

export function parsePace(text: string): number {
  if (text === 'human') return 1;
  if (text === 'max') return 0;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 10)
    throw new SimUsageError(`--pace must be human, max or a factor from 0 to 10 (got "${text}")`);
  return n;
}

export function parseFault(text: string): [string, BankFault] {
  const m = /^([A-Z]+):(slow=(\d+(?:\.\d+)?)|pause(?:=(\S+))?|twice)$/.exec(text.trim());
  if (!m)
    throw new SimUsageError(
      `--fault must be like ICBC:slow=3, CCB:pause, CCB:pause=30s or ABC:twice (got "${text}")`,
    );
  const bank = m[1]!;
  if (m[2] === 'twice') return [bank, { isAnsweringTwice: true }];
  if (m[2]!.startsWith('pause'))
    return [bank, { isPaused: true, ...(m[4] ? { pausedForMs: parseDuration('--fault pause', m[4]) } : {}) }];
  return [bank, { slow: Number(m[3]) }];
}

/** Flags to simulator options; every mistake is a `SimUsageError` that says which flag and why. */
export function parseSimArgs(argv: string[], env: Record<string, string | undefined>): SimArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        target: { type: 'string' },
        pace: { type: 'string' },
        intake: { type: 'string' },
        desk: { type: 'string' },
        cases: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'people-banks': { type: 'string' },
        nats: { type: 'string' },
        'nats-namespace': { type: 'string' },
        signals: { type: 'string' },
        'bank-signals': { type: 'string' },
        countermeasures: { type: 'string' },
        lookups: { type: 'string' },
        'payee-checks': { type: 'string' },
        drain: { type: 'string' },
        admin: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new SimUsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.intake !== undefined && v.intake !== 'typing' && v.intake !== 'batch')
    throw new SimUsageError(`--intake must be typing or batch (got "${v.intake}")`);
  if (v.desk !== undefined && v.desk !== 'robot' && v.desk !== 'people')
    throw new SimUsageError(`--desk must be robot or people (got "${v.desk}")`);
  if (v.cases !== undefined && v.cases !== 'robot' && v.cases !== 'people')
    throw new SimUsageError(`--cases must be robot or people (got "${v.cases}")`);
  const signals = v.signals === undefined ? 0 : Number(v.signals);
  if (!Number.isInteger(signals) || signals < 0)
    throw new SimUsageError(`--signals must be a whole number per minute (got "${v.signals}")`);
  const bankSignals = v['bank-signals'] === undefined ? 0 : Number(v['bank-signals']);
  if (!Number.isInteger(bankSignals) || bankSignals < 0)
    throw new SimUsageError(`--bank-signals must be a whole number per minute (got "${v['bank-signals']}")`);
  const perMinute = (flag: 'countermeasures' | 'lookups' | 'payee-checks') => {
    const n = v[flag] === undefined ? 0 : Number(v[flag]);
    if (!Number.isInteger(n) || n < 0)
      throw new SimUsageError(`--${flag} must be a whole number per minute (got "${v[flag]}")`);
    return n;
  };
  const natsUrl = v.nats ?? (signals > 0 ? env.NATS_URL : undefined);
  const natsNamespace = v['nats-namespace'] ?? env.FANZHA_NATS_NAMESPACE;
  if (natsNamespace !== undefined && !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(natsNamespace))
    throw new SimUsageError(
      `--nats-namespace must be 1-40 of a-z 0-9 - _, as FANZHA_NATS_NAMESPACE (got "${natsNamespace}")`,
    );
  if (natsUrl !== undefined && !/^(nats|tls):\/\//.test(natsUrl))
    throw new SimUsageError(`--nats must be a nats:// or tls:// URL (got "${natsUrl}")`);
  const target = v.target ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^/\s]+/.test(target))
    throw new SimUsageError(`--target must be an http(s) URL (got "${target}")`);
  const seed = v.seed === undefined ? undefined : /^\d+$/.test(v.seed) ? Number(v.seed) : v.seed;

  let auth: SimulationOptions['auth'] = { kind: 'demo' };
  if (v.admin !== undefined) {
    const password = env.FANZHA_SIM_ADMIN_PASSWORD;
    const totpSecret = env.FANZHA_SIM_ADMIN_TOTP_SECRET;
    if (!password || !totpSecret)
      throw new SimUsageError('--admin needs FANZHA_SIM_ADMIN_PASSWORD and FANZHA_SIM_ADMIN_TOTP_SECRET set');
    if (!/^[A-Z2-7=\s]+$/i.test(totpSecret))
      throw new SimUsageError('FANZHA_SIM_ADMIN_TOTP_SECRET must be the base32 secret of the authenticator');
    auth = { kind: 'admin', username: v.admin, password, totpSecret };
  }

  const pace = v.pace === undefined ? 1 : parsePace(v.pace);
  return {
    isJson: v.json === true,
    options: {
      target,
      auth,
      ...(seed === undefined ? {} : { seed }),
      ratePerMinute: v.rate === undefined ? 60 : parseRate(v.rate),
      durationMs: v.duration === 'forever' ? undefined : parseDuration('--duration', v.duration ?? '60s'),
      pace,
      ...(v.intake ? { intake: v.intake } : {}),
      isDeskRobot: v.desk !== 'people',
      isCaseRobot: v.cases !== 'people',
      faults: Object.fromEntries((v.fault ?? []).map(parseFault)),
      ...(v['people-banks'] === undefined
        ? {}
        : {
            banksForPeople: v['people-banks']
              .split(',')
              .map((b) => b.trim().toUpperCase())
              .filter(Boolean),
          }),
      natsUrl,
      natsNamespace,
      signalsPerMinute: signals,
      bankSignalsPerMinute: bankSignals,
      countermeasuresPerMinute: perMinute('countermeasures'),
      lookupsPerMinute: perMinute('lookups'),
      payeeChecksPerMinute: perMinute('payee-checks'),
      ...(v.drain === undefined ? {} : { drainTimeoutMs: parseDuration('--drain', v.drain) }),
    },
  };
}
