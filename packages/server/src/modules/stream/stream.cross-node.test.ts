import { randomBytes } from 'node:crypto';
import type { InstructionList, StopPaymentView, StreamMessage } from '@fanzha/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, isPostgresAvailable, type TestDatabase } from '../../../testing/test-databases';
import type { Bus } from '../../platform/bus/bus';
import { createNatsBus, natsNames } from '../../platform/bus/nats-bus';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';
import { createRelay, RELAY_SIGNAL_GROUP, type Relay } from '../../platform/outbox/relay';
import { createFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { openStream } from '../../../testing/sse';
import { startTcpProxy, type TcpProxy } from '../../../testing/tcp-proxy';

const natsUrl = await natsUrlForTests();
if (!natsUrl && isNatsRequiredForTests()) throw new Error('NATS with JetStream is required in CI');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const isRequestFor = (number: string) => (m: { type: string; request?: StopPaymentView }) =>
  m.type === 'stop-payment' && m.request?.account.number === number;

/**
 * Scale-out as an operator runs it, in one test process: two API nodes (no relay, no consumers), each with
 * its own NATS connection and HTTP port, and two workers whose relays poll only once a minute, each commit's
 * signal waking one of them — so an event reaches a browser promptly only if the commit on an API node woke a
 * relay across processes, that relay published it even while the other was in a round, and the
 * other API node's live listener heard the publish.
 */
describe.skipIf(!isPostgresAvailable || !natsUrl)('live updates across API nodes [postgres + nats]', () => {
  const namespace = `fzlive-${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  const buses: Bus[] = [];
  let nodeA: Harness;
  let nodeB: Harness;
  const relays: Relay[] = [];
  let baseB: string;
  let baseA: string;
  // A third API node whose connection to NATS goes through a proxy the test can cut.
  let proxy: TcpProxy;
  let nodeC: Harness;
  let baseC: string;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const target = new URL(natsUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 4222) });
    const bus = async (url = natsUrl!) => {
      const b = await createNatsBus({ url, namespace });
      buses.push(b);
      return b;
    };
    const env = {
      FANZHA_ROLE: 'api',
      DATABASE_URL: database.url!,
      NATS_URL: natsUrl!,
      FANZHA_SECRET_KEY: '09'.repeat(32),
    };
    nodeA = await createHarness(database, { env, bus: await bus(), isWorker: false });
    nodeB = await createHarness(database, { env, bus: await bus(), isWorker: false });
    nodeC = await createHarness(database, {
      env,
      bus: await bus(`nats://${proxy.address}`),
      isWorker: false,
    });
    for (let i = 0; i < 2; i++) {
      const worker = await bus();
      // The harness's keys (same secret): the relay opens the sealed envelopes.
      const relay = createRelay({
        db: withFieldKeys(database.db, createFieldKeys(Buffer.alloc(32, 9))),
        bus: worker,
        log: quiet,
        pollMs: 60_000,
      });
      await worker.onSignal('outbox', () => relay.wake(), { group: RELAY_SIGNAL_GROUP });
      relay.start();
      relays.push(relay);
    }
    await nodeA.createUser({ username: 'taker', displayName: 'taker', role: 'call_taker' });
    for (const username of ['desk', 'desk2'])
      await nodeA.createUser({ username, displayName: username, role: 'stop_payment_officer' });
    for (const [username, bankCode] of [
      ['icbc', 'ICBC'],
      ['ccb', 'CCB'],
    ] as const)
      await nodeA.createUser({ username, displayName: username, role: 'bank_liaison', bankCode });
    c.taker = await nodeA.signIn('taker');
    c.desk = await nodeB.signIn('desk');
    c.deskOnA = await nodeA.signIn('desk2');
    c.icbc = await nodeB.signIn('icbc');
    c.ccb = await nodeA.signIn('ccb');
    baseA = await nodeA.app.listen({ port: 0, host: '127.0.0.1' });
    baseB = await nodeB.app.listen({ port: 0, host: '127.0.0.1' });
    baseC = await nodeC.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await nodeC?.close();
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(buses.map((b) => b.close()));
    const nc = await connect({ servers: natsUrl! });
    await (await jetstreamManager(nc)).streams.delete(natsNames(namespace).stream).catch(() => false);
    await nc.close();
    await proxy?.close();
    await database?.close();
  });

  it('pushes a change committed on one API node to the clients of both', async () => {
    const onB = await openStream(`${baseB}/api/stream`, c.desk!);
    const onA = await openStream(`${baseA}/api/stream`, c.deskOnA!);
    try {
      const number = cardOf('ICBC', 701);
      await reportWith(nodeA, c.taker!, [{ number, amountFen: 50_000 }]);
      await onB.waitFor(isRequestFor(number));
      await onA.waitFor(isRequestFor(number));
      // Heard once per node, although both nodes listen on the same subjects.
      expect(onB.messages.filter((m) => isRequestFor(number)(m.message))).toHaveLength(1);
    } finally {
      onB.close();
      onA.close();
    }
  });

  /**
   * The stop-payment path hop by hop, each hop committed on one node and awaited on the other, each within a
   * bound far below the relay's one-minute poll: only a wake across processes meets it.
   */
  it('carries an instruction to its bank, and the onward instruction of its answer to the next bank, across nodes', async () => {
    const HOP_MS = 5_000;
    const icbcOnB = await openStream(`${baseB}/api/stream`, c.icbc!);
    const ccbOnA = await openStream(`${baseA}/api/stream`, c.ccb!);
    const isInstruction = (id: string) => (m: StreamMessage) =>
      m.type === 'bank-instruction' && m.item.instruction.instructionId === id && m.item.status === 'sent';
    const feed = async (base: string, cookie: string) => {
      const res = await fetch(`${base}/api/bank/instructions?status=sent`, { headers: { cookie } });
      return ((await res.json()) as InstructionList).instructions.map((i) => i.instruction);
    };
    try {
      const number = cardOf('ICBC', 703);
      const { id } = await reportWith(nodeA, c.taker!, [{ number, amountFen: 5_000_000 }]);
      const request = (await queue(nodeA, c.deskOnA!, `?reportId=${id}`)).find(
        (r) => r.account.number === number,
      )!;
      // Sent on node A: ICBC's stream on node B hears it, and its feed read on B lists it.
      const sent = await nodeA.app.inject({
        method: 'POST',
        url: `/api/stop-payments/${request.id}/send`,
        headers: { cookie: c.deskOnA! },
        payload: { legalDocNumber: 'GZ-ZF-2026-0703' },
      });
      expect(sent.statusCode).toBe(200);
      await icbcOnB.waitFor(isInstruction(request.id), HOP_MS);
      expect((await feed(baseB, c.icbc!)).map((i) => i.instructionId)).toContain(request.id);
      // Answered on node B with an onward transfer: CCB's stream on node A hears the next layer's instruction.
      const answered = await fetch(`${baseB}/api/bank/instructions/${request.id}/result`, {
        method: 'POST',
        headers: { cookie: c.icbc!, 'content-type': 'application/json', 'idempotency-key': 'cross-703' },
        body: JSON.stringify({
          outcome: 'stopped',
          stoppedFen: 1_000_000,
          balanceFen: 1_000_000,
          onwardTransfers: [
            {
              account: { number: cardOf('CCB', 703) },
              amountFen: 4_000_000,
              // Before the answer by node B's clock (a test clock: a real "now" is months ahead of it).
              transferredAt: nodeB.clock.now().toISOString(),
            },
          ],
        }),
      });
      expect(answered.status).toBe(200);
      const onward = await ccbOnA.waitFor(
        (m: StreamMessage) =>
          m.type === 'bank-instruction' && m.item.instruction.parentInstructionId === request.id,
        HOP_MS,
      );
      const child = onward.message.type === 'bank-instruction' ? onward.message.item : undefined;
      expect(child?.status).toBe('sent');
      expect((await feed(baseA, c.ccb!)).map((i) => i.instructionId)).toContain(
        child?.instruction.instructionId,
      );
    } finally {
      icbcOnB.close();
      ccbOnA.close();
    }
  });

  it('replays on one node, from the outbox, what was committed on the other while a client was away', async () => {
    const first = await openStream(`${baseB}/api/stream`, c.desk!);
    const seenNumber = cardOf('CCB', 702);
    await reportWith(nodeA, c.taker!, [{ number: seenNumber, amountFen: 1000 }]);
    const seen = await first.waitFor(isRequestFor(seenNumber));
    first.close();
    const missed = [cardOf('CCB', 703), cardOf('ICBC', 704)];
    for (const number of missed) await reportWith(nodeA, c.taker!, [{ number, amountFen: 1000 }]);
    // Published (a worker's relay was woken) before the client comes back.
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute())
            .length,
        { timeout: 5000, interval: 20 },
      )
      .toBe(0);
    const again = await openStream(`${baseB}/api/stream`, c.desk!, seen.id);
    try {
      for (const number of missed) await again.waitFor(isRequestFor(number));
      expect(again.messages.some((m) => isRequestFor(seenNumber)(m.message))).toBe(false);
    } finally {
      again.close();
    }
  });

  it('replays to the clients of a node what was published while its connection to NATS was down', async () => {
    const client = await openStream(`${baseC}/api/stream`, c.deskOnA!);
    const unpublished = async () =>
      (await database.db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute())
        .length;
    try {
      const before = cardOf('ICBC', 705);
      await reportWith(nodeA, c.taker!, [{ number: before, amountFen: 1000 }]);
      await client.waitFor(isRequestFor(before));
      proxy.cut();
      const missed = [cardOf('CCB', 706), cardOf('ICBC', 707)];
      for (const number of missed) await reportWith(nodeA, c.taker!, [{ number, amountFen: 1000 }]);
      // Published to the other nodes while node C heard nothing.
      await expect.poll(unpublished, { timeout: 5000, interval: 20 }).toBe(0);
      expect(client.messages.some((m) => missed.some((n) => isRequestFor(n)(m.message)))).toBe(false);
      proxy.restore();
      // The same connection, back: the missed changes arrive from the outbox, each once.
      for (const number of missed) await client.waitFor(isRequestFor(number), 15_000);
      for (const number of missed)
        expect(client.messages.filter((m) => isRequestFor(number)(m.message))).toHaveLength(1);
    } finally {
      proxy.restore();
      client.close();
    }
  });
});
