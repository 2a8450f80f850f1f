import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ApiError, createApiClient, PeriodKind, ReportFormat } from '@fanzha/contracts';
import { totpCode, totpStep } from '@fanzha/simulator';
import { apiFailure } from './api-failure';
import { readPassword } from './read-password';

export const reportUsage = `fanzha report daily|weekly|monthly --date YYYY-MM-DD --format pdf|xlsx --out FILE
                     [--county CODE] [--target URL] [--user NAME] [--code CODE]

  Generates the centre's (or one county's) report of the day, its week (Monday to Sunday) or its month —
  the date is a day in China time — on the server and saves the file. An outsider: only the API.
  --target   the server (default http://127.0.0.1:8080)
  --user     who signs in (default: FANZHA_USER); the password is asked for, or read from the first line of
             standard input, or FANZHA_PASSWORD
  --code     the authenticator's current code; or FANZHA_TOTP_SECRET (base32) to compute it
`;

function problem(message: string): number {
  process.stderr.write(`${message}\n\n${reportUsage}`);
  return 2;
}

export async function runReport(argv: string[]): Promise<number> {
  const [kindArg, ...rest] = argv;
  if (!kindArg || kindArg === '--help' || kindArg === '-h') {
    process.stdout.write(reportUsage);
    return kindArg ? 0 : 2;
  }
  const kind = PeriodKind.safeParse(kindArg);
  if (!kind.success) return problem(`unknown report kind: ${kindArg}`);
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        date: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        county: { type: 'string' },
        target: { type: 'string', default: 'http://127.0.0.1:8080' },
        user: { type: 'string' },
        code: { type: 'string' },
      },
    }));
  } catch (err) {
    return problem((err as Error).message);
  }
  const format = ReportFormat.safeParse(values.format);
  if (!format.success) return problem(`--format must be pdf or xlsx`);
  if (!values.date) return problem('--date is required');
  if (!values.out) return problem('--out is required');
  const username = values.user ?? process.env.FANZHA_USER;
  if (!username) return problem('--user (or FANZHA_USER) is required');

  const client = createApiClient({ baseUrl: values.target.replace(/\/$/, '') });
  try {
    const password = process.env.FANZHA_PASSWORD ?? (await readPassword(`password for ${username}: `));
    const challenge = await client.POST('/api/auth/sign-in', { body: { username, password } });
    const secret = process.env.FANZHA_TOTP_SECRET;
    const code = values.code ?? (secret ? totpCode(secret, totpStep(Date.now())) : undefined);
    if (!code) return problem('--code (or FANZHA_TOTP_SECRET) is required');
    await client.POST('/api/auth/verify', { body: { challengeId: challenge.challengeId, code } });
    const report = await client.POST('/api/period-reports', {
      body: { kind: kind.data, date: values.date, ...(values.county ? { county: values.county } : {}) },
    });
    const download = { params: { path: { id: report.id } }, parseAs: 'arrayBuffer' } as const;
    const { data, response } =
      format.data === 'xlsx'
        ? await client.raw.GET('/api/period-reports/{id}/xlsx', download)
        : await client.raw.GET('/api/period-reports/{id}/pdf', download);
    if (!response.ok || !data) throw new Error(`download: HTTP ${response.status}`);
    await writeFile(values.out, Buffer.from(data));
    process.stdout.write(`${report.title}: ${values.out} (${data.byteLength} bytes)\n`);
    return 0;
  } catch (err) {
    if (err instanceof ApiError) return apiFailure(err, values.target);
    throw err;
  }
}
