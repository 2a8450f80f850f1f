import type { WallCallbackFigures, WallCallbacks, WallInvestigation, WallTasks } from '@fanzha/contracts';
import { dayStart, monthStart } from './china-time';

const DAY_MS = 86_400_000;
const TASK_KINDS_SHOWN = 3;

/**
 * Where the wall reads the closed loop (回访, 督办) from. The callbacks and tasks modules import the wall's
 * China-time helpers, so the wall cannot import them back (no module cycles): the app hands their public
 * aggregate functions in. Both are index reads of a few rows, like the lapse and hand-off figures.
 */
export interface WallLoopSources {
  /** Callback figures over callbacks made in [from, to), whole province. */
  callbackRates(from: Date, to: Date): Promise<{ all: WallCallbackFigures & { scheduled: number } }>;
  /** Open tasks per kind, and those past their deadline at `now`. */
  openTasks(now: Date): Promise<{ kind: string; open: number; overdue: number }[]>;
  /** Case linking's figures (the case-links module's, handed in by the app like the others). */
  investigation?(now: Date): Promise<{ open: number; alerted: number; linkedToday: number }>;
  /** Numbers shut (关停涉诈号码): phone blocks executed in [from, to) (the countermeasures module's). */
  blockedNumbers?: (from: Date, to: Date) => Promise<number>;
}

const callbackFigures = (f: WallCallbackFigures): WallCallbackFigures => ({
  closed: f.closed,
  reached: f.reached,
  reachRate: f.reachRate === null ? null : Math.round(f.reachRate * 1000) / 1000,
  meanSatisfaction: f.meanSatisfaction === null ? null : Math.round(f.meanSatisfaction * 100) / 100,
  complaints: f.complaints,
});

/** Today's and this month's callbacks (China time), and the supervision queue now. */
export async function wallLoop(
  src: WallLoopSources,
  now: Date,
): Promise<{ callbacks: WallCallbacks; tasks: WallTasks; investigation: WallInvestigation }> {
  const today = dayStart(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  const [day, month, kinds, clusters] = await Promise.all([
    src.callbackRates(today, tomorrow),
    src.callbackRates(monthStart(now), tomorrow),
    src.openTasks(now),
    src.investigation ? src.investigation(now) : { open: 0, alerted: 0, linkedToday: 0 },
  ]);
  return {
    callbacks: { today: callbackFigures(day.all), month: callbackFigures(month.all) },
    tasks: {
      open: kinds.reduce((s, k) => s + k.open, 0),
      overdue: kinds.reduce((s, k) => s + k.overdue, 0),
      byKind: kinds
        .filter((k) => k.open > 0)
        .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.kind.localeCompare(b.kind))
        .slice(0, TASK_KINDS_SHOWN)
        .map((k) => ({ kind: k.kind, open: k.open, overdue: k.overdue })),
    },
    investigation: {
      openClusters: clusters.open,
      alertedClusters: clusters.alerted,
      linkedToday: clusters.linkedToday,
    },
  };
}

/** With no sources (a wall built without the loop modules): zero, nothing open. */
export const NO_LOOP: WallLoopSources = {
  callbackRates: async () => ({
    all: { scheduled: 0, closed: 0, reached: 0, reachRate: null, meanSatisfaction: null, complaints: 0 },
  }),
  openTasks: async () => [],
};
