import type { EpisodeList, WarningEffectiveness } from '@fanzha/contracts';
import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import type { Messenger } from '../warnings/index';
import { applyEpisodeEvents, FOLLOW_UP_SUBJECTS } from './follow-up.record';

const MINUTE = 60_000;
const NANMING = '520102';

const fraudPhone: IndicatorSnapshot = {
  id: 8,
  kind: 'phone',
  value: '+8617100001111',
  status: 'active',
  riskLevel: 'high',
  reportCount: 3,
  lossFen: 5_000_000,
  lastReportedAt: '2026-04-28T08:00:00Z',
};

let seq = 0;
const hit = (phone: string, at: string): ScreeningHit => ({
  source: 'operator:china_mobile',
  signalId: `fc-${++seq}`,
  signalKind: 'sms',
  at,
  person: { phone, idNumber: null, name: null, countyCode: NANMING },
  indicator: fraudPhone,
  amountFen: null,
  upstreamGrade: null,
});

/**
 * A gateway that answers as told per phone: `down` fails, `crash` accepts the message and then the process
 * dies before the commit (the sweep's transaction fails; the message goes again at the next sweep).
 */
function scriptedMessenger() {
  const sent: string[] = [];
  const down = new Set<string>();
  const crashOnce = new Set<string>();
  const messenger: Messenger = {
    send(m) {
      sent.push(m.contactId);
      if (crashOnce.delete(m.phone)) return Promise.reject(new Error('crashed after the gateway took it'));
      return Promise.resolve(down.has(m.phone) ? { ok: false, reason: 'gateway down' } : { ok: true });
    },
  };
  return { messenger, sent, down, crashOnce };
}

describeEachStorage('the follow-up counts the SMS and robot calls the sweep sends', (database) => {
  let h: Harness;
  let cookie: string;
  let fed = 0;
  const gateway = scriptedMessenger();
  beforeAll(async () => {
    h = await createHarness(database(), { messenger: gateway.messenger });
    await createCast(h, [
      ['desk', 'persuader', {}],
      ['sup', 'supervisor', {}],
    ]);
  });
  afterAll(() => h.close());

  const db = () => withFieldKeys(database().db, harnessFieldKeys());
  /** The follow-up consumer's work, driven by hand: every event it takes committed since `from`. */
  async function feed(from = fed): Promise<void> {
    const rows = await committedEvents(database().db, { after: from, subjects: FOLLOW_UP_SUBJECTS });
    await applyEpisodeEvents(
      { db: db(), clock: h.clock },
      rows.map((r) => r.event),
    );
    fed = Math.max(fed, ...rows.map((r) => r.id));
  }
  async function open(phone: string): Promise<string> {
    await db()
      .transaction()
      .execute((trx) => h.app.services.recordHits(trx, [hit(phone, h.clock.now().toISOString())]));
    cookie = await h.signIn('desk');
    const listed = await h.app.inject({ method: 'GET', url: '/api/episodes', headers: { cookie } });
    const id = listed
      .json<EpisodeList>()
      .episodes.find((e) => e.personPhoneMasked?.endsWith(phone.slice(-4)))?.id;
    expect(id).toBeDefined();
    return id!;
  }
  const row = (id: string) =>
    db()
      .selectFrom('episode_follow_up')
      .select(['grade', 'sms', 'robot_call', 'channel', 'first_contact_s', 'closed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  /** The episode's own record: its contacts made (sent or assigned), by channel. */
  const made = async (id: string) =>
    Object.fromEntries(
      (
        await db()
          .selectFrom('episode_contact')
          .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
          .where('episode_id', '=', id)
          .where('status', 'in', ['sent', 'assigned'])
          .groupBy('channel')
          .execute()
      ).map((r) => [r.channel, Number(r.n)]),
    );
  const figures = async (from: Date) => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/warnings/effectiveness?from=${encodeURIComponent(from.toISOString())}`,
      headers: { cookie: await h.signIn('sup') },
    });
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json<WarningEffectiveness>();
    const count = (channel: string) => f.opened.contacts.find((c) => c.channel === channel)?.count;
    return { sms: count('sms'), robotCall: count('robot_call'), f };
  };

  it('counts an SMS sent while the episode stays open, and a robot call with its first-call time', async () => {
    const t0 = h.clock.now();
    const id = await open('+8613800138101');
    await feed(); // the consumer reads the episode before the messenger sends its first SMS
    expect(await row(id)).toMatchObject({ grade: 'medium', sms: 0, robot_call: 0, channel: null });

    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ sent: 1 });
    await feed();
    expect(await row(id)).toMatchObject({ sms: 1, robot_call: 0, channel: 'sms', closed_at: null });
    expect((await figures(t0)).sms).toBe(1);

    // 中: ten minutes later the SMS's SLA passes and a robot call is placed, sent in the same sweep.
    h.clock.advance(11 * MINUTE);
    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ fired: 1, sent: 1 });
    await feed();
    expect(await row(id)).toMatchObject({ sms: 1, robot_call: 1, channel: 'robot_call', closed_at: null });
    expect((await row(id)).first_contact_s).toBeGreaterThan(0);
    expect(await made(id)).toEqual({ sms: 1, robot_call: 1 });

    // Every event again (a redelivery, a restarted consumer): the same counts, none twice.
    await feed(0);
    expect(await row(id)).toMatchObject({ sms: 1, robot_call: 1 });
    const { sms, robotCall, f } = await figures(t0);
    expect({ sms, robotCall }).toEqual({ sms: 1, robotCall: 1 });
    expect(f.opened.firstContact.reached).toBe(1);
  });

  it('counts no SMS withdrawn at its episode’s close (never sent), in the closed figures either', async () => {
    const t0 = h.clock.now();
    const id = await open('+8613800138102');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${id}/outcome`,
      headers: { cookie },
      payload: { outcome: 'persuaded' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await feed(); // opened and closed before the sweep sent anything
    expect(await row(id)).toMatchObject({ sms: 0, channel: null });

    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ sent: 0 });
    await feed();
    expect(await row(id)).toMatchObject({ sms: 0, channel: null });
    expect(await made(id)).toEqual({});
    const { sms, f } = await figures(t0);
    expect(sms ?? 0).toBe(0);
    expect(f.byChannel.filter((c) => c.channel === 'sms')).toEqual([]);
  });

  it('counts a message sent again after a crash once, and a failed one not at all', async () => {
    const t0 = h.clock.now();
    const retried = '+8613800138103';
    const failed = '+8613800138104';
    gateway.crashOnce.add(retried);
    gateway.down.add(failed);
    const a = await open(retried);
    const b = await open(failed);
    await feed();

    await expect(h.app.services.episodeSweep.sweepOnce()).rejects.toThrow(/crashed/);
    await feed();
    expect(await row(a)).toMatchObject({ sms: 0 });
    expect(await row(b)).toMatchObject({ sms: 0 });

    await h.app.services.episodeSweep.sweepOnce();
    await feed();
    const [contact] = await db()
      .selectFrom('episode_contact')
      .select(['id', 'status'])
      .where('episode_id', '=', a)
      .execute();
    expect(contact?.status).toBe('sent');
    expect(gateway.sent.filter((c) => c === contact?.id)).toHaveLength(2); // at least once: twice here
    expect(await row(a)).toMatchObject({ sms: 1, channel: 'sms' });
    expect(await row(b)).toMatchObject({ sms: 0, channel: null });
    expect(await made(b)).toEqual({});
    expect((await figures(t0)).sms).toBe(1);
  });
});
