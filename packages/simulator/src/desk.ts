import { ApiError, type ApiClient } from '@fanzha/contracts';
import type { VictimTransfer } from './scenario';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import { limiter, type Timers } from './timers';
import type { FraudRun, World } from './world';

/**
 * The robot stop-payment officer (止付岗): sends each pushed request to its bank when the plan says a
 * person at the desk would have (read it, check it, enter the legal document's number). With people at
 * the desk it does nothing and they send from the console.
 */
export interface Desk {
  /** The call-taker's save put this transfer's account in front of the desk as request `id`. */
  pushed(run: FraudRun, transfer: VictimTransfer, id: string): void;
}

export function createDesk(deps: {
  robot: Robot | undefined;
  world: World;
  timers: Timers;
  stats: SimStats;
  runTag: string;
  concurrency: number;
}): Desk {
  const { robot, world, timers, stats } = deps;
  const sending = limiter(deps.concurrency);
  const year = new Date().getFullYear();
  return {
    pushed(run, transfer, id) {
      if (!robot) return;
      world.expect(run, transfer.parcel);
      const legalDocNumber = `黔公反诈止〔${year}〕${deps.runTag}-${run.fraud.index}号`;
      timers.at(world.realAt(run, transfer.sendAt), () => {
        const send = (c: ApiClient) =>
          c.POST('/api/stop-payments/{id}/send', { params: { path: { id } }, body: { legalDocNumber } });
        void sending(() => asRobot(robot, send)).catch((err: unknown) => {
          // Someone at the console sent it first: the bank gets it all the same.
          if (err instanceof ApiError && err.status === 409) return;
          countError(stats, 'desk_send', err);
          world.abandon(run, transfer.parcel);
        });
      });
    },
  };
}
