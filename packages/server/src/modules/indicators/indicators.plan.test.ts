import { describe, expect, it } from 'vitest';
import type { IndicatorRow } from './indicators.repository';
import { planBatch, sightingsOf, type Sighting, type Skipped } from './indicators.plan';

const now = new Date('2026-05-01T08:00:00Z');
const at = new Date('2026-05-01T07:00:00Z');
const R1 = '00000000-0000-4000-8000-000000000001';
const R2 = '00000000-0000-4000-8000-000000000002';

const row = (over: Partial<IndicatorRow> = {}): IndicatorRow => ({
  id: 7,
  kind: 'phone',
  value: '+8613800138000',
  status: 'active',
  risk_level: 'low',
  report_count: 0,
  answer_count: 0,
  loss_fen: 0,
  first_seen_at: at,
  last_seen_at: at,
  last_reported_at: null,
  hit_count: 0,
  created_at: at,
  updated_at: at,
  risk_score: 0,
  scored_at: null,
  regrade_at: null,
  decided_at: null,
  merged_into: null,
  ...over,
});
const sighting = (over: Partial<Sighting> = {}): Sighting => ({
  kind: 'phone',
  value: '+8613800138000',
  sourceKind: 'report',
  sourceId: R1,
  reportId: R1,
  reportNumber: 'JQ1',
  lossFen: 100_000,
  at,
  ...over,
});

describe('sightingsOf', () => {
  it('normalises, maps contact kinds, drops free text and repeats, and lists what did not normalise', () => {
    const skipped: Skipped[] = [];
    const out = sightingsOf(
      { sourceKind: 'report', sourceId: R1, reportId: R1, reportNumber: 'JQ1', lossFen: 1, at },
      [
        { kind: 'phone', value: '13800138000' },
        { kind: 'phone', value: '+86 138 0013 8000' },
        { kind: 'url', value: 'https://a.b.example.com/x' },
        { kind: 'other', value: '自称客服' },
        { kind: 'app', value: '' },
        { kind: 'social', value: 'no-platform' },
      ],
      skipped,
    );
    expect(out.map((s) => `${s.kind}:${s.value}`)).toEqual(['phone:+8613800138000', 'domain:example.com']);
    expect(skipped).toEqual([{ kind: 'social', reason: 'social.format' }]);
  });

  it('makes a device contact a device indicator by its IMEI, and counts a bad one as skipped', () => {
    const skipped: Skipped[] = [];
    const out = sightingsOf(
      { sourceKind: 'report', sourceId: R1, reportId: R1, reportNumber: 'JQ1', lossFen: 1, at },
      [
        { kind: 'device', value: '49 015420 323751' },
        { kind: 'device', value: '490154203237519' },
      ],
      skipped,
    );
    expect(out.map((s) => `${s.kind}:${s.value}`)).toEqual(['device:490154203237518']);
    expect(skipped).toEqual([{ kind: 'device', reason: 'device.luhn' }]);
  });
});

describe('planBatch', () => {
  const plan = (
    sightings: Sighting[],
    rows: IndicatorRow[],
    existing = new Map<string, number>(),
    created = [7],
  ) => planBatch({ sightings, rows, created: new Set(created), existing, sharedReports: 2, now });

  it('counts a source once however often a batch names it', () => {
    const p = plan(
      [sighting(), sighting(), sighting({ sourceKind: 'bank_answer', sourceId: R2, lossFen: 0 })],
      [row()],
    );
    expect(p.sources).toHaveLength(2);
    expect(p.updates).toEqual([
      expect.objectContaining({
        id: 7,
        reportCount: 1,
        answerCount: 1,
        lossFen: 100_000,
        lastReportedAt: at,
      }),
    ]);
    expect([...p.tally]).toEqual([['active', 1]]);
  });

  it('changes nothing for a source already counted with the same loss', () => {
    const counted = row({
      report_count: 1,
      loss_fen: 100_000,
      last_reported_at: at,
      risk_level: 'medium',
      risk_score: 12 + 12 * Math.log10(2),
      scored_at: at,
    });
    const p = plan([sighting()], [counted], new Map([[`7|report|${R1}`, 100_000]]), []);
    expect(p).toEqual({ sources: [], sourceLosses: [], updates: [], tally: new Map() });
  });

  it('moves the loss by the difference when a report’s loss changed', () => {
    const counted = row({ report_count: 1, loss_fen: 100_000, last_reported_at: at, risk_level: 'medium' });
    const p = plan([sighting({ lossFen: 250_000 })], [counted], new Map([[`7|report|${R1}`, 100_000]]), []);
    expect(p.sourceLosses).toEqual([
      { indicatorId: 7, sourceKind: 'report', sourceId: R1, lossFen: 250_000 },
    ]);
    expect(p.updates).toEqual([expect.objectContaining({ lossFen: 250_000, reportCount: 1 })]);
    // The score moves by the weight's difference: 12 + 12 · log10(1 + 2.5) from 0 + (12 + 12 · log10 2) − …
    expect(p.updates[0]!.riskScore).toBeCloseTo(12 * Math.log10(3.5) - 12 * Math.log10(2), 9);
  });

  it('scores each new source and counts a merged value on the indicator it went to', () => {
    const survivor = row({ id: 9, value: '+8613900139000', risk_score: 12, scored_at: at, report_count: 1 });
    const aliases = new Map([['phone:+8613800138000', survivor]]);
    const p = planBatch({
      sightings: [sighting({ sourceId: R2, reportId: R2, lossFen: 900_000 })],
      rows: [survivor],
      created: new Set(),
      existing: new Map(),
      sharedReports: 50,
      now: at,
      halfLifeDays: 90,
      aliases,
    });
    expect(p.sources).toEqual([expect.objectContaining({ indicator_id: 9, source_id: R2 })]);
    // 12 + 24 = 36 at once: high, until the score falls below 30.
    expect(p.updates).toEqual([
      expect.objectContaining({ id: 9, reportCount: 2, riskLevel: 'high', scoredAt: at }),
    ]);
    expect(p.updates[0]!.riskScore).toBeCloseTo(36, 9);
    expect(p.updates[0]!.regradeAt!.getTime()).toBeGreaterThan(at.getTime() + 23 * 86_400_000);
  });

  it('makes an active indicator shared past the threshold and moves it in the tally', () => {
    const counted = row({ report_count: 2, loss_fen: 0, last_reported_at: at, risk_level: 'medium' });
    const p = plan([sighting({ sourceId: R2, reportId: R2 })], [counted], new Map(), []);
    expect(p.updates).toEqual([expect.objectContaining({ status: 'shared', reportCount: 3 })]);
    expect(p.tally).toEqual(
      new Map([
        ['active', -1],
        ['shared', 1],
      ]),
    );
  });
});
