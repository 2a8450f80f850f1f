import type { EpisodeSummary, EpisodeView } from '@fanzha/contracts';
import type { BankInstructionRow } from '../bank-protocol/index';
import {
  countyLabel,
  findBankByCode,
  formatVerificationCode,
  isBeforeVisit,
  validateCountyCode,
  validateIdNumber,
  type LadderStep,
  type SignalKind,
} from '@fanzha/domain';
import { ladderFromJson, maskPhone } from './warnings.ladder';
import type { CarrierRequestRow } from './warnings.carrier.repository';
import type { ContactRow, EpisodeRow, WarningRow } from './warnings.repository';

type HoldAtBank = NonNullable<NonNullable<EpisodeView['ladder']['hold']>['atBank']>;
type HoldInstructionView = HoldAtBank['hold'];

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Where an episode goes: the signal's county, else the ID number's (a Guizhou county), else the centre. */
export function routeEpisode(
  person: { countyCode: string | null; idNumber: string | null },
  at: Date,
): { countyCode: string | null; routedBy: 'signal' | 'id_number' | 'centre' } {
  if (person.countyCode !== null && validateCountyCode(person.countyCode).ok)
    return { countyCode: person.countyCode, routedBy: 'signal' };
  if (person.idNumber !== null) {
    const id = validateIdNumber(person.idNumber, at);
    if (id.ok && id.value.countyCode) return { countyCode: id.value.countyCode, routedBy: 'id_number' };
  }
  return { countyCode: null, routedBy: 'centre' };
}

/** The summary the console lists and the bus carries (a masked phone, nothing else personal). */
export function summaryOf(row: EpisodeRow): EpisodeSummary {
  const ladder = ladderFromJson(row.ladder);
  return {
    id: row.id,
    countyCode: row.county_code,
    countyName: row.county_code ? (countyLabel(row.county_code) ?? null) : null,
    routedBy: row.routed_by,
    grade: row.grade,
    step: row.step as LadderStep,
    isOpen: row.closed_at === null,
    isOverdue: row.is_overdue,
    closeReason: row.close_reason,
    personPhoneMasked: maskPhone(row.person_phone),
    openedAt: row.opened_at.toISOString(),
    lastWarningAt: row.last_warning_at.toISOString(),
    warningCount: row.warning_count,
    dueAt: iso(ladder.dueAt),
    reachBy: ladder.isReached || !isBeforeVisit(ladder.step) ? null : iso(ladder.reachBy),
    isVisitIssued: ladder.isVisitIssued,
    takenBy: row.taken_by,
    takenAt: iso(row.taken_at),
    closedAt: iso(row.closed_at),
    version: row.version,
  };
}

type HoldInstruction = Pick<
  BankInstructionRow,
  | 'id'
  | 'kind'
  | 'bank_code'
  | 'seq'
  | 'status'
  | 'payload'
  | 'issued_at'
  | 'acknowledged_at'
  | 'executed_at'
  | 'failure_reason'
  | 'note'
  | 'answered_at'
  | 'answered_by'
>;

const instructionView = (i: HoldInstruction): HoldInstructionView => ({
  instructionId: i.id,
  status: i.status,
  sequence: String(i.seq ?? 0),
  issuedAt: i.issued_at.toISOString(),
  acknowledgedAt: iso(i.acknowledged_at),
  executedAt: iso(i.executed_at),
  failureReason: i.failure_reason,
  note: i.note,
  answeredAt: iso(i.answered_at),
  answeredBy: i.answered_by,
});

/**
 * Where the hold stands at the person's bank: released (or being released) once a release was sent; refused
 * when the bank answered failed; lapsed once its end passed, since the bank lifts it by itself then; otherwise
 * the hold instruction's own status.
 */
export function holdAtBankOf(instructions: readonly HoldInstruction[], now: Date): HoldAtBank | null {
  const hold = instructions.find((i) => i.kind === 'protective_hold');
  // The hold's end as signed: the item's deadline is cleared once the hold was refused or lifted.
  const endsAt = typeof hold?.payload['endsAt'] === 'string' ? new Date(hold.payload['endsAt']) : null;
  if (!hold || !endsAt) return null;
  const release = instructions.find((i) => i.kind === 'protective_hold_release') ?? null;
  const state: HoldAtBank['state'] = release
    ? release.status === 'lifted'
      ? 'released'
      : 'releasing'
    : hold.status === 'failed'
      ? 'refused'
      : endsAt <= now
        ? 'lapsed'
        : hold.status === 'held'
          ? 'held'
          : hold.status === 'acknowledged'
            ? 'acknowledged'
            : 'sent';
  const account = hold.payload['account'] as { number: string } | null | undefined;
  return {
    bankCode: hold.bank_code,
    bankName: findBankByCode(hold.bank_code)?.nameZh ?? null,
    account: account?.number ?? null,
    state,
    endsAt: endsAt.toISOString(),
    hold: instructionView(hold),
    release: release && instructionView(release),
  };
}

/** One episode in full, with the hold's instructions to the person's bank as they stand at `now`. */
/** One episode in full, with its carrier requests and the intake report it opened, if any. */
export function viewOf(
  row: EpisodeRow,
  warnings: WarningRow[],
  contacts: ContactRow[],
  instructions: readonly HoldInstruction[],
  now: Date,
  more: {
    requests: readonly CarrierRequestRow[];
    report: { id: string; number: string; status: string } | null;
  } = { requests: [], report: null },
): EpisodeView {
  const ladder = ladderFromJson(row.ladder);
  const requestOf = new Map(more.requests.map((r) => [r.contact_id, r]));
  return {
    ...summaryOf(row),
    person: { phone: row.person_phone, idNumber: row.person_id_number, name: row.person_name },
    warnings: warnings.map((w) => ({
      source: w.source,
      signalId: w.signal_id,
      signalKind: w.signal_kind as SignalKind,
      indicator:
        w.indicator_id === null
          ? null
          : { id: w.indicator_id, kind: w.indicator_kind ?? '', value: w.indicator_value ?? '' },
      grade: w.grade,
      score: w.score,
      factors: w.factors,
      amountFen: w.amount_fen,
      signalAt: w.signal_at.toISOString(),
      recordedAt: w.recorded_at.toISOString(),
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      step: c.step as LadderStep,
      channel: c.channel,
      verificationCode: c.verification_code ? formatVerificationCode(c.verification_code) : null,
      status: c.status,
      createdAt: c.created_at.toISOString(),
      sentAt: iso(c.sent_at),
      failure: c.failure,
      carrier: carrierStateOf(requestOf.get(c.id)),
    })),
    ladder: {
      enteredAt: ladder.enteredAt.toISOString(),
      isReached: ladder.isReached,
      isVisitIssued: ladder.isVisitIssued,
      hold: ladder.hold && {
        requestedBy: ladder.hold.requestedBy,
        reason: ladder.hold.reason,
        hours: ladder.hold.hours,
        bankCode: ladder.hold.bankCode ?? null,
        account: ladder.hold.account ?? null,
        approvedBy: ladder.hold.approvedBy,
        startsAt: iso(ladder.hold.startsAt),
        endsAt: iso(ladder.hold.endsAt),
        atBank: holdAtBankOf(instructions, now),
      },
      history: ladder.history.map((h) => ({ at: h.at.toISOString(), event: h.event, step: h.step })),
    },
    intakeDraftWantedAt: iso(row.intake_draft_wanted_at),
    intakeReport: more.report,
  };
}

function carrierStateOf(r: CarrierRequestRow | undefined): EpisodeView['contacts'][number]['carrier'] {
  if (!r) return null;
  return {
    requestId: r.id,
    operatorCode: r.operator_code,
    status: r.status,
    answer: r.answer,
    reason: r.reason,
    answeredAt: iso(r.answered_at),
  };
}
