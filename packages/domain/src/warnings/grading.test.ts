import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withIdCheckChar } from '../validators/id-number.validator';
import { ageFromIdNumber, gradeRank, gradeWarning, signalKinds, type GradingInput } from './grading';
import { contactCountWithin24h, isSamePerson, mergeWarning, type WarningEntry } from './episode';

const at = new Date('2026-06-01T02:00:00Z');
const daysAgo = (d: number) => new Date(at.getTime() - d * 86_400_000);
const quiet: GradingInput = {
  signalKind: 'sms',
  isTransferToKnownAccount: false,
  indicator: { reportCount: 1, lossFen: 0, lastReportedAt: daysAgo(60) },
  amountFen: null,
  contactCount: 1,
  personIdNumber: null,
  upstreamGrade: null,
  at,
};
const idBorn = (date: string) => withIdCheckChar(`520102${date.replaceAll('-', '')}123`);

describe('grading', () => {
  it('grades a lone SMS from a number with one old report 低', () => {
    expect(gradeWarning(quiet).grade).toBe('low');
  });

  it('grades a bank transfer to a known mule account 高 whatever else counts', () => {
    const stale = { ...quiet.indicator, lastReportedAt: daysAgo(400) };
    const g = gradeWarning({
      ...quiet,
      signalKind: 'bank_transfer',
      isTransferToKnownAccount: true,
      indicator: stale,
    });
    expect(g.grade).toBe('high');
    expect(g.factors.map((f) => f.factor)).toContain('transfer_to_known_account');
  });

  it('grades a call by the number’s strength, and a repeated SMS to an elderly person 高', () => {
    const strong = { reportCount: 6, lossFen: 0, lastReportedAt: daysAgo(2) };
    expect(gradeWarning({ ...quiet, signalKind: 'call' }).grade).toBe('low');
    expect(gradeWarning({ ...quiet, signalKind: 'call', indicator: strong }).grade).toBe('medium');
    expect(
      gradeWarning({ ...quiet, signalKind: 'call', indicator: { ...strong, lossFen: 10_000_000 } }).grade,
    ).toBe('high');
    const elderly = idBorn('1950-03-04');
    const g = gradeWarning({
      ...quiet,
      signalKind: 'sms',
      contactCount: 3,
      personIdNumber: elderly,
      indicator: { ...strong, reportCount: 2 },
    });
    expect(g.factors.map((f) => f.factor)).toEqual(
      expect.arrayContaining(['elderly', 'repeated_contact', 'recent']),
    );
    expect(g.grade).toBe('high');
  });

  it('counts the amount attempted', () => {
    const transfer = { ...quiet, signalKind: 'bank_transfer' as const };
    expect(gradeWarning({ ...transfer, amountFen: 6_000_000 }).score - gradeWarning(transfer).score).toBe(20);
    expect(gradeWarning({ ...transfer, amountFen: 600_000 }).score - gradeWarning(transfer).score).toBe(10);
  });

  it('never lowers an upstream centre’s level', () => {
    expect(gradeWarning({ ...quiet, signalKind: 'upstream_warning', upstreamGrade: 'high' }).grade).toBe(
      'high',
    );
  });

  it('reads the age from the ID number on the day, and ignores an invalid number', () => {
    expect(ageFromIdNumber(idBorn('1966-06-01'), at)).toBe(60);
    expect(ageFromIdNumber(idBorn('1966-06-02'), at)).toBe(59);
    expect(ageFromIdNumber('520102196606011230', at)).toBeNull();
    expect(
      gradeWarning({ ...quiet, personIdNumber: idBorn('2010-01-01') }).factors.map((f) => f.factor),
    ).toContain('minor');
  });

  it('never grades lower when something gets worse', () => {
    const input = fc.record({
      signalKind: fc.constantFrom(...signalKinds),
      isTransferToKnownAccount: fc.boolean(),
      reportCount: fc.nat(10),
      lossFen: fc.nat(50_000_000),
      days: fc.nat(400),
      amountFen: fc.option(fc.nat(10_000_000)),
      contactCount: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(
        input,
        fc.constantFrom('reports', 'losses', 'fresher', 'amount', 'contact', 'account'),
        (i, worse) => {
          const make = (j: typeof i): GradingInput => ({
            ...quiet,
            signalKind: j.signalKind,
            isTransferToKnownAccount: j.isTransferToKnownAccount,
            indicator: { reportCount: j.reportCount, lossFen: j.lossFen, lastReportedAt: daysAgo(j.days) },
            amountFen: j.amountFen,
            contactCount: j.contactCount,
          });
          const worsened = {
            reports: { ...i, reportCount: i.reportCount + 3 },
            losses: { ...i, lossFen: i.lossFen * 10 + 1_000_000 },
            fresher: { ...i, days: Math.floor(i.days / 2) },
            amount: { ...i, amountFen: (i.amountFen ?? 0) * 10 + 500_000 },
            contact: { ...i, contactCount: i.contactCount + 1 },
            account: { ...i, isTransferToKnownAccount: true },
          }[worse];
          expect(gradeRank(gradeWarning(make(worsened)).grade)).toBeGreaterThanOrEqual(
            gradeRank(gradeWarning(make(i)).grade),
          );
        },
      ),
    );
  });
});

const phone = '+8613800138000';
const w = (signalKey: string, grade: WarningEntry['grade'], minutes = 0): WarningEntry => ({
  signalKey,
  indicatorId: 1,
  signalKind: 'call',
  grade,
  at: new Date(at.getTime() + minutes * 60_000),
});

describe('episode merging', () => {
  it('opens one episode for a person without an open one', () => {
    const r = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'low'));
    expect(r.kind).toBe('opened');
    expect(r.episode.warnings).toHaveLength(1);
  });

  it('lists later warnings in the open episode, raising its grade but never lowering it', () => {
    let e = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'medium')).episode;
    const low = mergeWarning(e, { phone, idNumber: null }, w('op:2', 'low', 5));
    expect(low).toMatchObject({ kind: 'listed', isRaised: false });
    e = low.episode;
    expect(e.grade).toBe('medium');
    const high = mergeWarning(e, { phone, idNumber: null }, w('bank:9', 'high', 9));
    expect(high).toMatchObject({ kind: 'listed', isRaised: true });
    expect(high.episode.grade).toBe('high');
    expect(high.episode.warnings.map((x) => x.signalKey)).toEqual(['op:1', 'op:2', 'bank:9']);
  });

  it('changes nothing for a redelivered signal', () => {
    const e = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'low')).episode;
    const again = mergeWarning(e, { phone, idNumber: null }, w('op:1', 'high'));
    expect(again.kind).toBe('duplicate');
    expect(again.episode).toBe(e);
  });

  it('recognises the person by phone or ID number and keeps what a bank adds', () => {
    const id = idBorn('1980-01-01');
    const e = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'low')).episode;
    expect(isSamePerson(e, { phone: null, idNumber: id })).toBe(false);
    expect(isSamePerson(e, { phone, idNumber: id })).toBe(true);
    const merged = mergeWarning(e, { phone, idNumber: id }, w('bank:1', 'medium')).episode;
    expect(merged.person).toEqual({ phone, idNumber: id });
    expect(isSamePerson(merged, { phone: null, idNumber: id })).toBe(true);
  });

  it('opens a new episode after the last one closed', () => {
    const e = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'low')).episode;
    expect(mergeWarning({ ...e, isOpen: false }, { phone, idNumber: null }, w('op:2', 'low')).kind).toBe(
      'opened',
    );
  });

  it('counts contacts in the last 24 hours for grading', () => {
    let e = mergeWarning(undefined, { phone, idNumber: null }, w('op:1', 'low', -2000)).episode;
    e = mergeWarning(e, { phone, idNumber: null }, w('op:2', 'low', -60)).episode;
    expect(contactCountWithin24h(e, at)).toBe(2);
    expect(contactCountWithin24h(undefined, at)).toBe(1);
  });
});
