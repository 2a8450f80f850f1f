import { isBeforeVisit, maskMobile, type LadderAction, type LadderState } from '@fanzha/domain';

/**
 * Pure helpers between the domain's ladder and the `episode` row: the state as stored (JSON, dates as ISO
 * strings) and back, the one instant the sweep must look at the episode again, and the contact each
 * entry action makes.
 */

/** The ladder as stored in `episode.ladder`. */
export const ladderToJson = (s: LadderState): string => JSON.stringify(s);

const date = (v: unknown): Date => new Date(v as string);
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/** The stored ladder (parsed JSON) back as the domain's state. */
export function ladderFromJson(raw: unknown): LadderState {
  const r = raw as Record<string, unknown> & {
    hold: Record<string, unknown> | null;
    history: Array<{ at: string; event: string; step: string }>;
  };
  return {
    ...(r as unknown as LadderState),
    openedAt: date(r.openedAt),
    enteredAt: date(r.enteredAt),
    dueAt: dateOrNull(r.dueAt),
    reachBy: dateOrNull(r.reachBy),
    hold: r.hold
      ? {
          ...(r.hold as unknown as NonNullable<LadderState['hold']>),
          startsAt: dateOrNull(r.hold.startsAt),
          endsAt: dateOrNull(r.hold.endsAt),
        }
      : null,
    history: r.history.map((h) => ({ ...h, at: date(h.at) })) as unknown as LadderState['history'],
  };
}

/**
 * The earliest timer the ladder has pending (its step's SLA, the reach deadline before the visit, a hold's
 * end), or null when none: the sweep picks the episode up at this instant, and `tickLadder` then fires
 * every timer due, each once, since the new state written in the same transaction no longer has it.
 */
export function nextTimerAt(s: LadderState): Date | null {
  if (s.step === 'closed') return null;
  const times: Date[] = [];
  if (s.dueAt) times.push(s.dueAt);
  if (s.reachBy && !s.isReached && isBeforeVisit(s.step)) times.push(s.reachBy);
  if (s.step === 'hold' && s.hold?.endsAt) times.push(s.hold.endsAt);
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((t) => t.getTime())));
}

export type ContactChannel =
  'sms' | 'robot_call' | 'human_call' | 'trusted_contact' | 'carrier_assist' | 'visit';

/**
 * The contact an entry action makes: SMS and robot calls go out through the messenger (pending until
 * sent); human calls, calls to a trusted contact and visits are assigned to people; a carrier assist is a
 * request to the operator. Every contact that reaches the person carries a verification code.
 */
export const contactOfAction: Partial<
  Record<LadderAction, { channel: ContactChannel; hasCode: boolean; isSentByMessenger: boolean }>
> = {
  send_sms: { channel: 'sms', hasCode: true, isSentByMessenger: true },
  place_robot_call: { channel: 'robot_call', hasCode: true, isSentByMessenger: true },
  assign_human_call: { channel: 'human_call', hasCode: true, isSentByMessenger: false },
  call_trusted_contact: { channel: 'trusted_contact', hasCode: true, isSentByMessenger: false },
  ask_carrier: { channel: 'carrier_assist', hasCode: false, isSentByMessenger: false },
  issue_visit: { channel: 'visit', hasCode: true, isSentByMessenger: false },
};

/** A mainland mobile as 138****8000; any other number keeps its last four digits only. */
export function maskPhone(e164: string | null): string | null {
  if (e164 === null) return null;
  const national = e164.startsWith('+86') ? e164.slice(3) : null;
  if (national && /^1\d{10}$/.test(national)) return maskMobile(national);
  return `${'*'.repeat(Math.max(0, e164.length - 4))}${e164.slice(-4)}`;
}

/** Grades ranked, for the console's order in SQL and its cursors. */
export const gradeRankSql = { low: 0, medium: 1, high: 2 } as const;

/**
 * Why a hit cannot be recorded, or null when it can: a hit that names no person, or breaks what the tables
 * hold, is counted and skipped rather than refusing its whole batch (which would then come back for ever).
 */
export function unrecordable(hit: {
  source: string;
  signalId: string;
  at: string;
  person: { phone: string | null; idNumber: string | null };
  amountFen: number | null;
}): string | null {
  if (hit.person.phone === null && hit.person.idNumber === null) return 'no_person';
  if (hit.source.length < 1 || hit.source.length > 80) return 'source';
  if (hit.signalId.length < 1 || hit.signalId.length > 128) return 'signal_id';
  if (Number.isNaN(Date.parse(hit.at))) return 'at';
  if (hit.amountFen !== null && (!Number.isSafeInteger(hit.amountFen) || hit.amountFen < 0)) return 'amount';
  return null;
}
