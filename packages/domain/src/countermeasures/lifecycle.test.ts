import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countermeasureDueAt,
  defaultCountermeasureSlaHours,
  medianMs,
  partyKindOf,
  countermeasureKinds,
} from './kinds';
import {
  countermeasureEventActor,
  countermeasureEvents,
  countermeasureStatuses,
  eventOfAnswer,
  isAwaitingParty,
  isFinalCountermeasureStatus,
  nextCountermeasureStatus,
  type CountermeasureStatus,
} from './lifecycle';

describe('countermeasure lifecycle', () => {
  it('follows the path from request to lift', () => {
    expect(nextCountermeasureStatus('requested', 'acknowledge')).toBe('acknowledged');
    expect(nextCountermeasureStatus('acknowledged', 'execute')).toBe('executed');
    expect(nextCountermeasureStatus('executed', 'request_lift')).toBe('lift_requested');
    expect(nextCountermeasureStatus('lift_requested', 'confirm_lift')).toBe('lifted');
    expect(nextCountermeasureStatus('requested', 'refuse')).toBe('refused');
    expect(nextCountermeasureStatus('acknowledged', 'refuse')).toBe('refused');
    // Withdrawn before it was carried out: the party confirms, and can no longer execute it.
    expect(nextCountermeasureStatus('requested', 'request_lift')).toBe('lift_requested');
    expect(nextCountermeasureStatus('acknowledged', 'request_lift')).toBe('lift_requested');
    expect(nextCountermeasureStatus('lift_requested', 'execute')).toBeUndefined();
  });

  it('refuses what the table does not allow', () => {
    expect(nextCountermeasureStatus('requested', 'confirm_lift')).toBeUndefined();
    expect(nextCountermeasureStatus('executed', 'refuse')).toBeUndefined();
    expect(nextCountermeasureStatus('acknowledged', 'acknowledge')).toBeUndefined();
  });

  it('never leaves a final state, whatever the events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...countermeasureStatuses),
        fc.array(fc.constantFrom(...countermeasureEvents), { maxLength: 20 }),
        (start, events) => {
          let s: CountermeasureStatus = start;
          let wasFinal = isFinalCountermeasureStatus(s);
          for (const e of events) {
            const next = nextCountermeasureStatus(s, e);
            if (wasFinal) expect(next).toBeUndefined();
            s = next ?? s;
            wasFinal = wasFinal || isFinalCountermeasureStatus(s);
          }
        },
      ),
    );
  });

  it('only the centre asks a lift, of a measure not refused nor lifted; the party answers everything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...countermeasureStatuses),
        fc.constantFrom(...countermeasureEvents),
        (s, e) => {
          const next = nextCountermeasureStatus(s, e);
          if (next === undefined) return;
          // Every allowed move starts where the party or the centre is awaited, and moves forward.
          if (countermeasureEventActor[e] === 'centre')
            expect(['requested', 'acknowledged', 'executed']).toContain(s);
          else expect(isAwaitingParty(s)).toBe(true);
          expect(countermeasureStatuses.indexOf(next)).toBeGreaterThan(countermeasureStatuses.indexOf(s));
        },
      ),
    );
  });

  it('maps each answer of a party to a party event', () => {
    for (const e of Object.values(eventOfAnswer)) expect(countermeasureEventActor[e]).toBe('party');
  });
});

describe('countermeasure kinds', () => {
  it('sends accounts to banks and the rest to operators', () => {
    expect(countermeasureKinds.filter((k) => partyKindOf[k] === 'bank')).toEqual(['restrict_account']);
  });

  it('is due the SLA hours after it started waiting', () => {
    fc.assert(
      fc.property(fc.constantFrom(...countermeasureKinds), fc.integer({ min: 0, max: 2e12 }), (k, t) => {
        const due = countermeasureDueAt(k, new Date(t), defaultCountermeasureSlaHours);
        expect(due.getTime() - t).toBe(defaultCountermeasureSlaHours[k] * 3_600_000);
      }),
    );
  });

  it('takes the median of durations', () => {
    expect(medianMs([])).toBeNull();
    expect(medianMs([5, 1, 3])).toBe(3);
    expect(medianMs([4, 1, 3, 2])).toBe(2.5);
  });
});
