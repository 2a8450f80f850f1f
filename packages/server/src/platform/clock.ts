import type { Clock } from '@fanzha/domain';

/** The real clock; the only place outside tests that reads the system time for domain purposes. */
export const systemClock: Clock = { now: () => new Date() };
