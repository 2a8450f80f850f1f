import { describe, expect, it } from 'vitest';
import { bankInstructionKinds, type BankInstructionStatus } from './bank-instruction';
import { instructionDeadlineAt, type InstructionDeadlineFacts } from './instruction-deadline';
import type { FreezeStatus } from './legal-timers';

const expiresAt = new Date('2026-11-30T02:00:00Z');
const endsAt = new Date('2027-05-28T02:00:00Z');
const dueAt = new Date('2026-12-03T15:59:59Z');
const holdEndsAt = new Date('2026-11-29T02:00:00Z');
const earlier = new Date('2026-11-29T00:00:00Z');

type Expected = 'expiresAt' | 'endsAt' | 'dueAt' | 'holdEndsAt' | null;
const instants = { expiresAt, endsAt, dueAt, holdEndsAt };

const stop = (
  status: BankInstructionStatus,
  clock: Partial<{ expiresAt: Date | null; lapsedAt: Date; renewedAt: Date }>,
  freezes: FreezeStatus[] = [],
): InstructionDeadlineFacts => ({
  kind: 'emergency_stop_payment',
  status,
  stop: {
    expiresAt: clock.expiresAt ?? null,
    lapsedAt: clock.lapsedAt ?? null,
    renewedAt: clock.renewedAt ?? null,
  },
  freezes,
});
const stopped = { expiresAt };
const freeze = (
  kind: 'freeze' | 'freeze_renewal',
  status: BankInstructionStatus,
  freezeStatus: FreezeStatus,
): InstructionDeadlineFacts => ({ kind, status, freeze: { status: freezeStatus, endsAt } });
const hold = (status: BankInstructionStatus, isLifted = false): InstructionDeadlineFacts => ({
  kind: 'protective_hold',
  status,
  endsAt: holdEndsAt,
  isLifted,
});

/** Every kind in every state of its life (and of the measure it carries), and the deadline that runs. */
const table: Array<[string, InstructionDeadlineFacts, Expected]> = [
  ['stop sent: the 48 hours have not started', stop('sent', {}), null],
  ['stop acknowledged', stop('acknowledged', {}), null],
  ['stop confirmed: its lapse', stop('stopped', stopped), 'expiresAt'],
  ['stop failed', stop('failed', {}), null],
  ['stop lapsed', stop('stopped', { expiresAt, lapsedAt: expiresAt }), null],
  ['stop renewed by a second stop', stop('stopped', { expiresAt, renewedAt: earlier }), null],
  ['stop held by a freeze awaiting the bank', stop('stopped', stopped, ['requested']), null],
  ['stop converted: freeze confirmed', stop('stopped', stopped, ['active']), null],
  ['stop whose freeze ended', stop('stopped', stopped, ['released']), null],
  ['stop whose freeze failed: the lapse runs again', stop('stopped', stopped, ['failed']), 'expiresAt'],
  ['stop frozen again after a failed freeze', stop('stopped', stopped, ['failed', 'requested']), null],

  ['freeze sent', freeze('freeze', 'sent', 'requested'), 'endsAt'],
  ['freeze acknowledged', freeze('freeze', 'acknowledged', 'requested'), 'endsAt'],
  ['freeze confirmed', freeze('freeze', 'frozen', 'active'), 'endsAt'],
  ['freeze failed', freeze('freeze', 'failed', 'failed'), null],
  ['freeze released', freeze('freeze', 'frozen', 'released'), null],
  ['freeze returned', freeze('freeze', 'frozen', 'returned'), null],
  ['freeze ended', freeze('freeze', 'frozen', 'expired'), null],

  ['renewal sent: the freeze’s current end', freeze('freeze_renewal', 'sent', 'active'), 'endsAt'],
  ['renewal acknowledged', freeze('freeze_renewal', 'acknowledged', 'active'), 'endsAt'],
  ['renewal confirmed', freeze('freeze_renewal', 'renewed', 'active'), null],
  ['renewal failed', freeze('freeze_renewal', 'failed', 'active'), null],
  ['renewal open, freeze ended meanwhile', freeze('freeze_renewal', 'sent', 'expired'), null],
  ['renewal open, freeze released meanwhile', freeze('freeze_renewal', 'sent', 'released'), null],

  ['return sent: its due time', { kind: 'return', status: 'sent', dueAt }, 'dueAt'],
  ['return acknowledged', { kind: 'return', status: 'acknowledged', dueAt }, 'dueAt'],
  ['return confirmed', { kind: 'return', status: 'returned', dueAt }, null],
  ['return failed', { kind: 'return', status: 'failed', dueAt }, null],

  ['release sent', { kind: 'release', status: 'sent' }, null],
  ['release acknowledged', { kind: 'release', status: 'acknowledged' }, null],
  ['release confirmed', { kind: 'release', status: 'released' }, null],
  ['release failed', { kind: 'release', status: 'failed' }, null],

  ['lapse notice sent', { kind: 'stop_lapsed', status: 'sent' }, null],
  ['lapse notice acknowledged', { kind: 'stop_lapsed', status: 'acknowledged' }, null],
  ['lapse notice confirmed', { kind: 'stop_lapsed', status: 'lifted' }, null],

  ['hold sent: its end', hold('sent'), 'holdEndsAt'],
  ['hold acknowledged', hold('acknowledged'), 'holdEndsAt'],
  ['hold confirmed', hold('held'), 'holdEndsAt'],
  ['hold refused', hold('failed'), null],
  ['hold being released: it still ends by itself at its end', hold('held'), 'holdEndsAt'],
  ['hold released', hold('held', true), null],

  ['hold’s release sent', { kind: 'protective_hold_release', status: 'sent' }, null],
  ['hold’s release acknowledged', { kind: 'protective_hold_release', status: 'acknowledged' }, null],
  ['hold’s release confirmed', { kind: 'protective_hold_release', status: 'lifted' }, null],
];

describe('the deadline an instruction shows its bank', () => {
  it.each(table)('%s', (_, facts, expected) => {
    expect(instructionDeadlineAt(facts)).toEqual(expected === null ? null : instants[expected]);
  });

  it('the table covers every kind', () => {
    expect(new Set(table.map(([, f]) => f.kind))).toEqual(new Set(bankInstructionKinds));
  });
});
