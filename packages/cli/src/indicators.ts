import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import {
  ApiError,
  createApiClient,
  IMPORT_CHUNK_MAX,
  IndicatorExportFormat,
  type IndicatorImportChunkResult,
  type RejectedRow,
} from '@fanzha/contracts';
import { createCsvReader, isCsvRecordError, type CsvRecord } from '@fanzha/domain';
import { totpCode, totpStep } from '@fanzha/simulator';
import { apiFailure } from './api-failure';
import { readPassword } from './read-password';

export const indicatorsUsage = `fanzha indicators import FILE.csv [--origin NAME] [--note TEXT] [--rejects FILE]
fanzha indicators export --format csv|stix --out FILE
                         [--target URL] [--user NAME] [--code CODE] (both)

  import   loads an exchange file (CSV: kind,value,risk,first_seen,last_seen,note; see
           docs/indicator-exchange.md) into the registry, in chunks of ${IMPORT_CHUNK_MAX.toLocaleString('en')} records, with a progress bar
           on a terminal. A bad record is reported with its line and reason and the rest are loaded;
           exit status 1 when some were bad. Loading the same file again (same origin) adds nothing.
           --origin   where the indicators come from (a source centre); default the file's name
           --note     why it is loaded (kept with the import, in the audit trail)
           --rejects  also write every bad record to FILE (CSV: line,reason,message)
  export   the whole registry as CSV (the same format, with a status column) or a STIX 2.1 bundle
  --target   the server (default http://127.0.0.1:8080)
  --user     who signs in (an analyst or a supervisor; default FANZHA_USER); the password is asked for,
             or read from the first line of standard input, or FANZHA_PASSWORD
  --code     the authenticator's current code; or FANZHA_TOTP_SECRET (base32) to compute it
`;

/** Bad records listed on the terminal; the rest are counted (and all written with --rejects). */
const LISTED = 100;
/** Chunk requests sent before the first answer is awaited. */
const IN_FLIGHT = 2;
const BAR = 30;

function problem(message: string): number {
  process.stderr.write(`${message}\n\n${indicatorsUsage}`);
  return 2;
}

type Client = ReturnType<typeof createApiClient>;

async function signIn(target: string, user: string | undefined, code: string | undefined): Promise<Client> {
  const username = user ?? process.env.FANZHA_USER;
  if (!username) throw new UsageProblem('--user (or FANZHA_USER) is required');
  const client = createApiClient({ baseUrl: target.replace(/\/$/, '') });
  const password = process.env.FANZHA_PASSWORD ?? (await readPassword(`password for ${username}: `));
  const challenge = await client.POST('/api/auth/sign-in', { body: { username, password } });
  const secret = process.env.FANZHA_TOTP_SECRET;
  const totp = code ?? (secret ? totpCode(secret, totpStep(Date.now())) : undefined);
  if (!totp) throw new UsageProblem('--code (or FANZHA_TOTP_SECRET) is required');
  await client.POST('/api/auth/verify', { body: { challengeId: challenge.challengeId, code: totp } });
  return client;
}

class UsageProblem extends Error {}

export async function runIndicators(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(indicatorsUsage);
    return command ? 0 : 2;
  }
  if (command !== 'import' && command !== 'export') return problem(`unknown command: indicators ${command}`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        origin: { type: 'string' },
        note: { type: 'string' },
        rejects: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        target: { type: 'string', default: 'http://127.0.0.1:8080' },
        user: { type: 'string' },
        code: { type: 'string' },
      },
    });
  } catch (err) {
    return problem((err as Error).message);
  }
  const { values, positionals } = parsed;
  try {
    if (command === 'import') {
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0) return problem('indicators import needs one FILE');
      const size = (await stat(file)).size;
      const client = await signIn(values.target, values.user, values.code);
      return await importFile(client, file, size, values);
    }
    const format = IndicatorExportFormat.safeParse(values.format);
    if (!format.success) return problem('--format must be csv or stix');
    if (!values.out) return problem('--out is required');
    if (positionals.length > 0) return problem(`unexpected: ${positionals.join(' ')}`);
    const client = await signIn(values.target, values.user, values.code);
    return await exportFile(client, format.data, values.out);
  } catch (err) {
    if (err instanceof UsageProblem) return problem(err.message);
    if (err instanceof ApiError) return apiFailure(err, values.target);
    throw err;
  }
}

async function importFile(
  client: Client,
  file: string,
  size: number,
  opts: { origin?: string | undefined; note?: string | undefined; rejects?: string | undefined },
): Promise<number> {
  const out = process.stderr;
  const isTty = out.isTTY === true;
  const started = Date.now();
  const rejectsOut = opts.rejects ? createWriteStream(opts.rejects) : undefined;
  rejectsOut?.write('line,reason,message\r\n');
  const listed: RejectedRow[] = [];
  let importId: string | undefined;
  let pending: CsvRecord[] = [];
  let bytes = 0;
  let unreadable = 0;
  const totals = { read: 0, rejected: 0, created: 0, added: 0 };
  let lastDraw = 0;

  const reject = (r: RejectedRow) => {
    totals.rejected++;
    if (listed.length < LISTED) listed.push(r);
    rejectsOut?.write(`${r.line},${r.reason},"${r.message.replace(/"/g, '""')}"\r\n`);
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!isTty || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    const fraction = size > 0 ? Math.min(1, bytes / size) : 1;
    const rate = Math.round(totals.read / Math.max(0.001, (now - started) / 1000));
    const bar = `[${'#'.repeat(Math.round(fraction * BAR)).padEnd(BAR, '.')}] ${Math.round(fraction * 100)}%`;
    out.write(
      `\r\x1b[2K${bar} ${totals.read} rows (${rate}/s), ${totals.created} new, ${totals.rejected} bad`,
    );
  };
  // Two chunks in flight: the server merges both at once, each on its own connection. Answers are taken in
  // the order sent, so bad rows are reported in file order.
  const inFlight: Array<Promise<IndicatorImportChunkResult>> = [];
  const settle = async () => {
    const r = await inFlight.shift()!;
    totals.read += r.rowsRead;
    totals.created += r.indicatorsCreated;
    totals.added += r.sourcesAdded;
    for (const bad of r.rejected) reject(bad);
    draw();
  };
  const send = async () => {
    if (pending.length === 0 || !importId) return;
    const records = pending;
    pending = [];
    const answer = client.POST('/api/indicators/imports/{id}/chunks', {
      params: { path: { id: importId } },
      body: { records },
    });
    // A refusal is thrown where its answer is taken (`settle`), not left unhandled meanwhile.
    answer.catch(() => undefined);
    inFlight.push(answer);
    if (inFlight.length >= IN_FLIGHT) await settle();
  };
  const take = async (records: ReturnType<ReturnType<typeof createCsvReader>['push']>) => {
    for (const rec of records) {
      if (isCsvRecordError(rec)) {
        unreadable++;
        totals.read++;
        reject({ line: rec.line, reason: rec.reason, message: rec.message });
        continue;
      }
      if (!importId) {
        const imp = await client.POST('/api/indicators/imports', {
          body: {
            fileName: basename(file),
            ...(opts.origin ? { origin: opts.origin } : {}),
            note: opts.note ?? '',
            columns: rec.fields,
          },
        });
        importId = imp.id;
        continue;
      }
      pending.push(rec);
      if (pending.length >= IMPORT_CHUNK_MAX) await send();
    }
  };

  const reader = createCsvReader();
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    bytes += Buffer.byteLength(chunk as string);
    await take(reader.push(chunk as string));
  }
  await take(reader.end());
  await send();
  while (inFlight.length > 0) await settle();
  draw(true);
  if (isTty) out.write('\n');
  if (rejectsOut) await new Promise<void>((resolve) => rejectsOut.end(resolve));
  if (!importId) {
    process.stderr.write(`${file}: no header line (kind,value,risk,first_seen,last_seen,note)\n`);
    return 1;
  }
  const summary = await client.POST('/api/indicators/imports/{id}/finish', {
    params: { path: { id: importId } },
    body: { unreadable },
  });
  const s = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `imported ${summary.rowsRead} rows from ${file} (origin ${summary.origin}) in ${s} s: ` +
      `${summary.indicatorsCreated} new indicators, ${summary.sourcesAdded} credited to the origin, ` +
      `${summary.rowsRejected} bad rows (import ${summary.id})`,
  );
  for (const r of listed.sort((a, b) => a.line - b.line))
    console.log(`  line ${r.line}: ${r.reason} — ${r.message}`);
  if (totals.rejected > listed.length)
    console.log(
      `  … and ${totals.rejected - listed.length} more${opts.rejects ? ` (all in ${opts.rejects})` : ' (--rejects FILE lists them all)'}`,
    );
  return summary.rowsRejected > 0 ? 1 : 0;
}

async function exportFile(client: Client, format: 'csv' | 'stix', outFile: string): Promise<number> {
  const { response } = await client.raw.GET('/api/indicators/export', {
    params: { query: { format } },
    parseAs: 'stream',
  });
  if (!response.ok || !response.body) {
    process.stderr.write(`refused: HTTP ${response.status}\n`);
    return 1;
  }
  let bytes = 0;
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  body.on('data', (b: Buffer) => {
    bytes += b.length;
  });
  await pipeline(body, createWriteStream(outFile));
  console.log(`exported the registry as ${format} to ${outFile} (${bytes} bytes)`);
  return 0;
}
