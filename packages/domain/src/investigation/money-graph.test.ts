import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMoneyGraph,
  type AllocationRule,
  type MoneyGraph,
  type MoneyTransferInput,
  type TraceResult,
} from './money-graph';

const RULES: AllocationRule[] = ['fifo', 'lifo', 'proportional'];

function tx(from: string, to: string, amountFen: number, at: number): MoneyTransferInput {
  return { from, to, amountFen, at };
}

function graphOf(
  transfers: MoneyTransferInput[],
  options?: { hubTransfers?: number; compactAt?: number },
): MoneyGraph {
  const g = createMoneyGraph(options);
  g.add(transfers);
  return g;
}

function account(result: TraceResult, key: string) {
  return result.accounts.find((a) => a.account === key);
}

function flowFen(result: TraceResult, from: string, to: string): number {
  return result.flows.filter((f) => f.from === from && f.to === to).reduce((s, f) => s + f.tracedFen, 0);
}

// A mule A already holds 500 of other money (from X at t=5) when the victim's 1000 arrives at t=10;
// then A sends 600 to B at t=20 and 600 to C at t=30.
const MIXED = [
  tx('X', 'A', 500, 5),
  tx('victim:1', 'A', 1000, 10),
  tx('A', 'B', 600, 20),
  tx('A', 'C', 600, 30),
];

describe('tracing one victim under each rule', () => {
  it('FIFO: the oldest money leaves first', () => {
    const r = graphOf(MIXED).trace(['victim:1'], { rule: 'fifo', maxDepth: 5, minAmountFen: 1 });
    // A's lots: [500 other, 1000 victim]. To B 600 = 500 other + 100 victim; to C 600 = 600 victim.
    expect(flowFen(r, 'A', 'B')).toBe(100);
    expect(flowFen(r, 'A', 'C')).toBe(600);
    // A received 1000, passed on 700, holds 300.
    expect(account(r, 'A')).toEqual({
      account: 'A',
      depth: 1,
      receivedFen: 1000,
      passedOnFen: 700,
      heldFen: 300,
    });
    expect(account(r, 'B')).toMatchObject({ depth: 2, receivedFen: 100, heldFen: 100 });
    expect(r.truncated).toBe(false);
  });

  it('LIFO: the newest money leaves first', () => {
    const r = graphOf(MIXED).trace(['victim:1'], { rule: 'lifo', maxDepth: 5, minAmountFen: 1 });
    // Stack: [500 other, 1000 victim]. To B 600 from the victim's 1000 (400 left on top);
    // to C 600 = 400 victim + 200 other.
    expect(flowFen(r, 'A', 'B')).toBe(600);
    expect(flowFen(r, 'A', 'C')).toBe(400);
    expect(account(r, 'A')).toMatchObject({ receivedFen: 1000, passedOnFen: 1000, heldFen: 0 });
  });

  it('proportional: each transfer out carries the victim’s share of the whole balance', () => {
    const r = graphOf(MIXED).trace(['victim:1'], { rule: 'proportional', maxDepth: 5, minAmountFen: 1 });
    // t=20: balance 1500, victim 1000 → 1000 × 600 / 1500 = 400 (600 of the victim's left).
    // t=30: balance 900, victim 600 → 600 × 600 / 900 = 400 (200 left).
    expect(flowFen(r, 'A', 'B')).toBe(400);
    expect(flowFen(r, 'A', 'C')).toBe(400);
    expect(account(r, 'A')).toMatchObject({ receivedFen: 1000, passedOnFen: 800, heldFen: 200 });
  });

  it('follows money layer by layer, with depths', () => {
    const g = graphOf([...MIXED, tx('B', 'D', 100, 40), tx('D', 'E', 50, 50)]);
    const r = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5, minAmountFen: 1 });
    // B's one lot is A's 600 transfer, 100 of it the victim's: its 100 to D carries
    // 100 × 100 / 600 = 16 (rounded down); D's lot of 100 holds 16: its 50 to E carries 16 × 50 / 100 = 8.
    expect(r.flows.map((f) => [f.from, f.to, f.depth, f.tracedFen])).toEqual([
      ['victim:1', 'A', 1, 1000],
      ['A', 'B', 2, 100],
      ['A', 'C', 2, 600],
      ['B', 'D', 3, 16],
      ['D', 'E', 4, 8],
    ]);
    expect(account(r, 'victim:1')).toMatchObject({
      depth: 0,
      receivedFen: 1000,
      passedOnFen: 1000,
      heldFen: 0,
    });
    expect(r.sources).toEqual(['victim:1']);
  });
});

describe('time order', () => {
  it('a transfer before (or at the same time as) the inflow carries none of it', () => {
    const g = graphOf([
      tx('X', 'A', 5000, 1),
      tx('A', 'B', 300, 5),
      tx('victim:1', 'A', 1000, 10),
      tx('A', 'C', 300, 10),
      tx('A', 'D', 300, 11),
    ]);
    for (const rule of RULES) {
      const r = g.trace(['victim:1'], { rule, maxDepth: 5, minAmountFen: 1 });
      expect(flowFen(r, 'A', 'B')).toBe(0);
      expect(flowFen(r, 'A', 'C')).toBe(0);
      expect(account(r, 'B')).toBeUndefined();
    }
    // FIFO at t=11: A holds 5000 − 300 − 300 = 4400 older money first, so D gets none of the victim's;
    // LIFO: D's 300 is the victim's; proportional: 1000 × 300 / 5400 = 55.
    const fen = (rule: AllocationRule) =>
      flowFen(g.trace(['victim:1'], { rule, maxDepth: 5, minAmountFen: 1 }), 'A', 'D');
    expect(fen('fifo')).toBe(0);
    expect(fen('lifo')).toBe(300);
    expect(fen('proportional')).toBe(55);
  });

  it('never passes on more than it received, even when more leaves than the graph shows arriving', () => {
    const g = graphOf([tx('victim:1', 'A', 100, 1), tx('A', 'B', 1000, 2), tx('A', 'C', 1000, 3)]);
    for (const rule of RULES) {
      const r = g.trace(['victim:1'], { rule, maxDepth: 5, minAmountFen: 1 });
      expect(flowFen(r, 'A', 'B')).toBe(100);
      expect(flowFen(r, 'A', 'C')).toBe(0);
      expect(account(r, 'A')).toMatchObject({ receivedFen: 100, passedOnFen: 100, heldFen: 0 });
    }
  });

  it('money that comes back later can leave again, but only after it came back', () => {
    const g = graphOf([
      tx('victim:1', 'A', 1000, 1),
      tx('A', 'B', 1000, 2),
      tx('B', 'A', 1000, 3),
      tx('A', 'C', 1000, 4),
    ]);
    const r = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5, minAmountFen: 1 });
    expect(flowFen(r, 'A', 'C')).toBe(1000);
    expect(account(r, 'A')).toMatchObject({ depth: 1, receivedFen: 2000, passedOnFen: 2000, heldFen: 0 });
  });
});

describe('pooled funds', () => {
  // Two victims' money meets in mule M (600 at t=1, 400 at t=2); M sends 500 on at t=3.
  const TWO = [tx('victim:1', 'M', 600, 1), tx('victim:2', 'M', 400, 2), tx('M', 'N', 500, 3)];

  it('splits two victims’ money in one account under each rule, summing to what the account holds', () => {
    const g = graphOf(TWO);
    // Proportional: each loses 500/1000 of its money: 300 and 200 stay.
    expect(g.shares('M', { rule: 'proportional' })).toEqual([
      { source: 'victim:1', heldFen: 300, share: 0.6 },
      { source: 'victim:2', heldFen: 200, share: 0.4 },
    ]);
    // FIFO: the 500 out is victim 1's oldest money: 100 of 1's and all 400 of 2's stay.
    expect(g.shares('M', { rule: 'fifo' })).toEqual([
      { source: 'victim:2', heldFen: 400, share: 0.8 },
      { source: 'victim:1', heldFen: 100, share: 0.2 },
    ]);
    // LIFO: 400 of 2's then 100 of 1's leave: 500 of 1's stays.
    expect(g.shares('M', { rule: 'lifo' })).toEqual([{ source: 'victim:1', heldFen: 500, share: 1 }]);
    for (const rule of RULES) {
      const held = g.shares('M', { rule }).reduce((s, x) => s + x.heldFen, 0);
      const both = g.trace(['victim:1', 'victim:2'], { rule, maxDepth: 5 });
      expect(held).toBe(account(both, 'M')!.heldFen);
      expect(held).toBe(500);
    }
  });

  it('splits three victims’ money, downstream too, and at an earlier time', () => {
    // 300 + 300 + 600 into M; M sends 600 to N at t=4; N sends 300 to P at t=5.
    const g = graphOf([
      tx('victim:a', 'M', 300, 1),
      tx('victim:b', 'M', 300, 2),
      tx('victim:c', 'M', 600, 3),
      tx('M', 'N', 600, 4),
      tx('N', 'P', 300, 5),
    ]);
    // Proportional, in M: each keeps half: 150, 150, 300.
    const m = g.shares('M', { rule: 'proportional' });
    expect(m).toEqual([
      { source: 'victim:c', heldFen: 300, share: 0.5 },
      { source: 'victim:a', heldFen: 150, share: 0.25 },
      { source: 'victim:b', heldFen: 150, share: 0.25 },
    ]);
    // N received 150, 150, 300 and sent half on: 75, 75, 150 stay.
    expect(g.shares('N', { rule: 'proportional' }).map((s) => [s.source, s.heldFen, s.share])).toEqual([
      ['victim:c', 150, 0.5],
      ['victim:a', 75, 0.25],
      ['victim:b', 75, 0.25],
    ]);
    // Before M sent anything (t=3.5 → 3), M held all 1200.
    expect(g.shares('M', { rule: 'proportional', at: 3 }).map((s) => s.heldFen)).toEqual([600, 300, 300]);
    // Before victim c paid, only a and b.
    expect(g.shares('M', { rule: 'fifo', at: 2 }).map((s) => s.source)).toEqual(['victim:a', 'victim:b']);
    // FIFO: M's 600 out is a's and b's: only c's 600 stays. N's one lot is that transfer (half a's,
    // half b's): its 300 to P carries 150 of each, and 150 of each stays.
    expect(g.shares('M', { rule: 'fifo' })).toEqual([{ source: 'victim:c', heldFen: 600, share: 1 }]);
    expect(g.shares('N', { rule: 'fifo' })).toEqual([
      { source: 'victim:a', heldFen: 150, share: 0.5 },
      { source: 'victim:b', heldFen: 150, share: 0.5 },
    ]);
    for (const rule of RULES) {
      for (const acct of ['M', 'N', 'P']) {
        const held = g.shares(acct, { rule }).reduce((s, x) => s + x.heldFen, 0);
        const all = g.trace(['victim:a', 'victim:b', 'victim:c'], { rule, maxDepth: 5, minAmountFen: 1 });
        expect(held).toBe(account(all, acct)!.heldFen);
      }
      const shares = g.shares('M', { rule });
      expect(shares.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    }
  });

  it('has no shares for an account no victim’s money reached', () => {
    const g = graphOf(TWO);
    expect(g.shares('victim:1', { rule: 'fifo' })).toEqual([]);
    expect(g.shares('nobody', { rule: 'fifo' })).toEqual([]);
    expect(g.shares('N', { rule: 'fifo', at: 2 })).toEqual([]);
  });
});

describe('caps', () => {
  const CHAIN = [
    tx('victim:1', 'A', 1000, 1),
    tx('A', 'B', 1000, 2),
    tx('B', 'C', 1000, 3),
    tx('C', 'D', 1000, 4),
  ];

  it('stops at the depth cap and says so', () => {
    const g = graphOf(CHAIN);
    const two = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 2 });
    expect(two.flows.map((f) => f.to)).toEqual(['A', 'B']);
    expect(account(two, 'B')).toMatchObject({ depth: 2, receivedFen: 1000, heldFen: 1000 });
    expect(two.truncated).toBe(true);
    const four = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 4 });
    expect(four.flows.map((f) => f.to)).toEqual(['A', 'B', 'C', 'D']);
    expect(four.truncated).toBe(false);
  });

  it('stops following a hub after its cap of transfers and says so', () => {
    const hubOut = Array.from({ length: 20 }, (_, i) => tx('H', `out${i}`, 10_000, 10 + i));
    const g = graphOf([tx('X', 'H', 1_000_000, 1), tx('victim:1', 'H', 100_000, 2), ...hubOut], {
      hubTransfers: 5,
    });
    const r = g.trace(['victim:1'], { rule: 'proportional', maxDepth: 5 });
    expect(r.truncated).toBe(true);
    expect(r.flows.filter((f) => f.from === 'H').length).toBeLessThanOrEqual(5);
    const h = account(r, 'H')!;
    expect(h.passedOnFen + h.heldFen).toBe(100_000);
  });

  it('stops following once what is left is below the minimum amount', () => {
    // Proportional at a big account: 100 of 1,000,100 leaves with each 1000 out → below 100 fen at once.
    const g = graphOf([tx('X', 'H', 1_000_000, 1), tx('victim:1', 'H', 100, 2), tx('H', 'Y', 1000, 3)]);
    const r = g.trace(['victim:1'], { rule: 'proportional', maxDepth: 5 });
    expect(r.flows.map((f) => f.to)).toEqual(['H']);
    expect(account(r, 'H')).toMatchObject({ receivedFen: 100, passedOnFen: 0, heldFen: 100 });
  });
});

describe('the graph', () => {
  it('adds idempotently on (from, to, amount, time)', () => {
    const g = graphOf(MIXED);
    g.add(MIXED);
    g.add([MIXED[1]!, MIXED[1]!]);
    expect(g.stats()).toMatchObject({ accounts: 5, transfers: 4 });
    g.add([tx('A', 'B', 600, 21)]);
    expect(g.stats().transfers).toBe(5);
    expect(g.stats().bytes).toBeGreaterThan(0);
  });

  it('sees a transfer added after a trace in the next trace', () => {
    const g = graphOf(MIXED);
    expect(g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5 }).flows).toHaveLength(3);
    g.add([tx('C', 'E', 600, 40)]);
    const r = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5 });
    expect(flowFen(r, 'C', 'E')).toBe(600);
  });

  it('removes transfers: the next trace no longer sees them, and adding one again brings it back', () => {
    const g = graphOf(MIXED);
    g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5 }); // a cached view of A
    g.remove([tx('victim:1', 'A', 1000, 10), tx('victim:1', 'A', 999, 10), tx('nobody', 'A', 1, 1)]);
    expect(g.stats().transfers).toBe(3);
    expect(g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5 }).flows).toEqual([]);
    g.add([tx('victim:1', 'A', 700, 10)]); // the edited payment
    const edited = g.trace(['victim:1'], { rule: 'fifo', maxDepth: 5 });
    expect(edited.flows.filter((f) => f.depth === 1).map((f) => [f.to, f.tracedFen])).toEqual([['A', 700]]);
    g.add([tx('victim:1', 'A', 1000, 10)]);
    expect(g.stats().transfers).toBe(5);
    expect(flowFen(g.trace(['victim:1'], { rule: 'fifo', maxDepth: 1 }), 'victim:1', 'A')).toBe(1700);
  });

  it('refuses amounts that are not positive integer fen', () => {
    const g = createMoneyGraph();
    expect(() => g.add([tx('a', 'b', 1.5, 1)])).toThrow(RangeError);
    expect(() => g.add([tx('a', 'b', 0, 1)])).toThrow(RangeError);
    expect(() => g.trace(['a'], { rule: 'fifo', maxDepth: 0 })).toThrow(RangeError);
    expect(g.stats().transfers).toBe(0);
  });
});

/**
 * A trace in a fixed order, so that account numbering (which differs between two graphs) does not change it;
 * a source with no transfers left is as good as one the graph never knew.
 */
function sorted(r: TraceResult) {
  const key = (x: object) => JSON.stringify(x);
  return {
    ...r,
    flows: [...r.flows].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    accounts: r.accounts
      .filter((a) => a.depth > 0 || a.receivedFen > 0 || a.passedOnFen > 0)
      .sort((a, b) => (a.account < b.account ? -1 : 1)),
  };
}

// Random small graphs: victims v0..v2 and accounts a0..a5, times 1..40, amounts 1..5000.
const transferArb = fc.record({
  from: fc.constantFrom('victim:0', 'victim:1', 'victim:2', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5'),
  to: fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4', 'a5'),
  amountFen: fc.integer({ min: 1, max: 5000 }),
  at: fc.integer({ min: 1, max: 40 }),
});
const graphArb = fc.array(transferArb, { minLength: 1, maxLength: 60 });
const ruleArb = fc.constantFrom<AllocationRule>(...RULES);
const SOURCES = ['victim:0', 'victim:1', 'victim:2'];

describe('properties', () => {
  it('no account passes on more than it has received at any moment; a flow never exceeds its transfer', () => {
    fc.assert(
      fc.property(graphArb, ruleArb, fc.integer({ min: 1, max: 6 }), (transfers, rule, maxDepth) => {
        const r = graphOf(transfers).trace(SOURCES, { rule, maxDepth, minAmountFen: 1 });
        for (const f of r.flows) {
          expect(f.tracedFen).toBeGreaterThan(0);
          expect(f.tracedFen).toBeLessThanOrEqual(f.transferFen);
          expect(f.depth).toBeLessThanOrEqual(maxDepth);
        }
        for (const a of r.accounts) {
          if (SOURCES.includes(a.account)) continue;
          const inflows = r.flows.filter((f) => f.to === a.account);
          const outflows = r.flows.filter((f) => f.from === a.account);
          const sum = (fs: typeof inflows) => fs.reduce((s, f) => s + f.tracedFen, 0);
          expect(sum(inflows)).toBe(a.receivedFen);
          expect(sum(outflows)).toBe(a.passedOnFen);
          expect(a.heldFen).toBeGreaterThanOrEqual(0);
          // At each time out, what left so far ≤ what arrived strictly earlier.
          for (const o of outflows) {
            const out = sum(outflows.filter((f) => f.at <= o.at));
            const arrived = sum(inflows.filter((f) => f.at < o.at));
            expect(out).toBeLessThanOrEqual(arrived);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('all rules agree when each account has one transfer in and one out', () => {
    const chainArb = fc.array(
      fc.record({ amountFen: fc.integer({ min: 1, max: 100_000 }), gap: fc.integer({ min: 0, max: 3 }) }),
      { minLength: 2, maxLength: 8 },
    );
    fc.assert(
      fc.property(chainArb, (links) => {
        let at = 0;
        const transfers = links.map((l, i) => {
          at += l.gap;
          return tx(i === 0 ? 'victim:0' : `a${i - 1}`, `a${i}`, l.amountFen, at);
        });
        const g = graphOf(transfers);
        const [fifo, lifo, prop] = RULES.map((rule) =>
          g.trace(['victim:0'], { rule, maxDepth: 10, minAmountFen: 1 }),
        );
        const totals = (r: TraceResult) => r.accounts.map((a) => [a.account, a.receivedFen, a.passedOnFen]);
        expect(totals(lifo!)).toEqual(totals(fifo!));
        expect(totals(prop!)).toEqual(totals(fifo!));
      }),
      { numRuns: 200 },
    );
  });

  it('shares name every victim whose own trace leaves money in the account, and nothing else', () => {
    fc.assert(
      fc.property(graphArb, ruleArb, fc.integer({ min: 1, max: 40 }), (transfers, rule, at) => {
        const g = graphOf(transfers);
        for (const acct of ['a0', 'a1', 'a2', 'a3']) {
          const expected = SOURCES.flatMap((source) => {
            const r = g.trace([source], { rule, maxDepth: 5, minAmountFen: 1 });
            const held = account(r, acct)?.heldFen ?? 0;
            return held > 0 ? [{ source, held }] : [];
          });
          const shares = g.shares(acct, { rule });
          expect(shares.map((s) => [s.source, s.heldFen]).sort()).toEqual(
            expected.map((e) => [e.source, e.held]).sort(),
          );
          if (shares.length > 0) expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 12);
          // At an earlier time, never more than the victims that had paid by then.
          for (const s of g.shares(acct, { rule, at }))
            expect(transfers.some((t) => t.from === s.source && t.at <= at)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a graph with transfers removed traces as one built without them, before and after compaction', () => {
    fc.assert(
      fc.property(graphArb, graphArb, ruleArb, fc.boolean(), (kept, gone, rule, compactFirst) => {
        const g = createMoneyGraph({ compactAt: compactFirst ? 1 : 1_000_000 });
        g.add([...gone, ...kept]);
        g.trace(SOURCES, { rule, maxDepth: 5 });
        const keys = new Set(kept.map((t) => `${t.from}|${t.to}|${t.amountFen}|${t.at}`));
        g.remove(gone.filter((t) => !keys.has(`${t.from}|${t.to}|${t.amountFen}|${t.at}`)));
        const later = createMoneyGraph({ compactAt: 1 });
        later.add([...gone, ...kept]);
        later.remove(gone.filter((t) => !keys.has(`${t.from}|${t.to}|${t.amountFen}|${t.at}`)));
        later.add([tx('victim:0', 'zz', 1, 1)]); // a compaction with the removed transfers in its rows
        later.remove([tx('victim:0', 'zz', 1, 1)]);
        const without = createMoneyGraph();
        without.add(kept);
        const options = { rule, maxDepth: 5, minAmountFen: 1 };
        expect(sorted(g.trace(SOURCES, options))).toEqual(sorted(without.trace(SOURCES, options)));
        expect(sorted(later.trace(SOURCES, options))).toEqual(sorted(without.trace(SOURCES, options)));
        expect(g.stats().transfers).toBe(without.stats().transfers);
      }),
      { numRuns: 200 },
    );
  });

  it('compaction does not change a trace', () => {
    fc.assert(
      fc.property(graphArb, graphArb, ruleArb, (first, later, rule) => {
        const delta = createMoneyGraph({ compactAt: 1_000_000 });
        const compacted = createMoneyGraph({ compactAt: 1 });
        delta.add(first);
        compacted.add(first);
        delta.trace(SOURCES, { rule, maxDepth: 5 });
        for (const t of later) {
          delta.add([t]);
          compacted.add([t]);
        }
        const all = createMoneyGraph();
        all.add([...first, ...later]);
        const options = { rule, maxDepth: 5, minAmountFen: 1 };
        expect(delta.trace(SOURCES, options)).toEqual(all.trace(SOURCES, options));
        expect(compacted.trace(SOURCES, options)).toEqual(all.trace(SOURCES, options));
      }),
      { numRuns: 200 },
    );
  });
});
