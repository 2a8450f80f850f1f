import type { StopPaymentView } from '@fanzha/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { parseStreamMessage } from './live-stream';
import {
  applyStopPayment,
  stopPaymentsKey,
  upsertRequest,
  type StopPaymentFilter,
} from './stop-payment-cache';

const base: StopPaymentView = {
  id: '00000000-0000-4000-8000-000000000001',
  reportId: '10000000-0000-4000-8000-000000000001',
  reportNumber: 'JJ1',
  parentId: null,
  layer: 1,
  account: { number: '6222', name: null, bankCode: 'ICBC', bankName: '工商银行' },
  amountFen: 100,
  transferredAt: null,
  status: 'pending',
  urgency: 500,
  legalDocNumber: null,
  createdAt: '2025-05-01T01:00:00Z',
  sentAt: null,
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
};
const other = { ...base, id: '00000000-0000-4000-8000-000000000002', urgency: 900 };
const open: StopPaymentFilter = { statuses: ['pending', 'sent', 'acknowledged'] };

describe('upsertRequest', () => {
  it('adds a new request in urgency order, replaces a known one, drops one that left the filter', () => {
    expect(upsertRequest([base], other, open).map((r) => r.id)).toEqual([other.id, base.id]);
    const sent = { ...base, status: 'sent' as const };
    expect(upsertRequest([other, base], sent, open)[1]).toBe(sent);
    expect(upsertRequest([other, base], { ...base, status: 'stopped' }, open).map((r) => r.id)).toEqual([
      other.id,
    ]);
    expect(upsertRequest([other], { ...base, status: 'withdrawn' }, open)).toEqual([other]);
    expect(upsertRequest([], base, { ...open, reportId: 'another' })).toEqual([]);
  });
});

describe('applyStopPayment', () => {
  it('updates every cached list by its own filter, without refetching', () => {
    const client = new QueryClient();
    const answered: StopPaymentFilter = { statuses: ['stopped', 'failed'] };
    const ofReport: StopPaymentFilter = { statuses: ['pending', 'sent', 'stopped'], reportId: base.reportId };
    client.setQueryData(stopPaymentsKey(open), { requests: [base, other] });
    client.setQueryData(stopPaymentsKey(answered), { requests: [] });
    client.setQueryData(stopPaymentsKey(ofReport), { requests: [base] });
    client.setQueryData(['/api/users'], { users: [] });

    const stopped = { ...base, status: 'stopped' as const };
    applyStopPayment(client, stopped);
    const ids = (filter: StopPaymentFilter) =>
      client
        .getQueryData<{ requests: StopPaymentView[] }>(stopPaymentsKey(filter))
        ?.requests.map((r) => r.status);
    expect(ids(open)).toEqual(['pending']);
    expect(ids(answered)).toEqual(['stopped']);
    expect(ids(ofReport)).toEqual(['stopped']);
    expect(client.getQueryData(['/api/users'])).toEqual({ users: [] });
  });
});

describe('parseStreamMessage', () => {
  it('reads the two message types and skips anything else', () => {
    expect(parseStreamMessage(JSON.stringify({ type: 'stop-payment', request: base }))).toMatchObject({
      type: 'stop-payment',
    });
    expect(parseStreamMessage('{"type":"report","report":{"id":"x"}}')).toMatchObject({ type: 'report' });
    // A bank liaison's queue lives on these: dropping them left new instructions unseen until a reload.
    expect(parseStreamMessage('{"type":"bank-instruction","item":{"kind":"freeze"}}')).toMatchObject({
      type: 'bank-instruction',
    });
    expect(parseStreamMessage('{"type":"bank-instruction"}')).toBeUndefined();
    // The persuasion console's episodes: dropping them left a new warning unseen until a reload.
    expect(parseStreamMessage('{"type":"episode","episode":{"id":"e"},"change":"opened"}')).toMatchObject({
      type: 'episode',
    });
    expect(parseStreamMessage('{"type":"episode"}')).toBeUndefined();
    // The operators' and the centre's countermeasures: dropping them left a new block request unseen until a reload.
    expect(
      parseStreamMessage('{"type":"countermeasure","item":{"id":"c"},"change":"requested"}'),
    ).toMatchObject({ type: 'countermeasure' });
    expect(parseStreamMessage('{"type":"countermeasure"}')).toBeUndefined();
    // A two-cards measure's instruction to a bank or operator: their consoles and the centre's page follow it.
    expect(
      parseStreamMessage('{"type":"two-card-instruction","item":{"id":"t"},"change":"issued"}'),
    ).toMatchObject({ type: 'two-card-instruction' });
    expect(parseStreamMessage('{"type":"two-card-instruction"}')).toBeUndefined();
    expect(parseStreamMessage('not json')).toBeUndefined();
    expect(parseStreamMessage('{"type":"other"}')).toBeUndefined();
  });
});
