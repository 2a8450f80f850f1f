import type { CallbackFigures, CallbackRates } from '@fanzha/contracts';
import { callbackKinds } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { callbackRatesQuery } from './callbacks.repository';

interface Counts {
  scheduled: number;
  closed: number;
  reached: number;
  unreachable: number;
  refused: number;
  satisfaction_sum: number;
  rated: number;
  complaints: number;
}

const zero: Counts = {
  scheduled: 0,
  closed: 0,
  reached: 0,
  unreachable: 0,
  refused: 0,
  satisfaction_sum: 0,
  rated: 0,
  complaints: 0,
};

const figuresOf = (c: Counts): CallbackFigures => ({
  scheduled: c.scheduled,
  closed: c.closed,
  reached: c.reached,
  reachRate: c.closed > 0 ? c.reached / c.closed : null,
  unreachable: c.unreachable,
  refused: c.refused,
  meanSatisfaction: c.rated > 0 ? c.satisfaction_sum / c.rated : null,
  complaints: c.complaints,
});

const sum = (rows: Counts[]): Counts =>
  rows.reduce(
    (a, r) =>
      Object.fromEntries(
        Object.keys(zero).map((k) => [k, a[k as keyof Counts] + r[k as keyof Counts]]),
      ) as unknown as Counts,
    zero,
  );

/**
 * The callbacks' figures over callbacks made in [from, to) (one index range, grouped by kind): how many were
 * scheduled, closed, reached (reach rate = reached / closed), unreachable or refused, the mean satisfaction of
 * those reached, and the complaints. The wall and the period reports show these.
 */
export async function callbackRates(
  db: Kysely<DB>,
  from: Date,
  to: Date,
  county: string | null,
): Promise<CallbackRates> {
  const rows = await callbackRatesQuery(db, from, to, county).execute();
  const byKind = callbackKinds.map((kind) => ({
    kind,
    ...figuresOf(rows.find((r) => r.kind === kind) ?? zero),
  }));
  return { from: from.toISOString(), to: to.toISOString(), county, all: figuresOf(sum(rows)), byKind };
}
