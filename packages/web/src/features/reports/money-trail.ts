import type { ReportView, StopPaymentView } from '@fanzha/contracts';

export interface TrailNode {
  request: StopPaymentView;
  children: TrailNode[];
}

/** The money trail as a tree: layer-1 accounts at the root, each onward account under the one it came from. */
export function buildTrail(requests: readonly StopPaymentView[]): TrailNode[] {
  const nodes = new Map(requests.map((r) => [r.id, { request: r, children: [] as TrailNode[] }]));
  const roots: TrailNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.request.parentId ? nodes.get(node.request.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const order = (a: TrailNode, b: TrailNode) =>
    (a.request.transferredAt ?? a.request.createdAt).localeCompare(
      b.request.transferredAt ?? b.request.createdAt,
    );
  const sort = (list: TrailNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

export function trailDepth(nodes: readonly TrailNode[]): number {
  return nodes.reduce((max, n) => Math.max(max, 1 + trailDepth(n.children)), 0);
}

export interface TrailTotals {
  accounts: number;
  stoppedFen: number;
  open: number;
}

export function trailTotals(requests: readonly StopPaymentView[]): TrailTotals {
  return {
    accounts: requests.length,
    stoppedFen: requests.reduce(
      (sum, r) => sum + (r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0),
      0,
    ),
    open: requests.filter((r) => r.status === 'pending' || r.status === 'sent' || r.status === 'acknowledged')
      .length,
  };
}

const earliest = (...values: (string | null | undefined)[]): string | null =>
  values.filter((v): v is string => Boolean(v)).sort()[0] ?? null;

/**
 * The three-minute clock's milestones. The report's own times may lag a live update, so each is the
 * earliest of the report's and what the stop-payment requests show.
 */
export function clockMilestones(times: ReportView['times'], requests: readonly StopPaymentView[]) {
  return {
    callAnsweredAt: times.callAnsweredAt,
    firstAccountPushedAt: earliest(
      times.firstAccountPushedAt,
      ...requests.filter((r) => r.layer === 1).map((r) => r.createdAt),
    ),
    firstInstructionSentAt: earliest(times.firstInstructionSentAt, ...requests.map((r) => r.sentAt)),
    firstStopResultAt: earliest(times.firstStopResultAt, ...requests.map((r) => r.result?.answeredAt)),
  };
}
