import { randomUUID } from 'node:crypto';
import type { EpisodeList, ErrorBody, WarningEffectiveness } from '@fanzha/contracts';
import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { harnessFieldKeys } from '../../../testing/outbox-events';
import { applyEpisodeEvents } from './follow-up.record';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NANMING = '520102';

const mule: IndicatorSnapshot = {
  id: 7,
  kind: 'account',
  value: '6222020200112233445',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};
const fraudPhone: IndicatorSnapshot = { ...mule, id: 8, kind: 'phone', value: '+8617100001111' };

/** Four people: A reports 5 days after the warning, B 10 days after, C only before it, D was never warned. */
const A = '+8613800138001';
const B = '+8613800138002';
const C = '+8613800138003';
const D = '+8613800138004';

let seq = 0;
const hit = (phone: string, over: Partial<ScreeningHit> = {}): ScreeningHit => ({
  source: 'operator:china_mobile',
  signalId: `fu-${++seq}`,
  signalKind: 'sms',
  at: '2026-05-01T08:00:00Z',
  person: { phone, idNumber: null, name: null, countyCode: NANMING },
  indicator: fraudPhone,
  amountFen: null,
  upstreamGrade: null,
  ...over,
});

describeEachStorage('did the warning work: follow-ups 7 and 30 days after an episode closed', (database) => {
  let h: Harness;
  const c: Record<string, string> = {};
  const ep: Record<string, string> = {};
  let fed = 0;
  let t0: Date;

  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [
      ['desk', 'persuader', {}],
      ['sup', 'supervisor', {}],
      ['taker', 'call_taker', {}],
      ['bank', 'bank_liaison', { bankCode: 'ICBC' }],
    ]);
    for (const u of ['desk', 'sup', 'taker', 'bank']) c[u] = await h.signIn(u);
  });
  afterAll(() => h.close());

  const db = () => withFieldKeys(database().db, harnessFieldKeys());
  /** The follow-up consumer's work, driven by hand: every episode event committed since the last call. */
  async function feed(from = fed): Promise<void> {
    const rows = await committedEvents(database().db, {
      after: from,
      subjects: ['episode.opened', 'episode.changed'],
    });
    await applyEpisodeEvents(
      { db: db(), clock: h.clock },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
  }
  const followUp = (id: string) =>
    db()
      .selectFrom('episode_follow_up')
      .select(['defrauded_7', 'defrauded_30', 'next_check_at', 'channel', 'close_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  /** Days pass: sessions end (idle limit), so everyone signs in again. */
  async function pass(ms: number) {
    h.clock.advance(ms);
    for (const u of ['desk', 'sup', 'taker', 'bank']) c[u] = await h.signIn(u);
  }
  /** A whole report (submitted at once) whose victim is `phone`, the call answered now. */
  async function report(phone: string) {
    const body = draft({
      at: h.clock.now(),
      transfers: [{ number: cardOf('ICBC', 7000 + seq++), amountFen: 1_000_000, name: '王五' }],
      countyCode: NANMING,
      complete: true,
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { cookie: c.taker! },
      payload: {
        ...body,
        id: randomUUID(),
        version: undefined,
        victim: { ...body.victim, phone: phone.slice(3) },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const outcome = async (id: string, value: string) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${id}/outcome`,
      headers: { cookie: c.desk! },
      payload: { outcome: value },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const effectiveness = (query: string, who = 'sup') =>
    h.app.inject({ method: 'GET', url: `/api/warnings/effectiveness${query}`, headers: { cookie: c[who]! } });

  it('records each episode closed, with its sources, strongest channel and first call', async () => {
    await report(C); // before any warning: never counts against one
    h.clock.advance(MINUTE);
    t0 = h.clock.now();
    const at = t0.toISOString();
    await db()
      .transaction()
      .execute((trx) =>
        h.app.services.recordHits(trx, [
          hit(A, { at }),
          hit(B, {
            at,
            source: 'bank:CCB',
            signalKind: 'bank_transfer',
            indicator: mule,
            amountFen: 900_000,
          }),
          hit(C, { at }),
        ]),
      );
    // B is 高 (a transfer to a known mule): its SMS SLA of a minute passes and a robot call is placed.
    h.clock.advance(2 * MINUTE);
    await h.app.services.episodeSweep.sweepOnce();
    await feed();
    const rows = await db().selectFrom('episode_follow_up').select(['id', 'sources']).execute();
    expect(rows).toHaveLength(3);
    const listed = await h.app.inject({ method: 'GET', url: '/api/episodes', headers: { cookie: c.desk! } });
    for (const e of listed.json<EpisodeList>().episodes)
      for (const p of [A, B, C]) if (e.personPhoneMasked?.endsWith(p.slice(-4))) ep[p] = e.id;
    expect(Object.keys(ep).sort()).toEqual([A, B, C]);
    await outcome(ep[A]!, 'persuaded');
    await outcome(ep[B]!, 'persuaded');
    await outcome(ep[C]!, 'not_fraud');
    await feed();
    expect(await followUp(ep[B]!)).toMatchObject({ channel: 'robot_call', close_reason: 'persuaded' });
    expect(await followUp(ep[A]!)).toMatchObject({ channel: 'sms', defrauded_7: null, defrauded_30: null });
    expect((await followUp(ep[A]!)).next_check_at?.getTime()).toBe(h.clock.now().getTime() + 7 * DAY);
  });

  it('counts a report 5 days later at 7 and 30 days, 10 days later only at 30, another person never', async () => {
    const closedAt = h.clock.now().getTime();
    expect(await h.app.services.followUpSweep.sweepOnce()).toBe(0); // nothing due yet
    await pass(5 * DAY);
    await report(A);
    h.clock.advance(2 * DAY);
    expect(await h.app.services.followUpSweep.sweepOnce()).toBe(3);
    expect(await h.app.services.followUpSweep.sweepOnce()).toBe(0); // each check once
    expect(await followUp(ep[A]!)).toMatchObject({ defrauded_7: true, defrauded_30: null });
    expect(await followUp(ep[B]!)).toMatchObject({ defrauded_7: false, defrauded_30: null });
    expect(await followUp(ep[C]!)).toMatchObject({ defrauded_7: false, defrauded_30: null });

    // A redelivered event does not undo a check.
    await feed(0);
    expect(await followUp(ep[A]!)).toMatchObject({ defrauded_7: true });

    await pass(3 * DAY - 5 * MINUTE); // day 10 after the close
    await report(B);
    await report(D);
    await pass(20 * DAY);
    expect(await h.app.services.followUpSweep.sweepOnce()).toBe(3);
    expect(await followUp(ep[A]!)).toMatchObject({
      defrauded_7: true,
      defrauded_30: true,
      next_check_at: null,
    });
    expect(await followUp(ep[B]!)).toMatchObject({
      defrauded_7: false,
      defrauded_30: true,
      next_check_at: null,
    });
    expect(await followUp(ep[C]!)).toMatchObject({
      defrauded_7: false,
      defrauded_30: false,
      next_check_at: null,
    });
    expect(h.clock.now().getTime() - closedAt).toBeGreaterThan(30 * DAY);
    h.clock.advance(60 * DAY);
    expect(await h.app.services.followUpSweep.sweepOnce()).toBe(0);
    await pass(MINUTE);
  });

  it('gives the supervisor the figures: contacts, first call, persuaded, defrauded by channel and source', async () => {
    const from = new Date(t0.getTime() - MINUTE).toISOString();
    const res = await effectiveness(`?from=${encodeURIComponent(from)}`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json<WarningEffectiveness>();
    expect(f.opened).toMatchObject({ episodes: 3, warnings: 3, visits: 0, holds: 0 });
    expect(f.opened.contacts.find((x) => x.channel === 'sms')?.count).toBe(3);
    expect(f.opened.contacts.find((x) => x.channel === 'robot_call')?.count).toBe(1);
    expect(f.opened.firstContact).toMatchObject({ reached: 1, withinTarget: 1, targetS: 300 });
    expect(f.opened.firstContact.medianS).toBeLessThanOrEqual(300);
    expect(f.closed).toMatchObject({
      closed: 3,
      persuaded: 2,
      notFraud: 1,
      checked7: 3,
      defrauded7: 1,
      checked30: 3,
      defrauded30: 2,
      defrauded30Share: 0.667,
    });
    expect(f.byChannel).toEqual([
      expect.objectContaining({ channel: 'sms', closed: 2, defrauded7: 1, defrauded30: 1 }),
      expect.objectContaining({ channel: 'robot_call', closed: 1, defrauded7: 0, defrauded30: 1 }),
    ]);
    expect(f.bySource).toEqual([
      expect.objectContaining({ source: 'operator:china_mobile', closed: 2, notFraud: 1, precision: 0.5 }),
      expect.objectContaining({ source: 'bank:CCB', closed: 1, notFraud: 0, precision: 1, defrauded30: 1 }),
    ]);
    // Nothing personal in the answer.
    for (const p of [A, B, C]) expect(res.body).not.toContain(p.slice(3));

    // A window before anything happened: all zero, shares null.
    const empty = (
      await effectiveness('?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')
    ).json<WarningEffectiveness>();
    expect(empty.closed).toMatchObject({ closed: 0, persuadedShare: null, defrauded7Share: null });
  });

  it('refuses a backward or over-long window and readers outside the supervision', async () => {
    const back = await effectiveness('?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(back.statusCode).toBe(400);
    expect(back.json<ErrorBody>().error.details).toEqual([expect.objectContaining({ field: 'query.from' })]);
    expect((await effectiveness('?from=2020-01-01T00:00:00Z&to=2026-05-01T00:00:00Z')).statusCode).toBe(400);
    expect((await effectiveness('?since=2026-01-01')).statusCode).toBe(400);
    expect((await effectiveness('', 'taker')).statusCode).toBe(403);
    expect((await effectiveness('', 'bank')).statusCode).toBe(403);
  });
});
