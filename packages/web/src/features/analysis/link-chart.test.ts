import { describe, expect, it } from 'vitest';
import type { ClusterReportView, ReportLinkView } from './analysis-types';
import { linkChartOption, linkGraph, type LinkChartText } from './link-chart';

const report = (id: string, lossFen: number): ClusterReportView => ({
  id,
  number: `R-${id}`,
  countyCode: '520102',
  fraudType: 'TASK_REBATE',
  lossFen,
  reportedAt: '2026-12-04T01:00:00.000Z',
});
const reports = [report('a', 500_000), report('b', 300_000), report('c', 100_000), report('d', 0)];
const AT = '2026-12-04T01:00:00.000Z';
const link = (
  a: string,
  b: string,
  kind: ReportLinkView['kind'],
  value: string,
  status = 'active' as const,
) => ({
  a,
  b,
  kind,
  value,
  status,
  linkedAt: AT,
});
const links: ReportLinkView[] = [
  link('a', 'b', 'account', 'ICBC:6222021000876543210'),
  link('a', 'b', 'phone', '17012345678'),
  link('b', 'c', 'phone', '17012345678'),
  // A report of another cluster named by a stale link: not drawn.
  link('c', 'x', 'domain', 'fake.example'),
  // Cut by a split: evidence on record, not drawn.
  { ...link('c', 'd', 'app', 'com.fake.loan'), status: 'severed' },
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
      ['account:ICBC:6222021000876543210', 'account', 2],
      ['phone:17012345678', 'indicator', 3],
      ['domain:fake.example', 'indicator', 1],
    ]);
    expect(edges.map((e) => [e.source, e.target, e.linkIds])).toEqual([
      ['report:a', 'account:ICBC:6222021000876543210', ['a|b|account|ICBC:6222021000876543210']],
      ['report:b', 'account:ICBC:6222021000876543210', ['a|b|account|ICBC:6222021000876543210']],
      ['report:a', 'phone:17012345678', ['a|b|phone|17012345678']],
      ['report:b', 'phone:17012345678', ['a|b|phone|17012345678', 'b|c|phone|17012345678']],
      ['report:c', 'phone:17012345678', ['b|c|phone|17012345678']],
      ['report:c', 'domain:fake.example', ['c|x|domain|fake.example']],
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
    expect(series.data.find((n) => n.id === 'account:ICBC:6222021000876543210')?.category).toBe(2);
    expect(series.links.map((l) => l.label.formatter)).toContain('shared account');
  });
});
