import { randomUUID } from 'node:crypto';
import type {
  ClusterDecisionResult,
  ClusterDetail,
  ClusterList,
  ErrorBody,
  ReportView,
  StopPaymentView,
  WallSummary,
} from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft, saveDraft } from '../../../testing/core-loop-fixtures';
import { committedEvents, consumerMarks } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import type { Actor } from '../../platform/actor';
import { listAudit, sealAudit } from '../audit/index';
import { messageFor } from '../stream/index';
import { applyLinkEvents, CASE_LINKS_CONSUMER, type LinkerDeps } from './case-links.linker';
import { reportGroupFiguresQuery } from '../case/index';
import { candidatesQuery, caseLinkQueries } from './case-links.repository';

const SHARED = 3;
const ALERT = 3;

describeEachStorage('case linking (串并案)', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  let seed = 0;
  let seen = 0;
  let deps: LinkerDeps;

  beforeAll(async () => {
    h = await createHarness(database(), { start: '2026-05-01T04:00:00Z' });
    const cast = [
      ['taker', 'call_taker', {}],
      ['sup', 'supervisor', {}],
      ['analyst', 'analyst', {}],
      ['nanming', 'county_police', { countyCode: '520102' }],
    ] as const;
    await createCast(h, cast);
    for (const [u] of cast) c[u] = await h.signIn(u);
    deps = { db: database().db, clock: h.clock, sharedReports: SHARED, alertReports: ALERT, wake: () => {} };
  });
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, headers: { cookie: c[who]!, ...headers }, payload });
  const get = (who: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: c[who]! } });

  type Contact = { kind: 'phone' | 'url' | 'app' | 'social' | 'device'; value: string };
  /** Saves a draft naming these contacts (and a payee account of its own); returns its id and version. */
  async function drafted(contacts: Contact[]) {
    const id = randomUUID();
    const body = draft({
      at: h.clock.now(),
      complete: true,
      transfers: [{ number: cardOf('ICBC', 5000 + ++seed), amountFen: 100_000 }],
    });
    const saved = await saveDraft(h, c.taker!, id, {
      ...body,
      contacts: contacts.map((x, i) => ({ key: `k${i}`, ...x })),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return { id, version: saved.json<ReportView>().version };
  }
  async function submit(saved: { id: string; version: number }) {
    const submitted = await post('taker', `/api/reports/${saved.id}/submit`, { version: saved.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    return saved.id;
  }
  /** Submits a report naming these contacts (and a payee account of its own). */
  const report = async (contacts: Contact[]) => submit(await drafted(contacts));
  /** A bank's answer (or a stop's other change) as its event: only what the linker reads. */
  const stopChanged = (reportId: string, result: object | null) =>
    ({
      id: randomUUID(),
      subject: 'stop-payment.changed',
      version: 1,
      occurredAt: h.clock.now().toISOString(),
      data: {
        request: { id: randomUUID(), reportId, layer: 1, result } as unknown as StopPaymentView,
        reportCreatedBy: randomUUID(),
        owningCountyCode: null,
      },
    }) satisfies EventEnvelope<'stop-payment.changed'>;

  /** Feeds the linker every report event committed since the last call; returns them (to replay). */
  async function link(): Promise<EventEnvelope[]> {
    const rows = await committedEvents(database().db, { after: seen, subjects: ['report.changed'] });
    seen = Math.max(seen, ...rows.map((r) => r.id));
    const events = rows.map((r) => r.event);
    await applyLinkEvents(deps, events);
    return events;
  }

  const clusterOf = async (reportId: string) =>
    (
      await database()
        .db.selectFrom('cluster_report')
        .select('cluster_id')
        .where('report_id', '=', reportId)
        .executeTakeFirst()
    )?.cluster_id;
  const detail = async (id: string) => {
    const res = await get('analyst', `/api/investigation/clusters/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ClusterDetail>();
  };
  const counts = async () => {
    const n = async (t: 'cluster' | 'cluster_report' | 'report_link' | 'cluster_event' | 'link_value') =>
      Number(
        (
          await database()
            .db.selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      clusters: await n('cluster'),
      members: await n('cluster_report'),
      links: await n('report_link'),
      events: await n('cluster_event'),
      values: await n('link_value'),
    };
  };

  let gang: string;
  const a: string[] = [];

  it('links two reports sharing a phone into one cluster, with the phone as the evidence', async () => {
    a.push(await report([{ kind: 'phone', value: '138 0000 1111' }]));
    a.push(
      await report([
        { kind: 'phone', value: '+86 13800001111' },
        { kind: 'url', value: 'https://pay.fake-shop.cn/x' },
      ]),
    );
    await report([{ kind: 'phone', value: '13900002222' }]); // shares nothing
    await link();
    const cluster = await clusterOf(a[0]!);
    expect(cluster).toBeDefined();
    expect(await clusterOf(a[1]!)).toBe(cluster);
    gang = cluster!;
    const d = await detail(gang);
    expect(d.cluster).toMatchObject({ status: 'open', reportCount: 2, alertedAt: null });
    expect(d.links).toEqual([
      expect.objectContaining({
        a: [...a].sort()[0],
        b: [...a].sort()[1],
        kind: 'phone',
        value: '+8613800001111',
        status: 'active',
      }),
    ]);
    expect(d.profile).toMatchObject({
      reportCount: 2,
      lossFen: 200_000,
      sharedIndicators: [{ kind: 'phone', value: '+8613800001111', reports: 2 }],
    });
    expect(d.profile.accountsByLayer[0]).toMatchObject({ layer: 1 });
    expect(d.history.map((e) => e.kind)).toEqual(['created']);
    const list = await get('sup', '/api/investigation/clusters?limit=10');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<ClusterList>().clusters.map((x) => x.id)).toEqual([gang]);
    // The list carries the profile's figures, the same as the detail computes them.
    expect(list.json<ClusterList>().clusters[0]!.figures).toEqual({
      reportCount: 2,
      victimCount: d.profile.victimCount,
      lossFen: 200_000,
      countyCount: d.profile.counties.length,
      fraudTypeCount: d.profile.fraudTypes.length,
      firstReportedAt: d.profile.firstReportedAt,
      lastReportedAt: d.profile.lastReportedAt,
    });
    expect(d.profile).toMatchObject({ victimCount: 1, counties: [{ code: '520102', reports: 2 }] });
    const changed = await committedEvents(database().db, { subjects: ['cluster.changed'] });
    expect(changed.map((e) => (e.event as EventEnvelope<'cluster.changed'>).data.change)).toEqual([
      'created',
    ]);
    // Pushed live to analysts and supervisors only.
    const actor = (role: 'analyst' | 'supervisor' | 'county_police') =>
      ({ userId: randomUUID(), username: role, role, countyCode: '520102' }) as unknown as Actor;
    const event = changed[0]!.event;
    expect(messageFor(actor('analyst'), event)).toMatchObject({ type: 'cluster', change: 'created' });
    expect(messageFor(actor('supervisor'), event)).toMatchObject({ type: 'cluster' });
    expect(messageFor(actor('county_police'), event)).toBeUndefined();
  });

  it('does not link over a value more reports name than the guard allows', async () => {
    const shared: string[] = [];
    for (let i = 0; i < SHARED; i++)
      shared.push(await report([{ kind: 'app', value: 'com.popular.wallet' }]));
    await link();
    const before = await clusterOf(shared[0]!);
    expect(before).toBeDefined();
    const late = await report([{ kind: 'app', value: 'com.popular.wallet' }]);
    await link();
    expect(await clusterOf(late)).toBeUndefined();
    expect((await detail(before!)).cluster.reportCount).toBe(SHARED);
  });

  it('replaying the events changes nothing', async () => {
    const events = (await committedEvents(database().db, { subjects: ['report.changed'] })).map(
      (e) => e.event,
    );
    const before = await counts();
    await applyLinkEvents(deps, events);
    // The same reports as new events (a re-submission, a status change): their links are there already.
    await applyLinkEvents(
      deps,
      events.map((e) => ({ ...e, id: randomUUID() })),
    );
    expect(await counts()).toEqual(before);
  });

  it('events that link nothing cost the linker nothing, not even a mark; a submission is marked once', async () => {
    const saved = await drafted([{ kind: 'phone', value: '13800138123' }]);
    const ofReport = async () =>
      (await committedEvents(database().db, { after: seen, subjects: ['report.changed'] }))
        .map((r) => r.event as EventEnvelope<'report.changed'>)
        .filter((e) => e.data.id === saved.id);
    const drafts = await ofReport();
    expect(drafts.map((e) => e.data.status)).toEqual(['draft']);
    const stillActive = {
      id: randomUUID(),
      subject: 'indicator.changed',
      version: 1,
      occurredAt: h.clock.now().toISOString(),
      data: {
        kind: 'phone',
        value: '+8613800138123',
        status: 'active',
      } as unknown as EventEnvelope<'indicator.changed'>['data'],
    } satisfies EventEnvelope<'indicator.changed'>;
    const nothing = [
      ...drafts,
      stopChanged(saved.id, null),
      stopChanged(saved.id, { onwardTransfers: [] }),
      stillActive,
    ];
    const before = await counts();
    expect(await applyLinkEvents(deps, nothing)).toBe(0);
    expect(await consumerMarks(database().db, CASE_LINKS_CONSUMER, nothing)).toBe(0);
    expect(await counts()).toEqual(before);

    await submit(saved);
    const submission = (await ofReport()).filter((e) => e.data.status !== 'draft');
    expect(submission).toHaveLength(1);
    await link();
    await applyLinkEvents(deps, submission);
    expect(await consumerMarks(database().db, CASE_LINKS_CONSUMER, submission)).toBe(1);
  });

  it('takes a bank answer’s onward (mule) accounts as layer-2 values, and alerts when the cluster passes the threshold', async () => {
    const mule = cardOf('ICBC', 99_001);
    const answer = (reportId: string) =>
      stopChanged(reportId, { onwardTransfers: [{ account: { number: mule } }] });
    const b1 = await report([{ kind: 'social', value: 'wechat:gang_boss01' }]);
    a.push(b1);
    await link();
    await applyLinkEvents(deps, [answer(a[1]!), answer(b1)]);
    expect(await clusterOf(b1)).toBe(gang);
    const b2 = await report([{ kind: 'social', value: 'wechat:gang_boss01' }]);
    a.push(b2);
    await link();
    const d = await detail(gang);
    expect(d.cluster.reportCount).toBe(4);
    expect(d.cluster.alertedAt).not.toBeNull();
    expect(d.history.map((e) => e.kind)).toEqual(['created', 'grew', 'grew', 'alerted']);
    expect(d.profile.accountsByLayer.find((l) => l.layer === 2)?.accounts).toEqual([mule]);
    expect(d.links.some((l) => l.kind === 'account' && l.value === mule)).toBe(true);
    const alerts = await database()
      .db.selectFrom('alert')
      .select(['kind', 'object_id', 'report_id'])
      .where('kind', '=', 'cluster_grown')
      .execute();
    expect(alerts).toEqual([{ kind: 'cluster_grown', object_id: gang, report_id: b2 }]);
    // The wall's figures (the case-links source the app hands the wall).
    const wall = await get('sup', '/api/wall/summary');
    expect(wall.statusCode, wall.body).toBe(200);
    expect(wall.json<WallSummary>().investigation).toEqual({
      openClusters: 2,
      alertedClusters: 1,
      linkedToday: 4 + SHARED,
    });
  });

  it('refuses bad input in the one error shape, changing nothing; county police may not see clusters', async () => {
    const before = await counts();
    const bad = [
      await post('analyst', `/api/investigation/clusters/${gang}/split`, {
        reportIds: [randomUUID()],
        reason: 'x',
      }),
      await post('analyst', `/api/investigation/clusters/${gang}/split`, {
        reportIds: a,
        reason: 'all of them',
      }),
      await post('analyst', `/api/investigation/clusters/${gang}/split`, {
        reportIds: [a[0]],
        reason: 'x',
        extra: 1,
      }),
      await post('analyst', `/api/investigation/clusters/${gang}/split`, { reportIds: [a[0]] }),
      await post('analyst', '/api/investigation/clusters/merge', { clusterIds: [gang], reason: 'x' }),
      await post('analyst', `/api/investigation/clusters/${gang}/hand-off`, {
        unitKind: 'county',
        unitCode: '999999',
        dueAt: '2026-06-01T00:00:00Z',
        reason: 'x',
      }),
      await post('analyst', `/api/investigation/clusters/${gang}/hand-off`, {
        unitKind: 'county',
        unitCode: '520102',
        dueAt: '2026-01-01T00:00:00Z',
        reason: 'x',
      }),
      // A deadline in the year 10000 once it is read in UTC: no timestamptz holds it.
      await post('analyst', `/api/investigation/clusters/${gang}/hand-off`, {
        unitKind: 'centre',
        unitCode: 'centre',
        dueAt: '9999-12-31T23:00:00-08:00',
        reason: 'x',
      }),
      await get('analyst', '/api/investigation/clusters?after=nonsense'),
      // Cursors that look right but do not fit PostgreSQL's types: no uuid, a year before any timestamptz.
      await get('analyst', `/api/investigation/clusters?after=2026-01-01T00:00:00.000Z_${'a'.repeat(36)}`),
      await get('analyst', `/api/investigation/clusters?after=-200000-01-01T00:00:00.000Z_${randomUUID()}`),
    ];
    for (const res of bad) {
      expect(res.statusCode, res.body).toBe(400);
      const { error } = res.json<ErrorBody>();
      expect(error.code).toBe('validation_failed');
      expect(typeof error.requestId).toBe('string');
    }
    expect((await get('analyst', `/api/investigation/clusters/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get('nanming', '/api/investigation/clusters')).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('splits with a reason (audited, once per Idempotency-Key), and the linker never joins the split pair again', async () => {
    const moved = [a[2]!, a[3]!];
    const body = { reportIds: moved, reason: '社交账号为同名不同人' };
    const res = await post('analyst', `/api/investigation/clusters/${gang}/split`, body, {
      'idempotency-key': 'split-1',
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<ClusterDecisionResult>();
    expect(result.cluster.reportCount).toBe(2);
    expect(result.splitOff).not.toBeNull();
    const before = await counts();
    const again = await post('analyst', `/api/investigation/clusters/${gang}/split`, body, {
      'idempotency-key': 'split-1',
    });
    expect(again.json<ClusterDecisionResult>()).toEqual(result);
    expect(await counts()).toEqual(before);
    // The same key on another decision is no retry: answering the split would say a confirmation was made.
    const reused = await post(
      'analyst',
      `/api/investigation/clusters/${result.splitOff}/confirm`,
      {},
      {
        'idempotency-key': 'split-1',
      },
    );
    expect(reused.statusCode, reused.body).toBe(409);
    expect(reused.json<ErrorBody>().error.code).toBe('conflict');
    expect((await detail(result.splitOff!)).cluster.status).toBe('open');
    expect(await counts()).toEqual(before);
    // Nor is the same key with another body: answering the first split would say these reports left too.
    const otherBody = await post(
      'analyst',
      `/api/investigation/clusters/${gang}/split`,
      { reportIds: [a[0]!], reason: '另一批报案' },
      { 'idempotency-key': 'split-1' },
    );
    expect(otherBody.statusCode, otherBody.body).toBe(409);
    expect(otherBody.json<ErrorBody>().error.details).toEqual([
      expect.objectContaining({ field: 'header.idempotency-key', reason: 'idempotency.reused' }),
    ]);
    expect(await counts()).toEqual(before);
    const d = await detail(gang);
    expect(d.history.at(-1)).toMatchObject({ kind: 'split', by: 'analyst', reason: body.reason });
    expect(d.history.at(-1)?.details).not.toHaveProperty('requestHash');
    expect(d.links.filter((l) => l.status === 'severed').length).toBeGreaterThan(0);
    expect(await clusterOf(moved[0]!)).toBe(result.splitOff);
    // The moved reports' events again: they stay apart.
    const events = (await committedEvents(database().db, { subjects: ['report.changed'] })).map((e) => ({
      ...e.event,
      id: randomUUID(),
    }));
    await applyLinkEvents(deps, events);
    expect(await clusterOf(moved[0]!)).toBe(result.splitOff);
    expect((await detail(gang)).cluster.reportCount).toBe(2);
    await sealAudit(database().db);
    const audit = await listAudit(database().db, { limit: 500 });
    const splits = audit.filter((e) => e.action === 'cluster.split' && e.result === 'success');
    expect(splits).toHaveLength(1);
    expect(splits[0]).toMatchObject({ objectId: gang, username: 'analyst' });
    expect(splits[0]?.details).toMatchObject({ reason: body.reason });
  });

  it('merges with a reason, confirms, and hands off as a task with a deadline', async () => {
    const splitOff = (await clusterOf(a[2]!))!;
    const merged = await post('sup', '/api/investigation/clusters/merge', {
      clusterIds: [gang, splitOff],
      reason: '同一资金池',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const survivor = merged.json<ClusterDecisionResult>().cluster;
    expect(survivor.reportCount).toBe(4);
    const other = survivor.id === gang ? splitOff : gang;
    expect((await detail(other)).cluster).toMatchObject({ status: 'merged', mergedInto: survivor.id });
    const confirmed = await post('analyst', `/api/investigation/clusters/${survivor.id}/confirm`, {});
    expect(confirmed.json<ClusterDecisionResult>().cluster.status).toBe('confirmed');
    const again = await post('analyst', `/api/investigation/clusters/${survivor.id}/confirm`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.message).toBe('The cluster is confirmed: it cannot be confirmed');
    const handOff = {
      unitKind: 'county',
      unitCode: '520102',
      dueAt: '2026-05-15T00:00:00Z',
      reason: '移交南明分局刑侦大队',
    };
    const hand = (payload: object) =>
      post('analyst', `/api/investigation/clusters/${survivor.id}/hand-off`, payload, {
        'idempotency-key': 'hand-1',
      });
    const handed = await hand(handOff);
    expect(handed.statusCode, handed.body).toBe(200);
    expect((await hand(handOff)).json<ClusterDecisionResult>()).toEqual(handed.json());
    // The key again with another unit is no retry: a 200 would tell the client 云岩 has the case.
    const elsewhere = await hand({ ...handOff, unitCode: '520103' });
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);
    expect(elsewhere.json<ErrorBody>().error.details?.[0]?.reason).toBe('idempotency.reused');
    expect(handed.json<ClusterDecisionResult>().cluster).toMatchObject({
      status: 'handed_off',
      handOff: { unitKind: 'county', unitCode: '520102' },
    });
    const tasks = (await committedEvents(database().db, { subjects: ['task.reported'] }))
      .map((e) => (e.event as EventEnvelope<'task.reported'>).data.task)
      .filter((t) => t.kind === 'investigation');
    expect(tasks).toEqual([
      expect.objectContaining({
        sourceId: survivor.id,
        owner: { unitKind: 'county', unitCode: '520102', userId: null },
        dueAt: '2026-05-15T00:00:00.000Z',
        status: 'open',
      }),
    ]);
    await sealAudit(database().db);
    const actions = (await listAudit(database().db, { limit: 500 }))
      .filter((e) => e.action.startsWith('cluster.') && e.result === 'success')
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(['cluster.confirm', 'cluster.hand_off', 'cluster.merge', 'cluster.split']);
  });
  it('merges two clusters when a new report names a value of each, keeping one and absorbing the other', async () => {
    const x = [
      await report([{ kind: 'phone', value: '13711110001' }]),
      await report([{ kind: 'phone', value: '13711110001' }]),
    ];
    const y = [
      await report([{ kind: 'phone', value: '13722220002' }]),
      await report([{ kind: 'phone', value: '13722220002' }]),
    ];
    await link();
    const [cx, cy] = [await clusterOf(x[0]!), await clusterOf(y[0]!)];
    expect(cx).toBeDefined();
    expect(cy).toBeDefined();
    expect(cx).not.toBe(cy);
    const bridge = await report([
      { kind: 'phone', value: '13711110001' },
      { kind: 'phone', value: '13722220002' },
    ]);
    await link();
    const survivor = (await clusterOf(bridge))!;
    expect([cx, cy]).toContain(survivor);
    for (const r of [...x, ...y]) expect(await clusterOf(r)).toBe(survivor);
    const absorbed = survivor === cx ? cy! : cx!;
    const d = await detail(survivor);
    expect(d.cluster).toMatchObject({ reportCount: 5, status: 'open' });
    expect(d.cluster.alertedAt).not.toBeNull();
    expect(d.history.map((e) => e.kind)).toEqual(['created', 'merged', 'alerted']);
    expect((await detail(absorbed)).cluster).toMatchObject({
      status: 'merged',
      mergedInto: survivor,
      reportCount: 0,
    });
    expect((await detail(absorbed)).history.map((e) => e.kind)).toEqual(['created', 'absorbed']);
  });

  it('never absorbs a handed-off cluster: a report bridging it stays with it, and two handed-off gangs stay apart', async () => {
    // The guard here links a value named by at most three reports: each gang's reports share values sparingly.
    const gangOf = async (...phones: string[][]) => {
      const ids: string[] = [];
      for (const named of phones) ids.push(await report(named.map((value) => ({ kind: 'phone', value }))));
      await link();
      return { ids, cluster: (await clusterOf(ids[0]!))! };
    };
    const handOff = async (id: string, unitCode: string) => {
      const res = await post('analyst', `/api/investigation/clusters/${id}/hand-off`, {
        unitKind: 'county',
        unitCode,
        dueAt: '2026-05-15T00:00:00Z',
        reason: '移交属地侦办',
      });
      expect(res.statusCode, res.body).toBe(200);
      h.clock.advance(60_000);
    };
    const small = await gangOf(['13733330001'], ['13733330001']);
    const large = await gangOf(['13733330002'], ['13733330002', '13733330004'], ['13733330004']);
    expect(new Set([small.cluster, ...(await Promise.all(large.ids.map(clusterOf)))]).size).toBe(2);
    await handOff(small.cluster, '520102');
    // The larger open cluster would have stayed; the handed-off one does, with its unit and task, and takes it.
    const bridge = await report([
      { kind: 'phone', value: '13733330001' },
      { kind: 'phone', value: '13733330002' },
    ]);
    await link();
    for (const r of [...small.ids, ...large.ids, bridge]) expect(await clusterOf(r)).toBe(small.cluster);
    expect((await detail(small.cluster)).cluster).toMatchObject({
      status: 'handed_off',
      reportCount: 6,
      handOff: { unitKind: 'county', unitCode: '520102' },
    });
    expect((await detail(large.cluster)).cluster).toMatchObject({
      status: 'merged',
      mergedInto: small.cluster,
    });

    // A second gang handed off later, to another unit: a report naming both joins the first, and neither is merged.
    const other = await gangOf(['13733330003'], ['13733330003']);
    await handOff(other.cluster, '520103');
    const both = await report([
      { kind: 'phone', value: '13733330003' },
      { kind: 'phone', value: '13733330004' },
    ]);
    await link();
    expect(await clusterOf(both)).toBe(small.cluster);
    for (const r of other.ids) expect(await clusterOf(r)).toBe(other.cluster);
    expect((await detail(other.cluster)).cluster).toMatchObject({
      status: 'handed_off',
      reportCount: 2,
      handOff: { unitKind: 'county', unitCode: '520103' },
    });
    const kept = (await detail(small.cluster)).history.at(-1)!;
    expect(kept).toMatchObject({ kind: 'grew', details: { keptApart: [other.cluster] } });
    // The evidence is kept: the links to the other gang's reports are recorded.
    const evidence = (kept.details['links'] as Array<{ a: string; b: string }>).flatMap((l) => [l.a, l.b]);
    for (const r of other.ids) expect(evidence).toContain(r);
  });

  it('shows a long history’s latest entries, so a big gang’s latest decision is never the one left out', async () => {
    const id = randomUUID();
    const at = h.clock.now();
    await database()
      .db.insertInto('cluster')
      .values({
        id,
        status: 'open',
        report_count: 600,
        merged_into: null,
        alerted_at: null,
        hand_off_unit_kind: null,
        hand_off_unit_code: null,
        hand_off_due_at: null,
        handed_off_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // A gang that grew one report at a time: 600 entries.
    await database()
      .db.insertInto('cluster_event')
      .values(
        Array.from({ length: 600 }, (_, i) => ({
          id: randomUUID(),
          cluster_id: id,
          kind: i === 0 ? 'created' : 'grew',
          at,
          actor_id: null,
          reason: null,
          details: JSON.stringify({ n: i }),
          idempotency_key: null,
        })),
      )
      .execute();
    const confirmed = await post('analyst', `/api/investigation/clusters/${id}/confirm`, {
      reason: '同一团伙',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { history } = await detail(id);
    expect(history).toHaveLength(500);
    expect(history.at(-1)).toMatchObject({ kind: 'confirmed', by: 'analyst', reason: '同一团伙' });
    expect(history.at(-2)?.details).toEqual({ n: 599 });
  });

  it('links two reports naming one fraudster’s handset by its IMEI, however it was typed', async () => {
    // A draft naming an IMEI with a wrong check digit says so, and submitting it is refused.
    const bad = await saveDraft(h, c.taker!, randomUUID(), {
      ...draft({
        at: h.clock.now(),
        complete: true,
        transfers: [{ number: cardOf('ICBC', 5900), amountFen: 1 }],
      }),
      contacts: [{ key: 'd', kind: 'device', value: '490154203237519' }],
    });
    expect(bad.json<ReportView>().problems).toContainEqual(
      expect.objectContaining({ field: 'body.contacts.0.value', reason: 'device.luhn' }),
    );

    const one = await report([{ kind: 'device', value: '49-015420-323751-8' }]);
    const two = await report([{ kind: 'device', value: '49015420323751' }]); // without its check digit
    await link();
    const cluster = await clusterOf(one);
    expect(cluster).toBeDefined();
    expect(await clusterOf(two)).toBe(cluster);
    const d = await detail(cluster!);
    expect(d.links).toEqual([
      expect.objectContaining({ kind: 'device', value: '490154203237518', status: 'active' }),
    ]);
  });
});

describeEachStorage('case linking queries', (database) => {
  it('counts a page of clusters’ figures through the indexes, in one statement', async () => {
    const { db } = database();
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const q = reportGroupFiguresQuery(caseLinkQueries.membersOf(conn, [randomUUID(), randomUUID()]));
        const plan = (await sql`explain ${q}`.execute(conn)).rows
          .map((r) => Object.values(r as Record<string, unknown>).join(''))
          .join('\n');
        expect(plan, plan).not.toMatch(/Seq Scan on (cluster_report|report)\b/);
        expect(plan, plan).toMatch(/cluster_report_cluster/);
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });

  it('finds a report’s candidates through the indexes, never a whole table', async () => {
    const { db } = database();
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const q = candidatesQuery(
          randomUUID(),
          [
            { kind: 'phone', value: '+8613800001111' },
            { kind: 'account', value: '6222000000000001' },
          ],
          52,
        );
        const plan = (await sql`explain ${q}`.execute(conn)).rows
          .map((r) => Object.values(r as Record<string, unknown>).join(''))
          .join('\n');
        expect(plan, plan).not.toMatch(/Seq Scan on (link_value|cluster_report|cluster|report_link)\b/);
        expect(plan, plan).toMatch(/link_value_pkey/);
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  });
});
