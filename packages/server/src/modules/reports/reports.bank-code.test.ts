import { randomUUID } from 'node:crypto';
import type { ReportView } from '@fanzha/contracts';
import { expect, it } from 'vitest';
import { createHarness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { describeEachStorage } from '../../../testing/test-databases';

describeEachStorage('a transfer whose bank code is a name every JavaScript object has', (database) => {
  it('is kept as typed, named by no bank as any unknown code, and the report reads back (it answered 500)', async () => {
    const h = await createHarness(database(), { start: '2026-05-01T02:00:00Z' });
    try {
      await h.createUser({ username: 'taker', displayName: 'T', role: 'call_taker' });
      const taker = await h.signIn('taker');
      const body = draft({
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 77), amountFen: 100_000 }],
        countyCode: '520102',
        complete: true,
      });
      const id = randomUUID();
      const transfers = body.transfers.map((t) => ({
        ...t,
        toAccount: { ...t.toAccount, bankCode: 'constructor' },
      }));
      const filed = await h.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: { cookie: taker },
        payload: { ...body, transfers, id, version: undefined },
      });
      expect(filed.statusCode, filed.body).toBe(201);

      const read = await h.app.inject({
        method: 'GET',
        url: `/api/reports/${id}`,
        headers: { cookie: taker },
      });
      expect(read.statusCode, read.body.slice(0, 300)).toBe(200);
      expect(read.json<ReportView>().transfers.map((t) => t.toAccount)).toEqual([
        expect.objectContaining({ bankCode: 'constructor', bankName: null }),
      ]);
    } finally {
      await h.close();
    }
  });
});
