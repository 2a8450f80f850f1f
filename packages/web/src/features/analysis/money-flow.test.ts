import { describe, expect, it } from 'vitest';
import type { TracedAccountView, TracedFlowView } from './analysis-types';
import { flowBands, moneyFlowOption, pooledAccounts, sourcesReaching, type FlowText } from './money-flow';

const text: FlowText = {
  account: (k) => k.toUpperCase(),
  amount: (fen) => `¥${fen / 100}`,
  time: (iso) => iso.slice(11, 16),
  layer: (n) => `L${n}`,
  held: (a) => `held ${a}`,
};

const flow = (from: string, to: string, depth: number, at: string, tracedFen: number): TracedFlowView => ({
  from,
  to,
  depth,
  at: `2026-12-04T${at}:00.000Z`,
  transferFen: tracedFen,
  tracedFen,
});

const account = (key: string, depth: number, heldFen: number): TracedAccountView => {
  const [bank, number] = key.split(':');
  const isVictim = bank === 'victim';
  return {
    key,
    bankCode: isVictim ? null : bank!.toUpperCase(),
    number: isVictim ? null : number!,
    reportId: null,
    accountUse: null,
    depth,
    receivedFen: heldFen,
    passedOnFen: 0,
    heldFen,
  };
};

// Two victims pay one mule; it passes most on to a second layer, which sends some back to the mule.
const flows = [
  flow('victim:a', 'icbc:1', 1, '01:00', 50_000),
  flow('victim:b', 'icbc:1', 1, '01:05', 30_000),
  flow('icbc:1', 'ccb:2', 2, '01:10', 40_000),
  flow('icbc:1', 'ccb:2', 2, '01:20', 20_000),
  flow('ccb:2', 'icbc:1', 3, '01:30', 10_000),
  flow('ccb:2', 'abc:3', 3, '01:40', 0),
];

describe('money flow', () => {
  it('sums transfers between the same accounts at one layer into one band, first and last time kept', () => {
    const bands = flowBands(flows);
    expect(bands.map((b) => [b.source, b.target, b.tracedFen, b.count])).toEqual([
      ['victim:a|0', 'icbc:1|1', 50_000, 1],
      ['victim:b|0', 'icbc:1|1', 30_000, 1],
      ['icbc:1|1', 'ccb:2|2', 60_000, 2],
      ['ccb:2|2', 'icbc:1|3', 10_000, 1],
    ]);
    expect(bands[2]).toMatchObject({
      firstAt: '2026-12-04T01:10:00.000Z',
      lastAt: '2026-12-04T01:20:00.000Z',
    });
  });

  it('draws an account reached again at a deeper layer as a node of its own, so the diagram has no cycle', () => {
    const option = moneyFlowOption({ flows, accounts: [] }, text);
    const series = (
      option.series as {
        data: { id: string; depth: number }[];
        links: { source: string; target: string }[];
      }[]
    )[0]!;
    expect(series.data.map((n) => [n.id, n.depth])).toEqual([
      ['victim:a|0', 0],
      ['icbc:1|1', 1],
      ['victim:b|0', 0],
      ['ccb:2|2', 2],
      ['icbc:1|3', 3],
    ]);
    const depth = new Map(series.data.map((n) => [n.id, n.depth]));
    for (const l of series.links) expect(depth.get(l.target)).toBe(depth.get(l.source)! + 1);
  });

  it('labels each band with its traced amount and time, and each account with what it still holds', () => {
    const option = moneyFlowOption(
      {
        flows,
        accounts: [account('icbc:1', 1, 20_000)],
      },
      text,
    );
    const series = (
      option.series as {
        data: { id: string; label: { formatter: string } }[];
        links: { value: number; edgeLabel: { formatter: string } }[];
      }[]
    )[0]!;
    expect(series.links.map((l) => [l.value, l.edgeLabel.formatter])).toEqual([
      [50_000, '¥500 · 01:00'],
      [30_000, '¥300 · 01:05'],
      [60_000, '¥600 · 01:10–01:20'],
      [10_000, '¥100 · 01:30'],
    ]);
    expect(series.data.find((n) => n.id === 'icbc:1|1')?.label.formatter).toBe('ICBC:1\nheld ¥200');
    expect(series.data.find((n) => n.id === 'victim:a|0')?.label.formatter).toBe('VICTIM:A');
  });

  it("finds the accounts several victims' money reaches and that still hold some: the pools", () => {
    const reached = sourcesReaching(flows, ['victim:a', 'victim:b']);
    expect([...reached.get('icbc:1')!]).toEqual(['victim:a', 'victim:b']);
    expect([...reached.get('ccb:2')!]).toEqual(['victim:a', 'victim:b']);
    // abc:3 got only a transfer that carried none of the traced money.
    expect(reached.has('abc:3')).toBe(false);
    const pooled = pooledAccounts({
      flows: [...flows, flow('victim:a', 'boc:4', 1, '01:50', 5_000)],
      sources: ['victim:a', 'victim:b'],
      accounts: [
        account('victim:a', 0, 0),
        account('boc:4', 1, 5_000),
        account('ccb:2', 2, 50_000),
        account('icbc:1', 1, 20_000),
        account('abc:3', 3, 0),
      ],
    });
    expect(pooled.map((a) => a.key)).toEqual(['icbc:1', 'ccb:2']);
  });
});
