import { isStorableTime } from '@fanzha/contracts';
import type {
  ClusterDetail,
  ClusterEventView,
  ClusterFigures,
  ClusterList,
  ClusterProfileView,
  ClusterQuery,
  ClusterSummary,
} from '@fanzha/contracts';
import { clusterProfile, type ReportLink } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { isUuid } from '../../platform/http/cursor-parts';
import { AppError, validationError } from '../../platform/http/errors';
import { reportClusterFacts, reportGroupFigures, type ReportGroupFigures } from '../case/index';
import { dayStart } from '../wall/index';
import { caseLinkQueries as q, type ClusterRow } from './case-links.repository';
import { REQUEST_HASH, toClusterSummary } from './case-links.view';

/**
 * What analysts, the case pack and the wall read of clusters: the list (cursor-paged), one cluster with its
 * profile, links and history, the facts for a pack, the wall's figures. Decisions are in the service.
 */
type Db = Kysely<DB> | Transaction<DB>;

/**
 * History entries shown with a cluster, oldest first: a long history (a big gang grows one report at a time)
 * drops its oldest entries, never the latest decisions.
 */
const HISTORY_SHOWN = 500;

const notFound = () => new AppError('not_found', 'No such cluster');

/** A history entry's details as shown: without the hash of the request a decision's Idempotency-Key was spent on. */
function shownDetails(stored: unknown): Record<string, unknown> {
  const details = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Record<string, unknown>;
  const { [REQUEST_HASH]: _hash, ...shown } = details;
  return shown;
}

export interface ClusterFacts {
  cluster: ClusterSummary;
  profile: ClusterProfileView;
  reportIds: string[];
}

/** The cluster's profile and its links (active ones between members), from its reports as they stand. */
export async function profileOf(db: Db, clusterId: string) {
  const members = await q.memberIds(db, clusterId);
  const [facts, links, accounts] = await Promise.all([
    reportClusterFacts(db, members),
    q.links(db, members),
    q.accounts(db, members),
  ]);
  const inCluster = new Set(members);
  const active: ReportLink[] = links
    .filter((l) => l.status === 'active' && inCluster.has(l.report_a) && inCluster.has(l.report_b))
    .map((l) => ({ a: l.report_a, b: l.report_b, kind: l.kind, value: l.value }));
  const profile = clusterProfile(
    facts.map((f) => ({
      reportId: f.id,
      number: f.number,
      victimKey: f.victimKey,
      lossFen: f.lossFen,
      countyCode: f.countyCode,
      fraudType: f.fraudType,
      reportedAt: f.reportedAt.toISOString(),
    })),
    active,
    accounts.flatMap((a) => (a.layer === null ? [] : [{ account: a.value, layer: Number(a.layer) }])),
  );
  return { members, facts, links, active, profile };
}

/** A cluster's figures for the list; a cluster with no reports (merged away) has none to count. */
function figuresView(f: ReportGroupFigures | undefined): ClusterFigures {
  return {
    reportCount: f?.reportCount ?? 0,
    victimCount: f?.victimCount ?? 0,
    lossFen: f?.lossFen ?? 0,
    countyCount: f?.countyCount ?? 0,
    fraudTypeCount: f?.fraudTypeCount ?? 0,
    firstReportedAt: f?.firstReportedAt?.toISOString() ?? null,
    lastReportedAt: f?.lastReportedAt?.toISOString() ?? null,
  };
}

const cursorOf = (r: ClusterRow) => `${r.updated_at.toISOString()}_${r.id}`;
function parseCursor(after: string): { updatedAt: Date; id: string } {
  const [at, id] = after.split('_');
  const updatedAt = new Date(at ?? '');
  if (!isUuid(id) || !isStorableTime(updatedAt))
    throw validationError([
      {
        field: 'query.after',
        reason: 'clusters.cursor',
        message: 'Not a cursor of this list: pass the nextCursor of the previous page, with the same filters',
      },
    ]);
  return { updatedAt, id };
}

export function createClusterReads(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  return {
    async list(query: ClusterQuery): Promise<ClusterList> {
      const rows = await q.list(db, {
        ...(query.status ? { status: query.status } : {}),
        ...(query.alerted ? { alerted: query.alerted === 'true' } : {}),
        ...(query.minReports !== undefined ? { minReports: query.minReports } : {}),
        ...(query.after !== undefined ? { after: parseCursor(query.after) } : {}),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      // The page's figures in one more statement, whatever the page's size (never one per cluster).
      const figures = new Map(
        page.length === 0
          ? []
          : (
              await reportGroupFigures(
                db,
                q.membersOf(
                  db,
                  page.map((r) => r.id),
                ),
              )
            ).map((f) => [f.groupId, f]),
      );
      return {
        clusters: page.map((r) => ({ ...toClusterSummary(r), figures: figuresView(figures.get(r.id)) })),
        nextCursor: rows.length > query.limit && last ? cursorOf(last) : null,
      };
    },

    async get(id: string): Promise<ClusterDetail> {
      const row = await q.get(db, id);
      if (!row) throw notFound();
      const [{ facts, links, profile }, history] = await Promise.all([
        profileOf(db, id),
        q.history(db, id, HISTORY_SHOWN),
      ]);
      return {
        cluster: toClusterSummary(row),
        profile,
        reports: facts.map((f) => ({
          id: f.id,
          number: f.number,
          countyCode: f.countyCode,
          fraudType: f.fraudType,
          lossFen: f.lossFen,
          reportedAt: f.reportedAt.toISOString(),
        })),
        links: links.map((l) => ({
          a: l.report_a,
          b: l.report_b,
          kind: l.kind,
          value: l.value,
          status: l.status,
          linkedAt: l.linked_at.toISOString(),
        })),
        history: history.reverse().map((h) => ({
          id: h.id,
          kind: h.kind as ClusterEventView['kind'],
          at: h.at.toISOString(),
          by: h.username ?? null,
          reason: h.reason,
          details: shownDetails(h.details),
        })),
      };
    },

    /** For the case pack: the cluster, its profile and its reports' ids; undefined for an unknown cluster. */
    async clusterFacts(clusterId: string): Promise<ClusterFacts | undefined> {
      if (!isUuid(clusterId)) return undefined;
      const row = await q.get(db, clusterId);
      if (!row) return undefined;
      const { members, profile } = await profileOf(db, clusterId);
      return { cluster: toClusterSummary(row), profile, reportIds: members };
    },

    /** The wall's figures (open and alerted clusters now, reports linked today, China time). */
    async wallFigures(now: Date) {
      return q.wallFigures(db, dayStart(now));
    },
  };
}
