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
  // In time order; a second emergency stop of an account sits right after the first.
  const order = (a: TrailNode, b: TrailNode) =>
    (a.request.transferredAt ?? a.request.createdAt).localeCompare(
      b.request.transferredAt ?? b.request.createdAt,
    ) || a.request.stopSeq - b.request.stopSeq;
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
  /** Accounts in the trail (a second emergency stop of the same account is not another account). */
  accounts: number;
  /** Stopped by the banks, counted once per account however often it was stopped. */
  stoppedFen: number;
  /** Held by freezes in force. */
  frozenFen: number;
  /** Returned to the victim, as the banks confirmed. */
  returnedFen: number;
  /** Requests still waiting for the desk or the bank. */
  open: number;
  /** The nearest lapse of an emergency stop still in force, if any. */
  nextLapseAt: string | null;
}

const isRenewal = (r: StopPaymentView) => r.renewsId !== null;
const stoppedBy = (r: StopPaymentView) => (r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0);

/**
 * The money of a trail, as separate figures: stopped, frozen and returned are never added together, since
 * money stopped is not money recovered.
 */
export function trailTotals(requests: readonly StopPaymentView[]): TrailTotals {
  const isRenewed = (r: StopPaymentView) =>
    r.legalState === 'renewed' || requests.some((o) => o.renewsId === r.id);
  const sum = (f: (r: StopPaymentView) => number) => requests.reduce((total, r) => total + f(r), 0);
  const lapses = requests
    .filter((r) => r.legalState === 'stopped' && r.expiresAt !== null)
    .map((r) => r.expiresAt ?? '')
    .sort();
  return {
    accounts: requests.filter((r) => !isRenewal(r)).length,
    // A second stop holds the same money again: only the stop in force counts, as on the server.
    stoppedFen: sum((r) => (isRenewed(r) ? 0 : stoppedBy(r))),
    frozenFen: sum((r) => r.frozenFen),
    returnedFen: sum((r) => r.returnedFen),
    open: requests.filter((r) => r.status === 'pending' || r.status === 'sent' || r.status === 'acknowledged')
      .length,
    nextLapseAt: lapses[0] ?? null,
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
