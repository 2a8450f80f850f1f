import { chinaWeekOf, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { reportPublicityFacts, type ReportPublicityFacts } from '../reports/index';
import { publicityRepository as repo, type CountedReport, type Tally } from './publicity.repository';

export const PUBLICITY_CONSUMER = 'publicity-rollup';
const SUBJECTS = ['report.changed'];
const MAX_BATCH = 500;

/** What the rollup counts of a report: submitted reports only ('' for an unknown county or type). */
export function countedOf(f: ReportPublicityFacts | undefined): CountedReport | undefined {
  if (!f?.isSubmitted) return undefined;
  return {
    report_id: f.id,
    week: chinaWeekOf(f.callAnsweredAt),
    county_code: f.countyCode ?? '',
    fraud_type: f.fraudType ?? '',
    age_band: f.ageBand,
    loss_fen: f.lossFen,
  };
}

const keyOf = (c: CountedReport) => `${c.week}|${c.county_code}|${c.fraud_type}|${c.age_band}`;
const same = (a: CountedReport | undefined, b: CountedReport | undefined) =>
  a === b || (a !== undefined && b !== undefined && keyOf(a) === keyOf(b) && a.loss_fen === b.loss_fen);

/** The counters' changes that move each report from what was counted to what it is now (new − counted). */
export function planTallies(
  ids: readonly string[],
  counted: ReadonlyMap<string, CountedReport>,
  now: ReadonlyMap<string, CountedReport | undefined>,
): { tallies: Tally[]; save: CountedReport[]; remove: string[] } {
  const byKey = new Map<string, Tally>();
  const add = (c: CountedReport, sign: 1 | -1) => {
    const k = keyOf(c);
    const t = byKey.get(k) ?? { ...c, reports: 0, loss_fen: 0 };
    t.reports += sign;
    t.loss_fen += sign * c.loss_fen;
    byKey.set(k, t);
  };
  const save: CountedReport[] = [];
  const remove: string[] = [];
  for (const id of ids) {
    const before = counted.get(id);
    const after = now.get(id);
    if (same(before, after)) continue;
    if (before) add(before, -1);
    if (after) {
      add(after, 1);
      save.push(after);
    } else remove.push(id);
  }
  const tallies = [...byKey.values()]
    .filter((t) => t.reports !== 0 || t.loss_fen !== 0)
    .map(({ week, county_code, fraud_type, age_band, reports, loss_fen }) => ({
      week,
      county_code,
      fraud_type,
      age_band,
      reports,
      loss_fen,
    }));
  return { tallies, save, remove };
}

/**
 * Brings the weekly counters up to date with these reports as they stand, in one transaction. The facts are
 * read from the reports module, so a redelivered or reordered event changes nothing twice.
 */
export async function countReports(db: Kysely<DB>, reportIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(reportIds)].sort();
  if (ids.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const counted = await repo.lockCounted(trx, ids);
    const facts = new Map((await reportPublicityFacts(trx, ids)).map((f) => [f.id, countedOf(f)]));
    const plan = planTallies(ids, counted, facts);
    await repo.saveCounted(
      trx,
      ids.filter((id) => !plan.save.some((r) => r.report_id === id)),
      plan.save,
      plan.remove,
    );
    await repo.addTallies(trx, plan.tallies);
  });
}

export async function applyReportEvents(db: Kysely<DB>, events: EventEnvelope[]): Promise<void> {
  await countReports(
    db,
    events.flatMap((e) =>
      e.subject === 'report.changed' ? [(e as EventEnvelope<'report.changed'>).data.id] : [],
    ),
  );
}

/**
 * Publicity's rollup consumer (worker role): one durable consumer group taking batches of report events.
 * Concurrent batches lock the reports' counted rows first (sorted), so two batches about one report queue.
 */
export function startPublicityRollup(deps: {
  db: Kysely<DB>;
  bus: Bus;
  clock: Clock;
}): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: PUBLICITY_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyReportEvents(deps.db, events),
  );
}
