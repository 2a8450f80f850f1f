import { isStorableTime } from '@fanzha/contracts';
import {
  applyLadderCommand,
  startLadder,
  tickLadder,
  withIdCheckChar,
  type LadderState,
} from '@fanzha/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from '../../platform/http/cursor-parts';
import { decodeCursor, encodeCursor } from './warnings.cursor';
import {
  contactOfAction,
  ladderFromJson,
  ladderToJson,
  maskPhone,
  nextTimerAt,
  unrecordable,
} from './warnings.ladder';
import { routeEpisode } from './warnings.views';

const t0 = new Date('2026-05-01T08:00:00Z');
const MINUTE = 60_000;

/** A ladder moved by a random walk of outcomes and timers, as it may be stored at any moment. */
const ladders = fc
  .tuple(
    fc.constantFrom('low', 'medium', 'high'),
    fc.array(
      fc.oneof(
        fc.record({ tick: fc.integer({ min: 1, max: 600 }) }),
        fc.record({ outcome: fc.constantFrom('refuses', 'unreachable', 'line_busy', 'persuaded') }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([grade, moves]) => {
    let state: LadderState = startLadder(grade, t0).state;
    let now = t0.getTime();
    for (const m of moves) {
      if ('tick' in m) {
        now += m.tick * MINUTE;
        state = tickLadder(state, new Date(now)).state;
      } else {
        const r = applyLadderCommand(state, { type: 'outcome', outcome: m.outcome, by: 'u' }, new Date(now));
        if (r.ok) state = r.value.state;
      }
    }
    return state;
  });

describe('the ladder as stored', () => {
  it('reads back what it wrote, dates included', () => {
    fc.assert(
      fc.property(ladders, (s) => {
        expect(ladderFromJson(JSON.parse(ladderToJson(s)))).toEqual(s);
      }),
    );
  });

  it('names the next timer: nothing fires before it, and something fires at it', () => {
    fc.assert(
      fc.property(ladders, (s) => {
        const next = nextTimerAt(s);
        if (next === null) {
          // Nothing pending, ever.
          expect(tickLadder(s, new Date(t0.getTime() + 365 * 86_400_000)).state).toEqual(s);
          return;
        }
        expect(tickLadder(s, new Date(next.getTime() - 1)).state).toEqual(s);
        expect(tickLadder(s, next).state).not.toEqual(s);
      }),
    );
  });

  it('has no timer once closed', () => {
    const s = applyLadderCommand(
      startLadder('high', t0).state,
      { type: 'outcome', outcome: 'persuaded', by: 'u' },
      t0,
    );
    expect(s.ok && nextTimerAt(s.value.state)).toBeNull();
  });

  it('gives every contact that reaches the person a verification code', () => {
    for (const action of [
      'send_sms',
      'place_robot_call',
      'assign_human_call',
      'call_trusted_contact',
      'issue_visit',
    ] as const)
      expect(contactOfAction[action]?.hasCode).toBe(true);
    expect(contactOfAction.ask_carrier?.hasCode).toBe(false);
    expect(contactOfAction.close_episode).toBeUndefined();
  });
});

describe('routing an episode', () => {
  it('takes the signal’s county, else the ID number’s Guizhou county, else the centre', () => {
    const yunyan = withIdCheckChar('52010319900101123');
    const beijing = withIdCheckChar('11010119900101123');
    expect(routeEpisode({ countyCode: '520102', idNumber: yunyan }, t0)).toEqual({
      countyCode: '520102',
      routedBy: 'signal',
    });
    expect(routeEpisode({ countyCode: null, idNumber: yunyan }, t0)).toEqual({
      countyCode: '520103',
      routedBy: 'id_number',
    });
    expect(routeEpisode({ countyCode: '999999', idNumber: beijing }, t0)).toEqual({
      countyCode: null,
      routedBy: 'centre',
    });
    expect(routeEpisode({ countyCode: null, idNumber: null }, t0)).toEqual({
      countyCode: null,
      routedBy: 'centre',
    });
  });
});

describe('masking and cursors', () => {
  it('masks a mainland mobile as the consoles do, and keeps only the last four of others', () => {
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('+639171234567')).toBe('*********4567');
    expect(maskPhone(null)).toBeNull();
  });

  it('decodes what it encodes, and refuses anything else', () => {
    const row = {
      id: '0b9c6c8e-6a43-4f0e-9a55-1d2f3b4c5d6e',
      grade: 'high' as const,
      closed_at: null,
      is_overdue: true,
      opened_at: t0,
    };
    expect(decodeCursor(encodeCursor(row))).toEqual({
      isOpen: true,
      gradeRank: 2,
      isOverdue: true,
      openedAt: t0,
      id: row.id,
    });
    // Whatever a client sends — junk, or arrays shaped like a cursor with each part valid or near it — what
    // decodes is a cursor whose parts fit the columns they are compared with (and some do decode).
    const junk = fc.oneof(fc.constantFrom(3, -1, '1', null, true), fc.string());
    const mostly = <T>(valid: fc.Arbitrary<T>, near: fc.Arbitrary<unknown>) =>
      fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: near, weight: 1 });
    const flag = mostly(fc.constantFrom(0, 1), junk);
    const grade = mostly(fc.constantFrom(0, 1, 2), junk);
    const iso = (d: Date) => d.toISOString();
    const time = mostly(
      fc
        .date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        })
        .map(iso),
      // Any date JavaScript holds (most are beyond the years a timestamptz holds), or no date.
      fc.oneof(
        fc.date({ noInvalidDate: true }).map(iso),
        fc.constantFrom('Invalid Date', '-200000-01-01'),
        junk,
      ),
    );
    const id = mostly(fc.uuid(), fc.oneof(fc.stringMatching(/^[0-9a-fA-F-]{36}$/), junk));
    const encode = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const sent = fc.oneof(
      fc.string(),
      fc.tuple(flag, grade, flag, time, id).map(encode),
      fc.array(fc.oneof(flag, time, id), { minLength: 4, maxLength: 6 }).map(encode),
    );
    let decodedCount = 0;
    fc.assert(
      fc.property(sent, (text) => {
        const decoded = decodeCursor(text);
        if (!decoded) return;
        decodedCount++;
        expect(isUuid(decoded.id), decoded.id).toBe(true);
        expect(isStorableTime(decoded.openedAt), decoded.openedAt.toISOString()).toBe(true);
        expect([0, 1, 2]).toContain(decoded.gradeRank);
      }),
      { numRuns: 2000 },
    );
    expect(decodedCount).toBeGreaterThan(0);
    // Shaped like a cursor, but no uuid or a time no timestamptz holds: refused before they reach SQL.
    const cursor = (openedAt: string, id: string) =>
      Buffer.from(JSON.stringify([1, 2, 0, openedAt, id])).toString('base64url');
    expect(decodeCursor(cursor('2026-01-01T00:00:00Z', '-'.repeat(36)))).toBeUndefined();
    expect(decodeCursor(cursor('-200000-01-01T00:00:00Z', row.id))).toBeUndefined();
    expect(decodeCursor(cursor('2026-01-01T00:00:00Z', row.id))?.id).toBe(row.id);
    expect(
      decodeCursor(Buffer.from('[1,5,0,"2026-01-01T00:00:00Z","x"]').toString('base64url')),
    ).toBeUndefined();
  });
});

describe('hits that cannot be recorded', () => {
  const good = {
    source: 'bank:ICBC',
    signalId: 's-1',
    at: '2026-05-01T08:00:00Z',
    person: { phone: '+8613800138000', idNumber: null },
    amountFen: 100,
  };
  it('are told apart by what is wrong, and a good one passes', () => {
    expect(unrecordable(good)).toBeNull();
    expect(unrecordable({ ...good, person: { phone: null, idNumber: null } })).toBe('no_person');
    expect(unrecordable({ ...good, source: '' })).toBe('source');
    expect(unrecordable({ ...good, signalId: 'x'.repeat(129) })).toBe('signal_id');
    expect(unrecordable({ ...good, at: 'yesterday' })).toBe('at');
    expect(unrecordable({ ...good, amountFen: -1 })).toBe('amount');
  });
});
