import type { TwoCardMeasureView } from '@fanzha/contracts';
import { withIdCheckChar } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf } from '../../../testing/core-loop-fixtures';
import { committedEvents } from '../../../testing/outbox-events';
import { describeEachStorage } from '../../../testing/test-databases';
import { applyTaskEvents } from '../../modules/tasks/index';
import { up } from './0053-two-card-instruction-withdrawn';

/**
 * Measures lifted before the lift withdrew their open applies: after migration 0053 those applies are withdrawn
 * at their measure's lift and their supervision tasks cancelled; an executed apply, a lift instruction and the
 * applies of a measure not lifted are left as they are.
 */
describeEachStorage('migration 0053 on lifted measures’ open applies', (database) => {
  let h: Harness;
  let c: Record<string, string> = {};
  let n = 0;
  const cast = [
    ['analyst', 'analyst', {}],
    ['sup', 'supervisor', {}],
    ['mobile', 'telecom_liaison', { operatorCode: 'china_mobile' }],
  ] as const;
  const holder = withIdCheckChar('52010219880303007');

  beforeAll(async () => {
    h = await createHarness(database());
    await createCast(h, cast);
    c = await signInCast(h, cast);
  });
  afterAll(() => h.close());

  const post = (who: string, url: string, payload: object) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { cookie: c[who]!, 'idempotency-key': `m53-${++n}` },
      payload,
    });

  it('withdraws them at the lift and cancels their tasks, and leaves the rest', async () => {
    const db = database().db;
    const imported = await post('analyst', '/api/two-cards/imports', {
      format: 'json',
      rows: [
        { kind: 'bank', number: cardOf('ICBC', 5301), holder_id_number: holder, place_name: '南明支行' },
      ],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const { holder_id: holderId } = await db
      .selectFrom('two_card')
      .select('holder_id')
      .where('number', '=', cardOf('ICBC', 5301))
      .executeTakeFirstOrThrow();
    const record = async (kind: string) => {
      const res = await post('analyst', `/api/two-cards/holders/${holderId}/measures`, {
        kind,
        startsAt: h.clock.now().toISOString(),
        reason: '出租银行卡，经核查认定',
        decidingUnit: '南明分局',
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<TwoCardMeasureView>();
    };
    const lifted = await record('limit_new_phone_cards');
    const mobileApply = lifted.instructions.find((i) => i.partyCode === 'china_mobile')!;
    expect(
      (await post('mobile', `/api/two-cards/instructions/${mobileApply.id}/answer`, { answer: 'executed' }))
        .statusCode,
    ).toBe(200);
    const kept = await record('no_new_accounts');
    h.clock.advance(60_000);
    const liftAt = h.clock.now();
    expect(
      (await post('sup', `/api/two-cards/measures/${lifted.id}/lift`, { reason: '申诉成立' })).statusCode,
    ).toBe(200);
    // The supervision queue as its consumer keeps it: the outbox's task reports, in order.
    const events = await committedEvents(db, { subjects: ['task.reported'] });
    await applyTaskEvents(
      { db, clock: h.clock },
      events.map((e) => e.event),
    );

    // What the earlier code left: the lifted measure's unanswered applies still sent, their tasks open.
    await sql`alter table two_card_instruction drop column withdrawn_at`.execute(db);
    await sql`update two_card_instruction set status = 'sent' where status = 'withdrawn'`.execute(db);
    await sql`
      update task set status = 'open', done_at = null, feedback = null
      where kind = 'two-card-instruction' and status = 'cancelled'`.execute(db);

    await up(db as unknown as Kysely<unknown>);

    const rows = await db
      .selectFrom('two_card_instruction')
      .select(['id', 'measure_id', 'action', 'party_code', 'status', 'withdrawn_at'])
      .execute();
    const of = (measureId: string, action: string) =>
      rows
        .filter((r) => r.measure_id === measureId && r.action === action)
        .map((r) => [r.party_code, r.status, r.withdrawn_at && new Date(r.withdrawn_at).toISOString()])
        .sort();
    expect(of(lifted.id, 'apply')).toEqual([
      ['china_broadnet', 'withdrawn', liftAt.toISOString()],
      ['china_mobile', 'executed', null],
      ['china_telecom', 'withdrawn', liftAt.toISOString()],
      ['china_unicom', 'withdrawn', liftAt.toISOString()],
    ]);
    expect(of(lifted.id, 'lift').map(([, status]) => status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(of(kept.id, 'apply')).toEqual([['ICBC', 'sent', null]]);

    const taskOf = async (id: string) =>
      db
        .selectFrom('task')
        .select(['status', 'feedback'])
        .where('kind', '=', 'two-card-instruction')
        .where('source_id', '=', id)
        .executeTakeFirstOrThrow();
    for (const r of rows) {
      const t = await taskOf(r.id);
      if (r.status === 'withdrawn') expect(t).toEqual({ status: 'cancelled', feedback: 'withdrawn' });
      else if (r.status === 'executed') expect(t.status).toBe('done');
      else expect(t.status).toBe('open');
    }
  });
});
