import { describe, expect, it } from 'vitest';
import type { ClusterLinkView, ClusterReportView } from './analysis-types';
import { linkChartOption, linkGraph, type LinkChartText } from './link-chart';

const report = (id: string, lossFen: number): ClusterReportView => ({
  id,
  number: `R-${id}`,
  lossFen,
  reportedAt: '2026-12-04T01:00:00.000Z',
});
const reports = [report('a', 500_000), report('b', 300_000), report('c', 100_000), report('d', 0)];
const links: ClusterLinkView[] = [
  {
    id: 'ab',
    reportA: 'a',
    reportB: 'b',
    status: 'auto',
    evidence: [
      { kind: 'account', value: 'ICBC 6222…4321' },
      { kind: 'phone', value: '170****5678' },
    ],
  },
  {
    id: 'bc',
    reportA: 'b',
    reportB: 'c',
    status: 'auto',
    evidence: [{ kind: 'phone', value: '170****5678' }],
  },
  // A report of another cluster named by a stale link: not drawn.
  {
    id: 'cx',
    reportA: 'c',
    reportB: 'x',
    status: 'auto',
    evidence: [{ kind: 'domain', value: 'fake.example' }],
  },
];

const text: LinkChartText = {
  kind: (k) => k,
  evidence: (k) => `shared ${k}`,
  amount: (fen) => `¥${fen / 100}`,
};

describe('link chart', () => {
  it('joins reports through the values they share, accounts apart from other indicators', () => {
    const { nodes, edges } = linkGraph(reports, links);
    expect(nodes.map((n) => [n.id, n.kind, n.weight])).toEqual([
      ['report:a', 'report', 500_000],
      ['report:b', 'report', 300_000],
      ['report:c', 'report', 100_000],
      ['report:d', 'report', 0],
      ['account:ICBC 6222…4321', 'account', 2],
      ['phone:170****5678', 'indicator', 3],
      ['domain:fake.example', 'indicator', 1],
    ]);
    expect(edges.map((e) => [e.source, e.target, e.linkIds])).toEqual([
      ['report:a', 'account:ICBC 6222…4321', ['ab']],
      ['report:b', 'account:ICBC 6222…4321', ['ab']],
      ['report:a', 'phone:170****5678', ['ab']],
      ['report:b', 'phone:170****5678', ['ab', 'bc']],
      ['report:c', 'phone:170****5678', ['bc']],
      ['report:c', 'domain:fake.example', ['cx']],
    ]);
  });

  it('sizes reports by loss and names each edge by its evidence', () => {
    const option = linkChartOption(reports, links, text);
    const series = (
      option.series as {
        categories: { name: string }[];
        data: { id: string; category: number; symbolSize: number }[];
        links: { label: { formatter: string } }[];
      }[]
    )[0]!;
    expect(series.categories.map((c) => c.name)).toEqual(['report', 'indicator', 'account']);
    const size = (id: string) => series.data.find((n) => n.id === id)?.symbolSize ?? 0;
    expect(size('report:a')).toBeGreaterThan(size('report:b'));
    expect(size('report:b')).toBeGreaterThan(size('report:d'));
    expect(series.data.find((n) => n.id === 'account:ICBC 6222…4321')?.category).toBe(2);
    expect(series.links.map((l) => l.label.formatter)).toContain('shared account');
  });
});
