import { describe, expect, it } from 'vitest';
import {
  burstEndedBefore,
  countUsername,
  isBurstOpen,
  refusalBursts,
  type BurstUsernames,
} from './refusal-bursts';

const at = (s: number) => new Date(Date.UTC(2026, 4, 1) + s * 1000);
const quietS = refusalBursts.quietMs / 1000;
const maxS = refusalBursts.maxMs / 1000;

describe('bursts of refused sign-ins', () => {
  it('stay open while refusals keep coming within the quiet time', () => {
    expect(isBurstOpen({ firstAt: at(0), lastAt: at(0) }, at(quietS - 1))).toBe(true);
    expect(isBurstOpen({ firstAt: at(0), lastAt: at(0) }, at(quietS))).toBe(false);
  });

  it('end after maxMs however busy, so a flood that never pauses is still reported', () => {
    expect(isBurstOpen({ firstAt: at(0), lastAt: at(maxS - 1) }, at(maxS - 0.5))).toBe(true);
    expect(isBurstOpen({ firstAt: at(0), lastAt: at(maxS - 1) }, at(maxS))).toBe(false);
  });

  it('agree with the sweep: a burst is ended exactly when it is no longer open', () => {
    const now = at(maxS + 100);
    const ended = burstEndedBefore(now);
    for (const b of [
      { firstAt: at(0), lastAt: at(maxS + 50) },
      { firstAt: at(150), lastAt: at(maxS + 40) },
      { firstAt: at(200), lastAt: at(maxS + 41) },
      { firstAt: at(101), lastAt: at(maxS + 99) },
    ]) {
      const isEnded = b.lastAt <= ended.lastAt || b.firstAt <= ended.firstAt;
      expect(isEnded).toBe(!isBurstOpen(b, now));
    }
  });

  it('count each username tried, listing the first maxUsernames and counting the rest together', () => {
    let burst: BurstUsernames = { usernames: {}, unlistedCount: 0 };
    const typed = Array.from({ length: refusalBursts.maxUsernames + 5 }, (_, i) => `user${i}`);
    for (const username of [...typed, 'user0', 'user0', typed.at(-1)!])
      burst = countUsername(burst, username);
    expect(Object.keys(burst.usernames)).toEqual(typed.slice(0, refusalBursts.maxUsernames));
    expect(burst.usernames.user0).toBe(3);
    expect(burst.usernames.user1).toBe(1);
    // Every refusal is counted once: listed or not.
    const listed = Object.values(burst.usernames).reduce((a, b) => a + b, 0);
    expect(listed + burst.unlistedCount).toBe(typed.length + 3);
    expect(burst.unlistedCount).toBe(6);
  });
});
