import type { BankInstructionStatus } from './bank-instruction';
import type { FreezeStatus } from './legal-timers';

/** What an instruction's deadline depends on: its own status and the state of the measure it carries. */
export type InstructionDeadlineFacts =
  | {
      kind: 'emergency_stop_payment';
      status: BankInstructionStatus;
      /** The stop's legal clock: set once the bank confirmed the stop. */
      stop: { expiresAt: Date | null; lapsedAt: Date | null; renewedAt: Date | null };
      /** The statuses of every freeze decided on this stop. */
      freezes: readonly FreezeStatus[];
    }
  | {
      kind: 'freeze' | 'freeze_renewal';
      status: BankInstructionStatus;
      /** The freeze the instruction makes or renews, as it stands: its end moves on a confirmed renewal. */
      freeze: { status: FreezeStatus; endsAt: Date };
    }
  | { kind: 'return'; status: BankInstructionStatus; dueAt: Date | null }
  | {
      kind: 'protective_hold';
      status: BankInstructionStatus;
      endsAt: Date;
      /** Whether the bank confirmed lifting it early (its release answered `lifted`). */
      isLifted: boolean;
    }
  | { kind: 'release' | 'stop_lapsed' | 'protective_hold_release'; status: BankInstructionStatus };

const isOpen = (s: BankInstructionStatus) => s === 'sent' || s === 'acknowledged';
const isFreezeInForce = (s: FreezeStatus) => s === 'requested' || s === 'active';

/**
 * The legal deadline now running on an instruction, as its bank is shown it (`deadlineAt`), or null where none
 * runs. Pure: derived from recorded state only, so it changes exactly when that state does (and the item then
 * moves in the bank's feed).
 *
 *  emergency stop  its lapse (48 h after the stop the bank confirmed) while the stop is in its first 48 hours:
 *                  not before the bank confirms it, nor once it failed, lapsed, was renewed by a second stop,
 *                  or is held by a freeze (requested or in force; a failed freeze leaves the lapse running)
 *  freeze          the freeze's end while it is requested or in force (moved by each confirmed renewal); none
 *                  once it failed, was released, returned or ended
 *  freeze renewal  the freeze's current end, the time the renewal must beat, while the renewal is open and the
 *                  freeze requested or in force; none once renewed (the freeze's item shows the new end) or
 *                  failed
 *  return          its due time while open; none once returned or failed
 *  protective hold its end until the bank refused it or confirmed lifting it early
 *  release, lapse notice, hold's release: none (nothing legal runs out on them)
 */
export function instructionDeadlineAt(f: InstructionDeadlineFacts): Date | null {
  switch (f.kind) {
    case 'emergency_stop_payment': {
      const { expiresAt, lapsedAt, renewedAt } = f.stop;
      const isHeldByFreeze = f.freezes.some((s) => s !== 'failed');
      return f.status === 'stopped' && expiresAt && !lapsedAt && !renewedAt && !isHeldByFreeze
        ? expiresAt
        : null;
    }
    case 'freeze':
      return f.status !== 'failed' && isFreezeInForce(f.freeze.status) ? f.freeze.endsAt : null;
    case 'freeze_renewal':
      return isOpen(f.status) && isFreezeInForce(f.freeze.status) ? f.freeze.endsAt : null;
    case 'return':
      return isOpen(f.status) ? f.dueAt : null;
    case 'protective_hold':
      return f.status !== 'failed' && !f.isLifted ? f.endsAt : null;
    case 'release':
    case 'stop_lapsed':
    case 'protective_hold_release':
      return null;
  }
}
