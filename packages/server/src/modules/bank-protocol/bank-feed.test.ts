import type { SignedInstruction } from '@fanzha/contracts';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { actorOf, countingDb } from '../../../testing/statement-count';
import { createSigner } from '../../platform/crypto/signer';
import type { BankQueueQuery } from './bank-instructions.repository';
import { createBankInstructionService } from './index';
import { describeEachStorage } from '../../../testing/test-databases';
import type { Harness } from '../../../testing/app-harness';
import { bankProtocolKit } from '../../../testing/bank-protocol-kit';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';

/**
 * A bank's feed is numbered after the writers' commits, by the sequencer's rounds (a writer never locks a
 * feed), before the writer answers: nothing stays unnumbered, a poller resuming after its cursor misses no
 * change while answers run side by side, and a change left unnumbered (a round lost with its connection) is
 * numbered (and announced) by the next read of the feed or by the sweep.
 */
describeEachStorage('the banks’ feeds', (database, kind) => {
  const kit = bankProtocolKit(database);
  const { c, post, feed, now, sent } = kit;
  let h: Harness;
  beforeAll(() => {
    h = kit.h;
  });
  const db = () => database().db;
  const pendingCount = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from bank_instruction where pending`.execute(db()))
        .rows[0]!.n,
    );
  const announced = async (id: string) => {
    const events = await committedEvents(db(), { subjects: ['bank-instruction.changed'] });
    const items = events.map((e) => (e.event.data as { item: SignedInstruction }).item);
    return items.filter((i) => i.instruction.instructionId === id).map((i) => i.sequence);
  };

  it('numbers every change before the writer answers: after sends, answers and the cascade nothing is pending', async () => {
    const { request } = await sent();
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${request.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 1_000_000,
        onwardTransfers: [
          { account: { number: cardOf('CCB', 7101) }, amountFen: 400_000, transferredAt: now() },
          { account: { number: cardOf('ICBC', 7102) }, amountFen: 300_000, transferredAt: now() },
        ],
      },
      { 'idempotency-key': `feed-${request.id}` },
    );
    expect(answered.statusCode, answered.body).toBe(200);
    expect(await pendingCount()).toBe(0);
    // Each change is announced once, with the number it has in the feed.
    const [item] = (await feed('icbc', '?status=all&limit=500')).instructions.filter(
      (i) => i.instruction.instructionId === request.id,
    );
    expect((await announced(request.id)).at(-1)).toBe(item!.sequence);
  });

  it('numbers a change left unnumbered at the next read of the feed, at its end, and announces it', async () => {
    const { request } = await sent();
    const before = await feed('icbc', '?status=all&limit=500');
    const last = before.instructions.at(-1)!.sequence;
    const earlier = before.instructions.find((i) => i.instruction.instructionId !== request.id)!;
    // A change whose round was lost (the sequencer's connection dropped after the writer's commit).
    await sql`update bank_instruction set pending = true where id = ${earlier.instruction.instructionId}`.execute(
      db(),
    );
    const after = await feed('icbc', `?status=all&after=${last}`);
    expect(after.instructions.map((i) => i.instruction.instructionId)).toEqual([
      earlier.instruction.instructionId,
    ]);
    expect(Number(after.instructions[0]!.sequence)).toBeGreaterThan(Number(last));
    expect(await announced(earlier.instruction.instructionId)).toContain(after.instructions[0]!.sequence);
    expect(await pendingCount()).toBe(0);
  });

  it('reads a bank’s feed with nothing pending in one statement, and numbers what is pending before showing it', async () => {
    const { request } = await sent();
    const counted = countingDb(h.db);
    const service = createBankInstructionService({
      db: counted.db,
      clock: h.clock,
      signer: createSigner(Buffer.alloc(32, 7)),
      wake: () => {},
    });
    const icbc = actorOf(randomUUID(), 'icbc', 'bank_liaison', 'ICBC');
    const q: BankQueueQuery = { statuses: 'all', kinds: 'all', after: null, updatedSince: null, limit: 500 };
    const served = await feed('icbc', '?status=all&limit=500');
    counted.reset();
    const page = await service.list(icbc, q);
    expect(counted.count(), counted.kinds.join(', ')).toBe(1);
    expect(page.items).toEqual(served.instructions);
    // A change whose round was lost: the read numbers it, at the end, before showing the page.
    await sql`update bank_instruction set pending = true where id = ${request.id}`.execute(db());
    const last = Number(served.nextCursor);
    const after = await service.list(icbc, { ...q, after: served.nextCursor });
    expect(after.items.map((i) => i.instruction.instructionId)).toEqual([request.id]);
    expect(Number(after.items[0]!.sequence)).toBeGreaterThan(last);
    expect(await pendingCount()).toBe(0);
  });

  it.skipIf(kind === 'pglite')(
    'commits an answer without waiting for the banks’ feeds, which are numbered once they are free',
    async () => {
      const { request } = await sent();
      const statusOf = async () =>
        (
          await sql<{ status: string }>`select status from stop_payment where id = ${request.id}`.execute(
            db(),
          )
        ).rows[0]!.status;
      // Another session holds every bank's feed (as a round in another process would).
      await db()
        .connection()
        .execute(async (session) => {
          await sql`begin`.execute(session);
          await sql`select * from bank_feed for update`.execute(session);
          const answering = post(
            'icbc',
            `/api/bank/instructions/${request.id}/result`,
            {
              outcome: 'stopped',
              stoppedFen: 1_000_000,
              onwardTransfers: [
                { account: { number: cardOf('CCB', 7151) }, amountFen: 400_000, transferredAt: now() },
              ],
            },
            { 'idempotency-key': `held-${request.id}` },
          );
          // The answer and its next layer are committed while the feeds are held: a writer takes no feed lock.
          await expect.poll(statusOf, { timeout: 10_000 }).toBe('stopped');
          expect(await pendingCount()).toBeGreaterThanOrEqual(2);
          await sql`rollback`.execute(session);
          expect((await answering).statusCode).toBe(200);
        });
      expect(await pendingCount()).toBe(0);
    },
  );

  it('sweeps what a writer left unnumbered, for every bank', async () => {
    await sent();
    await sql`update bank_instruction set pending = true where bank_code = 'ICBC'`.execute(db());
    const sequencer = h.app.services.bankInstructions.sequencer;
    sequencer.start(20);
    await expect.poll(pendingCount, { timeout: 10_000 }).toBe(0);
    await sequencer.stop();
  });

  it.skipIf(kind === 'pglite')(
    'lets a poller that resumes after its cursor see every change while answers run side by side',
    async () => {
      const stops: string[] = [];
      for (let i = 0; i < 8; i++) {
        const { id } = await reportWith(h, c.taker!, [
          { number: cardOf(i % 2 ? 'ICBC' : 'CCB', 7200 + i), amountFen: 60_000 },
        ]);
        const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
        await post('desk', `/api/stop-payments/${pending!.id}/send`, { legalDocNumber: 'GZ-ZF-0400' });
        stops.push(pending!.id);
      }
      const first = (await feed('ccb', '?status=all&limit=500')).nextCursor!;
      let cursor = first;
      const seen = new Map<string, SignedInstruction>();
      const numbers: number[] = [];
      let answering = true;
      const poller = (async () => {
        for (let more = true; more || answering;) {
          const page = await feed('ccb', `?status=all&limit=50&after=${cursor}`);
          for (const i of page.instructions) {
            seen.set(i.instruction.instructionId, i);
            numbers.push(Number(i.sequence));
          }
          cursor = page.nextCursor ?? cursor;
          more = page.hasMore;
        }
      })();
      const results = await Promise.all(
        stops.map((id, i) =>
          post(
            i % 2 ? 'icbc' : 'ccb',
            `/api/bank/instructions/${id}/result`,
            {
              outcome: 'stopped',
              stoppedFen: 10_000,
              onwardTransfers: [
                { account: { number: cardOf('CCB', 7300 + i) }, amountFen: 20_000, transferredAt: now() },
              ],
            },
            { 'idempotency-key': `poll-${id}` },
          ),
        ),
      );
      answering = false;
      await poller;
      // One more poll after the last commit: what the poller holds is then the feed's current state.
      for (const i of (await feed('ccb', `?status=all&limit=500&after=${cursor}`)).instructions) {
        seen.set(i.instruction.instructionId, i);
        numbers.push(Number(i.sequence));
      }
      expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers).size).toBe(numbers.length);
      // Every change after the first cursor reached the poller, as the feed shows it now.
      const changed = (await feed('ccb', `?status=all&limit=500&after=${first}`)).instructions;
      expect(changed.length).toBeGreaterThanOrEqual(stops.length / 2 + stops.length);
      for (const i of changed) expect(seen.get(i.instruction.instructionId)).toEqual(i);
    },
  );
});
