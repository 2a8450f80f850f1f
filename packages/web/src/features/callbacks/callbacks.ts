import type { CallbackAttemptRequest, CallbackSummary } from '@fanzha/contracts';

/** What the record form holds while it is filled in. */
export interface AttemptForm {
  outcome: CallbackAttemptRequest['outcome'] | null;
  satisfaction: number | null;
  complaint: string;
  note: string;
}

export const emptyAttempt: AttemptForm = { outcome: null, satisfaction: null, complaint: '', note: '' };

/**
 * The body the form sends, or null while it is not complete: a satisfaction always and only with a reach, a
 * complaint only with a reach, empty texts left out (the server refuses the rest the same way).
 */
export function attemptBody(f: AttemptForm): CallbackAttemptRequest | null {
  if (!f.outcome) return null;
  const note = f.note.trim() ? { note: f.note.trim() } : {};
  if (f.outcome !== 'reached') return { outcome: f.outcome, ...note };
  if (f.satisfaction === null) return null;
  const complaint = f.complaint.trim() ? { complaint: f.complaint.trim() } : {};
  return { outcome: 'reached', satisfaction: f.satisfaction, ...complaint, ...note };
}

/** Due ones first (the server's order already is by due time); among equals the oldest. */
export const dueFirst = (items: readonly CallbackSummary[]): CallbackSummary[] =>
  [...items].sort(
    (a, b) => Number(b.isDue) - Number(a.isDue) || (a.dueAt ?? '').localeCompare(b.dueAt ?? ''),
  );
