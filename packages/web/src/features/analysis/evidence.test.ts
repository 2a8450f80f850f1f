import { describe, expect, it } from 'vitest';
import type { ReportLinkView } from './analysis-types';
import { activeLinkCounts, byEvidenceOrder, proposeLeaving } from './evidence';

const link = (
  a: string,
  b: string,
  status: ReportLinkView['status'] = 'active',
  at = '01',
): ReportLinkView => ({
  a,
  b,
  kind: 'phone',
  value: '17012345678',
  status,
  linkedAt: `2026-12-04T${at}:00:00.000Z`,
});

describe('evidence', () => {
  const links = [link('a', 'b'), link('a', 'c'), link('b', 'c'), link('c', 'd'), link('d', 'e', 'severed')];

  it('counts only active links', () => {
    expect(Object.fromEntries(activeLinkCounts(links))).toEqual({ a: 2, b: 2, c: 3, d: 1 });
  });

  it('proposes that the report less bound to the cluster leaves, b on a tie', () => {
    expect(proposeLeaving(links, { a: 'c', b: 'd' })).toBe('d');
    expect(proposeLeaving(links, { a: 'd', b: 'c' })).toBe('d');
    expect(proposeLeaving(links, { a: 'a', b: 'b' })).toBe('b');
  });

  it('lists active links first, oldest first', () => {
    const sorted = [
      link('x', 'y', 'severed', '00'),
      link('p', 'q', 'active', '03'),
      link('m', 'n', 'active', '02'),
    ].sort(byEvidenceOrder);
    expect(sorted.map((l) => l.a)).toEqual(['m', 'p', 'x']);
  });
});
