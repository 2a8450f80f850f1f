import { Writable } from 'node:stream';
import type { StopPaymentView } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, queue, reportWith } from '../../../testing/core-loop-fixtures';
import { openStream } from '../../../testing/sse';

const isRequestFor = (number: string, status?: string) => (m: { type: string; request?: StopPaymentView }) =>
  m.type === 'stop-payment' &&
  m.request?.account.number === number &&
  (!status || m.request.status === status);

describeEachStorage('live stream', (database) => {
  let h: Harness;
  let base: string;
  const c: Record<string, string> = {};
  /** What the server logged at error level. */
  const errors: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        errors.push(chunk.toString());
        done();
      },
    });
    h = await createHarness(database(), { logger: { level: 'error', stream } });
    for (const [username, role, scope] of [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['ccb', 'bank_liaison', { bankCode: 'CCB' }],
    ] as const) {
      await h.createUser({ username, displayName: username, role, ...scope });
      c[username] = await h.signIn(username);
    }
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  it('pushes a typed account to the desk, and to its bank only once sent', async () => {
    const desk = await openStream(`${base}/api/stream`, c.desk!);
    const icbc = await openStream(`${base}/api/stream`, c.icbc!);
    const ccb = await openStream(`${base}/api/stream`, c.ccb!);
    try {
      // Personal data: never stored by a browser or proxy.
      expect(desk.headers.get('cache-control')).toBe('no-store, no-transform');
      expect(desk.headers.get('x-content-type-options')).toBe('nosniff');
      const number = cardOf('ICBC', 501);
      const { id } = await reportWith(h, c.taker!, [{ number, amountFen: 88_800 }]);
      await desk.waitFor(isRequestFor(number, 'pending'));
      const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
      await h.app.inject({
        method: 'POST',
        url: `/api/stop-payments/${pending!.id}/send`,
        headers: { cookie: c.desk! },
        payload: { legalDocNumber: 'DOC-7' },
      });
      await icbc.waitFor(isRequestFor(number, 'sent'));
      await desk.waitFor(isRequestFor(number, 'sent'));
      // The stream is ordered: the pending state came before 'sent', so ICBC has seen all it would of
      // it; CCB has once a later request sent to CCB has arrived there.
      const later = cardOf('CCB', 505);
      const { id: laterId } = await reportWith(h, c.taker!, [{ number: later, amountFen: 10_000 }]);
      const [laterPending] = await queue(h, c.desk!, `?reportId=${laterId}`);
      await h.app.inject({
        method: 'POST',
        url: `/api/stop-payments/${laterPending!.id}/send`,
        headers: { cookie: c.desk! },
        payload: { legalDocNumber: 'DOC-8' },
      });
      await ccb.waitFor(isRequestFor(later, 'sent'));
      expect(icbc.messages.some((m) => isRequestFor(number, 'pending')(m.message))).toBe(false);
      expect(ccb.messages.filter((m) => isRequestFor(number)(m.message))).toEqual([]);
    } finally {
      desk.close();
      icbc.close();
      ccb.close();
    }
  });

  it('replays what a reconnecting client missed', async () => {
    const first = await openStream(`${base}/api/stream`, c.desk!);
    const a = cardOf('CCB', 502);
    await reportWith(h, c.taker!, [{ number: a, amountFen: 1000 }]);
    const seen = await first.waitFor(isRequestFor(a));
    first.close();
    const missed = [cardOf('CCB', 503), cardOf('ICBC', 504)];
    // Another desk stays connected: once it has the missed requests live, they have been published, so
    // the reconnecting client gets them from the replay and not as live events.
    const other = await openStream(`${base}/api/stream`, c.desk!);
    for (const number of missed) await reportWith(h, c.taker!, [{ number, amountFen: 1000 }]);
    for (const number of missed) await other.waitFor(isRequestFor(number));
    other.close();
    const again = await openStream(`${base}/api/stream`, c.desk!, seen.id);
    try {
      for (const number of missed) await again.waitFor(isRequestFor(number), 3000);
      expect(again.messages.some((m) => isRequestFor(a)(m.message))).toBe(false);
    } finally {
      again.close();
    }
  });

  it('ignores a Last-Event-ID that is no event id, and streams live as without one', async () => {
    // 36 characters of hex digits and dashes, but no uuid: it must not reach the outbox's uuid column.
    const logged = errors.length;
    const stream = await openStream(`${base}/api/stream`, c.desk!, '-'.repeat(36));
    try {
      const number = cardOf('ICBC', 506);
      await reportWith(h, c.taker!, [{ number, amountFen: 1000 }]);
      await stream.waitFor(isRequestFor(number));
      expect(errors.slice(logged)).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('refuses a stream without a session', async () => {
    const res = await fetch(`${base}/api/stream`);
    expect(res.status).toBe(401);
  });
});
