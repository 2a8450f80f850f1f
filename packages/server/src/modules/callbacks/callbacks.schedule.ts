import { firstCallbackDue, type CallbackKind, type Clock, type EventEnvelope } from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { victimContacts } from '../reports/index';
import { episodeFollowUpReads } from '../warnings/index';
import { callbacksRepository as repo, type NewCallbackRow } from './callbacks.repository';
import { callbackTask, publishTasks } from './callbacks.tasks';

export const CALLBACKS_CONSUMER = 'callbacks';
const SUBJECTS = ['report.changed', 'stop-payment.changed', 'episode.changed'];
const MAX_BATCH = 500;

/** What a source event asks for: a callback of this kind about this report or episode, as of `at`. */
export interface CallbackCause {
  kind: CallbackKind;
  /** The report's id (closed, money returned) or the episode's (persuaded). */
  sourceId: string;
  at: Date;
}

/**
 * The callbacks these events call for: a report closed; money returned to the victim (a request whose
 * returned amount is above zero: once per report, whichever of its requests shows it first); a warning
 * episode closed as persuaded. Anything else asks for nothing.
 */
export function causesOf(events: EventEnvelope[]): CallbackCause[] {
  const out = new Map<string, CallbackCause>();
  const add = (c: CallbackCause) => {
    const key = `${c.kind}:${c.sourceId}`;
    if (!out.has(key)) out.set(key, c);
  };
  for (const e of events) {
    const at = new Date(e.occurredAt);
    if (e.subject === 'report.changed') {
      const d = (e as EventEnvelope<'report.changed'>).data;
      if (d.status === 'closed') add({ kind: 'report_closed', sourceId: d.id, at });
    } else if (e.subject === 'stop-payment.changed') {
      const r = (e as EventEnvelope<'stop-payment.changed'>).data.request;
      if (r.returnedFen > 0) add({ kind: 'money_returned', sourceId: r.reportId, at });
    } else if (e.subject === 'episode.changed') {
      const ep = (e as EventEnvelope<'episode.changed'>).data.episode;
      if (ep.closeReason === 'persuaded') add({ kind: 'persuaded', sourceId: ep.id, at });
    }
  }
  return [...out.values()];
}

/**
 * Schedules the callbacks a batch of events calls for, in one transaction: once per (kind, source) — a
 * redelivered event or a later change of the same source finds its callback and adds nothing —, the person
 * read from the source's owner (reports, warnings) and sealed here, each new one published to the
 * supervision queue as a `task.reported` in the same transaction. Returns how many were made.
 */
export async function scheduleCallbacks(
  deps: { db: Kysely<DB>; clock: Clock },
  events: EventEnvelope[],
): Promise<number> {
  const causes = causesOf(events);
  if (causes.length === 0) return 0;
  return deps.db.transaction().execute(async (trx) => {
    const existing = await repo.existing(trx, causes);
    const fresh = causes.filter((c) => !existing.has(`${c.kind}:${c.sourceId}`));
    if (fresh.length === 0) return 0;
    const reportIds = fresh.filter((c) => c.kind !== 'persuaded').map((c) => c.sourceId);
    const episodeIds = fresh.filter((c) => c.kind === 'persuaded').map((c) => c.sourceId);
    const [reports, people, settings] = await Promise.all([
      victimContacts(trx, reportIds),
      episodeFollowUpReads.people(trx, episodeIds),
      repo.settings(trx),
    ]);
    const now = deps.clock.now();
    const rows: NewCallbackRow[] = fresh.flatMap((c): NewCallbackRow[] => {
      const base = {
        id: randomUUID(),
        kind: c.kind,
        source_id: c.sourceId,
        source_at: c.at,
        due_at: firstCallbackDue(c.kind, c.at, settings),
        created_at: now,
        updated_at: now,
      };
      if (c.kind === 'persuaded') {
        const p = people.find((x) => x.id === c.sourceId);
        if (!p) return [];
        return [
          {
            ...base,
            report_id: null,
            report_number: null,
            episode_id: p.id,
            county_code: p.countyCode,
            person_name: p.name,
            person_phone: p.phone,
          },
        ];
      }
      const r = reports.find((x) => x.id === c.sourceId);
      if (!r) return [];
      return [
        {
          ...base,
          report_id: r.id,
          report_number: r.number,
          episode_id: null,
          county_code: r.countyCode,
          person_name: r.name,
          person_phone: r.phone,
        },
      ];
    });
    const made = new Set(await repo.insert(trx, rows));
    const tasks = rows
      .filter((r) => made.has(r.id))
      .map((r) =>
        callbackTask(
          {
            id: r.id,
            kind: r.kind,
            report_id: r.report_id ?? null,
            report_number: r.report_number ?? null,
            episode_id: r.episode_id ?? null,
            status: 'open',
            created_at: now,
            due_at: r.due_at as Date,
            closed_at: null,
          },
          null,
        ),
      );
    await publishTasks(trx, deps.clock, tasks);
    return tasks.length;
  });
}

/** The callbacks' consumer (worker role): one durable consumer group taking batches of source events. */
export function startCallbacksConsumer(deps: {
  db: Kysely<DB>;
  clock: Clock;
  bus: Bus;
}): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: CALLBACKS_CONSUMER, subjects: SUBJECTS, maxBatch: MAX_BATCH, members: 'one' },
    async (events) => {
      await scheduleCallbacks(deps, events);
    },
  );
}
