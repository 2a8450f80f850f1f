import { maxGrade, type SignalKind, type WarningGrade } from './grading';

/** How a person is recognised across signals: operators know the phone, banks also the ID number. */
export interface PersonKeys {
  /** E.164. */
  readonly phone: string | null;
  readonly idNumber: string | null;
}

/** One graded warning: a signal that hit an indicator. */
export interface WarningEntry {
  /** (source, signal id): the signal's identity, the same on every redelivery. */
  readonly signalKey: string;
  readonly indicatorId: number;
  readonly signalKind: SignalKind;
  readonly grade: WarningGrade;
  readonly at: Date;
}

/** A person's open episode (预警事件): every warning about them, one grade, one persuasion. */
export interface Episode {
  readonly person: PersonKeys;
  readonly grade: WarningGrade;
  readonly openedAt: Date;
  readonly lastWarningAt: Date;
  /** In the order they arrived. */
  readonly warnings: readonly WarningEntry[];
  readonly isOpen: boolean;
}

export type MergeResult =
  | { readonly kind: 'opened'; readonly episode: Episode }
  | { readonly kind: 'listed'; readonly episode: Episode; readonly isRaised: boolean }
  | { readonly kind: 'duplicate'; readonly episode: Episode };

/** Whether a signal about `person` belongs to the episode: the same phone or the same ID number. */
export function isSamePerson(episode: Episode, person: PersonKeys): boolean {
  return (
    (person.phone !== null && person.phone === episode.person.phone) ||
    (person.idNumber !== null && person.idNumber === episode.person.idNumber)
  );
}

/**
 * Merges a warning into the person's open episode. The rules:
 * 1. one person has at most one open episode: with none (or a closed one) the warning opens a new one;
 * 2. a warning whose signal is already listed changes nothing (a redelivered batch never warns twice);
 * 3. any other warning is listed in the episode, and the episode's grade becomes the higher of the
 *    two: a later signal can raise it, never lower it;
 * 4. what the new signal knows of the person (a bank's ID number for an operator's phone) is kept.
 * The caller finds the open episode by the person's phone or ID number (`isSamePerson`).
 */
export function mergeWarning(
  open: Episode | undefined,
  person: PersonKeys,
  warning: WarningEntry,
): MergeResult {
  if (!open?.isOpen) {
    return {
      kind: 'opened',
      episode: {
        person,
        grade: warning.grade,
        openedAt: warning.at,
        lastWarningAt: warning.at,
        warnings: [warning],
        isOpen: true,
      },
    };
  }
  if (open.warnings.some((w) => w.signalKey === warning.signalKey))
    return { kind: 'duplicate', episode: open };
  const grade = maxGrade(open.grade, warning.grade);
  return {
    kind: 'listed',
    isRaised: grade !== open.grade,
    episode: {
      ...open,
      person: {
        phone: open.person.phone ?? person.phone,
        idNumber: open.person.idNumber ?? person.idNumber,
      },
      grade,
      lastWarningAt: warning.at > open.lastWarningAt ? warning.at : open.lastWarningAt,
      warnings: [...open.warnings, warning],
    },
  };
}

/** Distinct signals about the person in the 24 hours up to `at`: the grading's repeated-contact count. */
export function contactCountWithin24h(episode: Episode | undefined, at: Date): number {
  if (!episode?.isOpen) return 1;
  const since = at.getTime() - 86_400_000;
  return 1 + episode.warnings.filter((w) => w.at.getTime() >= since).length;
}
