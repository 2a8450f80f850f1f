import { z } from 'zod';
import { datetime, day } from './instant';
import { sumFen } from './amounts';

/**
 * The command wall (质态云图): aggregates only. Nothing here names a person, a phone number, an ID number
 * or an account: counties, fraud types, banks, amounts and times. Days and hours are China time.
 */
const count = z.number().int().min(0);
/** Every amount on the wall is a sum (of reports, stops, hours or days). */
const fen = sumFen;
const seconds = z.number().min(0).nullable();

/** The headline figures of one period. Stopped is not recovered: frozen and returned are their own series. */
export const WallFigures = z
  .object({
    reports: count.describe('Reports received (submitted), by the time the call was answered'),
    lossFen: fen.describe('Losses declared in those reports'),
    stoppedAccounts: count.describe('Accounts emergency-stopped (bank answered "stopped")'),
    stoppedFen: fen,
    frozenFen: fen,
    returnedFen: fen,
    warnings: count.describe(
      'Warnings (预警, person-times): signals that found a person and were listed in their episode, by the hour of the latest warning',
    ),
    persuasions: count.describe('Episodes closed persuaded (劝阻成功), by the hour they closed'),
    blockedNumbers: count,
  })
  .meta({ id: 'WallFigures' });
export type WallFigures = z.infer<typeof WallFigures>;

/** Which figures have a capability behind them yet; the others are zero and shown as not yet connected. */
export const WallCapabilities = z.object({
  freezes: z.boolean(),
  warnings: z.boolean(),
  blockedNumbers: z.boolean(),
});

/** The three-minute clock over today's reports: call answered → first stop result. */
export const WallClock = z.object({
  reports: count.describe('Reports whose call was answered today (drafts included: the clock runs)'),
  reached: count.describe('Of those, reports with a first stop result'),
  medianS: seconds,
  p90S: seconds,
  withinTarget: count,
  withinTargetShare: z.number().min(0).max(1).nullable().describe('withinTarget / reports'),
  targetS: z.number().int(),
});
export type WallClock = z.infer<typeof WallClock>;

export const WallCounty = z.object({
  code: z.string().describe('GB/T 2260 county code'),
  reportsToday: count,
  lossTodayFen: fen,
  reportsMonth: count,
  lossMonthFen: fen,
});
export type WallCounty = z.infer<typeof WallCounty>;

export const WallFraudTypes = z.object({
  month: z.array(z.object({ code: z.string().nullable(), reports: count, lossFen: fen })),
  trend: z.object({
    days: z.array(day).describe('The last 30 days, oldest first'),
    series: z.array(z.object({ code: z.string().nullable(), reports: z.array(count) })),
  }),
});
export type WallFraudTypes = z.infer<typeof WallFraudTypes>;

export const WallHour = z.object({ hour: datetime, reports: count, lossFen: fen });
export type WallHour = z.infer<typeof WallHour>;

/** A bank's answers over the last 24 hours: instruction sent → answer. */
export const WallBank = z.object({
  bankCode: z.string(),
  bankName: z.string().nullable(),
  answered: count,
  stopped: count,
  medianS: seconds,
  p90S: seconds,
});
export type WallBank = z.infer<typeof WallBank>;

/** Emergency stops in force whose 48 hours end within the window, soonest first. */
export const WallLapse = z.object({
  windowH: z.number().int(),
  inForce: count,
  count,
  stoppedFen: fen,
  next: z.array(
    z.object({
      bankCode: z.string(),
      bankName: z.string().nullable(),
      layer: z.number().int().min(1),
      stoppedFen: fen,
      expiresAt: datetime,
    }),
  ),
});
export type WallLapse = z.infer<typeof WallLapse>;

/** County hand-offs (属地推送) still open, and those past their deadline. */
export const WallHandoffs = z.object({
  open: count,
  overdue: count,
  byCounty: z.array(z.object({ code: z.string(), overdue: count })),
});
export type WallHandoffs = z.infer<typeof WallHandoffs>;

/** Callbacks (回访) closed in a period, counted over callbacks made in it (as the period reports count them). */
export const WallCallbackFigures = z.object({
  closed: count.describe('Callbacks made in the period and closed (done, unreachable, refused)'),
  reached: count,
  reachRate: z.number().min(0).max(1).nullable().describe('reached / closed'),
  meanSatisfaction: z.number().min(1).max(5).nullable().describe('Of those reached and rated, 1–5'),
  complaints: count.describe('Reached with a satisfaction ≤ 2 or a complaint'),
});
export type WallCallbackFigures = z.infer<typeof WallCallbackFigures>;
export const WallCallbacks = z.object({ today: WallCallbackFigures, month: WallCallbackFigures });
export type WallCallbacks = z.infer<typeof WallCallbacks>;

/** The supervision queue (督办) now: open tasks of every kind, those past their deadline, the busiest kinds. */
export const WallTasks = z.object({
  open: count,
  overdue: count,
  byKind: z
    .array(z.object({ kind: z.string(), open: count, overdue: count }))
    .max(3)
    .describe('At most three kinds, most overdue first'),
});
export type WallTasks = z.infer<typeof WallTasks>;

/** Case linking (串并案) now: clusters being worked, those that grew past the alert threshold, reports linked today. */
export const WallInvestigation = z.object({
  openClusters: count.describe('Clusters open or confirmed (not yet handed off)'),
  alertedClusters: count.describe('Of those, the ones that grew past FANZHA_CLUSTER_ALERT_REPORTS reports'),
  linkedToday: count.describe('Reports that joined a cluster today (China time)'),
});
export type WallInvestigation = z.infer<typeof WallInvestigation>;

export const WallTickerKind = z.enum(['received', 'stopped', 'frozen', 'returned']);
/** One line of the ticker, e.g. "贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000". */
export const WallTickerItem = z
  .object({
    id: z.string(),
    at: datetime,
    kind: WallTickerKind,
    countyCode: z.string().nullable(),
    fraudType: z.string().nullable(),
    lossFen: fen,
    stoppedFen: fen,
    frozenFen: fen,
    returnedFen: fen,
    text: z.string().describe('The line in Chinese, built on the server from the fields above only'),
  })
  .meta({ id: 'WallTickerItem' });
export type WallTickerItem = z.infer<typeof WallTickerItem>;

export const WallSummary = z
  .object({
    at: datetime,
    today: WallFigures,
    month: WallFigures,
    capabilities: WallCapabilities,
    clock: WallClock,
    counties: z.array(WallCounty).describe('Counties with reports this month'),
    fraudTypes: WallFraudTypes,
    hourly: z.array(WallHour).describe('The last 24 hours, oldest first, the current hour last'),
    banks: z.array(WallBank),
    lapse: WallLapse,
    handoffs: WallHandoffs,
    callbacks: WallCallbacks,
    tasks: WallTasks,
    investigation: WallInvestigation,
    ticker: z.array(WallTickerItem).describe('Latest first'),
  })
  .meta({ id: 'WallSummary' });
export type WallSummary = z.infer<typeof WallSummary>;

/** What the wall receives live: new ticker lines; the figures behind them are to be fetched again. */
export const WallPush = z.object({ type: z.literal('wall'), at: datetime, ticker: z.array(WallTickerItem) });
export type WallPush = z.infer<typeof WallPush>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** The wall's rollups changed (published by the rollup consumer with the lines it added). */
    'wall.changed': { at: string; ticker: WallTickerItem[] };
  }
}
