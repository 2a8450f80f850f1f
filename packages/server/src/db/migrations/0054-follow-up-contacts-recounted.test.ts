import type { EpisodeList } from '@fanzha/contracts';
import type { ScreeningHit } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { committedEvents, harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { createRecordingMessenger, type Messenger } from '../../modules/warnings/index';
import { applyEpisodeEvents } from '../../modules/warning-follow-up/index';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { up } from './0054-follow-up-contacts-recounted';

const MINUTE = 60_000;

let seq = 0;
const hit = (phone: string, at: string): ScreeningHit => ({
  source: 'operator:china_mobile',
  signalId: `m54-${++seq}`,
  signalKind: 'sms',
  at,
  person: { phone, idNumber: null, name: null, countyCode: '520102' },
  indicator: {
    id: 8,
    kind: 'phone',
    value: '+8617100001111',
    status: 'active',
    riskLevel: 'high',
    reportCount: 3,
    lossFen: 5_000_000,
    lastReportedAt: '2026-04-28T08:00:00Z',
  },
  amountFen: null,
  upstreamGrade: null,
});

/**
 * Follow-up rows the earlier code left short (contacts the sweep sent after the episode's last event) count
 * again, after migration 0054, exactly what the follow-up consumer counts of the episodes today; a row
 * already right is left alone.
 */
describeEachStorage('migration 0054 on follow-ups that missed the sweep’s sends', (database) => {
  let h: Harness;
  const recording = createRecordingMessenger();
  const failing = new Set<string>();
  const messenger: Messenger = {
    send: (m) => (failing.has(m.phone) ? Promise.resolve({ ok: false, reason: 'down' }) : recording.send(m)),
  };
  beforeAll(async () => {
    h = await createHarness(database(), { messenger });
    await createCast(h, [['desk', 'persuader', {}]]);
  });
  afterAll(() => h.close());

  const db = () => withFieldKeys(database().db, harnessFieldKeys());
  const feed = async () =>
    applyEpisodeEvents(
      { db: db(), clock: h.clock },
      (
        await committedEvents(database().db, {
          subjects: ['episode.opened', 'episode.changed', 'episode.contacted'],
        })
      ).map((r) => r.event),
    );
  const rows = () =>
    db()
      .selectFrom('episode_follow_up')
      .select([
        'id',
        'sms',
        'robot_call',
        'human_call',
        'trusted_contact',
        'carrier_assist',
        'visit',
        'channel',
        'first_contact_s',
        'updated_at',
      ])
      .orderBy('id')
      .execute();

  it('counts each row’s contacts again as the consumer does, and changes only the rows short', async () => {
    const cookie = await h.signIn('desk');
    const open = (phone: string) =>
      db()
        .transaction()
        .execute((trx) => h.app.services.recordHits(trx, [hit(phone, h.clock.now().toISOString())]));
    await open('+8613800138202'); // SMS, robot call sent, a human call assigned
    await open('+8613800138203'); // closed before its SMS went: withdrawn (migration 0055), never sent
    failing.add('+8613800138204');
    await open('+8613800138204'); // SMS and robot call failed, a human call assigned
    const listed = await h.app.inject({ method: 'GET', url: '/api/episodes', headers: { cookie } });
    const closing = listed.json<EpisodeList>().episodes.find((e) => e.personPhoneMasked?.endsWith('8203'));
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${closing!.id}/outcome`,
      headers: { cookie },
      payload: { outcome: 'persuaded' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await h.app.services.episodeSweep.sweepOnce();
    for (const advance of [11 * MINUTE, 21 * MINUTE]) {
      h.clock.advance(advance);
      await h.app.services.episodeSweep.sweepOnce();
    }
    await open('+8613800138201'); // its SMS sent
    await h.app.services.episodeSweep.sweepOnce();
    await feed();
    const right = await rows();
    expect(right.map((r) => r.channel ?? 'none').sort()).toEqual(['human_call', 'human_call', 'none', 'sms']);
    expect(right.filter((r) => r.first_contact_s !== null)).toHaveLength(2);

    // What the earlier code left: the counts as read before the sends.
    const short = right.filter((r) => r.channel === 'sms' || r.robot_call > 0).map((r) => r.id);
    expect(short).toHaveLength(2);
    await sql`update episode_follow_up set sms = 0, robot_call = 0, first_contact_s = null,
      channel = case when human_call > 0 then 'human_call' end
      where id in (${sql.join(short)})`.execute(db());
    const shortRows = await rows();
    expect(shortRows).not.toEqual(right);

    // Run again on the migrated database (the harness applied it to an empty one): a migration sees no types.
    await up(db() as unknown as Kysely<unknown>);
    const after = await rows();
    const strip = (rs: typeof after) => rs.map(({ updated_at: _, ...r }) => r);
    expect(strip(after)).toEqual(strip(right));
    // Left alone: the row already right (nothing sent, a human call assigned).
    const untouched = right.find((r) => r.channel === 'human_call' && r.sms === 0)!;
    expect(after.find((r) => r.id === untouched.id)).toEqual(untouched);
  });
});
