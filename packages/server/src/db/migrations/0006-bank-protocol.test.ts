import { randomUUID } from 'node:crypto';
import { SignedInstruction } from '@fanzha/contracts';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate } from '../database';
import { freshDatabase, storageKinds } from '../../../testing/test-databases';
import { toSignedInstruction } from '../../modules/bank-protocol/index';

/**
 * Upgrading a centre that already ran the emergency-stop protocol: what banks had in their queues stays there,
 * exactly as signed, and the freezes and returns already made keep their meaning.
 */
describe.each(storageKinds)('migration 0006 on existing data [%s]', (kind) => {
  it('carries sent stops into the banks’ feeds, in send order, and completes existing freezes and returns', async () => {
    const database = await freshDatabase(kind, { migrated: false });
    try {
      const { db } = database;
      await migrate(db, '0005-wall');

      const user = randomUUID();
      const report = randomUUID();
      const [first, second, stoppedStop] = [randomUUID(), randomUUID(), randomUUID()];
      const freeze = randomUUID();
      const decision = randomUUID();
      await sql`insert into app_user (id, username, display_name, role, password_hash)
        values (${user}, 'legacy', 'legacy', 'supervisor', 'x')`.execute(db);
      const approver = randomUUID();
      await sql`insert into app_user (id, username, display_name, role, password_hash)
        values (${approver}, 'legacy2', 'legacy2', 'supervisor', 'x')`.execute(db);
      await sql`insert into report (id, number, version, status, created_by, call_answered_at, created_at, updated_at)
        values (${report}, 'JJ-LEGACY-1', 1, 'registered', ${user}, now(), now(), now())`.execute(db);
      const v1 = (id: string) =>
        JSON.stringify({
          type: 'emergency_stop_payment',
          instructionId: id,
          bankCode: 'ICBC',
          expiresAt: '2026-01-03T00:00:00.000Z',
        });
      for (const [id, at, status] of [
        [second, '2026-01-01T00:02:00Z', 'sent'],
        [first, '2026-01-01T00:01:00Z', 'acknowledged'],
      ] as const)
        await sql`insert into stop_payment (id, report_id, layer, account_number, bank_code, amount_fen, status,
            legal_doc_number, instruction, signature, key_id, created_at, sent_at, updated_at)
          values (${id}, ${report}, 1, ${`62170000000000${id.slice(0, 5)}`}, 'ICBC', 1000, ${status}, 'DOC-1',
            ${v1(id)}::jsonb, 'sig', 'k1', ${at}, ${at}, ${at})`.execute(db);
      await sql`insert into stop_payment (id, report_id, layer, account_number, bank_code, amount_fen, status,
          legal_doc_number, instruction, signature, key_id, created_at, sent_at, outcome, stopped_fen, answered_at,
          answered_by, answer_key, answer_hash, stopped_at, expires_at, updated_at)
        values (${stoppedStop}, ${report}, 1, '6217000000000099999', 'CCB', 5000, 'stopped', 'DOC-2',
          ${v1(stoppedStop)}::jsonb, 'sig', 'k1', now(), now(), 'stopped', 5000, now(), 'ccb', 'k', 'h', now(),
          now() + interval '48 hours', now())`.execute(db);
      await sql`insert into account_freeze (id, stop_payment_id, report_id, decision_number, amount_fen, starts_at,
          ends_at, reason, appeal_channel, status, decided_by, created_at, updated_at)
        values (${freeze}, ${stoppedStop}, ${report}, 'FREEZE-1', 5000, now(), now() + interval '180 days', 'r', 'a',
          'returned', ${user}, now(), now())`.execute(db);
      await sql`insert into fund_decision (id, freeze_id, report_id, kind, amount_fen, victim_account, decision_number,
          reason, appeal_channel, status, proposed_by, proposed_at, decided_by, decided_at, due_at, confirmed_at,
          confirmed_by, bank_reference, updated_at)
        values (${decision}, ${freeze}, ${report}, 'return', 5000, '6217000000000011111', 'RET-1', 'r', 'a',
          'confirmed', ${user}, now(), ${approver}, now(), now() + interval '3 days', now(), 'ccb', 'REF', now())`.execute(
        db,
      );

      await migrate(db);

      const feed = await db
        .selectFrom('bank_instruction')
        .select(['id', 'bank_code', 'seq', 'status', 'payload', 'signature', 'deadline_at', 'answer_hash'])
        .orderBy('bank_code')
        .orderBy('seq')
        .execute();
      expect(feed.map((r) => [r.id, r.bank_code, Number(r.seq), r.status])).toEqual([
        [stoppedStop, 'CCB', 1, 'stopped'],
        [first, 'ICBC', 1, 'acknowledged'],
        [second, 'ICBC', 2, 'sent'],
      ]);
      // Exactly as signed: the version 1 payload and its signature.
      expect(feed[1]!.payload).toEqual(JSON.parse(v1(first)));
      expect(feed[1]!.signature).toBe('sig');
      // The published item shape serves it unchanged (the bytes a bank verifies).
      const legacy = await db
        .selectFrom('bank_instruction')
        .selectAll()
        .where('id', '=', first)
        .executeTakeFirstOrThrow();
      expect(SignedInstruction.encode(toSignedInstruction(legacy)).instruction).toEqual(
        JSON.parse(v1(first)),
      );
      // The stop's lapse ran when 0006 copied it; its freeze (returned in full here) took over from the stop,
      // so no deadline runs on it now (migration 0052, the rule of instructionDeadlineAt).
      expect(feed[0]!.deadline_at).toBeNull();
      expect(feed[0]!.answer_hash).toBe('h');
      expect(
        await db.selectFrom('bank_feed').select(['bank_code', 'last_seq']).orderBy('bank_code').execute(),
      ).toEqual([
        { bank_code: 'CCB', last_seq: 1 },
        { bank_code: 'ICBC', last_seq: 2 },
      ]);
      expect(
        await db
          .selectFrom('account_freeze')
          .select(['requested_fen', 'status'])
          .where('id', '=', freeze)
          .execute(),
      ).toEqual([{ requested_fen: 5000, status: 'returned' }]);
      expect(
        await db.selectFrom('fund_decision').select(['executed_fen']).where('id', '=', decision).execute(),
      ).toEqual([{ executed_fen: 5000 }]);
    } finally {
      await database.close();
    }
  });
});
