import type { IndicatorSnapshot } from '../indicators/indicator-snapshot';
import type { SignalKind, WarningGrade } from './grading';

/**
 * One screened signal that concerns a person the centre must warn: what screening hands to the warnings
 * module, in the transaction that acknowledges the signal batch. An operator's or bank's signal that hit
 * an active indicator carries that indicator; an upstream centre's decided warning carries none and its
 * own grade.
 */
export interface ScreeningHit {
  /** Who sent the signal: `operator:<code>`, `bank:<code>` or `upstream:<centre id>`. */
  readonly source: string;
  /** The sender's own id of the signal; (source, signalId) is the same on every redelivery. */
  readonly signalId: string;
  readonly signalKind: SignalKind;
  /** When the signal happened (ISO 8601). */
  readonly at: string;
  /** The person to warn, as far as the signal knows them. At least one of phone and ID number is set. */
  readonly person: {
    /** E.164. */
    readonly phone: string | null;
    readonly idNumber: string | null;
    readonly name: string | null;
    /** GB/T 2260 county the sender placed them in, if any. */
    readonly countyCode: string | null;
  };
  /** The indicator hit; null only for an upstream warning. */
  readonly indicator: IndicatorSnapshot | null;
  /** The amount of a bank transfer or payment attempt, in fen. */
  readonly amountFen: number | null;
  /** An upstream centre's decided level. */
  readonly upstreamGrade: WarningGrade | null;
}
