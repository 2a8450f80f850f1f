import type { SignedInstruction, StopPaymentView } from '@fanzha/contracts';
import { withLuhnCheckDigit } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { emptyAnswer, toResultRequest, type AnswerForm } from './answer-form';
import { fromInstruction, idempotencyKeyFor, mergeBankRow, sortBankRows, type BankRow } from './bank-rows';

const view = (over: Partial<StopPaymentView> = {}): StopPaymentView => ({
  id: '00000000-0000-4000-8000-000000000001',
  reportId: '10000000-0000-4000-8000-000000000001',
  reportNumber: 'JJ1',
  parentId: null,
  layer: 1,
  account: { number: '6222', name: '王某', bankCode: 'ICBC', bankName: '工商银行' },
  amountFen: 100,
  transferredAt: null,
  status: 'sent',
  urgency: 1,
  legalDocNumber: 'DOC-1',
  createdAt: '2025-05-01T01:00:00Z',
  sentAt: '2025-05-01T01:01:00Z',
  acknowledgedAt: null,
  result: null,
  stopSeq: 1,
  renewsId: null,
  stoppedAt: null,
  expiresAt: null,
  lapsedAt: null,
  legalState: 'none',
  frozenFen: 0,
  returnedFen: 0,
  freeze: null,
  ...over,
});

const signed: SignedInstruction = {
  instruction: {
    type: 'emergency_stop_payment',
    instructionId: '00000000-0000-4000-8000-000000000001',
    bankCode: 'ICBC',
    account: { number: '6222', name: '王某' },
    amountFen: 100,
    transferredAt: null,
    legalDocNumber: 'DOC-1',
    layer: 1,
    parentInstructionId: null,
    reportNumber: 'JJ1',
    issuedAt: '2025-05-01T01:01:00Z',
    expiresAt: '2025-05-03T01:01:00Z',
    issuer: 'centre',
  },
  signature: 'sig',
  keyId: 'k1',
  status: 'sent',
};

describe('bank rows', () => {
  it('adds a live instruction of its own bank, never another bank’s or a pending one', () => {
    expect(mergeBankRow([], view(), 'ICBC')).toHaveLength(1);
    expect(mergeBankRow([], view({ account: { ...view().account, bankCode: 'CCB' } }), 'ICBC')).toEqual([]);
    expect(mergeBankRow([], view({ status: 'pending' }), 'ICBC')).toEqual([]);
  });

  it('keeps the signature details when a live update changes the status', () => {
    const rows = [fromInstruction(signed)];
    const [row] = mergeBankRow(rows, view({ status: 'acknowledged' }), 'ICBC');
    expect(row).toMatchObject({ status: 'acknowledged', keyId: 'k1', expiresAt: '2025-05-03T01:01:00Z' });
    const withResult = mergeBankRow(
      rows,
      view({
        status: 'stopped',
        result: {
          outcome: 'stopped',
          stoppedFen: 5,
          balanceFen: 5,
          failureReason: null,
          note: null,
          onwardTransfers: [],
          answeredAt: '2025-05-01T01:05:00Z',
          answeredBy: 'x',
        },
      }),
      'ICBC',
    );
    expect(fromInstruction({ ...signed, status: 'stopped' }, withResult[0]).result?.stoppedFen).toBe(5);
  });

  it('puts unanswered work first', () => {
    const row = (id: string, status: BankRow['status'], issuedAt: string): BankRow => ({
      ...fromInstruction(signed),
      id,
      status,
      issuedAt,
    });
    const sorted = sortBankRows([
      row('done', 'stopped', '2025-05-01T01:00:00Z'),
      row('ack', 'acknowledged', '2025-05-01T01:00:00Z'),
      row('new2', 'sent', '2025-05-01T01:03:00Z'),
      row('new1', 'sent', '2025-05-01T01:02:00Z'),
    ]);
    expect(sorted.map((r) => r.id)).toEqual(['new1', 'new2', 'ack', 'done']);
  });

  it('keeps the idempotency key while the same answer is retried, and changes it with the answer', () => {
    let n = 0;
    const make = () => `k${++n}`;
    const first = idempotencyKeyFor(null, '{"a":1}', make);
    expect(idempotencyKeyFor(first, '{"a":1}', make).key).toBe('k1');
    expect(idempotencyKeyFor(first, '{"a":2}', make).key).toBe('k2');
  });
});

describe('toResultRequest', () => {
  const now = new Date('2025-05-01T02:00:00Z');
  const ccb = withLuhnCheckDigit('621700' + '123456789012');
  it('builds a stopped answer with onward transfers in fen', () => {
    const form: AnswerForm = {
      ...emptyAnswer(),
      stopped: '30,000',
      balance: '30000',
      onward: [
        { key: 'a', account: ccb, name: '赵某', amount: '12000', time: '09:40' },
        { key: 'b', account: '', name: '', amount: '', time: '' },
      ],
    };
    const result = toResultRequest(form, now);
    expect(result).toEqual({
      ok: true,
      body: {
        outcome: 'stopped',
        stoppedFen: 3_000_000,
        balanceFen: 3_000_000,
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

  it('names every problem: missing amount, reason, bad card, time', () => {
    const stopped = toResultRequest(
      { ...emptyAnswer(), onward: [{ key: 'a', account: '6217001', name: '', amount: 'x', time: 'later' }] },
      now,
    );
    expect(stopped.ok).toBe(false);
    if (!stopped.ok)
      expect(Object.fromEntries(stopped.errors)).toEqual({
        stopped: 'required',
        'onward.a.account': 'card.length',
        'onward.a.amount': 'amount',
        'onward.a.time': 'time',
      });
    const failed = toResultRequest({ ...emptyAnswer(), outcome: 'failed' }, now);
    expect(failed.ok ? [] : [...failed.errors.keys()]).toEqual(['failureReason']);
    const ok = toResultRequest(
      { ...emptyAnswer(), outcome: 'failed', failureReason: 'nothing_to_stop' },
      now,
    );
    expect(ok).toMatchObject({
      ok: true,
      body: { outcome: 'failed', stoppedFen: 0, failureReason: 'nothing_to_stop' },
    });
  });
});
