import type { EpisodeList, EpisodeView } from '@fanzha/contracts';
import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { createRecordingMessenger } from './warnings.sweep';

const MINUTE = 60_000;

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

let seq = 0;
/** A transfer to a known mule account: 高, its SMS's SLA one minute, then a robot call. */
const hit = (phone: string, at: Date): ScreeningHit => ({
  source: 'bank:CCB',
  signalId: `wd-${++seq}`,
  signalKind: 'bank_transfer',
  at: at.toISOString(),
  person: { phone, idNumber: null, name: null, countyCode: '520102' },
  indicator: mule,
  amountFen: 200_000,
  upstreamGrade: null,
});

/**
 * A person whose episode the centre closed is warned of nothing more: the SMS and robot calls still waiting
 * for the messenger at the close are withdrawn in its transaction, and the sweep never sends a contact of a
 * closed episode (nor one older code left pending at a close); what was not sent is not counted as sent.
 */
describeEachStorage('contacts of an episode that closes before they are sent', (database) => {
  let h: Harness;
  let cookie: string;
  const messenger = createRecordingMessenger();
  beforeAll(async () => {
    h = await createHarness(database(), { messenger });
    await createCast(h, [['desk', 'persuader', {}]]);
    cookie = await h.signIn('desk');
  });
  afterAll(() => h.close());

  const db = () => withFieldKeys(database().db, harnessFieldKeys());
  async function open(phone: string): Promise<string> {
    await db()
      .transaction()
      .execute((trx) => h.app.services.recordHits(trx, [hit(phone, h.clock.now())]));
    const listed = await h.app.inject({ method: 'GET', url: '/api/episodes', headers: { cookie } });
    const id = listed
      .json<EpisodeList>()
      .episodes.find((e) => e.personPhoneMasked?.endsWith(phone.slice(-4)))?.id;
    expect(id).toBeDefined();
    return id!;
  }
  async function close(id: string, outcome: string): Promise<EpisodeView> {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${id}/outcome`,
      headers: { cookie },
      payload: { outcome },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<EpisodeView>();
  }
  const sentTo = (phone: string) => messenger.sent.filter((m) => m.phone === phone);
  const contactedEpisodes = async () =>
    (await committedEvents(database().db, { subjects: ['episode.contacted'] })).map(
      (r) => (r.event.data as { episodeId: string }).episodeId,
    );

  it('withdraws a pending SMS when a persuader clears the person, and the sweep sends it to nobody', async () => {
    const cleared = '+8613800139001';
    const warned = '+8613800139002';
    const clearedId = await open(cleared);
    const warnedId = await open(warned);
    const closed = await close(clearedId, 'not_fraud');
    // The close answers with the contact as it now stands.
    expect(closed.contacts.map((c) => [c.channel, c.status, c.sentAt])).toEqual([['sms', 'withdrawn', null]]);
    expect(closed.contacts[0]!.failure).toMatch(/not_fraud/);

    // The sweep sends the open episode's SMS, and nothing to the person cleared.
    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ sent: 1 });
    expect(sentTo(warned)).toHaveLength(1);
    expect(sentTo(cleared)).toEqual([]);
    const res = await h.app.inject({ method: 'GET', url: `/api/episodes/${clearedId}`, headers: { cookie } });
    const view = res.json<EpisodeView>();
    expect(view.contacts.map((c) => [c.channel, c.status])).toEqual([['sms', 'withdrawn']]);
    expect(view.contacts[0]!.failure).toBe('episode closed (not_fraud) before it was sent');
    // Not sent, so not counted: no `episode.contacted` for it, and it is no contact made.
    const contacted = await contactedEpisodes();
    expect(contacted).toContain(warnedId);
    expect(contacted).not.toContain(clearedId);
  });

  it('withdraws the robot call a timer placed on the way to a duplicate close, in the close', async () => {
    const phone = '+8613800139003';
    const id = await open(phone);
    await h.app.services.episodeSweep.sweepOnce(); // its SMS goes out
    expect(sentTo(phone)).toHaveLength(1);
    // The SMS's SLA has run out, no sweep has come yet: the close meets the robot call's step first.
    h.clock.advance(2 * MINUTE);
    const closed = await close(id, 'duplicate');
    expect(closed.ladder.history.map((x) => x.step)).toEqual(['sms', 'robot_call', 'closed']);
    expect(closed.contacts.map((c) => [c.channel, c.status])).toEqual([
      ['sms', 'sent'],
      ['robot_call', 'withdrawn'],
    ]);
    h.clock.advance(MINUTE);
    await h.app.services.episodeSweep.sweepOnce();
    expect(sentTo(phone)).toHaveLength(1);
    expect(sentTo(phone)[0]!.channel).toBe('sms');
  });

  it('never sends a contact older code left pending on a closed episode, and withdraws it', async () => {
    const phone = '+8613800139004';
    const id = await open(phone);
    await close(id, 'persuaded');
    // As the earlier code left it: closed, its SMS still waiting for the messenger.
    await db()
      .updateTable('episode_contact')
      .set({ status: 'pending', failure: null })
      .where('episode_id', '=', id)
      .execute();
    const before = await contactedEpisodes();
    expect(await h.app.services.episodeSweep.sweepOnce()).toMatchObject({ sent: 0 });
    expect(sentTo(phone)).toEqual([]);
    const contacts = await db()
      .selectFrom('episode_contact')
      .select(['status', 'sent_at', 'failure'])
      .where('episode_id', '=', id)
      .execute();
    expect(contacts).toEqual([
      { status: 'withdrawn', sent_at: null, failure: 'episode closed (persuaded) before it was sent' },
    ]);
    expect(await contactedEpisodes()).toEqual(before);
    // Nothing is left for the sweep to do.
    expect(await h.app.services.episodeSweep.sweepOnce()).toEqual({ fired: 0, sent: 0 });
  });
});
