import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clusterProfile,
  crossesAlert,
  linkAll,
  nextClusterStatus,
  planLink,
  planMerge,
  planSplit,
  type LinkCandidate,
  type LinkValue,
} from './index';

const phone = (value: string): LinkValue => ({ kind: 'phone', value });
const account = (value: string): LinkValue => ({ kind: 'account', value });

describe('linkAll', () => {
  it('joins reports that share a value, with the value as the evidence of each link', () => {
    const r = linkAll(
      [
        { reportId: 'r1', values: [phone('+8613800000001')] },
        { reportId: 'r2', values: [phone('+8613800000001'), account('6222000000000001')] },
        { reportId: 'r3', values: [account('6222000000000001')] },
        { reportId: 'r4', values: [phone('+8613900000009')] },
      ],
      50,
    );
    expect(r.clusters).toEqual([['r1', 'r2', 'r3']]);
    expect(r.links).toEqual([
      { a: 'r1', b: 'r2', kind: 'phone', value: '+8613800000001' },
      { a: 'r2', b: 'r3', kind: 'account', value: '6222000000000001' },
    ]);
  });

  it('skips a value named by more reports than the guard allows', () => {
    const reports = ['a', 'b', 'c', 'd'].map((id) => ({ reportId: id, values: [phone('+8695555')] }));
    const r = linkAll(reports, 3);
    expect(r.clusters).toEqual([]);
    expect(r.links).toEqual([]);
    expect(r.skipped).toEqual([{ kind: 'phone', value: '+8695555', naming: 4 }]);
    expect(linkAll(reports, 4).clusters).toEqual([['a', 'b', 'c', 'd']]);
  });

  const arbReports = fc
    .array(
      fc.record({
        reportId: fc.constantFrom('r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'),
        values: fc.array(
          fc.record({
            kind: fc.constantFrom('phone' as const, 'account' as const, 'app' as const),
            value: fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5'),
          }),
          { maxLength: 3 },
        ),
      }),
      { maxLength: 10 },
    )
    // One row per report, as the index holds them.
    .map((rs) => [...new Map(rs.map((r) => [r.reportId, r])).values()]);

  it('is independent of the order of the reports (property)', () => {
    fc.assert(
      fc.property(arbReports, fc.integer({ min: 1, max: 6 }), fc.func(fc.integer()), (reports, guard, f) => {
        const shuffled = [...reports].sort((x, y) => f(x.reportId) - f(y.reportId));
        expect(linkAll(shuffled, guard)).toEqual(linkAll(reports, guard));
      }),
    );
  });

  it('incremental linking, report by report, gives the same clusters as the whole set (property)', () => {
    fc.assert(
      fc.property(arbReports, fc.integer({ min: 1, max: 6 }), (reports, guard) => {
        // The index and the clusters, kept as the server keeps them.
        const index: Array<{ kind: LinkValue['kind']; value: string; reportId: string }> = [];
        const clusterOf = new Map<string, string>();
        let next = 0;
        for (const r of reports) {
          const candidates: LinkCandidate[] = index
            .filter((x) => r.values.some((v) => v.kind === x.kind && v.value === x.value))
            .map((x) => {
              const c = clusterOf.get(x.reportId) ?? null;
              return {
                ...x,
                clusterId: c,
                clusterReports: c ? [...clusterOf.values()].filter((y) => y === c).length : 0,
                linkStatus: null,
              };
            });
          const plan = planLink({
            reportId: r.reportId,
            values: r.values,
            ownCluster: null,
            candidates,
            sharedLimit: guard,
          });
          for (const v of r.values)
            if (!index.some((x) => x.kind === v.kind && x.value === v.value && x.reportId === r.reportId))
              index.push({ ...v, reportId: r.reportId });
          const d = plan.decision;
          if (d.kind === 'create') {
            const id = `c${next++}`;
            for (const m of d.members) clusterOf.set(m, id);
          } else if (d.kind === 'join') {
            for (const [rep, c] of clusterOf) if (d.absorbed.includes(c)) clusterOf.set(rep, d.survivor);
            for (const m of d.added) clusterOf.set(m, d.survivor);
          }
        }
        // The guard counts the reports naming a value when a report arrives, so compare where nothing was
        // over-shared; with a guard at or above the number of reports, incremental equals whole.
        const whole = linkAll(reports, guard);
        if (whole.skipped.length > 0) return;
        const groups = new Map<string, string[]>();
        for (const [rep, c] of clusterOf) groups.set(c, [...(groups.get(c) ?? []), rep].sort());
        expect([...groups.values()].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))).toEqual(whole.clusters);
      }),
    );
  });
});

describe('planLink', () => {
  const cand = (over: Partial<LinkCandidate>): LinkCandidate => ({
    kind: 'phone',
    value: '+861',
    reportId: 'x',
    clusterId: null,
    clusterReports: 0,
    linkStatus: null,
    ...over,
  });

  it('does nothing for a report that shares nothing', () => {
    const p = planLink({
      reportId: 'n',
      values: [phone('+861')],
      ownCluster: null,
      candidates: [],
      sharedLimit: 5,
    });
    expect(p).toEqual({ links: [], skipped: [], decision: { kind: 'none' } });
  });

  it('creates a cluster with an unclustered report and joins the largest of several, absorbing the rest', () => {
    expect(
      planLink({
        reportId: 'n',
        values: [phone('+861')],
        ownCluster: null,
        candidates: [cand({ reportId: 'a' })],
        sharedLimit: 5,
      }).decision,
    ).toEqual({ kind: 'create', members: ['a', 'n'], reportCount: 2 });
    const p = planLink({
      reportId: 'n',
      values: [phone('+861'), account('62')],
      ownCluster: null,
      candidates: [
        cand({ reportId: 'a', clusterId: 'c2', clusterReports: 2 }),
        cand({ kind: 'account', value: '62', reportId: 'b', clusterId: 'c1', clusterReports: 3 }),
        cand({ kind: 'account', value: '62', reportId: 'z' }),
      ],
      sharedLimit: 5,
    });
    expect(p.decision).toEqual({
      kind: 'join',
      survivor: 'c1',
      absorbed: ['c2'],
      added: ['n', 'z'],
      reportCount: 7,
      before: 3,
      keptApart: [],
    });
    expect(p.links).toHaveLength(3);
  });

  it('never absorbs a handed-off cluster: the report joins its own or the first handed off, keeping others apart', () => {
    const early = new Date('2026-05-01T00:00:00Z');
    const late = new Date('2026-05-02T00:00:00Z');
    const touching = (own: { id: string; reportCount: number; handedOffAt?: Date | null } | null) =>
      planLink({
        reportId: 'n',
        values: [phone('+861')],
        ownCluster: own,
        candidates: [
          cand({ reportId: 'a', clusterId: 'big', clusterReports: 9 }),
          cand({ reportId: 'b', clusterId: 'h-late', clusterReports: 5, clusterHandedOffAt: late }),
          cand({ reportId: 'c', clusterId: 'h-early', clusterReports: 2, clusterHandedOffAt: early }),
          cand({ reportId: 'z' }),
        ],
        sharedLimit: 10,
      }).decision;
    // Not the largest: the first handed off stays, takes the open cluster, and the other handed-off one stays apart.
    expect(touching(null)).toEqual({
      kind: 'join',
      survivor: 'h-early',
      absorbed: ['big'],
      added: ['n', 'z'],
      reportCount: 2 + 9 + 2,
      before: 2,
      keptApart: ['h-late'],
    });
    // A report already in a handed-off cluster stays in it.
    expect(touching({ id: 'h-own', reportCount: 3, handedOffAt: late })).toMatchObject({
      survivor: 'h-own',
      absorbed: ['big'],
      added: ['z'],
      reportCount: 3 + 9 + 1,
      keptApart: ['h-early', 'h-late'],
    });
    // Growth does not change the choice: the later one grown larger is still kept apart.
    const grown = planLink({
      reportId: 'm',
      values: [phone('+862')],
      ownCluster: null,
      candidates: [
        cand({
          value: '+862',
          reportId: 'b',
          clusterId: 'h-late',
          clusterReports: 50,
          clusterHandedOffAt: late,
        }),
        cand({
          value: '+862',
          reportId: 'c',
          clusterId: 'h-early',
          clusterReports: 2,
          clusterHandedOffAt: early,
        }),
      ],
      sharedLimit: 10,
    }).decision;
    expect(grown).toMatchObject({ survivor: 'h-early', absorbed: [], keptApart: ['h-late'] });
    // Only handed-off clusters apart from its own: nothing to join, nothing absorbed.
    const apart = planLink({
      reportId: 'n',
      values: [phone('+861')],
      ownCluster: { id: 'h-own', reportCount: 3, handedOffAt: late },
      candidates: [
        cand({ reportId: 'c', clusterId: 'h-early', clusterReports: 2, clusterHandedOffAt: early }),
      ],
      sharedLimit: 10,
    });
    expect(apart.decision).toEqual({ kind: 'none' });
    expect(apart.links).toHaveLength(1);
  });

  it('holds the guard, counting the new report too', () => {
    const candidates = ['a', 'b', 'c'].map((id) => cand({ reportId: id }));
    const p = planLink({
      reportId: 'n',
      values: [phone('+861')],
      ownCluster: null,
      candidates,
      sharedLimit: 3,
    });
    expect(p.decision).toEqual({ kind: 'none' });
    expect(p.skipped).toEqual([{ kind: 'phone', value: '+861', naming: 4 }]);
  });

  it('does not link a severed pair again, and changes nothing when replayed', () => {
    const severed = planLink({
      reportId: 'n',
      values: [phone('+861')],
      ownCluster: { id: 'c1', reportCount: 2 },
      candidates: [cand({ reportId: 'a', clusterId: 'c9', clusterReports: 2, linkStatus: 'severed' })],
      sharedLimit: 5,
    });
    expect(severed).toEqual({ links: [], skipped: [], decision: { kind: 'none' } });
    const replay = planLink({
      reportId: 'n',
      values: [phone('+861')],
      ownCluster: { id: 'c1', reportCount: 2 },
      candidates: [
        cand({ reportId: 'n', clusterId: 'c1', clusterReports: 2 }),
        cand({ reportId: 'a', clusterId: 'c1', clusterReports: 2, linkStatus: 'active' }),
      ],
      sharedLimit: 5,
    });
    expect(replay).toEqual({ links: [], skipped: [], decision: { kind: 'none' } });
  });
});

describe('decisions', () => {
  const links = [
    { a: 'r1', b: 'r2', kind: 'phone' as const, value: '+861' },
    { a: 'r2', b: 'r3', kind: 'account' as const, value: '62' },
  ];

  it('a split separates: no link left between the two sides (property)', () => {
    fc.assert(
      fc.property(fc.subarray(['r1', 'r2', 'r3'], { minLength: 1, maxLength: 2 }), (moved) => {
        const p = planSplit(['r1', 'r2', 'r3'], links, moved);
        if (!p.ok) throw new Error(p.message);
        const kept = links.filter((l) => !p.value.severed.includes(l));
        for (const l of kept) expect(moved.includes(l.a)).toBe(moved.includes(l.b));
        expect([...p.value.stay, ...p.value.moved].sort()).toEqual(['r1', 'r2', 'r3']);
      }),
    );
  });

  it('refuses a split of no report, of every report or of a stranger', () => {
    expect(planSplit(['r1', 'r2'], links, [])).toMatchObject({ ok: false, reason: 'split.empty' });
    expect(planSplit(['r1', 'r2'], links, ['r1', 'r2'])).toMatchObject({ ok: false, reason: 'split.all' });
    expect(planSplit(['r1', 'r2'], links, ['r9'])).toMatchObject({ ok: false, reason: 'split.not_member' });
  });

  it('merges into the largest and refuses merged or handed-off clusters', () => {
    expect(
      planMerge([
        { id: 'b', reportCount: 2, status: 'open' },
        { id: 'a', reportCount: 2, status: 'confirmed' },
        { id: 'c', reportCount: 1, status: 'open' },
      ]),
    ).toEqual({ ok: true, value: { survivor: 'a', absorbed: ['b', 'c'] } });
    expect(planMerge([{ id: 'a', reportCount: 2, status: 'open' }])).toMatchObject({
      reason: 'merge.too_few',
    });
    expect(
      planMerge([
        { id: 'a', reportCount: 2, status: 'open' },
        { id: 'b', reportCount: 2, status: 'handed_off' },
      ]),
    ).toMatchObject({ reason: 'merge.status' });
  });

  it('knows which decisions each status allows, and when the alert fires', () => {
    expect(nextClusterStatus('open', 'confirm')).toBe('confirmed');
    expect(nextClusterStatus('confirmed', 'confirm')).toBeUndefined();
    expect(nextClusterStatus('confirmed', 'hand_off')).toBe('handed_off');
    expect(nextClusterStatus('merged', 'split')).toBeUndefined();
    expect(crossesAlert(5, 6, 5)).toBe(true);
    expect(crossesAlert(6, 7, 5)).toBe(false);
    expect(crossesAlert(2, 5, 5)).toBe(false);
  });
});

describe('clusterProfile', () => {
  it('sums losses, counts victims once, and lists counties, types, values and accounts by layer', () => {
    const p = clusterProfile(
      [
        {
          reportId: 'r1',
          number: 'N1',
          victimKey: 'v1',
          lossFen: 100,
          countyCode: '520102',
          fraudType: 'loan',
          reportedAt: '2026-01-02T00:00:00.000Z',
        },
        {
          reportId: 'r2',
          number: 'N2',
          victimKey: 'v1',
          lossFen: 50,
          countyCode: '520102',
          fraudType: 'shopping',
          reportedAt: '2026-01-01T00:00:00.000Z',
        },
        {
          reportId: 'r3',
          number: 'N3',
          victimKey: null,
          lossFen: 5,
          countyCode: '520103',
          fraudType: 'loan',
          reportedAt: '2026-01-03T00:00:00.000Z',
        },
      ],
      [
        { a: 'r1', b: 'r2', kind: 'phone', value: '+861' },
        { a: 'r1', b: 'r3', kind: 'phone', value: '+861' },
      ],
      [
        { account: '62b', layer: 2 },
        { account: '62a', layer: 1 },
        { account: '62a', layer: 1 },
      ],
    );
    expect(p).toEqual({
      reportCount: 3,
      victimCount: 2,
      lossFen: 155,
      counties: [
        { code: '520102', reports: 2 },
        { code: '520103', reports: 1 },
      ],
      fraudTypes: [
        { code: 'loan', reports: 2 },
        { code: 'shopping', reports: 1 },
      ],
      firstReportedAt: '2026-01-01T00:00:00.000Z',
      lastReportedAt: '2026-01-03T00:00:00.000Z',
      sharedIndicators: [{ kind: 'phone', value: '+861', reports: 3 }],
      accountsByLayer: [
        { layer: 1, accounts: ['62a'] },
        { layer: 2, accounts: ['62b'] },
      ],
    });
  });
});
