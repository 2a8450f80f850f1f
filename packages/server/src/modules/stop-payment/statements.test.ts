import { TestClock } from '@fanzha/domain';
import { expect, it } from 'vitest';
import { measureStatements } from '../../../testing/statement-count';
import { describeEachStorage } from '../../../testing/test-databases';

describeEachStorage('statements of the hot writes', (database) => {
  const clock = new TestClock('2026-05-01T08:00:00Z');

  it('answers a bank in at most 10 statements with 4 onward transfers, and writes the whole next layer', async () => {
    const { db } = database();
    const counts = await measureStatements(db, clock, 4);
    expect(counts.bankAnswer).toBeLessThanOrEqual(10);
    const children = await db
      .selectFrom('stop_payment')
      .select(['id', 'status', 'layer', 'signature', 'bank_code'])
      .where('parent_id', '=', counts.requestId)
      .execute();
    expect(children).toHaveLength(4);
    for (const c of children) {
      // The first onward account's bank has answered since (`laterAnswer`).
      expect(c).toMatchObject({ status: c.bank_code === 'CCB' ? 'stopped' : 'sent', layer: 2 });
      expect(c.signature).toMatch(/\S/);
    }
    const instructions = await db
      .selectFrom('bank_instruction')
      .select('id')
      .where(
        'stop_payment_id',
        'in',
        children.map((c) => c.id),
      )
      .execute();
    expect(instructions).toHaveLength(4);
    const onward = await db
      .selectFrom('onward_transfer')
      .select('child_id')
      .where('stop_payment_id', '=', counts.requestId)
      .orderBy('position')
      .execute();
    expect(onward.map((o) => o.child_id).sort()).toEqual(children.map((c) => c.id).sort());
  });

  it('runs the same number of statements whatever the number of onward transfers', async () => {
    const { db } = database();
    const one = await measureStatements(db, clock, 1);
    const eight = await measureStatements(db, clock, 8);
    expect(eight.bankAnswer).toBe(one.bankAnswer);
    expect(eight.reportIntake).toBe(one.reportIntake);
  });

  it("locks the report's row last when the desk sends and the bank answers: after the audit entry and the outbox", async () => {
    // Concurrent sends and answers of one report's requests wait on each other's milestone updates: from there
    // to the commit only. (What follows it in the list is the feed's numbering, after the commit.)
    const { send, answer } = await measureStatements(database().db, clock, 2);
    for (const statements of [send, answer]) {
      const milestone = statements.indexOf('Update report');
      expect(
        statements.filter((k) => k === 'Update report'),
        statements.join(', '),
      ).toHaveLength(1);
      expect(milestone, statements.join(', ')).toBe(statements.indexOf('Insert audit_entry') + 2);
    }
  });

  it("runs no update of the report for a send or an answer after the report's first (its moments are set)", async () => {
    const { send, answer, laterSend, laterAnswer } = await measureStatements(database().db, clock, 2);
    expect(send, send.join(', ')).toContain('Update report');
    expect(answer, answer.join(', ')).toContain('Update report');
    expect(laterAnswer.length).toBeGreaterThan(0);
    expect(laterSend, laterSend.join(', ')).not.toContain('Update report');
    expect(laterAnswer, laterAnswer.join(', ')).not.toContain('Update report');
    expect(laterSend.length).toBe(send.length - 1);
  });

  // 5 of them are the county hand-off's (county-tasks), which reads back what it wrote.
  it('takes in a whole report in at most 11 statements', async () => {
    const counts = await measureStatements(database().db, clock, 0);
    expect(counts.reportIntake).toBeLessThanOrEqual(11);
  });
});
