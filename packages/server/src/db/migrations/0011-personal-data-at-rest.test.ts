import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase, storageKinds } from '../../../testing/test-databases';
import {
  createFieldKeys,
  fieldCipher,
  openFieldKeys,
  openRows,
  withFieldKeys,
} from '../../platform/crypto/field-cipher';
import { fieldKeyStatus, sealPlaintextFields } from '../../platform/crypto/field-rotation';
import { countingDb } from '../../../testing/statement-count';
import { migrate } from '../database';

/**
 * Upgrading a centre whose personal data was stored in plaintext: the migration (which has no key) marks
 * every such value, so that none can pass for a ciphertext; the start-up backfill encrypts them.
 */
describe.each(storageKinds)('migration 0011 on existing data [%s]', (kind) => {
  it('marks plaintext values, which the backfill then encrypts with their blind indexes', async () => {
    const database = await freshDatabase(kind, { migrated: false });
    try {
      const { db } = database;
      await migrate(db, '0009-sign-in-refusal-bursts');
      const user = randomUUID();
      const report = randomUUID();
      const stop = randomUUID();
      // A name that looks like a ciphertext must still be taken for what it is: plaintext.
      const lookalike = 'fz1.aes-256-gcm.1.AAAA.BBBB.CCCC';
      await sql`insert into app_user (id, username, display_name, role, password_hash)
        values (${user}, 'legacy', 'legacy', 'supervisor', 'x')`.execute(db);
      await sql`insert into report (id, number, version, status, created_by, call_answered_at, victim_name,
          victim_id_number, victim_phone, victim_address, created_at, updated_at)
        values (${report}, 'JJ-LEGACY-11', 1, 'registered', ${user}, now(), ${lookalike}, '520102198001011235',
          '13812345678', '南明区', now(), now())`.execute(db);
      await sql`insert into report_transfer (report_id, key, position, to_name) values (${report}, 't0', 0, '赵收款')`.execute(
        db,
      );
      await sql`insert into stop_payment (id, report_id, layer, account_number, account_name, bank_code,
          amount_fen, status, created_at, updated_at)
        values (${stop}, ${report}, 1, '6217000000000011111', '孙八', 'ICBC', 1000, 'pending', now(), now())`.execute(
        db,
      );
      await migrate(db);

      const marked = await sql<Record<string, string>>`
        select victim_name, victim_phone, victim_county_code from report where id = ${report}`.execute(db);
      expect(marked.rows[0]).toMatchObject({
        victim_name: `plain:${lookalike}`,
        victim_phone: 'plain:13812345678',
      });

      const keys = createFieldKeys(Buffer.alloc(32, 3));
      await openFieldKeys(db, keys, new Date());
      const keyed = withFieldKeys(db, keys);
      // Six of 0011's columns, and the report's narrative (marked by 0017, which runs after it).
      expect((await fieldKeyStatus(keyed)).plaintext).toBe(7);
      await sealPlaintextFields(keyed, { batchSize: 1 });
      expect((await fieldKeyStatus(keyed)).plaintext).toBe(0);
      // Run again: nothing left to do, nothing changed.
      const once = await sql<{ whole: string }>`select report::text as whole from report`.execute(db);
      await sealPlaintextFields(keyed);
      expect(
        (await sql<{ whole: string }>`select report::text as whole from report`.execute(db)).rows,
      ).toEqual(once.rows);
      for (const plain of [lookalike, '520102198001011235', '13812345678', '南明区'])
        expect(once.rows[0]!.whole).not.toContain(plain);
      // Done: a later start reads the list of sealed fields and scans none of the tables again; a field
      // not on the list (one added to the personal data later) is scanned, once.
      const counting = countingDb(db);
      await sealPlaintextFields(withFieldKeys(counting.db, keys));
      expect(counting.kinds).toEqual(['Select field_seal_pass']);
      await db.deleteFrom('field_seal_pass').where('place', '=', 'report.victim_phone').execute();
      counting.reset();
      counting.kinds.length = 0;
      await sealPlaintextFields(withFieldKeys(counting.db, keys));
      expect(counting.count()).toBe(3);
      expect(
        await db
          .selectFrom('field_seal_pass')
          .select('place')
          .where('place', '=', 'report.victim_phone')
          .execute(),
      ).toHaveLength(1);

      const [row] = await openRows(
        keyed,
        'report',
        await db.selectFrom('report').selectAll().where('id', '=', report).execute(),
      );
      expect(row).toMatchObject({
        victim_name: lookalike,
        victim_id_number: '520102198001011235',
        victim_phone: '13812345678',
        victim_address: '南明区',
      });
      const cipher = await fieldCipher(keyed);
      expect(row!.victim_phone_bidx).toBe(cipher.blindIndex('report.victim_phone', '13812345678'));
      expect(row!.victim_id_number_bidx).toBe(
        cipher.blindIndex('report.victim_id_number', '520102198001011235'),
      );
      const [stopRow] = await openRows(
        keyed,
        'stop_payment',
        await db.selectFrom('stop_payment').select(['id', 'account_name']).execute(),
      );
      expect(stopRow!.account_name).toBe('孙八');
    } finally {
      await database.close();
    }
  });
});
