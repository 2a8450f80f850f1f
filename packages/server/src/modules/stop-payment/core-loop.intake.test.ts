import type { ReportView, StopPaymentList } from '@fanzha/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { createHarness, type Harness } from '../../../testing/app-harness';
import {
  cardOf,
  draft,
  queue,
  reportWith,
  saveDraft,
  signInCoreLoopUsers,
} from '../../../testing/core-loop-fixtures';

// The first half of the core loop: what the call-taker types reaches the desk, before and at submission.
describeEachStorage('the core loop: intake → desk', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(database());
    c = await signInCoreLoopUsers(h);
  });
  afterAll(() => h.close());

  const post = (cookie: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });

  it('pushes a typed account to the desk before submission, follows corrections, withdraws removals', async () => {
    const wrong = cardOf('ICBC', 1).slice(0, -1) + String((Number(cardOf('ICBC', 1).slice(-1)) + 1) % 10);
    const id = crypto.randomUUID();
    const first = await saveDraft(
      h,
      c.taker!,
      id,
      draft({ at: h.clock.now(), transfers: [{ number: wrong, amountFen: 100_000 }] }),
    );
    expect(first.statusCode).toBe(200);
    const v1 = first.json<ReportView>();
    expect(v1.problems).toContainEqual(
      expect.objectContaining({ field: 'body.transfers.0.toAccount.number', reason: 'card.luhn' }),
    );
    expect(v1.transfers[0]!.stopPaymentId).toBeNull();
    expect(await queue(h, c.desk!, `?reportId=${id}`)).toEqual([]);

    const right = cardOf('ICBC', 1);
    const v2 = (
      await saveDraft(
        h,
        c.taker!,
        id,
        draft({ version: v1.version, at: h.clock.now(), transfers: [{ number: right, amountFen: 100_000 }] }),
      )
    ).json<ReportView>();
    expect(v2.transfers[0]!.stopPaymentId).not.toBeNull();
    expect(v2.transfers[0]!.toAccount.bankCode).toBe('ICBC');
    expect(v2.times.firstAccountPushedAt).not.toBeNull();
    const [pending] = await queue(h, c.desk!, `?reportId=${id}`);
    expect(pending).toMatchObject({
      status: 'pending',
      layer: 1,
      amountFen: 100_000,
      account: { number: right, bankCode: 'ICBC' },
    });

    const v3 = (
      await saveDraft(
        h,
        c.taker!,
        id,
        draft({
          version: v2.version,
          at: h.clock.now(),
          transfers: [{ number: right, amountFen: 250_000, name: '李四' }],
        }),
      )
    ).json<ReportView>();
    expect((await queue(h, c.desk!, `?reportId=${id}`))[0]).toMatchObject({
      id: pending!.id,
      amountFen: 250_000,
      account: { name: '李四' },
    });

    await saveDraft(h, c.taker!, id, draft({ version: v3.version, at: h.clock.now(), transfers: [] }));
    expect(await queue(h, c.desk!, `?reportId=${id}&status=withdrawn`)).toMatchObject([
      { id: pending!.id, status: 'withdrawn' },
    ]);
  });

  it('pages the desk queue to the end, newest first, without gaps or repeats', async () => {
    const numbers = [1, 2, 3, 4, 5].map((i) => cardOf('CCB', 6100 + i));
    const { id } = await reportWith(
      h,
      c.taker!,
      numbers.map((number) => ({ number, amountFen: 10_000 })),
    );
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    for (;;) {
      const url: string = `/api/stop-payments?reportId=${id}&limit=2${before ? `&before=${before}` : ''}`;
      const page: StopPaymentList = (
        await h.app.inject({ method: 'GET', url, headers: { cookie: c.desk! } })
      ).json();
      seen.push(...page.requests.map((r) => r.account.number));
      pages++;
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull();
        break;
      }
      before = page.nextCursor;
    }
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...numbers].sort());
  });

  it('refuses a cursor whose id is not a uuid, in the one error shape', async () => {
    // The fuzzer's counterexample: 36 characters of hex digits and dashes that are no uuid.
    for (const before of ['1.2f-9c0a-9b2-274---1---9e6bcc-6e-a9-3', '1.' + 'a'.repeat(36)]) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/stop-payments?before=${before}`,
        headers: { cookie: c.desk! },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: 'validation_failed', details: [{ field: 'query.before' }] },
      });
    }
  });

  it('refuses a stale draft version', async () => {
    const { id, report } = await reportWith(h, c.taker!, []);
    const stale = await saveDraft(
      h,
      c.taker!,
      id,
      draft({ version: report.version - 1, at: h.clock.now(), transfers: [] }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('masks the victim for the desk, shows it to the call-taker, and audits an unmasking', async () => {
    const { id } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 9), amountFen: 1000 }], {
      complete: true,
    });
    const mine = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } })
    ).json<ReportView>();
    expect(mine).toMatchObject({ isMasked: false, victim: { name: '张三', phone: '13812345678' } });
    const desk = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.desk! } })
    ).json<ReportView>();
    expect(desk).toMatchObject({ isMasked: true, victim: { name: '张*', phone: '138****5678' } });
    const unmasked = await post(c.desk!, `/api/reports/${id}/unmask`, {
      reason: 'call back the victim about the card',
    });
    expect(unmasked.json()).toMatchObject({ isMasked: false, victim: { name: '张三' } });
    const ccb = await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.ccb! } });
    expect(ccb.statusCode).toBe(403);
  });

  it('submits only a complete report, naming every problem otherwise', async () => {
    const { id, report } = await reportWith(h, c.taker!, [{ number: cardOf('ICBC', 10), amountFen: 1000 }]);
    const refused = await post(c.taker!, `/api/reports/${id}/submit`, { version: report.version });
    expect(refused.statusCode).toBe(400);
    const fields = refused
      .json<{ error: { details: Array<{ field: string }> } }>()
      .error.details.map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.victim.name',
        'body.victim.phone',
        'body.victim.countyCode',
        'body.fraudType',
      ]),
    );
    const complete = await saveDraft(
      h,
      c.taker!,
      id,
      draft({
        version: report.version,
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 10), amountFen: 1000 }],
        complete: true,
      }),
    );
    const accepted = await post(c.taker!, `/api/reports/${id}/submit`, {
      version: complete.json<ReportView>().version,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'routed', owningCountyCode: '520102', problems: [] });
  });

  it('registers a whole report in one request, once, even when the request is retried', async () => {
    const id = crypto.randomUUID();
    const body = {
      id,
      ...draft({
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 11), amountFen: 7000 }],
        complete: true,
      }),
    } as Record<string, unknown>;
    delete body.version;
    const first = await post(c.taker!, '/api/reports', body);
    expect(first.statusCode).toBe(201);
    const again = await post(c.taker!, '/api/reports', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json<object>(), isNew: false });
    const report = (
      await h.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: { cookie: c.taker! } })
    ).json<ReportView>();
    expect(report).toMatchObject({ status: 'routed', problems: [] });
    expect(await queue(h, c.desk!, `?reportId=${id}`)).toHaveLength(1);
  });

  it('refuses a whole batch, naming each problem with its report, when one report is incomplete', async () => {
    const good = {
      id: crypto.randomUUID(),
      ...draft({
        at: h.clock.now(),
        transfers: [{ number: cardOf('ICBC', 12), amountFen: 7000 }],
        complete: true,
      }),
    };
    const bad = {
      id: crypto.randomUUID(),
      ...draft({ at: h.clock.now(), transfers: [{ number: '6222', amountFen: 7000 }] }),
    };
    const res = await post(c.taker!, '/api/reports/batch', {
      reports: [good, bad].map(({ version: _v, ...r }) => r),
    });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json<{ error: { details: Array<{ field: string }> } }>()
      .error.details.map((d) => d.field);
    expect(fields).toContain('body.reports.1.transfers.0.toAccount.number');
    expect(fields.every((f) => f.startsWith('body.reports.1.'))).toBe(true);
    expect(
      (await h.app.inject({ method: 'GET', url: `/api/reports/${good.id}`, headers: { cookie: c.taker! } }))
        .statusCode,
    ).toBe(404);
  });
});
