import { createCountyRobot } from './county-robot';
import { createFreezeRobot } from './freezes';
import type { ReturnBook } from './returns';
import type { Robot } from './session';
import type { SimStats } from './stats';
import { limiter, type Timers } from './timers';
import type { World } from './world';

/**
 * The robot case officers, after the stop: the county police working each report's task and the
 * officers freezing stopped accounts and returning money. They hear of reports and stops from the world
 * and act through the public API only, at the plan's times (see cases.ts).
 */
export function startCaseRobots(deps: {
  supervisor: Robot;
  officer: Robot;
  world: World;
  timers: Timers;
  stats: SimStats;
  returns: ReturnBook;
  seed: string | number;
  runTag: string;
  pace: number;
}): { open(): number } {
  let open = 0;
  const track = <T>(work: Promise<T>) => {
    open++;
    void work.finally(() => open--);
  };
  const requests = limiter(8);
  const county = createCountyRobot({ ...deps, robot: deps.supervisor, requests, track });
  const freezes = createFreezeRobot({ ...deps, approver: deps.supervisor, requests, track });
  deps.world.observe({ filed: (run) => county.filed(run), stopped: (plan) => freezes.stopped(plan) });
  return { open: () => open + deps.returns.awaited() };
}
