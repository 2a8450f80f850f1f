import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { roles, type Role } from '@fanzha/domain';
import {
  AdminError,
  AppError,
  ConfigError,
  openAdmin,
  exportAuditCheckpoints,
  verifyAuditTrail,
  verifyAuditTrailAgainst,
  type Admin,
} from '@fanzha/server/admin';
import { readPassword } from './read-password';

const usage = `fanzha — command line

  fanzha user add --username NAME --name "DISPLAY NAME" --role ROLE [--bank CODE | --operator OP | --county CODE]
                  the password is asked for (or read from the first line of standard input)
  fanzha user list
  fanzha user disable USERNAME
  fanzha user enable USERNAME
  fanzha user reset-totp USERNAME      the user enrols a new authenticator at next sign-in
  fanzha keys status                   the data keys of personal fields and how many values each protects
  fanzha keys rotate [--batch N]       a new data key; re-encrypts every personal value under it in batches
                                       of N (default 500), then retires the old key. Resumable: run it again
                                       after an interruption and it takes up where it stopped
  fanzha audit verify [--checkpoints FILE [--public-key PEM-FILE]]
                                       checks the audit trail's hash chain; exit status 1 if broken,
                                       2 if it could not be checked (a held folder, no database).
                                       With --checkpoints: also each signed checkpoint in FILE (its
                                       signature, with the key in FILE or PEM-FILE) and that the trail
                                       still reaches every signed head (so was not rewritten)
  fanzha audit checkpoint              signs the audit chain's head now (the server does it every
                                       FANZHA_AUDIT_CHECKPOINT_MINUTES); needs the server's settings
  fanzha audit checkpoints export FILE writes the signed checkpoints and their public keys to FILE
                                       (JSON lines), to keep outside fanzha
                                       (both read access only: need DATABASE_URL, not FANZHA_SECRET_KEY)
  fanzha backup FILE [--with-secret-key]
                                       the embedded database (FANZHA_DATA_DIR) into one file, with a
                                       manifest; refused while the server runs. The secret key is left
                                       out unless --with-secret-key (then guard the file as the key)
  fanzha restore FILE [--replace]      into FANZHA_DATA_DIR, which must be empty (--replace: the old
                                       folder is renamed aside, never deleted); checks the digest,
                                       migrates, verifies the audit trail and the counts
                                       (exit status 1 if a check fails, 2 if refused)
  fanzha signals replay FILE.jsonl [--nats URL --namespace NS]
                                       each line one signal batch with its kind, published on the
                                       deployment's signals stream for the workers to screen; a progress
                                       bar on a terminal, a summary (fanzha signals --help)
  fanzha report daily|weekly|monthly --date YYYY-MM-DD --format pdf|xlsx --out FILE [--county CODE]
                                       a period report (日报/周报/月报) from a server, over its API
                                       (fanzha report --help for signing in)
  fanzha case-pack CLUSTER-ID --out DIR [--rule fifo|lifo|proportional] [--format xlsx,pdf]
                                       a cluster's case pack (串并案件材料包: workbook and PDF) from a
                                       server, over its API (fanzha case-pack --help for signing in)
  fanzha indicators import FILE.csv [--origin NAME] [--note TEXT] [--rejects FILE]
  fanzha indicators export --format csv|stix --out FILE
                                       indicator exchange with a server, over its API: bad rows reported
                                       by line, a re-import adds nothing (fanzha indicators --help)
  fanzha sim [--seed S --rate R --duration D --target URL …]   the simulated province, over the API
                                       (fanzha sim --help for its options)

Works on the database the server uses: DATABASE_URL (PostgreSQL), else FANZHA_DATA_DIR (default ./data).
Roles: ${roles.join(', ')}
Exit status: 0 done; 1 the answer is no (a check failed; a request, or some lines or rows, refused);
2 could not run (usage, configuration, a data folder in use, the secret key missing or another, a
database, broker or server not reached).
`;

async function run(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (!group || group === 'help' || group === '--help' || group === '-h') {
    process.stdout.write(usage);
    return group ? 0 : 2;
  }
  // The simulator is an outsider: it talks to a server over HTTP, never to the database.
  if (group === 'sim') return (await import('./sim')).runSim(argv.slice(1));
  // Period reports come from a server, over its API (an outsider, like the simulator).
  if (group === 'report') return (await import('./report')).runReport(argv.slice(1));
  if (group === 'case-pack') return (await import('./case-pack')).runCasePack(argv.slice(1));
  // Indicator exchange goes through a server's API (an outsider, like the reports).
  if (group === 'indicators') return (await import('./indicators')).runIndicators(argv.slice(1));
  // Signals go to the broker, never to the database.
  if (group === 'signals') return (await import('./signals')).runSignals(argv.slice(1));
  // The embedded database as a whole: the commands hold the data folder themselves.
  if (group === 'backup' || group === 'restore')
    return (await import('./backup')).runBackup(group, argv.slice(1));
  // An auditor's check: read access to the database, no secrets, nothing written.
  if (group === 'audit' && command === 'verify') return verifyAudit(rest);
  if (group === 'audit' && command === 'checkpoints') return exportCheckpoints(rest);
  const admin = await openAdmin();
  try {
    return await dispatch(admin, group, command, rest);
  } finally {
    await admin.close();
  }
}

async function dispatch(
  admin: Admin,
  group: string,
  command: string | undefined,
  rest: string[],
): Promise<number> {
  if (group === 'user' && command === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        bank: { type: 'string' },
        operator: { type: 'string' },
        county: { type: 'string' },
      },
      strict: true,
    });
    if (!values.username || !values.name || !values.role)
      throw new UsageError('user add needs --username, --name and --role');
    if (!roles.includes(values.role as Role))
      throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
    const password = await readPassword(`password for ${values.username}: `);
    const user = await admin.addUser({
      username: values.username,
      displayName: values.name,
      role: values.role as Role,
      password,
      ...(values.bank ? { bankCode: values.bank } : {}),
      ...(values.operator ? { operatorCode: values.operator as 'china_mobile' } : {}),
      ...(values.county ? { countyCode: values.county } : {}),
    });
    console.log(`created ${user.username} (${user.role}); they enrol an authenticator at first sign-in`);
    return 0;
  }
  if (group === 'user' && command === 'list') {
    for (const u of await admin.listUsers()) {
      const scope = u.bankCode ?? u.operatorCode ?? u.countyCode ?? '';
      const flags = [
        u.isDisabled ? 'disabled' : '',
        u.hasTotp ? '' : 'no-totp',
        u.isDemo ? 'demo' : '',
      ].filter(Boolean);
      console.log(
        [u.username.padEnd(20), u.role.padEnd(22), scope.padEnd(14), flags.join(',')].join(' ').trimEnd(),
      );
    }
    return 0;
  }
  if (group === 'user' && (command === 'disable' || command === 'enable' || command === 'reset-totp')) {
    const username = rest[0];
    if (!username) throw new UsageError(`user ${command} needs a USERNAME`);
    const user = await admin.setUser(username, command);
    const said = {
      disable: 'disabled; their sessions ended',
      enable: 'enabled',
      'reset-totp': 'second factor removed; sessions ended',
    };
    console.log(`${user.username}: ${said[command]}`);
    return 0;
  }
  if (group === 'keys' && command === 'status') {
    const status = await admin.keyStatus();
    for (const v of status.versions)
      console.log(
        [
          `key ${v.version}`.padEnd(8),
          v.cipher.padEnd(12),
          (v.isCurrent
            ? 'current'
            : v.retiredAt
              ? `retired ${v.retiredAt.toISOString()}`
              : 'rotating'
          ).padEnd(33),
          `${v.values} values`,
        ].join(' '),
      );
    if (status.plaintext > 0)
      console.log(`${status.plaintext} values not yet encrypted (the server encrypts them when it starts)`);
    return 0;
  }
  if (group === 'keys' && command === 'rotate') {
    const { values } = parseArgs({ args: rest, options: { batch: { type: 'string' } }, strict: true });
    const batchSize = values.batch === undefined ? 500 : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
      throw new UsageError('--batch must be a whole number from 1 to 10000');
    const result = await admin.rotateKeys({
      batchSize,
      onProgress: (p) => console.log(`re-encrypted ${p.table}.${p.column}: ${p.done}`),
    });
    console.log(
      `${result.isResumed ? 'resumed the rotation to' : 'rotated to'} key ${result.current}; ` +
        (result.retired.length > 0
          ? `retired key ${result.retired.join(', ')}`
          : 'no older key left to retire, or one still in use (see fanzha keys status)'),
    );
    return 0;
  }
  if (group === 'audit' && command === 'checkpoint' && rest.length === 0) {
    const c = await admin.signAuditCheckpoint();
    console.log(
      c
        ? `signed checkpoint at entry ${c.seq} (key ${c.keyId}, ${c.algorithm})`
        : 'nothing to sign: the audit chain is empty or its head is signed already',
    );
    return 0;
  }
  throw new UsageError(`unknown command: ${[group, command].filter(Boolean).join(' ')}`);
}

async function verifyAudit(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { checkpoints: { type: 'string' }, 'public-key': { type: 'string' } },
    strict: true,
  });
  if (values['public-key'] && !values.checkpoints)
    throw new UsageError('--public-key goes with --checkpoints');
  if (!values.checkpoints) return reportChain(await verifyAuditTrail());
  const file = await readInput(values.checkpoints, '--checkpoints');
  const pem = values['public-key'] ? await readInput(values['public-key'], '--public-key') : undefined;
  const { chain, checkpoints } = await verifyAuditTrailAgainst(file, { publicKeyPem: pem });
  const chainCode = reportChain(chain);
  // A file with no checkpoint in it (cut down, or exported before any was signed) proves nothing.
  if (checkpoints.checked === 0) {
    console.log('checkpoints FAIL: the file holds no signed checkpoint, so nothing of the trail is proven');
    return 1;
  }
  if (checkpoints.isIntact) {
    console.log(
      `checkpoints hold: ${checkpoints.checked} signed checkpoints verified and reached by the trail`,
    );
    return chainCode;
  }
  console.log(
    `checkpoints FAIL: ${checkpoints.checked - checkpoints.problems.length} of ${checkpoints.checked} hold${checkpoints.problems.length === 100 ? ' at most' : ''}`,
  );
  for (const p of checkpoints.problems) console.log(`  checkpoint at entry ${p.seq}: ${p.problem}`);
  return 1;
}

async function exportCheckpoints(args: string[]): Promise<number> {
  const [sub, target, ...extra] = args;
  if (sub !== 'export' || !target || extra.length > 0)
    throw new UsageError('audit checkpoints needs: export FILE');
  const r = await exportAuditCheckpoints();
  // Never over an existing file: an auditor's earlier export is the evidence to compare with.
  await writeFile(target, r.text, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new AdminError(`${target} exists; choose another file`, 2);
    throw err;
  });
  console.log(`wrote ${r.checkpoints} checkpoints and ${r.keys} public key(s) to ${target}`);
  return 0;
}

async function readInput(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new AdminError(`${option}: cannot read ${path} (${(err as Error).message})`, 2);
  }
}

function reportChain(r: Awaited<ReturnType<typeof verifyAuditTrail>>): number {
  if (r.isIntact) {
    console.log(
      `audit trail intact: ${r.checked} entries checked${r.unsealed ? `, ${r.unsealed} not yet sealed` : ''}`,
    );
    return 0;
  }
  console.log(
    `audit trail BROKEN at entry ${r.firstBroken!.seq}: ${r.firstBroken!.problem} (${r.checked} entries before it are intact)`,
  );
  return 1;
}

class UsageError extends Error {}

/** Options parseArgs does not know, or a value missing: a usage error like any other. */
const isArgsError = (err: unknown) =>
  err instanceof TypeError && String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');

// The exit statuses (docs/operations.md, *Exit statuses*): 0 done; 1 the answer is no (a check failed, a
// request refused, some items not taken); 2 the command could not run (usage, configuration, a held data
// folder, a missing key, a database or server not reached) — so a script can tell a broken trail from a
// check that did not happen.
try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || isArgsError(err)) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    process.exitCode = 2;
  } else if (err instanceof AppError) {
    console.error(`refused: ${err.message}`);
    for (const d of err.details ?? []) console.error(`  ${d.field.replace(/^body\./, '')}: ${d.message}`);
    process.exitCode = 1;
  } else if (err instanceof AdminError) {
    console.error(err.message);
    process.exitCode = err.exitCode;
  } else if (err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(err);
    process.exitCode = 2;
  }
}
