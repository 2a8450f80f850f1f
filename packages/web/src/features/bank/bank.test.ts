import type { SignedInstruction } from '@fanzha/contracts';
import { withIdCheckChar, withLuhnCheckDigit } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { emptyAnswer, toResultRequest, type AnswerForm } from './answer-form';
import {
  compareSequence,
  factsOf,
  keepLiveArrivals,
  mergeItems,
  readFeed,
  splitQueue,
  type BankItem,
} from './bank-queue';
import { isPartial, newConfirmForm, toConfirmation } from './confirm-form';
import { idempotencyKeyFor } from './idempotency-key';

const common = {
  version: 2 as const,
  bankCode: 'ICBC',
  account: { number: '6222', name: '王某' },
  reportNumber: 'JJ1',
  issuedAt: '2025-05-01T01:01:00Z',
  issuer: 'centre',
};

let n = 0;
/** An emergency stop (or another kind) in the feed, at a feed position. */
function item(over: Partial<BankItem> & { id?: string; seq?: number } = {}): BankItem {
  const { id, seq, ...rest } = over;
  n += 1;
  return {
    instruction: {
      type: 'emergency_stop_payment',
      ...common,
      instructionId: id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      amountFen: 100,
      transferredAt: null,
      legalDocNumber: 'DOC-1',
      layer: 1,
      parentInstructionId: null,
      lapsesAfterHours: 48,
      stopSeq: 1,
      renewsInstructionId: null,
    },
    signature: 'sig',
    keyId: 'k1',
    algorithm: 'Ed25519',
    kind: 'emergency_stop_payment',
    status: 'sent',
    sequence: String(seq ?? n),
    updatedAt: '2025-05-01T01:01:00Z',
    deadlineAt: null,
    answer: null,
    ...rest,
  };
}

const answer = (outcome: SignedInstruction['status'], answeredAt: string): SignedInstruction['answer'] => ({
  outcome,
  amountFen: 5,
  executedAt: answeredAt,
  bankReference: null,
  failureReason: null,
  note: null,
  answeredAt,
  answeredBy: 'x',
});

const returnItem = (over: Partial<BankItem> = {}): BankItem =>
  item({
    instruction: {
      type: 'return',
      ...common,
      instructionId: '00000000-0000-4000-8000-00000000abcd',
      freezeInstructionId: '00000000-0000-4000-8000-00000000f000',
      amountFen: 2_000_000,
      payee: { name: '钱某', account: '6228480000000000000', bankCode: 'ABC', bankName: '农业银行' },
      decisionNumber: '返字1号',
      dueAt: '2025-05-06T15:59:59Z',
    },
    kind: 'return',
    deadlineAt: '2025-05-06T15:59:59Z',
    ...over,
  });

describe('the bank queue', () => {
  it('compares feed positions as numbers, beyond what a float holds', () => {
    expect(compareSequence('9', '10')).toBeLessThan(0);
    expect(compareSequence('900719925474099312', '900719925474099311')).toBeGreaterThan(0);
    expect(compareSequence('42', '42')).toBe(0);
  });

  it('keeps each instruction once, in its latest state, and only of its own bank', () => {
    const sent = item({ id: 'a', seq: 5 });
    const acked = { ...sent, status: 'acknowledged' as const, sequence: '7' };
    expect(mergeItems([sent], [acked], 'ICBC')).toEqual([acked]);
    // A late page with an older state does not undo the live change.
    expect(mergeItems([acked], [sent], 'ICBC')).toEqual([acked]);
    const foreign = item({ instruction: { ...sent.instruction, bankCode: 'CCB', instructionId: 'b' } });
    expect(mergeItems([], [foreign], 'ICBC')).toEqual([]);
  });

  it('keeps a new instruction that arrived live while the queue was being read again', () => {
    const old = item({ id: 'old', seq: 10 });
    const live = item({ id: 'live', seq: 12 });
    const answeredLongAgo = item({ id: 'gone', seq: 3, status: 'stopped' });
    const result = keepLiveArrivals([old], [old, live, answeredLongAgo], 'ICBC');
    expect(result.map((i) => i.instruction.instructionId).sort()).toEqual(['live', 'old']);
  });

  it('shows open work first, stops before measures, measures by their deadline; then the latest answers', () => {
    const stop = item({ id: 'stop' });
    const soon = returnItem({ deadlineAt: '2025-05-02T00:00:00Z', sequence: '50' });
    const later = item({ id: 'freeze', kind: 'freeze', deadlineAt: '2025-11-01T00:00:00Z' });
    const old = item({ id: 'old', status: 'stopped', answer: answer('stopped', '2025-05-01T01:05:00Z') });
    const recent = item({ id: 'new', status: 'stopped', answer: answer('stopped', '2025-05-01T02:05:00Z') });
    const { open, answered } = splitQueue([later, old, soon, recent, stop]);
    expect(open.map((i) => i.kind)).toEqual(['emergency_stop_payment', 'return', 'freeze']);
    expect(answered.map((i) => i.instruction.instructionId)).toEqual(['new', 'old']);
  });

  it("reads each kind's key facts: the payee and due time of a return", () => {
    expect(factsOf(returnItem())).toMatchObject({
      kind: 'return',
      amountFen: 2_000_000,
      decisionNumber: '返字1号',
      dueAt: '2025-05-06T15:59:59Z',
      payee: { name: '钱某', account: '6228480000000000000', bankName: '农业银行' },
      layer: null,
    });
    expect(factsOf(item())).toMatchObject({ layer: 1, legalDocNumber: 'DOC-1', payee: null });
  });

  it('reads the open work to the end of the feed, page after page', async () => {
    const pages = [
      { instructions: [item(), item()], nextCursor: '2', hasMore: true },
      { instructions: [item()], nextCursor: '3', hasMore: false },
    ];
    const asked: (string | null)[] = [];
    const items = await readFeed((after) => {
      asked.push(after);
      return Promise.resolve(pages[asked.length - 1]!);
    });
    expect(items).toHaveLength(3);
    expect(asked).toEqual([null, '2']);
  });

  it('keeps the idempotency key while the same answer is retried, and changes it with the answer', () => {
    let k = 0;
    const make = () => `k${++k}`;
    const first = idempotencyKeyFor(null, '{"a":1}', make);
    expect(idempotencyKeyFor(first, '{"a":1}', make).key).toBe('k1');
    expect(idempotencyKeyFor(first, '{"a":2}', make).key).toBe('k2');
  });
});

describe('toResultRequest', () => {
  const now = new Date('2025-05-01T02:00:00Z');
  const ccb = withLuhnCheckDigit('621700' + '123456789012');
  it('builds a stopped answer with its time and onward transfers in fen', () => {
    const form: AnswerForm = {
      ...emptyAnswer(),
      stopped: '30,000',
      balance: '30000',
      stoppedAt: '09:50',
      onward: [
        { key: 'a', account: ccb, name: '赵某', amount: '12000', time: '09:40' },
        { key: 'b', account: '', name: '', amount: '', time: '' },
      ],
    };
    expect(toResultRequest(form, now)).toEqual({
      ok: true,
      body: {
        outcome: 'stopped',
        stoppedFen: 3_000_000,
        balanceFen: 3_000_000,
        stoppedAt: '2025-05-01T01:50:00.000Z',
        onwardTransfers: [
          {
            account: { number: ccb, name: '赵某' },
            amountFen: 1_200_000,
            transferredAt: '2025-05-01T01:40:00.000Z',
          },
        ],
      },
    });
  });

  it('always sends the money fields the contract requires, even with nothing onward', () => {
    const result = toResultRequest({ ...emptyAnswer(), stopped: '100' }, now);
    expect(result).toEqual({
      ok: true,
      body: { outcome: 'stopped', stoppedFen: 10_000, onwardTransfers: [] },
    });
  });

  it('names every problem: missing amount, reason, bad card, time, above the balance', () => {
    const stopped = toResultRequest(
      {
        ...emptyAnswer(),
        stoppedAt: 'soon',
        onward: [{ key: 'a', account: '6217001', name: '', amount: 'x', time: 'later' }],
      },
      now,
    );
    expect(stopped.ok).toBe(false);
    if (!stopped.ok)
      expect(Object.fromEntries(stopped.errors)).toEqual({
        stopped: 'required',
        stoppedAt: 'time',
        'onward.a.account': 'card.length',
        'onward.a.amount': 'amount',
        'onward.a.time': 'time',
      });
    const above = toResultRequest({ ...emptyAnswer(), stopped: '200', balance: '100' }, now);
    expect(above.ok ? {} : Object.fromEntries(above.errors)).toEqual({ stopped: 'aboveBalance' });
    const failed = toResultRequest({ ...emptyAnswer(), outcome: 'failed' }, now);
    expect(failed.ok ? [] : [...failed.errors.keys()]).toEqual(['failureReason']);
  });

  it('sends the holder’s ID number in normal form, and names a wrong one', () => {
    const id = withIdCheckChar('52010219900307001');
    expect(
      toResultRequest({ ...emptyAnswer(), stopped: '1', holderIdNumber: ` ${id.toLowerCase()} ` }, now),
    ).toEqual({
      ok: true,
      body: { outcome: 'stopped', stoppedFen: 100, holderIdNumber: id, onwardTransfers: [] },
    });
    const wrong = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    const bad = toResultRequest({ ...emptyAnswer(), stopped: '1', holderIdNumber: wrong }, now);
    expect(bad.ok ? {} : Object.fromEntries(bad.errors)).toEqual({ holderIdNumber: 'id.check_char' });
  });

  it('sends a failure with its reason, and "other" only with a note', () => {
    const ok = toResultRequest(
      { ...emptyAnswer(), outcome: 'failed', failureReason: 'nothing_to_stop' },
      now,
    );
    expect(ok).toEqual({
      ok: true,
      body: { outcome: 'failed', stoppedFen: 0, failureReason: 'nothing_to_stop', onwardTransfers: [] },
    });
    const other = { ...emptyAnswer(), outcome: 'failed' as const, failureReason: 'other' as const };
    expect(toResultRequest(other, now).ok).toBe(false);
    expect(toResultRequest({ ...other, note: '系统维护' }, now)).toMatchObject({
      ok: true,
      body: { failureReason: 'other', note: '系统维护' },
    });
  });
});

describe('toConfirmation', () => {
  const now = new Date('2025-05-01T02:00:00Z');
  it('confirms a partial return with its amount, time and transfer reference', () => {
    const form = {
      ...newConfirmForm(2_000_000),
      amount: '12000',
      executedAt: '09:30',
      bankReference: ' RT-1 ',
    };
    expect(form.amount).toBe('12000');
    expect(isPartial(form, 2_000_000)).toBe(true);
    expect(toConfirmation(form, 'return', 2_000_000, now)).toEqual({
      ok: true,
      body: {
        outcome: 'returned',
        executedAt: '2025-05-01T01:30:00.000Z',
        amountFen: 1_200_000,
        bankReference: 'RT-1',
      },
    });
  });

  it('confirms a freeze for the amount instructed at the moment of sending, and a renewal without an amount', () => {
    expect(toConfirmation(newConfirmForm(500), 'freeze', 500, now)).toEqual({
      ok: true,
      body: { outcome: 'frozen', executedAt: now.toISOString(), amountFen: 500 },
    });
    expect(toConfirmation(newConfirmForm(null), 'freeze_renewal', null, now)).toEqual({
      ok: true,
      body: { outcome: 'renewed', executedAt: now.toISOString() },
    });
  });

  it('refuses more than instructed, nothing, a return without its reference, and "other" without a note', () => {
    const problems = (r: ReturnType<typeof toConfirmation>) => (r.ok ? {} : Object.fromEntries(r.errors));
    expect(problems(toConfirmation({ ...newConfirmForm(500), amount: '6' }, 'release', 500, now))).toEqual({
      amount: 'tooMuch',
    });
    expect(problems(toConfirmation({ ...newConfirmForm(500), amount: '0' }, 'freeze', 500, now))).toEqual({
      amount: 'amount',
    });
    expect(problems(toConfirmation(newConfirmForm(500), 'return', 500, now))).toEqual({
      bankReference: 'required',
    });
    const failed = { ...newConfirmForm(500), isDone: false, failureReason: 'other' as const };
    expect(problems(toConfirmation(failed, 'freeze', 500, now))).toEqual({ note: 'required' });
    expect(toConfirmation({ ...failed, note: '司法冻结在先' }, 'freeze', 500, now)).toEqual({
      ok: true,
      body: { outcome: 'failed', failureReason: 'other', note: '司法冻结在先' },
    });
  });
});
