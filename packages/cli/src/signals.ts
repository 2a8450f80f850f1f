import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { replaySignals, type ReplayProgress } from '@fanzha/server/admin';

export const signalsUsage = `fanzha signals replay FILE.jsonl [--nats URL] [--namespace NS]

  Replays a capture of signal batches into a deployment's signals stream: each line one batch with its
  kind ({"kind":"call"|"sms"|"url"|"app"|"bank"|"upstream", …, "signals":[…]}), published as it is on
  fanzha-<namespace>.signals.<kind> and screened by the workers as if just sent (a signal id already
  screened never warns twice; a malformed batch becomes a dead letter). A line that is not JSON or has no
  known kind is skipped and listed. Needs NATS: --nats or NATS_URL; the namespace from --namespace or
  FANZHA_NATS_NAMESPACE (the server's, as its log says at start). An embedded server has no broker: send
  banks' batches to POST /api/bank/signals instead.
`;

const BAR = 30;

/**
 * The file's lines, read only once iterated: a readline interface made before the replay connected would
 * emit its lines to nobody meanwhile, and its iterator would then wait for ever.
 */
async function* readLines(file: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}

function draw(p: ReplayProgress, total: number, isTty: boolean, out: NodeJS.WriteStream): void {
  const fraction = total > 0 ? Math.min(1, p.bytes / total) : 1;
  const text = `${p.published} batches, ${p.signals} signals published, ${p.skipped} lines skipped`;
  if (!isTty) return;
  const bar = `[${'#'.repeat(Math.round(fraction * BAR)).padEnd(BAR, '.')}] ${Math.round(fraction * 100)}%`;
  out.write(`\r\x1b[2K${bar} ${text}`);
}

/** `fanzha signals replay`: exit status 0 when every line was published, 1 when some were skipped, 2 for bad flags. */
export async function runSignals(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(signalsUsage);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { nats: { type: 'string' }, namespace: { type: 'string' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${signalsUsage}`);
    return 2;
  }
  const [command, file, ...extra] = parsed.positionals;
  const natsUrl = parsed.values.nats ?? process.env.NATS_URL;
  const namespace = parsed.values.namespace ?? process.env.FANZHA_NATS_NAMESPACE;
  if (command !== 'replay' || !file || extra.length > 0) {
    console.error(signalsUsage);
    return 2;
  }
  if (!natsUrl || !namespace) {
    console.error(
      `signals replay needs --nats (or NATS_URL) and --namespace (or FANZHA_NATS_NAMESPACE)\n\n${signalsUsage}`,
    );
    return 2;
  }
  const total = (await stat(file)).size;
  const out = process.stderr;
  const isTty = out.isTTY === true;
  let last = 0;
  const started = Date.now();
  const result = await replaySignals({
    lines: readLines(file),
    natsUrl,
    namespace,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(p, total, isTty, out);
    },
  });
  draw(result, total, isTty, out);
  if (isTty) out.write('\n');
  const s = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `replayed ${result.published} batches (${result.signals} signals) from ${result.lines} lines in ${s} s; ${result.skipped} lines skipped`,
  );
  for (const { line, reason } of result.skippedLines) console.log(`  line ${line}: ${reason}`);
  if (result.skipped > result.skippedLines.length)
    console.log(`  … and ${result.skipped - result.skippedLines.length} more`);
  return result.skipped > 0 ? 1 : 0;
}
