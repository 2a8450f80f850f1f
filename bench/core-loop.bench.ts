/**
 * The core loop's targets, over real HTTP against a started server:
 *  - push_p99_ms: intake draft saved (PUT returns) → the pending request arrives at each of 50 connected desks;
 *  - cascade_p99_ms: a bank's answer with 5 onward transfers (POST returns) → each of the five next-layer
 *    requests arrives at its own bank's stream;
 *  - intake_reports_per_s: complete reports saved and submitted (two requests each) by 32 concurrent clients;
 *  - bank_answers_per_s: signed answers over HTTP from concurrent simulated banks (each a bank key, several
 *    answers in flight), each answer naming a few onward transfers that go out at once one layer deeper;
 *  - bank_answer_statements / report_intake_statements: the statements one answer (4 onward transfers) and one
 *    whole report's intake run, counted through the services;
 *  - bank_answer_postgres_cpu_ms / _nats_cpu_ms (PostgreSQL + NATS only): what those services spent per answer
 *    while answering, and bank_answer_write_transactions / _events / _consumer_marks: the transactions that
 *    wrote, the events and the consumers' marks of events applied (`processed_event`) per answer, counted once
 *    the consumers have caught up, and those events by subject and marks by consumer. `BENCH_ANALYZE=1`
 *    analyses the database before the answers (a new database's statistics are young; a long-running one's
 *    are not). `BENCH_STATEMENTS=1` prints PostgreSQL's statement time by statement.
 * Runs embedded (PGlite + in-process bus) and on PostgreSQL + NATS JetStream.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign as edSign } from 'node:crypto';
import { sql } from 'kysely';
import type {
  InstructionResultRequest,
  SessionInfo,
  SignInResponse,
  StopPaymentView,
} from '../packages/contracts/src/index';
import type { Role } from '../packages/domain/src/index';
import { systemClock } from '../packages/server/src/platform/clock';
import { canonicalJson } from '../packages/server/src/platform/crypto/canonical-json';
import { withFieldKeys } from '../packages/server/src/platform/crypto/field-cipher';
import { measureStatements } from '../packages/server/testing/statement-count';
import { totpCode, totpStep } from '../packages/server/src/platform/crypto/totp';
import type { Running } from '../packages/server/src/start';
import { cardOf, draft, type TestBank } from '../packages/server/testing/core-loop-fixtures';
import { openStream, type SseConnection } from '../packages/server/testing/sse';
import { onEachEngine } from './in-process';
import { cpuMsOfCommand, machine, machineCpuMs, percentile, report } from './support';

const DESKS = 50;
const PUSHES = Number(process.env.BENCH_PUSHES ?? 200);
const CASCADES = Number(process.env.BENCH_CASCADES ?? 60);
const INTAKE_SECONDS = Number(process.env.BENCH_INTAKE_S ?? 10);
const INTAKE_CLIENTS = 32;
const BATCH = Number(process.env.BENCH_BATCH ?? 250);
const PASSWORD = 'Bench-Passw0rd-2026';
const banks: TestBank[] = ['CCB', 'ABC', 'BOC', 'ZYCBANK', 'GZRCU'];
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 400);
const ANSWER_BANKS: TestBank[] = ['ICBC', 'CCB', 'ABC', 'BOC'];
/** Answers in flight per bank (`BENCH_IN_FLIGHT`, default 4): 1 shows the cost of an answer without contention. */
const IN_FLIGHT_PER_BANK = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const ONWARD = 4;
/** `BENCH_PART=answers` runs only the bank-answer figures (the others take minutes). */
const part = process.env.BENCH_PART;

async function signIn(url: string, username: string): Promise<string> {
  const step1 = (await (
    await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
  ).json()) as SignInResponse;
  const code = totpCode(step1.enrolment!.secret, totpStep(new Date()));
  const res = await fetch(`${url}/api/auth/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challengeId: step1.challengeId, code }),
  });
  (await res.json()) as SessionInfo;
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const json = async <T>(res: Response): Promise<T> => {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

async function bench(label: string, running: Running): Promise<void> {
  if (!part || part === 'answers') await bankAnswers(label, running);
  if (!part || part === 'loop') await coreLoop(label, running);
}

/**
 * Bank answers per second for one server process: each simulated bank answers its sent emergency stops
 * through its own key, signed, with a few answers in flight at once, each naming ONWARD onward transfers.
 */
async function bankAnswers(label: string, running: Running): Promise<void> {
  const { url } = running;
  const ctx = { at: new Date(), requestId: null, actor: null };
  const tag = randomBytes(3).toString('hex');
  const users = running.app.services.users;
  for (const [username, role] of [
    [`ans-admin-${tag}`, 'admin'],
    [`ans-taker-${tag}`, 'call_taker'],
    [`ans-desk-${tag}`, 'stop_payment_officer'],
  ] as const)
    await users.create(ctx, { username, displayName: username, role, password: PASSWORD });
  const admin = await signIn(url, `ans-admin-${tag}`);
  const taker = await signIn(url, `ans-taker-${tag}`);
  const desk = await signIn(url, `ans-desk-${tag}`);
  const call = (cookie: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const keys = new Map<TestBank, { key: string; sign: (payload: unknown) => string }>();
  for (const bank of ANSWER_BANKS) {
    const pair = generateKeyPairSync('ed25519');
    const created = await json<{ key: string }>(
      await call(admin, '/api/integrations/bank-keys', {
        name: `bench ${bank} ${tag}`,
        bankCode: bank,
        publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      }),
    );
    keys.set(bank, {
      key: created.key,
      sign: (payload) =>
        edSign(null, Buffer.from(canonicalJson(payload)), pair.privateKey).toString('base64'),
    });
  }
  // The stops to answer: whole reports with one account each, spread over the answering banks, sent.
  let seed = 200_000_000 + Math.floor(Math.random() * 1e8);
  const stops = new Map<TestBank, string[]>(ANSWER_BANKS.map((b) => [b, []]));
  for (let done = 0; done < ANSWERS; done += 200) {
    const reports = Array.from({ length: Math.min(200, ANSWERS - done) }, (_, i) => {
      const bank = ANSWER_BANKS[(done + i) % ANSWER_BANKS.length]!;
      const { version: _v, ...d } = draft({
        at: new Date(),
        transfers: [{ number: cardOf(bank, seed++), amountFen: 5_000_000 }],
        complete: true,
      });
      return { id: randomUUID(), ...d, bank };
    });
    const taken = await json<{ reports: Array<{ id: string; stopPaymentIds: string[] }> }>(
      await call(taker, '/api/reports/batch', { reports: reports.map(({ bank: _b, ...r }) => r) }),
    );
    taken.reports.forEach((r, i) => stops.get(reports[i]!.bank)!.push(r.stopPaymentIds[0]!));
  }
  const all = [...stops.values()].flat();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < all.length; i += 8)
        await json(await call(desk, `/api/stop-payments/${all[i]}/send`, { legalDocNumber: 'BENCH-ANS' }));
    }),
  );
  const onwardBanks = banks.filter((b) => b !== 'CCB');
  if (process.env.BENCH_ANALYZE === '1') await sql`analyze`.execute(running.database.db);
  let errors = 0;
  // Started once the consumers have applied the sends' events: the figures below are the answers' alone.
  const writes0 = await settledWriteCounts(running);
  const statements =
    process.env.BENCH_STATEMENTS === '1' && running.database.kind === 'postgres'
      ? await statementTimes(running)
      : undefined;
  const cpu0 = {
    node: process.cpuUsage(),
    machine: machineCpuMs(),
    postgres: cpuMsOfCommand('postgres'),
    nats: cpuMsOfCommand('nats-server'),
  };
  const t0 = performance.now();
  await Promise.all(
    ANSWER_BANKS.flatMap((bank) => {
      const queue = stops.get(bank)!;
      const { key, sign } = keys.get(bank)!;
      return Array.from({ length: IN_FLIGHT_PER_BANK }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const answer: InstructionResultRequest = {
            outcome: 'stopped',
            stoppedFen: 1_000_000,
            balanceFen: 1_000_000,
            onwardTransfers: Array.from({ length: ONWARD }, (_, k) => ({
              account: { number: cardOf(onwardBanks[k % onwardBanks.length]!, seed++) },
              amountFen: 200_000,
              transferredAt: new Date().toISOString(),
            })),
          };
          const idempotencyKey = randomUUID();
          const res = await fetch(`${url}/api/bank/instructions/${id}/result`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'idempotency-key': idempotencyKey,
              'x-fanzha-signature': sign({ instructionId: id, idempotencyKey, answer }),
            },
            body: JSON.stringify(answer),
          });
          if (!res.ok) errors++;
          await res.arrayBuffer();
        }
      });
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(cpu0.node);
  const cpu1 = machineCpuMs();
  const services = { postgres: cpuMsOfCommand('postgres'), nats: cpuMsOfCommand('nats-server') };
  report(`${label}_bank_answers_per_s`, Math.round((all.length - errors) / seconds), 'answers/s');
  report(`${label}_bank_answer_errors`, errors, 'errors');
  // CPU per answer: this process (server and the banks' client, which signs and sends) and the whole
  // machine (PostgreSQL and NATS too); the busy share says whether the figure is bounded by CPU.
  const perAnswer = (ms: number) => Math.round((ms / all.length) * 100) / 100;
  report(`${label}_bank_answer_process_cpu_ms`, perAnswer((node.user + node.system) / 1000), 'ms');
  report(`${label}_bank_answer_machine_cpu_ms`, perAnswer(cpu1.busy - cpu0.machine.busy), 'ms');
  const share = (cpu1.busy - cpu0.machine.busy) / Math.max(1, cpu1.total - cpu0.machine.total);
  report(`${label}_bank_answer_machine_busy`, Math.round(share * 100), '%');
  if (running.database.kind === 'postgres') {
    report(`${label}_bank_answer_postgres_cpu_ms`, perAnswer(services.postgres - cpu0.postgres), 'ms');
    report(`${label}_bank_answer_nats_cpu_ms`, perAnswer(services.nats - cpu0.nats), 'ms');
  }
  const writes1 = await settledWriteCounts(running);
  report(
    `${label}_bank_answer_write_transactions`,
    perAnswer(writes1.transactions - writes0.transactions),
    'transactions',
  );
  report(`${label}_bank_answer_events`, perAnswer(writes1.events - writes0.events), 'events');
  report(`${label}_bank_answer_consumer_marks`, perAnswer(writes1.marks - writes0.marks), 'rows');
  // Where they come from: the events by subject and the marks by consumer.
  const mix = await answerMix(running, writes0);
  for (const [subject, n] of mix.events)
    report(`${label}_bank_answer_events_${nameOf(subject)}`, perAnswer(n), 'events');
  for (const [consumer, n] of mix.marks)
    report(`${label}_bank_answer_marks_${nameOf(consumer)}`, perAnswer(n), 'rows');
  await statements?.print(all.length);
  const keyed = withFieldKeys(running.database.db, running.fieldKeys);
  const counts = await measureStatements(keyed, systemClock, ONWARD);
  report(`${label}_bank_answer_statements`, counts.bankAnswer, 'statements');
  report(`${label}_report_intake_statements`, counts.reportIntake, 'statements');
}

/**
 * Transactions that wrote so far (the next transaction id: one is taken only by a transaction that writes),
 * events written to the outbox, and the consumers' marks of events applied.
 */
async function writeCounts(running: Running): Promise<WriteCounts> {
  const { rows } = await sql<{ transactions: string; events: number; marks: number; last: string; at: Date }>`
    select pg_snapshot_xmax(pg_current_snapshot())::text as transactions,
           (select count(*) from outbox)::int as events,
           (select count(*) from processed_event)::int as marks,
           (select coalesce(max(id), 0) from outbox)::text as last,
           now() as at`.execute(running.database.db);
  const r = rows[0]!;
  return {
    transactions: Number(r.transactions),
    events: r.events,
    marks: r.marks,
    lastEvent: r.last,
    at: r.at,
  };
}
interface WriteCounts {
  transactions: number;
  events: number;
  marks: number;
  /** The outbox's last row and the database's clock when counted: what came after is the answers'. */
  lastEvent: string;
  at: Date;
}

/** The events written after `since` by subject, and the consumers' marks made after it by consumer. */
async function answerMix(
  running: Running,
  since: WriteCounts,
): Promise<{ events: Array<[string, number]>; marks: Array<[string, number]> }> {
  const db = running.database.db;
  const events = await sql<{ k: string; n: number }>`
    select subject as k, count(*)::int as n from outbox where id > ${since.lastEvent}::bigint
    group by 1 order by 1`.execute(db);
  const marks = await sql<{ k: string; n: number }>`
    select consumer as k, count(*)::int as n from processed_event where processed_at >= ${since.at}
    group by 1 order by 1`.execute(db);
  return {
    events: events.rows.map((r) => [r.k, r.n]),
    marks: marks.rows.map((r) => [r.k, r.n]),
  };
}

/**
 * `BENCH_STATEMENTS=1` (PostgreSQL with `shared_preload_libraries = 'pg_stat_statements'`): PostgreSQL's
 * statement time from now on, by statement, printed as `#` lines (share of the time, calls, ms per answer,
 * the statement's start) — where the database's time per answer goes. The counters are the server's, so
 * other databases' work meanwhile counts too.
 */
async function statementTimes(running: Running): Promise<{ print(answers: number): Promise<void> }> {
  const db = running.database.db;
  await sql`create extension if not exists pg_stat_statements`.execute(db);
  await sql`select pg_stat_statements_reset()`.execute(db);
  return {
    async print(answers) {
      const { rows } = await sql<{ calls: string; ms: number; share: number; text: string }>`
        select calls::text, total_exec_time as ms, total_exec_time / sum(total_exec_time) over () as share,
               left(regexp_replace(query, '\\s+', ' ', 'g'), 120) as text
        from pg_stat_statements order by total_exec_time desc limit 15`.execute(db);
      for (const r of rows)
        console.log(
          `# statement ${(r.share * 100).toFixed(1)} % ${r.calls} calls ${(r.ms / answers).toFixed(3)} ms/answer: ${r.text}`,
        );
    },
  };
}

/** A subject or consumer as part of a figure's name: `stop-payment.changed` → `stop_payment_changed`. */
const nameOf = (s: string) => s.replace(/[^a-z0-9]+/gi, '_');

/** `writeCounts` once the consumers have caught up: the marks unchanged for a second (at most 60 s). */
async function settledWriteCounts(running: Running): Promise<WriteCounts> {
  let last = await writeCounts(running);
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await writeCounts(running);
    if (now.marks === last.marks && now.events === last.events) return now;
    last = now;
  }
  return last;
}

async function coreLoop(label: string, running: Running): Promise<void> {
  const { url } = running;
  const ctx = { at: new Date(), requestId: null, actor: null, origin: 'bench' };
  const users: Array<[string, Role, { bankCode?: string }]> = [
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ...banks.map((b): [string, Role, { bankCode?: string }] => [
      `bank${b.toLowerCase()}`,
      'bank_liaison',
      { bankCode: b },
    ]),
  ];
  for (const [username, role, scope] of users)
    await running.app.services.users.create(ctx, {
      username,
      displayName: username,
      role,
      password: PASSWORD,
      ...scope,
    });
  const cookie: Record<string, string> = {};
  for (const [username] of users) cookie[username] = await signIn(url, username);
  const put = (who: string, id: string, body: unknown) =>
    fetch(`${url}/api/reports/${id}`, {
      method: 'PUT',
      headers: { cookie: cookie[who]!, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const post = (who: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { cookie: cookie[who]!, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  let seed = 10_000 + Math.floor(Math.random() * 1e6);

  // Push while typing, 50 desks connected.
  const desks: SseConnection[] = [];
  for (let i = 0; i < DESKS; i++) desks.push(await openStream(`${url}/api/stream`, cookie.desk!));
  const push: number[] = [];
  const save: number[] = [];
  for (let i = 0; i < PUSHES; i++) {
    const number = cardOf('ICBC', seed++);
    const t0 = performance.now();
    await json(
      await put(
        'taker',
        randomUUID(),
        draft({ at: new Date(), transfers: [{ number, amountFen: 100_000 }] }),
      ),
    );
    const saved = performance.now();
    save.push(saved - t0);
    const arrivals = await Promise.all(
      desks.map((d) =>
        d.waitFor((m) => m.type === 'stop-payment' && m.request.account.number === number, 10_000),
      ),
    );
    for (const a of arrivals) push.push(a.at - saved);
    for (const d of desks) d.messages.length = 0;
  }
  for (const d of desks) d.close();
  push.sort((a, b) => a - b);
  save.sort((a, b) => a - b);
  report(`${label}_draft_save_p50_ms`, percentile(save, 50), 'ms');
  report(`${label}_push_p50_ms`, percentile(push, 50), 'ms');
  report(`${label}_push_p99_ms`, percentile(push, 99), 'ms');

  // Cascade: a bank answers with five onward transfers to five banks.
  const bankStreams = await Promise.all(
    banks.map(
      async (b) => [b, await openStream(`${url}/api/stream`, cookie[`bank${b.toLowerCase()}`]!)] as const,
    ),
  );
  const cascade: number[] = [];
  for (let i = 0; i < CASCADES; i++) {
    const id = randomUUID();
    const account = cardOf('ICBC', seed++);
    await json(
      await put(
        'taker',
        id,
        draft({ at: new Date(), transfers: [{ number: account, amountFen: 5_000_000 }] }),
      ),
    );
    const queue = await json<{ requests: StopPaymentView[] }>(
      await fetch(`${url}/api/stop-payments?reportId=${id}`, { headers: { cookie: cookie.desk! } }),
    );
    const request = queue.requests[0]!;
    await json(await post('desk', `/api/stop-payments/${request.id}/send`, { legalDocNumber: 'BENCH-1' }));
    const onward = banks.map((b) => ({
      account: { number: cardOf(b, seed++) },
      amountFen: 100_000,
      transferredAt: new Date().toISOString(),
    }));
    const t0 = performance.now();
    await json(
      await post(
        'icbc',
        `/api/bank/instructions/${request.id}/result`,
        // The strict answer: the amount stopped, the balance it was stopped from, every onward transfer.
        {
          outcome: 'stopped',
          stoppedFen: 500_000,
          balanceFen: 500_000,
          onwardTransfers: onward,
        } satisfies InstructionResultRequest,
        { 'idempotency-key': randomUUID() },
      ),
    );
    const answered = performance.now();
    const arrivals = await Promise.all(
      bankStreams.map(([, s], k) =>
        s.waitFor(
          (m) => m.type === 'stop-payment' && m.request.account.number === onward[k]!.account.number,
          10_000,
        ),
      ),
    );
    cascade.push(Math.max(...arrivals.map((a) => a.at)) - t0);
    void answered;
    for (const [, s] of bankStreams) s.messages.length = 0;
  }
  for (const [, s] of bankStreams) s.close();
  cascade.sort((a, b) => a - b);
  report(`${label}_cascade_p50_ms`, percentile(cascade, 50), 'ms');
  report(`${label}_cascade_p99_ms`, percentile(cascade, 99), 'ms');

  // Intake throughput: whole reports (complete, registered at once), one per request and in batches.
  const whole = () => {
    const { version: _v, ...d } = draft({
      at: new Date(),
      transfers: [{ number: cardOf('ICBC', seed++), amountFen: 20_000 }],
      complete: true,
    });
    return { id: randomUUID(), ...d };
  };
  const load = async (clients: number, once: () => Promise<number>) => {
    let done = 0;
    let errors = 0;
    const t0 = performance.now();
    const until = t0 + INTAKE_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          try {
            // Not `done += await once()`: that reads `done` before the await and loses concurrent increments.
            const n = await once();
            done += n;
          } catch {
            errors++;
          }
        }
      }),
    );
    return { perS: Math.round(done / ((performance.now() - t0) / 1000)), errors };
  };
  const single = await load(INTAKE_CLIENTS, async () => {
    await json(await post('taker', '/api/reports', whole()));
    return 1;
  });
  report(`${label}_intake_reports_per_s`, single.perS, 'reports/s');
  const batched = await load(4, async () => {
    await json(await post('taker', '/api/reports/batch', { reports: Array.from({ length: BATCH }, whole) }));
    return BATCH;
  });
  report(`${label}_intake_batch${BATCH}_reports_per_s`, batched.perS, 'reports/s');
  report(`${label}_intake_errors`, single.errors + batched.errors, 'errors');
}

console.log(`# machine: ${machine()}`);
await onEachEngine(bench);
