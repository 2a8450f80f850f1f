import { TestClock } from '@fanzha/domain';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../../../testing/test-databases';
import { newEvent } from '../events';
import { enqueue } from './outbox';
import { OUTBOX_RETENTION_MS, pruneOutbox } from './retention';

const clock = new TestClock('2026-03-01T08:00:00Z');
const DAY = 86_400_000;

describeEachStorage('outbox retention', (database) => {
  it('deletes published events and markers past retention, and never an unpublished event', async () => {
    const { db } = database();
    const now = clock.now();
    const old = new Date(now.getTime() - OUTBOX_RETENTION_MS - DAY);
    const recent = new Date(now.getTime() - DAY);
    const events = Array.from({ length: 4 }, (_, seq) =>
      newEvent('platform.probe', { seq, note: 'x' }, clock),
    );
    await enqueue(db, ...events);
    const [oldPublished, oldUnpublished, recentPublished, fresh] = events;
    await sql`update outbox set created_at = ${old}, published_at = ${old} where event_id = ${oldPublished!.id}`.execute(
      db,
    );
    await sql`update outbox set created_at = ${old} where event_id = ${oldUnpublished!.id}`.execute(db);
    await sql`update outbox set published_at = ${recent} where event_id = ${recentPublished!.id}`.execute(db);
    await db
      .insertInto('processed_event')
      .values([
        { consumer: 'probe', event_id: oldPublished!.id, processed_at: old },
        { consumer: 'probe', event_id: recentPublished!.id, processed_at: recent },
      ])
      .execute();

    expect(await pruneOutbox(db, now)).toBe(2);
    const left = (await db.selectFrom('outbox').select('event_id').execute()).map((r) => r.event_id);
    expect(left).toEqual(expect.arrayContaining([oldUnpublished!.id, recentPublished!.id, fresh!.id]));
    expect(left).not.toContain(oldPublished!.id);
    const markers = (await db.selectFrom('processed_event').select('event_id').execute()).map(
      (r) => r.event_id,
    );
    expect(markers).toEqual([recentPublished!.id]);
    expect(await pruneOutbox(db, now)).toBe(0);
  });
});
