import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AllocationRule,
  ApiError,
  casePackFormats,
  createApiClient,
  type CasePackFormat,
} from '@fanzha/contracts';
import { totpCode, totpStep } from '@fanzha/simulator/totp';
import { apiFailure } from './api-failure';
import { readPassword } from './read-password';

export const casePackUsage = `fanzha case-pack CLUSTER-ID --out DIR [--rule fifo|lifo|proportional] [--format xlsx,pdf]
                          [--target URL] [--user NAME] [--code CODE]

  Saves a cluster's case pack (串并案件材料包) from a server: the workbook (案件概况, 报案, 账户分层,
  资金流水, 处置措施) and the PDF summary with the money-flow chart, as DIR/case-pack-CLUSTER-ID.xlsx and
  .pdf. For analysts and supervisors; every export is audited. An outsider: only the API.
  --rule     how pooled money is attributed to the victims (default fifo)
  --format   one or both (default xlsx,pdf)
  --target   the server (default http://127.0.0.1:8080)
  --user     who signs in (default: FANZHA_USER); the password is asked for, or read from the first line of
             standard input, or FANZHA_PASSWORD
  --code     the authenticator's current code; or FANZHA_TOTP_SECRET (base32) to compute it
`;

export interface CasePackArgs {
  clusterId: string;
  out: string;
  rule: AllocationRule;
  formats: CasePackFormat[];
  target: string;
  username: string;
  code: string | undefined;
}

export class CasePackUsageError extends Error {}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The command line, checked before anything is asked of the server. */
export function parseCasePackArgs(argv: string[], env: Record<string, string | undefined>): CasePackArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        rule: { type: 'string', default: 'fifo' },
        format: { type: 'string', default: 'xlsx,pdf' },
        target: { type: 'string', default: 'http://127.0.0.1:8080' },
        user: { type: 'string' },
        code: { type: 'string' },
      },
    });
  } catch (err) {
    throw new CasePackUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CasePackUsageError('give exactly one CLUSTER-ID');
  const clusterId = positionals[0]!;
  if (!uuid.test(clusterId)) throw new CasePackUsageError(`not a cluster id (a UUID): ${clusterId}`);
  if (!values.out) throw new CasePackUsageError('--out DIR is required');
  const rule = AllocationRule.safeParse(values.rule);
  if (!rule.success) throw new CasePackUsageError('--rule must be fifo, lifo or proportional');
  const formats = [...new Set(values.format.split(','))];
  const bad = formats.filter((f) => !(casePackFormats as readonly string[]).includes(f));
  if (bad.length > 0 || formats.length === 0)
    throw new CasePackUsageError(`--format takes xlsx, pdf or both (xlsx,pdf), not ${bad.join(',')}`);
  const username = values.user ?? env.FANZHA_USER;
  if (!username) throw new CasePackUsageError('--user (or FANZHA_USER) is required');
  return {
    clusterId,
    out: values.out,
    rule: rule.data,
    formats: formats as CasePackFormat[],
    target: values.target.replace(/\/$/, ''),
    username,
    code: values.code,
  };
}

export async function runCasePack(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(casePackUsage);
    return 0;
  }
  let args: CasePackArgs;
  try {
    args = parseCasePackArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof CasePackUsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${casePackUsage}`);
    return 2;
  }
  const client = createApiClient({ baseUrl: args.target });
  try {
    const password = process.env.FANZHA_PASSWORD ?? (await readPassword(`password for ${args.username}: `));
    const challenge = await client.POST('/api/auth/sign-in', { body: { username: args.username, password } });
    const secret = process.env.FANZHA_TOTP_SECRET;
    const code = args.code ?? (secret ? totpCode(secret, totpStep(Date.now())) : undefined);
    if (!code) {
      process.stderr.write(`--code (or FANZHA_TOTP_SECRET) is required\n\n${casePackUsage}`);
      return 2;
    }
    await client.POST('/api/auth/verify', { body: { challengeId: challenge.challengeId, code } });
    await mkdir(args.out, { recursive: true });
    for (const format of args.formats) {
      const request = {
        params: { path: { id: args.clusterId }, query: { rule: args.rule } },
        parseAs: 'arrayBuffer',
      } as const;
      const { data, error, response } =
        format === 'xlsx'
          ? await client.raw.GET('/api/investigation/clusters/{id}/pack.xlsx', request)
          : await client.raw.GET('/api/investigation/clusters/{id}/pack.pdf', request);
      if (!response.ok || !data) {
        const message = (error as { error?: { message?: string } } | undefined)?.error?.message;
        process.stderr.write(`refused: HTTP ${response.status}${message ? ` ${message}` : ''}\n`);
        return 1;
      }
      const file = join(args.out, `case-pack-${args.clusterId}.${format}`);
      await writeFile(file, Buffer.from(data));
      process.stdout.write(`${file} (${data.byteLength} bytes)\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ApiError) return apiFailure(err, args.target);
    throw err;
  }
}
