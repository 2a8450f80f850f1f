import type { FreezeView, StopPaymentView } from '@fanzha/contracts';
import type { CasePackFacts } from './case-packs.facts';

/**
 * The measures taken on a cluster's accounts, from the stop-payment requests of its reports (each carries its
 * latest freeze, and the freeze its release and return decisions): one row per emergency stop, freeze,
 * release and return, with what the bank confirmed as the effective amount. Requests never sent (pending,
 * withdrawn) took no measure and are left out.
 */
const stopStatusZh: Record<StopPaymentView['status'], string> = {
  pending: '待发送',
  sent: '已发送',
  acknowledged: '银行已签收',
  stopped: '已止付',
  failed: '未止付',
  withdrawn: '已撤回',
};
const freezeStatusZh: Record<FreezeView['status'], string> = {
  requested: '待银行确认',
  active: '冻结中',
  released: '已解冻',
  returned: '已返还',
  expired: '已到期',
  failed: '未冻结',
};
const decisionStatusZh: Record<FreezeView['decisions'][number]['status'], string> = {
  proposed: '待审批',
  approved: '已批准',
  rejected: '已驳回',
  confirmed: '银行已确认',
  failed: '银行未执行',
};

type Measure = CasePackFacts['measures'][number];
const at = (iso: string | null) => (iso === null ? null : new Date(iso));

export function measuresOf(requests: readonly StopPaymentView[]): Measure[] {
  const out: Measure[] = [];
  for (const r of requests) {
    if (r.status === 'pending' || r.status === 'withdrawn') continue;
    const account = {
      key: `${r.account.bankCode}:${r.account.number}`,
      bankCode: r.account.bankCode,
      bankName: r.account.bankName,
      number: r.account.number,
      holder: r.account.name,
    };
    const base = { reportNumber: r.reportNumber, account, layer: r.layer };
    out.push({
      ...base,
      kind: 'stop',
      status: stopStatusZh[r.status],
      requestedFen: r.amountFen,
      effectiveFen: r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0,
      document: r.legalDocNumber,
      at: at(r.stoppedAt ?? r.sentAt),
    });
    const f = r.freeze;
    if (!f) continue;
    out.push({
      ...base,
      kind: 'freeze',
      status: freezeStatusZh[f.status],
      requestedFen: f.requestedFen,
      effectiveFen: f.status === 'active' ? f.amountFen : 0,
      document: f.decisionNumber,
      at: at(f.confirmedAt ?? f.startsAt),
    });
    for (const d of f.decisions) {
      if (d.status === 'rejected') continue;
      out.push({
        ...base,
        kind: d.kind,
        status: decisionStatusZh[d.status],
        requestedFen: d.amountFen,
        effectiveFen: d.status === 'confirmed' ? (d.executedFen ?? d.amountFen) : 0,
        document: d.decisionNumber,
        at: at(d.confirmedAt ?? d.decidedAt ?? d.proposedAt),
      });
    }
  }
  return out;
}
