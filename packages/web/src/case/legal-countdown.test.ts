import type { FreezeView, StopPaymentView } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import {
  ACCEPT_THRESHOLDS,
  countdownTo,
  formatCountdownClock,
  lapsingFirst,
  legalStateAt,
  recentlyLapsed,
} from './legal-countdown';

const at = (iso: string) => new Date(iso);

describe('countdownTo', () => {
  const deadline = '2025-05-03T02:00:00Z';

  it('reads 48 hours in hours, minutes and seconds', () => {
    expect(countdownTo(deadline, at('2025-05-01T02:00:00Z'))).toEqual({
      seconds: 48 * 3600,
      days: 0,
      clock: '48:00:00',
      level: 'calm',
    });
    expect(countdownTo(deadline, at('2025-04-28T00:59:59Z'))).toMatchObject({ days: 5, clock: '1:00:01' });
    expect(formatCountdownClock(3725)).toBe('1:02:05');
    expect(formatCountdownClock(-65)).toBe('0:01:05');
  });

  it('turns orange under 6 hours, red under 1 hour, over at the deadline exactly', () => {
    expect(countdownTo(deadline, at('2025-05-02T20:00:01Z')).level).toBe('soon');
    expect(countdownTo(deadline, at('2025-05-02T20:00:00Z')).level).toBe('calm');
    expect(countdownTo(deadline, at('2025-05-03T01:00:01Z'))).toMatchObject({
      level: 'urgent',
      clock: '0:59:59',
    });
    expect(countdownTo(deadline, at('2025-05-03T01:59:59.500Z'))).toMatchObject({
      seconds: 1,
      level: 'urgent',
    });
    expect(countdownTo(deadline, at('2025-05-03T02:00:00Z'))).toMatchObject({ seconds: 0, level: 'over' });
    expect(countdownTo(deadline, at('2025-05-03T02:01:30Z'))).toMatchObject({
      seconds: -90,
      clock: '0:01:30',
      level: 'over',
    });
  });

  it('takes other thresholds, as for a county task’s 30 minutes to accept', () => {
    expect(countdownTo(deadline, at('2025-05-03T01:45:00Z'), ACCEPT_THRESHOLDS).level).toBe('calm');
    expect(countdownTo(deadline, at('2025-05-03T01:52:00Z'), ACCEPT_THRESHOLDS).level).toBe('soon');
    expect(countdownTo(deadline, at('2025-05-03T01:56:00Z'), ACCEPT_THRESHOLDS).level).toBe('urgent');
  });
});

describe('legalStateAt', () => {
  const stopped = {
    legalState: 'stopped' as const,
    expiresAt: '2025-05-03T02:00:00Z',
    freeze: null,
  };

  it('shows the lapse at the deadline before the server says so', () => {
    expect(legalStateAt(stopped, at('2025-05-03T01:59:59Z'))).toBe('stopped');
    expect(legalStateAt(stopped, at('2025-05-03T02:00:00Z'))).toBe('lapsed');
  });

  it('shows a freeze past its end as expired, and leaves other states alone', () => {
    const freeze = { endsAt: '2025-11-01T00:00:00Z' } as FreezeView;
    expect(legalStateAt({ legalState: 'frozen', expiresAt: null, freeze }, at('2025-10-31T00:00:00Z'))).toBe(
      'frozen',
    );
    expect(legalStateAt({ legalState: 'frozen', expiresAt: null, freeze }, at('2025-11-01T00:00:00Z'))).toBe(
      'expired',
    );
    expect(legalStateAt({ ...stopped, legalState: 'renewed' }, at('2030-01-01T00:00:00Z'))).toBe('renewed');
  });

  it('orders the stops still in force by their lapse', () => {
    const r = (id: string, over: Partial<StopPaymentView>) =>
      ({ ...stopped, id, ...over }) as StopPaymentView;
    const list = [
      r('late', { expiresAt: '2025-05-03T05:00:00Z' }),
      r('gone', { expiresAt: '2025-05-01T00:00:00Z' }),
      r('frozen', { legalState: 'frozen', expiresAt: '2025-05-02T00:00:00Z' }),
      r('early', { expiresAt: '2025-05-03T03:00:00Z' }),
    ];
    expect(lapsingFirst(list, at('2025-05-02T00:00:00Z')).map((x) => x.id)).toEqual(['early', 'late']);
    const later = at('2025-05-03T04:00:00Z');
    expect(
      recentlyLapsed(
        [...list, r('lapsed', { legalState: 'lapsed', expiresAt: '2025-05-02T12:00:00Z' })],
        later,
      ).map((x) => x.id),
    ).toEqual(['early', 'lapsed']);
  });
});
