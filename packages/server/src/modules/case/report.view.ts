import type { ReportView } from '@fanzha/contracts';
import {
  countyLabel,
  maskAccountNumber,
  maskAddress,
  maskIdNumber,
  maskMobile,
  maskName,
  suggestFraudType,
  type FraudTypeCode,
} from '@fanzha/domain';
import type { Selectable } from 'kysely';
import type { ReportTable, ReportTransferTable } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { bankNameOf } from './stop-payment.views';
import { isOwnCounty } from './county-scope';
import { draftProblems } from './report-problems';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Who sees a victim's personal data in full: the call-taker who took the report, and the county police
 * of the county that owns the case (they must call the victim back). Everyone else sees it masked unless they
 * unmask it with a reason, which is audited.
 */
export function seesPersonalData(actor: Actor, report: Selectable<ReportTable>): boolean {
  return (
    report.created_by === actor.userId ||
    isOwnCounty(actor, report.owning_county_code) ||
    // The intake queue: a call-taker takes up a draft opened from a warning episode, and calls the person.
    (actor.role === 'call_taker' && report.status === 'draft' && report.in_intake_queue)
  );
}

export function toReportView(
  r: Selectable<ReportTable>,
  transfers: Array<Selectable<ReportTransferTable>>,
  stopPaymentIds: Map<string, string>,
  opts: { isMasked: boolean; createdBy: string; now: Date; money: ReportView['money'] },
): ReportView {
  const m = (value: string | null, mask: (v: string) => string): string | null =>
    value === null ? null : opts.isMasked ? mask(value) : value;
  const sorted = [...transfers].sort((a, b) => a.position - b.position);
  const view: ReportView = {
    id: r.id,
    number: r.number,
    version: r.version,
    status: r.status,
    fromEpisodeId: r.from_episode_id,
    isMasked: opts.isMasked,
    victim: {
      name: m(r.victim_name, maskName),
      idNumber: m(r.victim_id_number, maskIdNumber),
      phone: m(r.victim_phone, (p) => maskMobile(p.replace(/\D/g, '').slice(-11))),
      countyCode: r.victim_county_code,
      countyName: r.victim_county_code ? (countyLabel(r.victim_county_code) ?? null) : null,
      address: m(r.victim_address, maskAddress),
    },
    transfers: sorted.map((t) => ({
      key: t.key,
      transferredAt: iso(t.transferred_at),
      amountFen: t.amount_fen,
      victimAccount: m(t.victim_account, maskAccountNumber),
      toAccount: {
        number: t.to_number,
        name: t.to_name,
        bankCode: t.to_bank_code,
        bankName: t.to_bank_code ? bankNameOf(t.to_bank_code) : null,
      },
      stopPaymentId: (t.to_number && stopPaymentIds.get(t.to_number.replace(/[\s-]/g, ''))) || null,
    })),
    contacts: r.contacts,
    narrative: r.narrative,
    fraudType: r.fraud_type as FraudTypeCode | null,
    suggestedFraudType: suggestFraudType(r.narrative) ?? null,
    totalLossFen: r.total_loss_fen,
    times: {
      callAnsweredAt: r.call_answered_at.toISOString(),
      firstAccountPushedAt: iso(r.first_account_pushed_at),
      firstInstructionSentAt: iso(r.first_instruction_sent_at),
      firstStopResultAt: iso(r.first_stop_result_at),
      submittedAt: iso(r.submitted_at),
    },
    problems: [],
    createdBy: opts.createdBy,
    owningCountyCode: r.owning_county_code,
    money: opts.money,
  };
  view.problems = draftProblems(
    {
      version: r.version,
      callAnsweredAt: view.times.callAnsweredAt,
      victim: {
        ...(r.victim_name ? { name: r.victim_name } : {}),
        ...(r.victim_id_number ? { idNumber: r.victim_id_number } : {}),
        ...(r.victim_phone ? { phone: r.victim_phone } : {}),
        ...(r.victim_county_code ? { countyCode: r.victim_county_code } : {}),
      },
      transfers: sorted.map((t) => ({
        key: t.key,
        ...(t.transferred_at ? { transferredAt: t.transferred_at.toISOString() } : {}),
        ...(t.amount_fen !== null ? { amountFen: t.amount_fen } : {}),
        toAccount: {
          ...(t.to_number ? { number: t.to_number } : {}),
          ...(t.to_bank_code ? { bankCode: t.to_bank_code } : {}),
        },
      })),
      contacts: r.contacts,
      narrative: r.narrative,
      ...(r.fraud_type ? { fraudType: r.fraud_type as FraudTypeCode } : {}),
    },
    opts.now,
  ).map((p) => ({ ...p, field: `body.${p.field}` }));
  return view;
}
