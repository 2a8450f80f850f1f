import type { AppealReceipt, AppealView, TaskReport } from '@fanzha/contracts';
import { appealSubjectNamesZh, isFinalAppealStatus, maskIdNumber } from '@fanzha/domain';
import type { AppealEffectRow, AppealRow } from './appeals.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A phone number with its middle hidden: +86 138****5678. */
export const maskPhone = (p: string) => (p.length > 7 ? `${p.slice(0, -8)}****${p.slice(-4)}` : '****');

/** What a grant changed before its effects were recorded one by one (kept on older appeals). */
const earlierEffectsOf = (r: AppealRow): string[] => {
  const v = typeof r.effects === 'string' ? (JSON.parse(r.effects) as unknown) : r.effects;
  return Array.isArray(v) ? v.map(String) : [];
};

/** The staff's view; `isOpened` shows the ID number and contact phone whole (one appeal, audited). */
export function toAppealView(
  r: AppealRow,
  names: ReadonlyMap<string, string>,
  isOpened: boolean,
  effects: AppealEffectRow[] = [],
): AppealView {
  return {
    id: r.id,
    reference: r.reference,
    subjectKind: r.subject_kind,
    subjectValue:
      r.subject_kind === 'id_number' && !isOpened ? maskIdNumber(r.subject_value) : r.subject_value,
    subjectBankCode: r.subject_bank_code,
    name: r.name,
    contactPhone: isOpened ? r.contact_phone : maskPhone(r.contact_phone),
    statement: r.statement,
    status: r.status,
    filedAt: r.filed_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    isOverdue: r.overdue_at !== null && !isFinalAppealStatus(r.status),
    recommendation: r.recommendation,
    recommendationReason: r.recommendation_reason,
    reviewedBy: r.reviewed_by ? (names.get(r.reviewed_by) ?? r.reviewed_by) : null,
    reviewedAt: iso(r.reviewed_at),
    decidedBy: r.decided_by ? (names.get(r.decided_by) ?? r.decided_by) : null,
    decisionReason: r.decision_reason,
    decidedAt: iso(r.decided_at),
    effects: [
      ...earlierEffectsOf(r),
      ...effects.filter((e) => e.status === 'done').map((e) => `${e.target}:${e.result ?? 'done'}`),
    ],
    effectStates: effects.map((e) => ({
      kind: e.kind,
      targetId: e.target_id,
      status: e.status,
      result: e.status === 'done' ? e.result : null,
      attempts: e.attempts,
      lastError: e.last_error,
      nextAttemptAt: iso(e.next_attempt_at),
      doneAt: iso(e.done_at),
    })),
  };
}

/** What the appellant is told: the reference, the status and the dates. */
export const toReceipt = (r: AppealRow): AppealReceipt => ({
  reference: r.reference,
  status: r.status,
  filedAt: r.filed_at.toISOString(),
  dueAt: r.due_at.toISOString(),
  decidedAt: iso(r.decided_at),
});

/** The appeal as a task of the supervision queue (督办): the centre decides it by its deadline. */
export function taskOfAppeal(r: AppealRow): TaskReport {
  const done = isFinalAppealStatus(r.status);
  return {
    kind: 'appeal',
    sourceId: r.id,
    title: `申诉 ${r.reference}：${appealSubjectNamesZh[r.subject_kind]}`.slice(0, 200),
    reportId: null,
    owner: { unitKind: 'centre', unitCode: 'centre', userId: null },
    openedAt: r.filed_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    status: done ? 'done' : 'open',
    doneAt: done ? (iso(r.decided_at) ?? iso(r.filed_at)) : null,
    feedback: done ? `${r.status}${r.decision_reason ? `：${r.decision_reason}` : ''}`.slice(0, 2000) : null,
  };
}
