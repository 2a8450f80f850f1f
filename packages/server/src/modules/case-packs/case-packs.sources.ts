import type { AllocationRule, ClusterDetail, MoneyTraceView, StopPaymentView } from '@fanzha/contracts';
import {
  clusterStatusNamesZh,
  countyLabel,
  findBankByCode,
  fraudTypes,
  linkKindNamesZh,
} from '@fanzha/domain';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import type { CaseLinksService } from '../case-links/index';
import type { MoneyGraphService } from '../money-graph/index';
import { openStatuses, type StopPaymentService } from '../stop-payment/index';
import type { CasePackFacts } from './case-packs.facts';
import { measuresOf } from './case-packs.measures';
import type { CasePackSources } from './case-packs.service';

/** Layers the pack follows the money to (the money graph's limit). */
export const PACK_DEPTH = 20;
/** Pooled funds are worked out for the accounts holding the most traced money, up to this many. */
export const SHARE_ACCOUNTS = 200;
const PAGE = 500;

const fraudTypeZh = (code: string | null) =>
  code === null ? '—' : (fraudTypes.find((t) => t.code === code)?.nameZh ?? code);
const countyZh = (code: string | null) => (code === null ? '—' : (countyLabel(code) ?? code));

/** The cluster's profile and reports, as the pack shows them (pure: from the case-linking module's view). */
export function clusterPart(d: ClusterDetail): Pick<CasePackFacts, 'cluster' | 'reports'> {
  const p = d.profile;
  return {
    cluster: {
      id: d.cluster.id,
      label: `CL-${d.cluster.id.slice(0, 8).toUpperCase()}`,
      status: clusterStatusNamesZh[d.cluster.status],
      reports: p.reportCount,
      victims: p.victimCount,
      lossFen: p.lossFen,
      counties: p.counties.map((c) => countyZh(c.code)),
      fraudTypes: p.fraudTypes.map((t) => fraudTypeZh(t.code)),
      firstAt: p.firstReportedAt === null ? null : new Date(p.firstReportedAt),
      lastAt: p.lastReportedAt === null ? null : new Date(p.lastReportedAt),
      indicators: p.sharedIndicators.map((i) => ({
        kind: linkKindNamesZh[i.kind],
        value: i.value,
        reports: i.reports,
      })),
    },
    reports: d.reports
      .map((r) => ({
        id: r.id,
        number: r.number,
        receivedAt: new Date(r.reportedAt),
        county: countyZh(r.countyCode),
        fraudType: fraudTypeZh(r.fraudType),
        lossFen: r.lossFen,
      }))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.number.localeCompare(b.number)),
  };
}

/** The traced money, as the pack shows it (pure: from the money graph's view and each account's pooled count). */
export function tracePart(
  t: MoneyTraceView,
  reports: CasePackFacts['reports'],
  sourcesOf: ReadonlyMap<string, number>,
): Pick<CasePackFacts, 'accounts' | 'transfers' | 'sources' | 'isTruncated'> {
  const numberOf = new Map(reports.map((r) => [r.id, r.number]));
  return {
    sources: t.accounts
      .filter((a) => a.reportId !== null)
      .map((a) => ({ key: a.key, reportNumber: numberOf.get(a.reportId!) ?? a.reportId! })),
    accounts: t.accounts
      .filter((a) => a.reportId === null && a.depth > 0)
      .map((a) => {
        const bankCode = a.bankCode ?? '—';
        return {
          key: a.key,
          bankCode,
          bankName: findBankByCode(bankCode)?.nameZh ?? null,
          number: a.number ?? a.key,
          holder: null,
          layer: a.depth,
          receivedFen: a.receivedFen,
          passedOnFen: a.passedOnFen,
          heldFen: a.heldFen,
          sources: sourcesOf.get(a.key) ?? null,
        };
      }),
    transfers: t.flows.map((f) => ({
      from: f.from,
      to: f.to,
      depth: f.depth,
      at: new Date(f.at),
      transferFen: f.transferFen,
      tracedFen: f.tracedFen,
    })),
    isTruncated: t.truncated,
  };
}

/**
 * The sources of a case pack over the owning modules' services: the cluster from case linking, the trace of
 * its reports from the money graph, and the measures from every stop-payment request of its reports.
 */
export function casePackSources(deps: {
  caseLinks: Pick<CaseLinksService, 'get'>;
  moneyGraph: Pick<MoneyGraphService, 'traceCluster' | 'shares'>;
  stopPayments: Pick<StopPaymentService, 'queue'>;
}): CasePackSources {
  const everyStatus: StopPaymentView['status'][] = [...openStatuses, 'stopped', 'failed', 'withdrawn'];
  return {
    async cluster(_actor: Actor, id: string) {
      const detail = await deps.caseLinks.get(id);
      // A merged cluster has no reports of its own any more: its pack would be empty, and handed on as the
      // gang's file it would say nothing was found. The gang's pack is the cluster it was merged into.
      if (detail.cluster.status === 'merged') {
        const message = `This cluster was merged into ${detail.cluster.mergedInto ?? 'another'}: export that cluster's pack`;
        throw new AppError('conflict', message, [{ field: 'params.id', reason: 'cluster.merged', message }]);
      }
      return clusterPart(detail);
    },

    async trace(actor: Actor, reports: CasePackFacts['reports'], rule: AllocationRule) {
      if (reports.length === 0) return tracePart(emptyTrace(rule), reports, new Map());
      const view = await deps.moneyGraph.traceCluster(actor, {
        reportIds: reports.map((r) => r.id),
        rule,
        maxDepth: PACK_DEPTH,
      });
      const pooled = new Map<string, number>();
      const held = view.accounts
        .filter((a) => a.reportId === null && a.bankCode !== null && a.number !== null && a.heldFen > 0)
        .sort((a, b) => b.heldFen - a.heldFen)
        .slice(0, SHARE_ACCOUNTS);
      for (const a of held) {
        const s = await deps.moneyGraph.shares(a.bankCode!, a.number!, rule);
        pooled.set(a.key, s.shares.filter((x) => x.heldFen > 0).length);
      }
      for (const a of view.accounts) if (a.heldFen === 0 && a.reportId === null) pooled.set(a.key, 0);
      return tracePart(view, reports, pooled);
    },

    async measures(actor: Actor, reportIds: string[]) {
      const views: StopPaymentView[] = [];
      for (const reportId of reportIds) {
        let before: { createdAt: Date; id: string } | undefined;
        for (;;) {
          const page = await deps.stopPayments.queue(actor, {
            statuses: everyStatus,
            reportId,
            before,
            limit: PAGE,
          });
          views.push(...page.requests);
          if (!page.nextCursor) break;
          const [ms, id] = page.nextCursor.split('.');
          before = { createdAt: new Date(Number(ms)), id: id! };
        }
      }
      views.sort((a, b) => a.layer - b.layer || a.createdAt.localeCompare(b.createdAt));
      return measuresOf(views);
    },
  };
}

const emptyTrace = (rule: AllocationRule): MoneyTraceView => ({
  rule,
  maxDepth: PACK_DEPTH,
  reportIds: [],
  sources: [],
  flows: [],
  accounts: [],
  truncated: false,
});
