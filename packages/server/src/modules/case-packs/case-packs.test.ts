import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorBody, ReportView, StopPaymentView } from '@fanzha/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, queue, saveDraft } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { listAudit, sealAudit } from '../audit/index';
import { applyLinkEvents } from '../case-links/index';
import { startLiveMoneyGraph, startMoneyGraphConsumer, type LiveMoneyGraph } from '../money-graph/index';

const NANMING = '520102';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describeEachStorage('case packs (案件材料包)', (database) => {
  let h: Harness;
  let bus: Bus;
  let live: LiveMoneyGraph;
  const subs: Subscription[] = [];
  const c: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'case-pack-route-'));
  const mule = cardOf('ICBC', 91_001);
  const onward = cardOf('CCB', 91_002);
  let clusterId = '';
  const reports: string[] = [];

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  /** Resolves once the live money graph holds `n` transfers (each money-graph.changed is heard). */
  async function untilTransfers(n: number): Promise<void> {
    let sub: Subscription | undefined;
    await new Promise<void>((resolve, reject) => {
      const check = () => live.stats().transfers >= n && (clearTimeout(timer), resolve());
      const timer = setTimeout(
        () => reject(new Error(`graph has ${live.stats().transfers} of ${n}`)),
        10_000,
      );
      void bus.listen(['money-graph.changed'], check).then((s) => {
        sub = s;
        check();
      });
    });
    await sub?.stop();
  }

  /** A submitted report naming the gang's phone and paying the mule account; its stop request sent. */
  async function report(amountFen: number): Promise<StopPaymentView> {
    const id = randomUUID();
    const body = draft({
      at: h.clock.now(),
      complete: true,
      countyCode: NANMING,
      transfers: [{ number: mule, amountFen }],
    });
    const saved = await saveDraft(h, c.taker!, id, {
      ...body,
      contacts: [{ key: 'k0', kind: 'phone', value: '16500001234' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await post('taker', `/api/reports/${id}/submit`, {
      version: saved.json<ReportView>().version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const [request] = await queue(h, c.desk!, `?reportId=${id}`);
    const sent = await post('desk', `/api/stop-payments/${request!.id}/send`, {
      legalDocNumber: 'GZ-ZF-0091',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    reports.push(id);
    return sent.json<StopPaymentView>();
  }

  beforeAll(async () => {
    bus = createMemoryBus();
    h = await createHarness(database(), { bus, start: '2026-05-01T02:00:00Z' });
    live = h.app.services.moneyGraphLive;
    subs.push(
      await startMoneyGraphConsumer({
        db: database().db,
        bus,
        clock: h.clock,
        wake: () => bus.signal('outbox'),
      }),
    );
    subs.push(await startLiveMoneyGraph({ live, bus, log: h.app.log }));
    const cast = [
      ['taker', 'call_taker', {}],
      ['desk', 'stop_payment_officer', {}],
      ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
      ['analyst', 'analyst', {}],
      ['sup', 'supervisor', {}],
      ['nanming', 'county_police', { countyCode: NANMING }],
    ] as const;
    await createCast(h, cast);
    Object.assign(c, await signInCast(h, cast));

    // Two victims of one gang (the same phone) pay the same mule, which passes ¥2,000 on and is stopped.
    const first = await report(300_000);
    await report(100_000);
    await untilTransfers(2);
    const answered = await post(
      'icbc',
      `/api/bank/instructions/${first.id}/result`,
      {
        outcome: 'stopped',
        stoppedFen: 150_000,
        balanceFen: 150_000,
        onwardTransfers: [
          {
            account: { number: onward },
            amountFen: 200_000,
            transferredAt: new Date(h.clock.now().getTime() - 60_000).toISOString(),
          },
        ],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(answered.statusCode, answered.body).toBe(200);
    await untilTransfers(3);

    const events = await committedEvents(database().db, { after: 0, subjects: ['report.changed'] });
    await applyLinkEvents(
      { db: database().db, clock: h.clock, sharedReports: 50, alertReports: 50, wake: () => undefined },
      events.map((e) => e.event),
    );
    const row = await database()
      .db.selectFrom('cluster_report')
      .select('cluster_id')
      .where('report_id', '=', first.reportId)
      .executeTakeFirstOrThrow();
    clusterId = row.cluster_id;
  });
  afterAll(async () => {
    for (const s of subs) await s.stop();
    await h.close();
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const exports = async () => {
    await sealAudit(database().db);
    return (await listAudit(database().db, { limit: 500 })).filter((e) => e.action === 'case-pack.export');
  };

  it('gives an analyst the workbook: the reports, the accounts by layer, the transfers and the stop', async () => {
    const res = await get('analyst', `/api/investigation/clusters/${clusterId}/pack.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain(`case-pack-${clusterId}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '案件概况',
      '报案',
      '账户分层',
      '资金流水',
      '处置措施',
    ]);

    const rows = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .slice(2)
        .map((r) => (r as unknown[]).slice(1));
    expect(rows('报案')).toHaveLength(3);
    expect(rows('报案').at(-1)).toEqual([
      '合计',
      undefined,
      undefined,
      undefined,
      { formula: 'SUM(E2:E3)', result: 4_000 },
    ]);
    const accounts = rows('账户分层');
    expect(accounts.slice(0, 2).map((r) => [r[0], r[2], r[4], r[6]])).toEqual([
      [1, mule, 4_000, 2_000],
      [2, onward, 2_000, 2_000],
    ]);
    expect(accounts[0]![1]).toBe('中国工商银行');
    expect(rows('资金流水')).toHaveLength(4);
    const stop = rows('处置措施').find((r) => r[0] === '紧急止付' && r[5] === '已止付')!;
    expect(stop.slice(2, 5)).toEqual([1, '中国工商银行', mule]);
    expect(stop[7]).toBe(1_500);
    expect(stop[8]).toBe('GZ-ZF-0091');

    const audit = await exports();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      username: 'analyst',
      objectType: 'cluster',
      objectId: clusterId,
      result: 'success',
      details: { format: 'xlsx', rule: 'fifo', reports: 2 },
    });
    // What the pack proves: the file's SHA-256 is in the entry (and the header), so a copy handed on can be
    // checked against its export, and a copy changed afterwards fails the check.
    const sha256 = createHash('sha256').update(res.rawPayload).digest();
    expect(audit[0]?.details).toMatchObject({ sha256: sha256.toString('hex') });
    expect(res.headers['repr-digest']).toBe(`sha-256=:${sha256.toString('base64')}:`);
  });

  it('gives a supervisor the PDF under the chosen rule, its figures in Chinese', async () => {
    const res = await get('sup', `/api/investigation/clusters/${clusterId}/pack.pdf?rule=proportional`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = join(dir, 'pack.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const s of [
      '串并案件材料包',
      '案件概况',
      '¥4,000.00',
      '¥1,500.00',
      '按比例',
      '资金流向图',
      mule,
      onward,
    ])
      expect(text, s).toContain(s);
    expect((await exports()).map((e) => e.details)).toContainEqual(
      expect.objectContaining({ format: 'pdf', rule: 'proportional' }),
    );
  });

  it('refuses bad input and other roles in the one error shape, and exports (and audits) nothing', async () => {
    // A cluster merged into this one: its reports moved, so its pack would be empty (409, naming the survivor).
    const merged = randomUUID();
    const at = h.clock.now();
    await database()
      .db.insertInto('cluster')
      .values({
        id: merged,
        status: 'merged',
        report_count: 0,
        merged_into: clusterId,
        alerted_at: null,
        hand_off_unit_kind: null,
        hand_off_unit_code: null,
        hand_off_due_at: null,
        handed_off_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const before = (await exports()).length;
    const base = `/api/investigation/clusters/${clusterId}`;
    const cases: Array<[string, string, number, string]> = [
      ['analyst', `${base}/pack.pdf?rule=median`, 400, 'query.rule'],
      ['analyst', `${base}/pack.xlsx?rule=fifo&depth=3`, 400, 'query'],
      ['analyst', '/api/investigation/clusters/not-a-uuid/pack.xlsx', 400, 'params.id'],
      ['analyst', `/api/investigation/clusters/${randomUUID()}/pack.pdf`, 404, ''],
      ['analyst', `${base}/pack.csv`, 404, ''],
      ['analyst', `/api/investigation/clusters/${merged}/pack.xlsx`, 409, 'params.id'],
      ['nanming', `${base}/pack.xlsx`, 403, ''],
      ['taker', `${base}/pack.pdf`, 403, ''],
    ];
    for (const [who, url, status, field] of cases) {
      const res = await get(who, url);
      expect(res.statusCode, `${who} ${url}`).toBe(status);
      const body = res.json<ErrorBody>();
      expect(body.error.requestId, url).toBe(res.headers['x-request-id']);
      if (field) expect(body.error.details?.map((d) => d.field).join(' '), url).toContain(field);
    }
    const anonymous = await h.app.inject({ method: 'GET', url: `${base}/pack.xlsx` });
    expect(anonymous.statusCode).toBe(401);
    expect((await exports()).length).toBe(before);
  });
});
