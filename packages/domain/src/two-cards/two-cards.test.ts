import { describe, expect, it } from 'vitest';
import { holderCountyOf, normaliseHolderIdNumber, normaliseTwoCard, twoCardKey } from './cards';
import { defaultTwoCardPeriods, isLiftable, measureEndsAt, measureStateAt } from './measures';

const TODAY = new Date('2026-06-01T00:00:00Z');

describe('two cards: cards and holders', () => {
  it('normalises a bank card, its bank from the BIN or as given', () => {
    const card = normaliseTwoCard({ kind: 'bank', number: '6228 4800 1234 5678 903' });
    expect(card).toMatchObject({ ok: true, value: { kind: 'bank', number: '6228480012345678903' } });
    expect(card.ok && card.value.bankCode).toBeTruthy();
    expect(normaliseTwoCard({ kind: 'bank', number: '99990000111', bankCode: 'X01' })).toMatchObject({
      ok: true,
      value: { number: '99990000111', bankCode: 'X01', operator: null },
    });
    expect(normaliseTwoCard({ kind: 'bank', number: '99990000111' })).toMatchObject({
      ok: false,
      reason: 'card.bank_unknown',
    });
    expect(normaliseTwoCard({ kind: 'bank', number: '12ab' })).toMatchObject({ ok: false });
  });

  it('normalises a SIM to its national number, its operator from the segment or as given', () => {
    const sim = normaliseTwoCard({ kind: 'sim', number: '+86 138 1234 5678' });
    expect(sim).toMatchObject({ ok: true, value: { number: '13812345678', operator: 'china_mobile' } });
    expect(sim.ok && twoCardKey(sim.value)).toBe('sim:13812345678');
    expect(normaliseTwoCard({ kind: 'sim', number: '13812345678', operator: 'acme' })).toMatchObject({
      ok: false,
      reason: 'operator.unknown',
    });
    expect(normaliseTwoCard({ kind: 'sim', number: '12345' })).toMatchObject({ ok: false });
  });

  it('checks a holder’s ID number with the ID-number validator and finds their county', () => {
    expect(normaliseHolderIdNumber('52010219900307009x', TODAY)).toEqual({
      ok: true,
      value: '52010219900307009X',
    });
    expect(normaliseHolderIdNumber('520102199003070015', TODAY)).toMatchObject({
      ok: false,
      reason: 'id.check_char',
    });
    expect(holderCountyOf('520102199003070014', TODAY)).toBe('520102');
    expect(holderCountyOf('810000199408230021', TODAY)).toBeNull();
  });
});

describe('two cards: measures', () => {
  it('ends a measure after its configured period, the rules’ by default', () => {
    const start = new Date('2026-03-10T08:00:00Z');
    expect(measureEndsAt('no_non_counter_services', start, defaultTwoCardPeriods).toISOString()).toBe(
      '2031-03-10T08:00:00.000Z',
    );
    expect(measureEndsAt('no_new_accounts', start, defaultTwoCardPeriods).toISOString()).toBe(
      '2029-03-10T08:00:00.000Z',
    );
    const periods = { ...defaultTwoCardPeriods, no_new_accounts: 1 };
    expect(measureEndsAt('no_new_accounts', new Date('2026-01-31T00:00:00Z'), periods).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });

  it('is pending, in force, ended or lifted at a time', () => {
    const m = {
      startsAt: new Date('2026-01-01T00:00:00Z'),
      endsAt: new Date('2027-01-01T00:00:00Z'),
      liftedAt: null,
    };
    expect(measureStateAt(m, new Date('2025-12-31T23:59:59Z'))).toBe('pending');
    expect(measureStateAt(m, m.startsAt)).toBe('in_force');
    expect(measureStateAt(m, m.endsAt)).toBe('ended');
    expect(isLiftable(m, m.endsAt)).toBe(false);
    expect(isLiftable(m, m.startsAt)).toBe(true);
    const lifted = { ...m, liftedAt: new Date('2026-06-01T00:00:00Z') };
    expect(measureStateAt(lifted, new Date('2026-05-31T00:00:00Z'))).toBe('in_force');
    expect(measureStateAt(lifted, new Date('2026-06-01T00:00:00Z'))).toBe('lifted');
  });
});
