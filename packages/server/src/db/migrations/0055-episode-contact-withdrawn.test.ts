import type { EpisodeList } from '@fanzha/contracts';
import type { ScreeningHit } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, type Harness } from '../../../testing/app-harness';
import { harnessFieldKeys } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { withFieldKeys } from '../../platform/crypto/field-cipher';
import { up } from './0055-episode-contact-withdrawn';

let seq = 0;
const hit = (phone: string, at: string): ScreeningHit => ({
  source: 'operator:china_mobile',
  signalId: `m55-${++seq}`,
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
 * The SMS older code left pending on an episode already closed are withdrawn by migration 0055, with how the
 * episode closed; an open episode's pending SMS is left to the sweep.
 */
describeEachStorage('migration 0055 on contacts left pending at a close', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, [['desk', 'persuader', {}]]);
  });
  afterAll(() => h.close());

  const db = () => withFieldKeys(database().db, harnessFieldKeys());

  it('withdraws the pending contacts of closed episodes only', async () => {
    const cookie = await h.signIn('desk');
    for (const phone of ['+8613800138301', '+8613800138302'])
      await db()
        .transaction()
        .execute((trx) => h.app.services.recordHits(trx, [hit(phone, h.clock.now().toISOString())]));
    const listed = (
      await h.app.inject({ method: 'GET', url: '/api/episodes', headers: { cookie } })
    ).json<EpisodeList>();
    const idOf = (tail: string) => listed.episodes.find((e) => e.personPhoneMasked?.endsWith(tail))!.id;
    const closed = idOf('8301');
    const open = idOf('8302');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/episodes/${closed}/outcome`,
      headers: { cookie },
      payload: { outcome: 'not_fraud' },
    });
    expect(res.statusCode, res.body).toBe(200);
    // As the earlier code left it: closed, its SMS still pending.
    await db()
      .updateTable('episode_contact')
      .set({ status: 'pending', failure: null })
      .where('episode_id', '=', closed)
      .execute();

    // Run again on the migrated database (the harness applied it to an empty one): a migration sees no types.
    await up(db() as unknown as Kysely<unknown>);
    const contacts = await db()
      .selectFrom('episode_contact')
      .select(['episode_id', 'status', 'sent_at', 'failure'])
      .where('episode_id', 'in', [closed, open])
      .execute();
    expect(contacts.find((c) => c.episode_id === closed)).toEqual({
      episode_id: closed,
      status: 'withdrawn',
      sent_at: null,
      failure: 'episode closed (not_fraud) before it was sent',
    });
    expect(contacts.find((c) => c.episode_id === open)).toMatchObject({ status: 'pending', failure: null });
  });
});
