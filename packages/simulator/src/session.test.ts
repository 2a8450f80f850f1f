import { ApiError, type ApiClient } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { asRobot, type Robot } from './session';

const client = {} as ApiClient;
const ended = () =>
  new ApiError({ status: 401, code: 'unauthenticated', message: 'Sign-in required', requestId: 'r1' });

describe('a robot at the end of a run', () => {
  it('signs in again when its session has ended while it works', async () => {
    let renewals = 0;
    const robot: Robot = { client, renew: async () => (renewals++, client) };
    let calls = 0;
    const answer = await asRobot(robot, async () => {
      if (calls++ === 0) throw ended();
      return 'done';
    });
    expect(answer).toBe('done');
    expect(renewals).toBe(1);
  });

  it('once stopped, neither sends nor signs in again, even when a request in flight finds its session ended', async () => {
    let renewals = 0;
    const robot: Robot = { client, renew: async () => (renewals++, client) };
    let release!: () => void;
    const inFlight = asRobot(robot, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      throw ended();
    });
    robot.isStopped = true;
    release();
    await expect(inFlight).rejects.toBeInstanceOf(ApiError);
    let isSent = false;
    await expect(
      asRobot(robot, async () => {
        isSent = true;
      }),
    ).rejects.toThrow(/stopped/);
    expect(isSent).toBe(false);
    expect(renewals).toBe(0);
  });
});
