import type { StopPaymentView, TaskReport } from '@fanzha/contracts';
import { isBeforeVisit, type EventEnvelope } from '@fanzha/domain';

/**
 * The older instruction modules do not publish `task.reported`: their own events are mapped here into
 * task reports, one pure function per subject. A mapped report carries the event's time, so that an older
 * event arriving late never overwrites a newer one (see the repository's guard).
 */
export interface MappedTask {
  report: TaskReport;
  occurredAt: Date;
  /** Only updates a task that already exists (a visit that ended: no visit task is made for it). */
  isUpdateOnly?: boolean;
}

/** A bank answers an emergency stop within ten minutes of its sending (the three-minute clock's target is the whole loop). */
export const STOP_ANSWER_WITHIN_MS = 10 * 60_000;
/** An operator answers a carrier assist request within ten minutes: the call is under way. */
export const CARRIER_ANSWER_WITHIN_MS = 10 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const yuan = (fen: number) => (fen / 100).toFixed(2);
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

type Stop = StopPaymentView;

function stopTask(v: Stop): TaskReport | undefined {
  // The desk's own pending work is no instruction yet; a request withdrawn before sending never was one.
  if (v.sentAt === null) return undefined;
  const answered = v.result;
  const feedback = answered
    ? answered.outcome === 'stopped'
      ? `已止付 ${yuan(answered.stoppedFen)} 元`
      : `未能止付：${answered.failureReason ?? ''}${answered.note ? ` ${answered.note}` : ''}`
    : null;
  return {
    kind: 'stop-payment',
    sourceId: v.id,
    title: clip(`紧急止付 ${v.reportNumber} 第${v.layer}层 ${v.account.bankName ?? v.account.bankCode}`, 200),
    reportId: v.reportId,
    owner: { unitKind: 'bank', unitCode: v.account.bankCode, userId: null },
    openedAt: v.sentAt,
    dueAt: iso(Date.parse(v.sentAt) + STOP_ANSWER_WITHIN_MS),
    status: v.status === 'withdrawn' ? 'cancelled' : answered ? 'done' : 'open',
    doneAt: answered?.answeredAt ?? null,
    feedback: feedback && clip(feedback, 2000),
  };
}

function freezeTasks(v: Stop): TaskReport[] {
  const f = v.freeze;
  if (!f) return [];
  const bank = { unitKind: 'bank' as const, unitCode: v.account.bankCode, userId: null };
  const out: TaskReport[] = [];
  const freezeDone = f.status !== 'requested';
  out.push({
    kind: 'freeze',
    sourceId: f.id,
    title: clip(
      `冻结 ${v.reportNumber} ${f.decisionNumber} ${v.account.bankName ?? v.account.bankCode}`,
      200,
    ),
    reportId: v.reportId,
    owner: bank,
    openedAt: f.startsAt,
    // The freeze must be in force before the emergency stop it converts lapses.
    dueAt: v.expiresAt,
    status: freezeDone ? 'done' : 'open',
    doneAt: freezeDone ? (f.confirmedAt ?? f.startsAt) : null,
    feedback: f.status === 'failed' ? clip(`冻结失败：${f.failureReason ?? ''}`, 2000) : null,
  });
  for (const d of f.decisions) {
    if (d.kind !== 'return' || d.status === 'proposed' || d.status === 'rejected' || !d.decidedAt) continue;
    const isDone = d.status === 'confirmed' || d.status === 'failed';
    out.push({
      kind: 'return',
      sourceId: d.id,
      title: clip(`资金返还 ${v.reportNumber} ${yuan(d.amountFen)} 元 ${d.decisionNumber}`, 200),
      reportId: v.reportId,
      owner: bank,
      openedAt: d.decidedAt,
      dueAt: d.dueAt,
      status: isDone ? 'done' : 'open',
      doneAt: isDone ? (d.confirmedAt ?? d.decidedAt) : null,
      feedback:
        d.status === 'confirmed'
          ? `已返还 ${yuan(d.executedFen ?? d.amountFen)} 元`
          : d.status === 'failed'
            ? clip(`返还失败：${d.failureReason ?? ''}`, 2000)
            : null,
    });
  }
  return out;
}

export function tasksOfStopPayment(e: EventEnvelope<'stop-payment.changed'>): MappedTask[] {
  const occurredAt = new Date(e.occurredAt);
  const v = e.data.request;
  const stop = stopTask(v);
  return [...(stop ? [stop] : []), ...freezeTasks(v)].map((report) => ({ report, occurredAt }));
}

export function tasksOfCountyTask(e: EventEnvelope<'county-task.changed'>): MappedTask[] {
  const t = e.data.task;
  const status = t.status === 'answered' ? 'done' : t.status === 'transferred' ? 'cancelled' : 'open';
  return [
    {
      occurredAt: new Date(e.occurredAt),
      report: {
        kind: 'county-task',
        sourceId: t.id,
        title: clip(`属地核查 ${t.reportNumber} ${t.countyName ?? t.countyCode}`, 200),
        reportId: t.reportId,
        owner: { unitKind: 'county', unitCode: t.countyCode, userId: null },
        openedAt: t.issuedAt,
        // Accept first (30 minutes), then answer (24 hours): the deadline ahead of it.
        dueAt: t.status === 'issued' ? t.acceptDueAt : t.dueAt,
        status,
        doneAt: status === 'done' ? t.answeredAt : status === 'cancelled' ? t.transferredAt : null,
        feedback:
          status === 'done'
            ? clip(t.answer ?? '', 2000) || null
            : status === 'cancelled'
              ? clip(`转办至 ${t.transferredToCounty ?? ''}：${t.transferReason ?? ''}`, 2000)
              : null,
      },
    },
  ];
}

export function tasksOfEpisode(e: EventEnvelope<'episode.opened' | 'episode.changed'>): MappedTask[] {
  const ep = e.data.episode;
  const occurredAt = new Date(e.occurredAt);
  const owner = ep.countyCode
    ? { unitKind: 'county' as const, unitCode: ep.countyCode, userId: null }
    : { unitKind: 'centre' as const, unitCode: 'centre', userId: null };
  const where = ep.countyName ?? (ep.countyCode ? ep.countyCode : '中心劝阻台');
  const status = ep.isOpen ? ('open' as const) : ('done' as const);
  const doneAt = ep.isOpen ? null : (ep.closedAt ?? e.occurredAt);
  const warning: MappedTask = {
    occurredAt,
    report: {
      kind: 'warning',
      sourceId: ep.id,
      title: clip(`预警劝阻 ${ep.grade} ${where}`, 200),
      reportId: null,
      owner,
      openedAt: ep.openedAt,
      dueAt: ep.dueAt,
      status,
      doneAt,
      feedback: ep.closeReason,
    },
  };
  // The visit is out at the visit step, and before it once sent at once with carrier assist (a busy line):
  // one task (the episode's id names it) from its sending; later steps or the close only end it. An event
  // published before summaries carried `isVisitIssued` has none: its visit counts from the visit step.
  const isVisit = ep.isOpen && (ep.step === 'visit' || (ep.isVisitIssued === true && isBeforeVisit(ep.step)));
  const visit: MappedTask = {
    occurredAt,
    ...(isVisit ? {} : { isUpdateOnly: true }),
    report: {
      ...warning.report,
      kind: 'visit',
      title: clip(`上门劝阻 ${ep.grade} ${where}`, 200),
      dueAt: ep.reachBy ?? ep.dueAt,
      status: isVisit ? 'open' : 'done',
      doneAt: isVisit ? null : (ep.closedAt ?? e.occurredAt),
    },
  };
  return [warning, visit];
}

export function tasksOfCarrierRequest(e: EventEnvelope<'carrier-request.changed'>): MappedTask[] {
  const r = e.data.request;
  const isDone = r.status === 'answered';
  return [
    {
      occurredAt: new Date(e.occurredAt),
      report: {
        kind: 'carrier-request',
        sourceId: r.id,
        title: clip(`运营商协助 ${r.grade} ${r.countyName ?? r.countyCode ?? ''}`.trim(), 200),
        reportId: null,
        owner: { unitKind: 'operator', unitCode: r.operatorCode, userId: null },
        openedAt: r.createdAt,
        dueAt: iso(Date.parse(r.createdAt) + CARRIER_ANSWER_WITHIN_MS),
        status: isDone ? 'done' : 'open',
        doneAt: isDone ? (r.answeredAt ?? e.occurredAt) : null,
        feedback: isDone ? clip(`${r.answer ?? ''}${r.reason ? `：${r.reason}` : ''}`, 2000) : null,
      },
    },
  ];
}

export const TASK_SUBJECTS = [
  'task.reported',
  'stop-payment.changed',
  'county-task.changed',
  'episode.opened',
  'episode.changed',
  'carrier-request.changed',
] as const;

const mappers: Record<(typeof TASK_SUBJECTS)[number], (event: EventEnvelope) => MappedTask[]> = {
  'task.reported': (e) => [
    { report: (e as EventEnvelope<'task.reported'>).data.task, occurredAt: new Date(e.occurredAt) },
  ],
  'stop-payment.changed': (e) => tasksOfStopPayment(e as EventEnvelope<'stop-payment.changed'>),
  'county-task.changed': (e) => tasksOfCountyTask(e as EventEnvelope<'county-task.changed'>),
  'episode.opened': (e) => tasksOfEpisode(e as EventEnvelope<'episode.opened'>),
  'episode.changed': (e) => tasksOfEpisode(e as EventEnvelope<'episode.changed'>),
  'carrier-request.changed': (e) => tasksOfCarrierRequest(e as EventEnvelope<'carrier-request.changed'>),
};

/** The tasks one event reports, whatever its subject (none for a subject this module does not follow). */
export function tasksOf(event: EventEnvelope): MappedTask[] {
  const map = (mappers as Partial<Record<string, (event: EventEnvelope) => MappedTask[]>>)[event.subject];
  return map ? map(event) : [];
}

/**
 * One report per task from a batch: the latest by event time (a later event in the batch wins a tie), and a
 * creating report wins over an update-only one of the same time.
 */
export function latestPerTask(mapped: MappedTask[]): MappedTask[] {
  const byKey = new Map<string, MappedTask>();
  for (const m of mapped) {
    const key = `${m.report.kind}\u0000${m.report.sourceId}`;
    const prev = byKey.get(key);
    if (!prev || m.occurredAt.getTime() >= prev.occurredAt.getTime()) byKey.set(key, m);
  }
  return [...byKey.values()];
}
