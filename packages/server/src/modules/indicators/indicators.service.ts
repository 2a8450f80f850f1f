import type {
  IndicatorDetail,
  IndicatorList,
  IndicatorLookupQuery,
  IndicatorQuery,
  IndicatorView,
} from '@fanzha/contracts';
import {
  normaliseIndicator,
  type IndicatorKind,
  type IndicatorSnapshot,
  type PublicRiskRecord,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { toSnapshot } from './indicators.consumer';
import {
  indicatorQueries,
  indicatorWrites,
  type IndicatorRow,
  type ListFilter,
} from './indicators.repository';

/** Sources listed with one indicator; `sourceCount` says how many there are in all. */
const SOURCES_SHOWN = 200;
/** Most snapshots one reader call returns. */
const READER_MAX = 10_000;

/** The columns a view needs. */
type ViewRow = Omit<IndicatorRow, 'scored_at' | 'regrade_at' | 'decided_at'>;

export function toIndicatorView(r: ViewRow): IndicatorView {
  return {
    id: r.id,
    kind: r.kind,
    value: r.value,
    status: r.status,
    riskLevel: r.risk_level,
    riskScore: Math.round(Number(r.risk_score) * 100) / 100,
    mergedInto: r.merged_into === null ? null : Number(r.merged_into),
    reportCount: r.report_count,
    answerCount: r.answer_count,
    lossFen: r.loss_fen,
    firstSeenAt: r.first_seen_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    lastReportedAt: r.last_reported_at?.toISOString() ?? null,
    hitCount: r.hit_count,
    updatedAt: r.updated_at.toISOString(),
  };
}

const num = <R extends ViewRow>(r: R): R => ({
  ...r,
  id: Number(r.id),
  report_count: Number(r.report_count),
  answer_count: Number(r.answer_count),
  loss_fen: Number(r.loss_fen),
  hit_count: Number(r.hit_count),
  risk_score: Number(r.risk_score),
  merged_into: r.merged_into === null ? null : Number(r.merged_into),
});

/** What screening's matcher needs of the registry (see `docs/warnings.md`, *Indicators*). */
export interface IndicatorReader {
  /** Active indicators with an id above `afterId`, in id order: a matcher's load at start, page by page. */
  loadPage(afterId: number, limit: number): Promise<IndicatorSnapshot[]>;
  /** These indicators as they stand now, whatever their status (one no longer active leaves the matcher). */
  getMany(ids: number[]): Promise<IndicatorSnapshot[]>;
}

/**
 * Counts screened hits on their indicators, in the caller's transaction (screening's, the one that
 * acknowledges a signal batch): one statement for the batch. Ids it does not know change nothing.
 */
export async function addIndicatorHits(trx: Transaction<DB>, indicatorIds: readonly number[]): Promise<void> {
  const hits = new Map<number, number>();
  for (const id of indicatorIds) hits.set(id, (hits.get(id) ?? 0) + 1);
  await indicatorWrites.addHits(trx, hits);
}

/**
 * A prefix to search for: the normal form when the text normalises (a whole number, a URL), else the text
 * as the normal forms write it (no spaces; lower case where the kind is).
 */
function searchPrefix(kind: IndicatorKind, q: string): string {
  const normal = normaliseIndicator(kind, q);
  if (normal.ok) return normal.value;
  const compact = q.trim().replace(/[\s-]+/g, '');
  return kind === 'phone' || kind === 'account' ? compact : compact.toLowerCase();
}

export function createIndicatorsService(deps: { db: Kysely<DB> }) {
  const q = indicatorQueries(deps.db);

  async function detail(row: IndicatorRow | undefined): Promise<IndicatorDetail> {
    if (!row) throw new AppError('not_found', 'No such indicator');
    const r = num(row);
    const [sources, count] = await Promise.all([
      q.sources(r.id, SOURCES_SHOWN).execute(),
      q.sourceCount(r.id).executeTakeFirstOrThrow(),
    ]);
    return {
      indicator: toIndicatorView(r),
      sources: sources.map((s) => ({
        kind: s.source_kind,
        sourceId: s.source_id,
        reportId: s.report_id,
        reportNumber: s.report_number,
        lossFen: Number(s.loss_fen),
        seenAt: s.seen_at.toISOString(),
      })),
      sourceCount: Number(count.n),
    };
  }

  return {
    /**
     * Search and list. Without `q`: newest first, by id. With `q` (and `kind`, which says how to normalise
     * it): the normal forms starting with it, in their order. Either way keyset paging, so a page costs the
     * same however deep it is.
     */
    async list(query: IndicatorQuery): Promise<IndicatorList> {
      let filter: ListFilter;
      if (query.q !== undefined) {
        if (!query.kind)
          throw validationError([
            {
              field: 'query.kind',
              reason: 'indicators.kind_required',
              message: 'A search (q) needs the kind, to know how to normalise it',
            },
          ]);
        filter = {
          order: 'value',
          kind: query.kind,
          prefix: searchPrefix(query.kind, query.q),
          limit: query.limit + 1,
          ...(query.status ? { status: query.status } : {}),
          ...(query.level ? { level: query.level } : {}),
          ...(query.after !== undefined ? { afterValue: query.after } : {}),
        };
      } else {
        if (query.after !== undefined && !/^[1-9]\d{0,14}$/.test(query.after))
          throw validationError([
            {
              field: 'query.after',
              reason: 'indicators.cursor',
              message:
                'Not a cursor of this list: pass the nextCursor of the previous page, with the same filters',
            },
          ]);
        filter = {
          order: 'id',
          limit: query.limit + 1,
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.level ? { level: query.level } : {}),
          ...(query.after !== undefined ? { afterId: Number(query.after) } : {}),
        };
      }
      const rows = (await q.list(filter).execute()).map(num);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > query.limit && last ? (filter.order === 'value' ? last.value : String(last.id)) : null;
      return { indicators: page.map(toIndicatorView), nextCursor };
    },

    /** One indicator by its number (as the path gives it: checked here). */
    async get(id: string): Promise<IndicatorDetail> {
      if (!/^[1-9]\d{0,14}$/.test(id))
        throw validationError([
          {
            field: 'params.id',
            reason: 'indicators.id',
            message: 'An indicator’s number is a positive whole number',
          },
        ]);
      return detail(await q.byId(Number(id)).executeTakeFirst());
    },

    /** The indicator a value is, however it is written: normalised first. */
    async lookup(query: IndicatorLookupQuery): Promise<IndicatorDetail> {
      const normal = normaliseIndicator(query.kind, query.value);
      if (!normal.ok)
        throw validationError([{ field: 'query.value', reason: normal.reason, message: normal.message }]);
      return detail(await q.byKey(query.kind, normal.value).executeTakeFirst());
    },

    reader: {
      async loadPage(afterId, limit) {
        const n = Math.max(1, Math.min(READER_MAX, Math.floor(limit)));
        return (await q.activePage(Math.max(0, Math.floor(afterId)), n).execute()).map((r) =>
          toSnapshot(num(r)),
        );
      },
      async getMany(ids) {
        const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))].slice(
          0,
          READER_MAX,
        );
        if (wanted.length === 0) return [];
        return (await q.many(wanted).execute()).map((r) => toSnapshot(num(r)));
      },
    } satisfies IndicatorReader,

    /**
     * The records of these normal forms of one kind, keyed by normal form (a value the registry lacks is
     * absent): what a public lookup or a bank's payee check judges its level on — the status and score, a
     * merged value's survivor's in its place. Exact values only, one indexed read for the lot.
     */
    async riskRecords(
      kind: IndicatorKind,
      values: readonly string[],
    ): Promise<Map<string, PublicRiskRecord>> {
      const wanted = [...new Set(values)].slice(0, READER_MAX);
      const rows = wanted.length === 0 ? [] : await q.byValues(kind, wanted).execute();
      return new Map(
        rows.map((r) => [
          r.value,
          r.status === 'merged' && r.survivor_status !== null && r.survivor_risk_level !== null
            ? {
                status: r.survivor_status,
                level: r.survivor_risk_level,
                score: { score: Number(r.survivor_risk_score), at: r.survivor_scored_at },
                regradeAt: r.survivor_regrade_at,
              }
            : {
                status: r.status,
                level: r.risk_level,
                score: { score: Number(r.risk_score), at: r.scored_at },
                regradeAt: r.regrade_at,
              },
        ]),
      );
    },

    /** Indicators per status (the tally the consumer keeps). */
    async countByStatus(): Promise<Array<{ status: string; n: number }>> {
      return (await q.tally().execute()).map((r) => ({ status: r.status, n: Number(r.n) }));
    },
  };
}

export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
