import { describe, expect, it } from 'vitest';
import { freshDatabase, storageKinds } from '../../../testing/test-databases';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../../platform/crypto/field-cipher';
import { fieldKeyStatus, sealPlaintextFields } from '../../platform/crypto/field-rotation';
import { systemClock } from '../../platform/clock';
import { newEvent } from '../../platform/events';
import { enqueue, openEnvelopes } from '../../platform/outbox/outbox';
import { migrate } from '../database';

/**
 * Events written unsealed after the start-up pass had listed the outbox as sealed (consumers that wrote
 * through a handle without the field keys) are sealed by the first start after migration 0051.
 */
describe.each(storageKinds)('migration 0051 on an outbox with unsealed events [%s]', (kind) => {
  it('has the next start seal them, and the pass list the outbox again', async () => {
    const database = await freshDatabase(kind, { migrated: false });
    try {
      const { db } = database;
      await migrate(db, '0050-webhook-retry');
      const keys = createFieldKeys(Buffer.alloc(32, 5));
      await openFieldKeys(db, keys, new Date());
      const keyed = withFieldKeys(db, keys);
      await sealPlaintextFields(keyed);
      // A consumer's event written without the keys, after the pass: plain JSON, and no later start sealed it.
      const event = newEvent(
        'report.changed',
        { id: crypto.randomUUID(), number: 'JJ-0051', status: 'registered', version: 1, createdBy: 'x' },
        systemClock,
      );
      await enqueue(db, event);
      expect((await fieldKeyStatus(keyed)).plaintext).toBe(1);
      await sealPlaintextFields(keyed);
      expect((await fieldKeyStatus(keyed)).plaintext).toBe(1);

      await migrate(db);
      await sealPlaintextFields(keyed);
      expect((await fieldKeyStatus(keyed)).plaintext).toBe(0);
      const rows = await db.selectFrom('outbox').select(['id', 'event_id', 'envelope']).execute();
      expect(JSON.stringify(rows[0]!.envelope)).not.toContain('JJ-0051');
      expect(await openEnvelopes(keyed, rows)).toEqual([event]);
      expect(
        await db
          .selectFrom('field_seal_pass')
          .select('place')
          .where('place', '=', 'outbox.envelope')
          .execute(),
      ).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
