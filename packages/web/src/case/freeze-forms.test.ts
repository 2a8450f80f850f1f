import type { FreezeView, StopPaymentView } from '@fanzha/contracts';
import { withLuhnCheckDigit } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import {
  centreDay,
  endsAtFor,
  freeToDecide,
  newDecisionForm,
  newFreezeForm,
  newRenewForm,
  toDecisionRequest,
  toFreezeRequest,
  toRenewRequest,
} from './freeze-forms';

// 2025-05-01 10:00:00 in Guizhou (UTC+8).
const now = new Date('2025-05-01T02:00:00Z');
const request = {
  amountFen: 5_000_000,
  result: { outcome: 'stopped', stoppedFen: 2_000_000 },
} as StopPaymentView;
const freeze = {
  amountFen: 2_000_000,
  endsAt: '2025-11-01T02:00:00.000Z',
  decisions: [],
} as unknown as FreezeView;
// An ABC debit card (BIN 622848): the receiving bank is known from the number.
const ABC_CARD = withLuhnCheckDigit('622848' + '000000000000');

describe('freeze form', () => {
  it('starts from the stopped amount and six months, which the server defaults itself', () => {
    const form = newFreezeForm(request, now, '可向作出决定的公安机关申请复议');
    expect(form).toMatchObject({ amount: '20000', endsOn: '2025-11-01' });
    const result = toFreezeRequest(
      { ...form, decisionNumber: ' 黔公冻字〔2025〕1号 ', reason: '涉诈资金' },
      request,
      now,
    );
    expect(result).toEqual({
      ok: true,
      body: {
        decisionNumber: '黔公冻字〔2025〕1号',
        amountFen: 2_000_000,
        reason: '涉诈资金',
        appealChannel: '可向作出决定的公安机关申请复议',
      },
    });
  });

  it('sends another end day at the same time of day, in the centre zone', () => {
    const form = {
      ...newFreezeForm(request, now, 'x'),
      decisionNumber: 'D-0001',
      reason: 'ok',
      appealChannel: 'ok',
    };
    const result = toFreezeRequest({ ...form, endsOn: '2025-08-01' }, request, now);
    expect(result.ok && result.body.endsAt).toBe('2025-08-01T02:00:00.000Z');
    expect(endsAtFor('2025-11-01', new Date('2025-11-01T02:00:00Z'))).toBeUndefined();
    expect(centreDay('2025-04-30T16:00:00Z')).toBe('2025-05-01');
  });

  it('refuses more than the amount involved, a past end, and missing fields', () => {
    const result = toFreezeRequest(
      { decisionNumber: 'D1', amount: '50000.01', endsOn: '2025-05-01', reason: '', appealChannel: 'x' },
      request,
      now,
    );
    expect(result.ok ? {} : Object.fromEntries(result.errors)).toEqual({
      decisionNumber: 'short',
      amount: 'tooMuch',
      endsOn: 'date',
      reason: 'required',
      appealChannel: 'short',
    });
    const full = toFreezeRequest(
      { decisionNumber: 'D-0001', amount: '50000', endsOn: '2025-05-02', reason: 'ok', appealChannel: 'ok' },
      request,
      now,
    );
    expect(full).toMatchObject({ ok: true, body: { amountFen: 5_000_000 } });
  });
});

describe('renewal and fund decisions', () => {
  it('renews for six more months from the current end by default', () => {
    const form = newRenewForm(freeze);
    expect(form.endsOn).toBe('2026-05-01');
    expect(toRenewRequest({ ...form, decisionNumber: 'R-0001' }, freeze)).toEqual({
      ok: true,
      body: { decisionNumber: 'R-0001' },
    });
    const early = toRenewRequest({ decisionNumber: 'R-0001', endsOn: '2025-10-01' }, freeze);
    expect(early.ok ? {} : Object.fromEntries(early.errors)).toEqual({ endsOn: 'date' });
    const late = toRenewRequest({ decisionNumber: 'R-0001', endsOn: '2026-05-02' }, freeze);
    expect(late.ok ? {} : Object.fromEntries(late.errors)).toEqual({ endsOn: 'tooLong' });
  });

  it('needs the victim’s account and name for a return, not for a release, and at most the frozen amount', () => {
    const base = { decisionNumber: 'F-0001', reason: '已查明', appealChannel: '复议' };
    const ret = toDecisionRequest({ ...newDecisionForm('return', freeze, ''), ...base }, freeze);
    expect(ret.ok ? {} : Object.fromEntries(ret.errors)).toEqual({
      victimAccount: 'required',
      payeeName: 'required',
    });
    const ok = toDecisionRequest(
      { ...newDecisionForm('return', freeze, '', ` ${ABC_CARD} `, ' 钱某 '), ...base, amount: '15000' },
      freeze,
    );
    // The receiving bank comes from the card's BIN: not sent.
    expect(ok).toEqual({
      ok: true,
      body: { kind: 'return', amountFen: 1_500_000, victimAccount: ABC_CARD, payeeName: '钱某', ...base },
    });
    const release = toDecisionRequest({ ...newDecisionForm('release', freeze, '复议'), ...base }, freeze);
    expect(release).toMatchObject({ ok: true, body: { kind: 'release', amountFen: 2_000_000 } });
    expect(release.ok && 'victimAccount' in release.body).toBe(false);
    const tooMuch = toDecisionRequest(
      { ...newDecisionForm('release', freeze, ''), ...base, amount: '20000.5' },
      freeze,
    );
    expect(tooMuch.ok ? {} : Object.fromEntries(tooMuch.errors)).toEqual({ amount: 'tooMuch' });
  });

  it('asks for the receiving bank when the account names none', () => {
    const base = { decisionNumber: 'F-0001', reason: '已查明', appealChannel: '复议', payeeName: '钱某' };
    const form = { ...newDecisionForm('return', freeze, '', '1234 5678 9012'), ...base };
    const missing = toDecisionRequest(form, freeze);
    expect(missing.ok ? {} : Object.fromEntries(missing.errors)).toEqual({ payeeBankCode: 'required' });
    expect(toDecisionRequest({ ...form, payeeBankCode: 'GZB' }, freeze)).toMatchObject({
      ok: true,
      body: { victimAccount: '123456789012', payeeBankCode: 'GZB' },
    });
  });

  it('offers only what other open decisions leave free of the freeze', () => {
    const busy = {
      ...freeze,
      decisions: [
        { status: 'approved', amountFen: 500_000 },
        { status: 'confirmed', amountFen: 100 },
        { status: 'rejected', amountFen: 900_000 },
      ],
    } as FreezeView;
    expect(freeToDecide(busy)).toEqual({ availableFen: 1_500_000, heldFen: 500_000 });
    expect(newDecisionForm('release', busy, '').amount).toBe('15000');
    const base = { decisionNumber: 'F-0001', reason: '已查明', appealChannel: '复议' };
    const over = toDecisionRequest(
      { ...newDecisionForm('release', busy, ''), ...base, amount: '15001' },
      busy,
    );
    expect(over.ok ? {} : Object.fromEntries(over.errors)).toEqual({ amount: 'tooMuch' });
  });
});
