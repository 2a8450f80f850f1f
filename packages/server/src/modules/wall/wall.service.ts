import type { WallCounty, WallFigures, WallSummary } from '@fanzha/contracts';
import { findBankByCode } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { dayOf, dayStart, lastDays, lastHours, monthStart } from './china-time';
import { NO_LOOP, wallLoop, type WallLoopSources } from './wall.loop';
import { wallQueries, type WallWindow } from './wall.queries';

export const TARGET_S = 180;
const LAPSE_WINDOW_H = 12;
const TREND_DAYS = 30;
const TICKER_LINES = 20;
const HOUR_MS = 3_600_000;

/**
 * Capabilities that feed the wall today; the others show zero, marked as not yet connected. Numbers shut
 * come from the countermeasures module, where the app hands its figures in.
 */
const CAPABILITIES = { freezes: true, warnings: true } as const;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const bankName = (code: string) => findBankByCode(code)?.nameZh ?? null;

interface Counter {
  n: number;
  fen: number;
}

function figures(sum: (metric: string) => Counter): WallFigures {
  const received = sum('received');
  const stopped = sum('stopped');
  return {
    reports: received.n,
    lossFen: received.fen,
    stoppedAccounts: stopped.n,
    stoppedFen: stopped.fen,
    frozenFen: sum('frozen').fen,
    returnedFen: sum('returned').fen,
    // Person-times warned (each warning listed in an episode) and episodes closed persuaded.
    warnings: sum('warned').n,
    persuasions: sum('persuaded').n,
    // From the countermeasures module (set below); zero, and shown as not connected, without it.
    blockedNumbers: 0,
  };
}

function add(map: Map<string, Counter>, key: string, n: number, fen: number): void {
  const c = map.get(key) ?? { n: 0, fen: 0 };
  map.set(key, { n: c.n + n, fen: c.fen + fen });
}

/** The slices of time a refresh at `now` reads. */
export function wallWindow(now: Date): WallWindow {
  const month = monthStart(now);
  const firstHour = lastHours(now, 24)[0]!;
  const firstTrendDay = lastDays(now, TREND_DAYS)[0]!;
  return {
    now,
    today: dayStart(now),
    firstHour: month < firstHour ? month : firstHour,
    firstDay: dayOf(month) < firstTrendDay ? dayOf(month) : firstTrendDay,
    lastDay: dayOf(now),
    banksFrom: new Date(now.getTime() - 24 * HOUR_MS),
    lapseUntil: new Date(now.getTime() + LAPSE_WINDOW_H * HOUR_MS),
    targetS: TARGET_S,
  };
}

export const WALL_LIMITS = { lapse: 6, ticker: TICKER_LINES } as const;

/** Everything the wall shows, from the rollups: a few thousand rows at most, whatever the history. */
export async function wallSummary(
  db: Kysely<DB>,
  now: Date,
  loopSources: WallLoopSources = NO_LOOP,
): Promise<WallSummary> {
  const today = dayStart(now);
  const month = monthStart(now);
  const hours = lastHours(now, 24);
  const days = lastDays(now, TREND_DAYS);
  const q = wallQueries(db, wallWindow(now), WALL_LIMITS);
  const tomorrow = new Date(today.getTime() + 24 * HOUR_MS);
  const shut = loopSources.blockedNumbers;
  const [hourly, daily, clock, banks, lapse, next, handoffs, ticker, loop, shutToday, shutMonth] =
    await Promise.all([
      q.hours.execute(),
      q.days.execute(),
      q.clock.executeTakeFirstOrThrow(),
      q.banks.execute(),
      q.lapse.executeTakeFirstOrThrow(),
      q.lapseNext.execute(),
      q.handoffs.execute(),
      q.ticker.execute(),
      wallLoop(loopSources, now),
      shut ? shut(today, tomorrow) : 0,
      shut ? shut(month, tomorrow) : 0,
    ]);

  const sumHours = (from: Date) => (metric: string) =>
    hourly
      .filter((r) => r.metric === metric && r.hour >= from)
      .reduce((s, r) => ({ n: s.n + r.n, fen: s.fen + r.fen }), { n: 0, fen: 0 });
  const received = new Map(
    hourly.filter((r) => r.metric === 'received').map((r) => [r.hour.getTime(), r] as const),
  );

  const todayKey = dayOf(now);
  const monthKey = dayOf(month);
  const countiesToday = new Map<string, Counter>();
  const countiesMonth = new Map<string, Counter>();
  const typesMonth = new Map<string, Counter>();
  const trend = new Map<string, number[]>();
  for (const r of daily) {
    if (r.metric === 'county' && r.key !== '') {
      if (r.day === todayKey) add(countiesToday, r.key, r.n, r.fen);
      if (r.day >= monthKey) add(countiesMonth, r.key, r.n, r.fen);
    }
    if (r.metric === 'fraud_type') {
      if (r.day >= monthKey) add(typesMonth, r.key, r.n, r.fen);
      const i = days.indexOf(r.day);
      if (i >= 0) {
        const series = trend.get(r.key) ?? days.map(() => 0);
        series[i] = (series[i] ?? 0) + r.n;
        trend.set(r.key, series);
      }
    }
  }
  const counties: WallCounty[] = [...new Set([...countiesMonth.keys(), ...countiesToday.keys()])]
    .sort()
    .map((code) => ({
      code,
      reportsToday: countiesToday.get(code)?.n ?? 0,
      lossTodayFen: countiesToday.get(code)?.fen ?? 0,
      reportsMonth: countiesMonth.get(code)?.n ?? 0,
      lossMonthFen: countiesMonth.get(code)?.fen ?? 0,
    }))
    .filter((c) => c.reportsMonth > 0 || c.reportsToday > 0);
  const typeCode = (key: string) => (key === '' ? null : key);

  return {
    at: now.toISOString(),
    today: { ...figures(sumHours(today)), blockedNumbers: shutToday },
    month: { ...figures(sumHours(month)), blockedNumbers: shutMonth },
    capabilities: { ...CAPABILITIES, blockedNumbers: shut !== undefined },
    clock: {
      reports: clock.reports,
      reached: clock.reached,
      medianS: round1(clock.p50),
      p90S: round1(clock.p90),
      withinTarget: clock.within,
      withinTargetShare: clock.reports > 0 ? Math.round((clock.within / clock.reports) * 1000) / 1000 : null,
      targetS: TARGET_S,
    },
    counties,
    fraudTypes: {
      month: [...typesMonth]
        .filter(([, c]) => c.n > 0)
        .sort(([, a], [, b]) => b.n - a.n)
        .map(([key, c]) => ({ code: typeCode(key), reports: c.n, lossFen: c.fen })),
      trend: {
        days,
        series: [...trend]
          .filter(([, counts]) => counts.some((n) => n > 0))
          .map(([key, counts]) => ({ code: typeCode(key), reports: counts })),
      },
    },
    hourly: hours.map((hour) => {
      const r = received.get(hour.getTime());
      return { hour: hour.toISOString(), reports: r?.n ?? 0, lossFen: r?.fen ?? 0 };
    }),
    banks: banks
      .filter((b) => b.bank_code !== null)
      .map((b) => ({
        bankCode: b.bank_code!,
        bankName: bankName(b.bank_code!),
        answered: b.answered,
        stopped: b.stopped,
        medianS: round1(b.p50),
        p90S: round1(b.p90),
      }))
      .sort((a, b) => b.answered - a.answered || a.bankCode.localeCompare(b.bankCode)),
    lapse: {
      windowH: LAPSE_WINDOW_H,
      inForce: lapse.in_force,
      count: lapse.n,
      stoppedFen: lapse.fen,
      next: next.map((s) => ({
        bankCode: s.bank_code ?? '',
        bankName: s.bank_code ? bankName(s.bank_code) : null,
        layer: s.layer ?? 1,
        stoppedFen: s.stopped_fen,
        expiresAt: s.expires_at!.toISOString(),
      })),
    },
    handoffs: {
      open: handoffs.reduce((s, r) => s + r.open, 0),
      overdue: handoffs.reduce((s, r) => s + r.overdue, 0),
      byCounty: handoffs
        .filter((r) => r.overdue > 0 && r.county_code)
        .map((r) => ({ code: r.county_code!, overdue: r.overdue }))
        .sort((a, b) => b.overdue - a.overdue || a.code.localeCompare(b.code)),
    },
    callbacks: loop.callbacks,
    tasks: loop.tasks,
    investigation: loop.investigation,
    ticker: ticker.map((t) => ({
      id: String(t.id),
      at: t.at.toISOString(),
      kind: t.kind,
      countyCode: t.county_code,
      fraudType: t.fraud_type,
      lossFen: t.loss_fen,
      stoppedFen: t.stopped_fen,
      frozenFen: t.frozen_fen,
      returnedFen: t.returned_fen,
      text: t.text,
    })),
  };
}
