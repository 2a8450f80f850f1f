import { createCountyRobot } from './county-robot';
import { createFreezeRobot } from './freezes';
import type { MeasureBook } from './measures';
import { startPublicityRobot } from './publicity-robot';
import type { Robot } from './session';
import type { SimStats } from './stats';
import { limiter, type Timers } from './timers';
import type { World } from './world';

/**
 * The robot case officers, after the stop: the county police working each report's task and the
 * officers freezing stopped accounts, renewing, returning and releasing. They hear of reports and stops
 * from the world and act through the public API only, at the plan's times (see cases.ts).
 */
export function startCaseRobots(deps: {
  supervisor: Robot;
  officer: Robot;
  world: World;
  timers: Timers;
  stats: SimStats;
  measures: MeasureBook;
  seed: string | number;
  runTag: string;
  pace: number;
  isLeftToPeople: (bankCode: string) => boolean;
}): { open(): number } {
  let open = 0;
  const track = <T>(work: Promise<T>) => {
    open++;
    void work.finally(() => open--);
  };
  const requests = limiter(8);
  const county = createCountyRobot({ ...deps, robot: deps.supervisor, requests, track });
  const freezes = createFreezeRobot({ ...deps, approver: deps.supervisor, requests, track });
  // Publicity: campaigns planned from the brief and held by the counties, so the demo's figures have them.
  startPublicityRobot({ ...deps, robot: deps.supervisor, requests });
  deps.world.observe({
    filed: (run) => county.filed(run),
    stopped: (plan, stopped) => freezes.stopped(plan, stopped),
  });
  // Work waiting on people, or on a bank that answers days later, is not the run's to wait for.
  return { open: () => open - freezes.waitingLong() };
}
