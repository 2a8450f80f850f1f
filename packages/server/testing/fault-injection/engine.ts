import { randomUUID } from 'node:crypto';
import type { SignedInstruction, StopPaymentView } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { sealAudit, verifyAudit } from '../../src/modules/audit/index';
import { createMemoryBus } from '../../src/platform/bus/memory-bus';
import { createFieldKeys, withFieldKeys } from '../../src/platform/crypto/field-cipher';
import { processOnce } from '../../src/platform/outbox/outbox';
import { createRelay, type Relay } from '../../src/platform/outbox/relay';
import { createCast, createHarness, signInCast, type Harness } from '../app-harness';
import { cardOf, draft, queue, saveDraft } from '../core-loop-fixtures';
import { openDatabase } from '../../src/db/database';
import type { TestDatabase } from '../test-databases';
import { faultyBus, faultyDb, prng } from './faults';
import { committedEvents } from '../outbox-events';

/**
 * Deterministic fault injection on the stop-payment path. One environment (an API node on a database view
 * that fails statements on demand, a relay and a consumer of every event on the real database, an
 * in-process bus that fails publishes on demand) runs the scenario once per seed; the seed decides which
 * step meets which fault. After each seed the outcome is reconciled in SQL and compared with a fault-free
 * run of the same scenario.
 */

export const faultKinds = [
  'statement_before',
  'statement_after',
  'connection_killed',
  'lost_response',
  'concurrent',
  'bank_twice',
  'publish_down',
  'mark_lost',
  'consumer_throws',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface SeedResult {
  seed: number;
  /** Faults that fired, by kind. */
  injected: Partial<Record<FaultKind, number>>;
  lost: number;
  duplicated: number;
  /** Each broken rule of the reconciliation, in words (empty when the seed reconciled). */
  problems: string[];
}

type Who = 'taker' | 'desk' | 'icbc' | 'ccb' | 'abc' | 'sup';
const cast = [
  ['taker', 'call_taker', {}],
  ['desk', 'stop_payment_officer', {}],
  ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
  ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
  ['abc', 'bank_liaison', { bankCode: 'ABC' }],
  ['sup', 'supervisor', {}],
] as const;
const CONSUMER = 'fault-ledger';
const MAX_TRIES = 8;

export interface SeedOptions {
  /** false: the fault-free run (the first one is the reference the others are compared with). */
  faults?: boolean;
  /** Runs after the scenario and before the reconciliation: a test damages the outcome through it. */
  beforeReconcile?: (db: Kysely<DB>, reportId: string) => Promise<void>;
  /** The return decision's amount (default 2 000 000 fen of the 3 000 000 frozen). */
  returnFen?: number;
}

interface Res {
  statusCode: number;
  body: string;
  json<T>(): T;
}

export interface FaultEnv {
  h: Harness;
  /** The real database (not the failing view). */
  db: Kysely<DB>;
  runSeed(seed: number, opts?: SeedOptions): Promise<SeedResult>;
  /** Seals and verifies the whole audit trail; a problem in words, or undefined. */
  auditProblem(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The application name the API node's own PostgreSQL sessions carry: the only sessions a `kill` ends. */
const API_SESSIONS = 'fanzha-fault-api';

export async function createFaultEnv(database: TestDatabase): Promise<FaultEnv> {
  const realDb = database.db;
  // On PostgreSQL the API node has a pool of its own, its sessions named, so that a `kill` ends the faulted
  // request's session only. Ending any session idle in a transaction also ended the consumer's and the
  // relay's: one that committed between the look and the kill went back to the shared pool as a dead
  // connection, and the next request that took it failed with no fault of its own.
  const apiDatabase = database.url
    ? await openDatabase({ kind: 'postgres', url: withApplicationName(database.url, API_SESSIONS) })
    : undefined;
  // On PostgreSQL a lost connection is also the real thing: the server ends the request's session.
  const failing = faultyDb(
    apiDatabase?.db ?? realDb,
    database.url
      ? async () => {
          const { rows } = await sql<{ ended: boolean }>`
            select pg_terminate_backend(pid) as ended from pg_stat_activity
            where datname = current_database() and application_name = ${API_SESSIONS}
              and state = 'idle in transaction'`.execute(realDb);
          return rows.some((r) => r.ended);
        }
      : undefined,
  );
  const memory = createMemoryBus();
  const bus = faultyBus(memory);
  // An API node on the failing view: its statements are the requests' own (no relay or consumers in it).
  // FANZHA_FAULT_LOG=1 shows the server's own log of failed requests (to see what a 500 was).
  const h = await createHarness(
    { ...database, db: failing.db },
    { bus, isWorker: false, ...(process.env.FANZHA_FAULT_LOG ? { logger: { level: 'error' } } : {}) },
  );
  await createCast(h, cast);
  const cookies = (await signInCast(h, cast)) as Record<Who, string>;

  // The worker's side, on the real database: the relay (whose mark can be lost) and one consumer.
  let markFailures = 0;
  let marksLost = 0;
  const relay: Relay = createRelay({
    // The harness's keys (same secret): the relay opens the sealed envelopes.
    db: withFieldKeys(realDb, createFieldKeys(Buffer.alloc(32, 9))),
    bus,
    log: h.app.log,
    pollMs: 1000,
    afterPublish: () => {
      if (markFailures > 0) {
        markFailures--;
        marksLost++;
        throw new Error('relay died before marking (injected)');
      }
    },
  });
  const applied = new Map<string, number>();
  let consumerFailures = 0;
  let consumerThrew = 0;
  // An effect counts once its transaction committed (a killed session rolls the marker and the effect back).
  const subscription = await memory.subscribe({ consumer: CONSUMER, subjects: ['>'] }, async (event) => {
    const isNew = await processOnce(realDb, CONSUMER, event, async () => {
      if (consumerFailures > 0) {
        consumerFailures--;
        consumerThrew++;
        throw new Error('consumer failed (injected)');
      }
    });
    if (isNew) applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
  });

  let accounts = 0;
  /** The fault-free run's outcome, by scenario (the return's amount). */
  const references = new Map<number, Record<string, string>>();

  const send = (who: Who, method: 'POST' | 'PUT', url: string, payload: object, key?: string) =>
    h.app.inject({
      method,
      url,
      headers: { cookie: cookies[who], ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    }) as unknown as Promise<Res>;
  const view = async (id: string) =>
    (
      await h.app.inject({
        method: 'GET',
        url: `/api/stop-payments/${id}`,
        headers: { cookie: cookies.desk },
      })
    ).json<StopPaymentView>();

  /**
   * Until the outbox is published and the consumer has nothing pending or in flight: a condition, bounded
   * generously (a redelivery after an injected consumer failure waits for its back-off, and a loaded CI
   * machine is slow), not a count of rounds that a busy machine runs through before the work is done.
   */
  async function drain(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await relay.flush().catch(() => undefined);
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from outbox where published_at is null`.execute(realDb);
      const lag = (await memory.consumerLag()).find((l) => l.consumer === CONSUMER);
      if (rows[0]!.n === 0 && (!lag || (lag.pending === 0 && lag.inFlight === 0))) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async function runSeed(seed: number, opts: SeedOptions = {}): Promise<SeedResult> {
    const withFaults = opts.faults ?? true;
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const injected: Partial<Record<FaultKind, number>> = {};
    const count = (k: FaultKind) => (injected[k] = (injected[k] ?? 0) + 1);
    const problems: string[] = [];
    const base = 900_000_000 + ++accounts * 10;
    const startOutbox = Number(
      (await sql<{ m: number | null }>`select max(id) as m from outbox`.execute(realDb)).rows[0]?.m ?? 0,
    );
    const failedBefore = bus.failed();
    const marksBefore = marksLost;
    const threwBefore = consumerThrew;

    /**
     * One step as a client runs it: retried after every failure (5xx) until it succeeds or is refused with
     * a 4xx the step expects (the change already made by an attempt whose answer was lost). The seed may
     * fail a statement of the first attempt, lose its answer, or send it twice at once.
     */
    async function step(
      name: string,
      call: () => Promise<Res>,
      opts: { expected4xx?: number[]; refusal?: string; bank?: () => Promise<Res>[] } = {},
    ): Promise<Res | undefined> {
      const fault = withFaults && rnd() < 0.7 ? pick(['db', 'lost', 'concurrent', 'bank'] as const) : 'none';
      const expected = opts.expected4xx ?? [];
      const isDone = (r: Res) =>
        r.statusCode < 300 ||
        expected.includes(r.statusCode) ||
        (opts.refusal !== undefined && r.statusCode === 400 && r.body.includes(`"reason":"${opts.refusal}"`));
      // Only the attempt that met an injected fault may fail: a 5xx anywhere else is a finding.
      const attempt = async (isFaulted = false) => {
        const r = await call();
        if (r.statusCode >= 500 && !isFaulted)
          problems.push(`${name}: ${r.statusCode} with no fault injected: ${r.body.slice(0, 200)}`);
        return r;
      };
      let last: Res | undefined;
      if (fault === 'db') {
        const at = pick(['before', 'after', 'kill'] as const);
        failing.arm(1 + Math.floor(rnd() * 12), at);
        last = await attempt(true);
        if (failing.disarm())
          count(
            at === 'before' ? 'statement_before' : at === 'after' ? 'statement_after' : 'connection_killed',
          );
      } else if (fault === 'lost') {
        await attempt();
        count('lost_response');
      } else if (fault === 'concurrent') {
        const pair = await Promise.all([attempt(), attempt()]);
        count('concurrent');
        last = pair.find((r) => !isDone(r)) ?? pair.find((r) => r.statusCode < 300) ?? pair[0];
      } else if (fault === 'bank' && opts.bank) {
        // The bank's system sends its answer twice with the same key, then something else (refused).
        const first = await attempt();
        const again = await attempt();
        if (again.statusCode !== first.statusCode || again.body !== first.body)
          problems.push(`${name}: the same answer again got ${again.statusCode} ${again.body.slice(0, 200)}`);
        for (const other of opts.bank()) {
          const r = await other;
          if (r.statusCode < 400 || r.statusCode >= 500)
            problems.push(
              `${name}: a different answer afterwards got ${r.statusCode} ${r.body.slice(0, 200)}`,
            );
        }
        count('bank_twice');
        last = again;
      }
      for (let tries = 0; !last || !isDone(last); tries++) {
        if (last && last.statusCode < 500) {
          problems.push(`${name}: refused ${last.statusCode} ${last.body.slice(0, 300)}`);
          return last;
        }
        if (tries >= MAX_TRIES) {
          problems.push(`${name}: still ${last?.statusCode} after ${MAX_TRIES} retries`);
          return last;
        }
        last = await attempt();
      }
      return last;
    }

    // Bus faults for this seed: the broker down for a few publishes, a mark lost, a consumer failure.
    if (withFaults) {
      if (rnd() < 0.5) bus.failNext(1 + Math.floor(rnd() * 4));
      if (rnd() < 0.4) markFailures = 1 + Math.floor(rnd() * 2);
      if (rnd() < 0.4) consumerFailures = 1 + Math.floor(rnd() * 2);
    }
    const between = async () => {
      // The relay runs between some steps (as its loop would), so faults meet it mid-scenario too.
      if (withFaults ? rnd() < 0.5 : true) await relay.flush().catch(() => undefined);
    };

    // 1. Intake: a whole report, one transfer to an ICBC account.
    const reportId = randomUUID();
    const root = cardOf('ICBC', base);
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number: root, amountFen: 5_000_000 }],
      complete: true,
      countyCode: '520102',
    });
    await step('intake', () => saveDraft(h, cookies.taker, reportId, body), {
      expected4xx: [409],
    });
    await between();

    // 2. The desk sends the emergency stop.
    const first = (await queue(h, cookies.desk, `?reportId=${reportId}`)).find((r) => r.layer === 1);
    if (!first) {
      problems.push('intake: no first-layer request');
      return finish();
    }
    await step(
      'send',
      () => send('desk', 'POST', `/api/stop-payments/${first.id}/send`, { legalDocNumber: 'GZ-ZF-0100' }),
      { expected4xx: [409] },
    );
    await between();

    // 3. ICBC answers: stopped, with two onward transfers (the cascade's next layer).
    const onward = [
      { bank: 'CCB' as const, who: 'ccb' as const, number: cardOf('CCB', base + 1), amountFen: 1_000_000 },
      { bank: 'ABC' as const, who: 'abc' as const, number: cardOf('ABC', base + 2), amountFen: 500_000 },
    ];
    const answer = {
      outcome: 'stopped',
      stoppedFen: 3_000_000,
      balanceFen: 3_000_000,
      onwardTransfers: onward.map((o) => ({
        account: { number: o.number },
        amountFen: o.amountFen,
        transferredAt: h.clock.now().toISOString(),
      })),
    };
    const answerUrl = `/api/bank/instructions/${first.id}/result`;
    await step('answer', () => send('icbc', 'POST', answerUrl, answer, `ans-${first.id}`), {
      bank: () => [
        send('icbc', 'POST', answerUrl, { ...answer, stoppedFen: 2_000_000 }, `ans-${first.id}`),
        send('icbc', 'POST', answerUrl, { ...answer, stoppedFen: 2_000_000 }, `ans2-${first.id}`),
      ],
    });
    await between();

    // 4. The next layer: each child sent (if the desk must) and answered by its bank.
    const children = (await queue(h, cookies.desk, `?reportId=${reportId}`)).filter((r) => r.layer === 2);
    for (const child of children) {
      const o = onward.find((x) => x.number === child.account.number);
      if (!o) continue;
      if (child.status === 'pending')
        await step(
          `send ${o.bank}`,
          () => send('desk', 'POST', `/api/stop-payments/${child.id}/send`, { legalDocNumber: 'GZ-ZF-0101' }),
          { expected4xx: [409] },
        );
      const url = `/api/bank/instructions/${child.id}/result`;
      const childAnswer = {
        outcome: 'stopped',
        stoppedFen: o.amountFen,
        balanceFen: o.amountFen,
        onwardTransfers: [],
      };
      await step(`answer ${o.bank}`, () => send(o.who, 'POST', url, childAnswer, `ans-${child.id}`), {
        bank: () => [send(o.who, 'POST', url, { ...childAnswer, outcome: 'not_stopped' }, `ans-${child.id}`)],
      });
      await between();
    }

    // 5. The freeze of the first account, and ICBC's confirmation.
    await step(
      'freeze',
      () =>
        send('desk', 'POST', `/api/stop-payments/${first.id}/freeze`, {
          decisionNumber: '筑公(南)冻字〔2026〕101号',
          amountFen: 3_000_000,
          reason: '涉嫌电信网络诈骗，依法冻结涉案资金',
          appealChannel: '贵阳市公安局南明分局法制大队',
        }),
      { expected4xx: [409] },
    );
    const freezeId = (await view(first.id)).freeze?.id;
    if (!freezeId) {
      problems.push('freeze: none on the request');
      return finish();
    }
    const confirmUrl = `/api/bank/instructions/${freezeId}/confirm`;
    const frozen = { outcome: 'frozen', amountFen: 3_000_000, executedAt: h.clock.now().toISOString() };
    await step('freeze confirm', () => send('icbc', 'POST', confirmUrl, frozen, `frz-${freezeId}`), {
      bank: () => [send('icbc', 'POST', confirmUrl, { ...frozen, amountFen: 1_000_000 }, `frz-${freezeId}`)],
    });
    await between();

    // 6. A return decision: the desk proposes, a supervisor approves (two people), ICBC confirms the return.
    await step(
      'propose return',
      () =>
        send('desk', 'POST', `/api/freezes/${freezeId}/decisions`, {
          kind: 'return',
          amountFen: opts.returnFen ?? 2_000_000,
          victimAccount: cardOf('CCB', base + 3),
          payeeName: '张三',
          decisionNumber: '筑公(南)返还字〔2026〕101号',
          reason: '被害人资金，依法返还',
          appealChannel: '贵阳市公安局南明分局法制大队',
        }),
      // A proposal takes no idempotency key: a retry after a lost answer is refused because the first
      // proposal already holds the amount (the reconciliation checks that there is exactly one).
      { expected4xx: [409], refusal: 'above_frozen' },
    );
    const decisions = (
      await sql<{
        id: string;
      }>`select id from fund_decision where freeze_id = ${freezeId} order by proposed_at`.execute(realDb)
    ).rows;
    const decisionId = decisions[0]?.id;
    if (!decisionId) {
      problems.push('propose return: no decision');
      return finish();
    }
    await step('approve return', () => send('sup', 'POST', `/api/fund-decisions/${decisionId}/approve`, {}), {
      expected4xx: [409],
    });
    const returnUrl = `/api/bank/returns/${decisionId}/confirm`;
    await step('return confirm', () => send('icbc', 'POST', returnUrl, { bankReference: 'ICBC-RT-1' }), {
      bank: () => [send('icbc', 'POST', returnUrl, { bankReference: 'OTHER' })],
    });
    return finish();

    async function finish(): Promise<SeedResult> {
      failing.disarm();
      bus.failNext(0);
      await drain();
      markFailures = 0;
      consumerFailures = 0;
      if (bus.failed() > failedBefore) injected.publish_down = bus.failed() - failedBefore;
      if (marksLost > marksBefore) injected.mark_lost = marksLost - marksBefore;
      if (consumerThrew > threwBefore) injected.consumer_throws = consumerThrew - threwBefore;
      await opts.beforeReconcile?.(realDb, reportId);
      const r = await reconcile(reportId, startOutbox);
      problems.push(...r.problems);
      const digest = await outcomeDigest(realDb, reportId, startOutbox);
      const scenario = opts.returnFen ?? 2_000_000;
      const reference = references.get(scenario);
      if (!withFaults && !reference) references.set(scenario, digest);
      else if (!reference) problems.push('no fault-free run of this scenario to compare with');
      else
        for (const [k, v] of Object.entries(reference))
          if (digest[k] !== v)
            problems.push(`final state of ${k} differs from the fault-free run: ${digest[k]} ≠ ${v}`);
      return { seed, injected, lost: r.lost, duplicated: r.duplicated, problems };
    }
  }

  async function reconcile(reportId: string, startOutbox: number) {
    const problems: string[] = [];
    const db = realDb;
    // Every sent request has exactly one emergency-stop instruction.
    const sent = (
      await sql<{ id: string; n: number }>`
        select s.id, (select count(*)::int from bank_instruction b
                      where b.stop_payment_id = s.id and b.kind = 'emergency_stop_payment') as n
        from stop_payment s where s.report_id = ${reportId} and s.sent_at is not null`.execute(db)
    ).rows;
    const lost = sent.filter((s) => s.n === 0).length;
    let duplicated = sent.reduce((sum, s) => sum + Math.max(0, s.n - 1), 0);
    // One request per account per report and layer (no duplicate children).
    const twins = (
      await sql<{ n: number }>`
        select coalesce(sum(n - 1), 0)::int as n from (
          select count(*) as n from stop_payment where report_id = ${reportId}
          group by account_number, stop_seq having count(*) > 1) t`.execute(db)
    ).rows[0]!.n;
    duplicated += twins;
    // At most one freeze, decision and return instruction each (the scenario makes one of each).
    const objects = (
      await sql<{ freezes: number; decisions: number; returns: number; freezes_sent: number }>`
        select (select count(*)::int from account_freeze where report_id = ${reportId}) as freezes,
               (select count(*)::int from fund_decision where report_id = ${reportId}) as decisions,
               (select count(*)::int from bank_instruction where report_id = ${reportId} and kind = 'return') as returns,
               (select count(*)::int from bank_instruction where report_id = ${reportId} and kind = 'freeze') as freezes_sent`.execute(
        db,
      )
    ).rows[0]!;
    for (const [k, v] of Object.entries(objects)) {
      if (v > 1) {
        duplicated += v - 1;
        problems.push(`${v} ${k} (one expected)`);
      }
      if (v === 0 && k !== 'returns') problems.push(`no ${k}`);
    }
    if (lost > 0) problems.push(`${lost} sent request(s) without an emergency-stop instruction`);
    const twice = sent.filter((s) => s.n > 1).length;
    if (twice > 0) problems.push(`${twice} request(s) with more than one emergency-stop instruction`);
    if (twins > 0) problems.push(`${twins} duplicate request(s) for one account`);
    // Every instruction numbered in its bank's feed.
    const unsealed = (
      await sql<{ n: number }>`select count(*)::int as n from bank_instruction
        where report_id = ${reportId} and (pending or seq is null)`.execute(db)
    ).rows[0]!.n;
    if (unsealed > 0) problems.push(`${unsealed} bank instruction(s) not numbered`);
    // The outbox fully published, and every event applied once by the consumer.
    const events = (
      await sql<{ event_id: string; published: boolean; marked: boolean }>`
        select o.event_id, o.published_at is not null as published,
          exists(select 1 from processed_event p where p.consumer = ${CONSUMER} and p.event_id = o.event_id) as marked
        from outbox o where o.id > ${startOutbox}`.execute(db)
    ).rows;
    const unpublished = events.filter((e) => !e.published).length;
    if (unpublished > 0) problems.push(`${unpublished} event(s) left unpublished`);
    const unapplied = events.filter((e) => !e.marked || applied.get(e.event_id) !== 1);
    if (unapplied.length > 0)
      problems.push(
        `${unapplied.length} event(s) not applied exactly once (${unapplied.map((e) => applied.get(e.event_id) ?? 0).join(',')})`,
      );
    return { lost, duplicated, problems };
  }

  return {
    h,
    db: realDb,
    runSeed,
    async auditProblem() {
      while ((await sealAudit(realDb)) > 0);
      const v = await verifyAudit(realDb);
      return v.isIntact ? undefined : `audit trail broken at ${JSON.stringify(v.firstBroken)}`;
    },
    async close() {
      await subscription.stop();
      await h.close();
      await relay.stop();
      await memory.close();
      await apiDatabase?.close();
    },
  };
}

/**
 * The final state of one report's objects, without what differs between two runs of the same scenario
 * (ids, account numbers, instants): compared with the fault-free run's.
 */
export async function outcomeDigest(
  db: Kysely<DB>,
  reportId: string,
  startOutbox: number,
): Promise<Record<string, string>> {
  const q = async (query: ReturnType<typeof sql<Record<string, unknown>>>) =>
    JSON.stringify((await query.execute(db)).rows);
  return {
    report: await q(sql`select status, total_loss_fen, first_account_pushed_at is not null as pushed,
      first_instruction_sent_at is not null as sent, first_stop_result_at is not null as stopped
      from report where id = ${reportId}`),
    stop_payment: await q(sql`select layer, bank_code, amount_fen, status, outcome, stopped_fen, balance_fen,
      stop_seq, legal_doc_number from stop_payment where report_id = ${reportId} order by layer, bank_code`),
    onward_transfer:
      await q(sql`select o.position, o.bank_code, o.amount_fen, o.child_id is not null as has_child
      from onward_transfer o join stop_payment s on s.id = o.stop_payment_id
      where s.report_id = ${reportId} order by s.layer, o.position`),
    bank_instruction: await q(sql`select kind, bank_code, status, amount_fen, bank_reference, failure_reason
      from bank_instruction where report_id = ${reportId} order by kind, bank_code, status`),
    account_freeze: await q(sql`select amount_fen, requested_fen, status, renewals from account_freeze
      where report_id = ${reportId}`),
    // The payee's name is encrypted at rest under a fresh nonce each time: only whether it is there compares.
    fund_decision: await q(sql`select kind, amount_fen, status, executed_fen, bank_reference,
      payee_name is not null as has_payee_name from fund_decision where report_id = ${reportId}`),
    events: await q(sql`select subject, count(*)::int as n from outbox where id > ${startOutbox}
      and subject <> 'bank-instruction.changed' group by subject order by subject`),
    announced: JSON.stringify(await lastAnnounced(db, startOutbox)),
  };
}

/**
 * What each instruction's `bank-instruction.changed` announcements end on (kind, bank, status), sorted. The
 * feed sequencer numbers what is pending after the writers' commits, so two changes made before one round
 * (a round lost with its connection, then the next change) are announced once, at the later state: the
 * announcements a bank receives end on each instruction's final state, while their count may differ.
 */
async function lastAnnounced(db: Kysely<DB>, startOutbox: number): Promise<string[]> {
  const last = new Map<string, string>();
  for (const { event } of await committedEvents(db, {
    after: startOutbox,
    subjects: ['bank-instruction.changed'],
  })) {
    const { item } = event.data as { item: SignedInstruction };
    last.set(item.instruction.instructionId, `${item.kind} ${item.instruction.bankCode} ${item.status}`);
  }
  return [...last.values()].sort();
}

/** `url` with the sessions it opens named `name` (PostgreSQL's `application_name`). */
function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}
