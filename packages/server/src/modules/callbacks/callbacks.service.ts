import type {
  CallbackAttemptRequest,
  CallbackContact,
  CallbackList,
  CallbackQuery,
  CallbackSettingsBody,
  CallbackSummary,
  CallbackView,
} from '@fanzha/contracts';
import {
  applyCallbackAttempt,
  callbackReasonMessagesZh,
  callbackScripts,
  maskMobile,
  maskName,
  type Clock,
} from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { callbacksRepository as repo, type CallbackRow } from './callbacks.repository';
import { attemptFeedback, callbackTask, complaintTask, publishTasks } from './callbacks.tasks';

type Ctx = AuditContext & { actor: Actor };

const notFound = () => new AppError('not_found', 'No such callback');
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function summaryOf(r: CallbackRow, now: Date): CallbackSummary {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    reportId: r.report_id,
    reportNumber: r.report_number,
    episodeId: r.episode_id,
    countyCode: r.county_code,
    personNameMasked: r.person_name ? maskName(r.person_name) : null,
    personPhoneMasked: r.person_phone ? maskMobile(r.person_phone.replace(/\D/g, '').slice(-11)) : null,
    attempts: r.attempts,
    dueAt: iso(r.due_at),
    isDue: r.status === 'open' && r.due_at !== null && r.due_at <= now,
    satisfaction: r.satisfaction,
    hasComplaint: r.has_complaint,
    createdAt: r.created_at.toISOString(),
    closedAt: iso(r.closed_at),
  };
}

/**
 * The callbacks console (回访): the queue (due first), one callback with its script and attempts, the person's
 * contact to place the call (each read audited), recording an attempt (idempotent by key), and the settings.
 * Call-takers and the supervisor work every callback: the centre calls, whatever the county.
 */
export function createCallbacksService(deps: { db: Kysely<DB>; clock: Clock; wake: () => void }) {
  const { db, clock } = deps;

  async function view(d: Kysely<DB>, id: string): Promise<CallbackView> {
    const [row, attempts, settings] = await Promise.all([
      repo.get(d, id),
      repo.attempts(d, id),
      repo.settings(d),
    ]);
    if (!row) throw notFound();
    return {
      ...summaryOf(row, clock.now()),
      attemptsList: attempts.map((a) => ({
        n: a.n,
        outcome: a.outcome,
        satisfaction: a.satisfaction,
        complaint: a.complaint,
        note: a.note,
        by: a.by_username,
        at: a.at.toISOString(),
      })),
      script: callbackScripts[row.kind],
      maxAttempts: settings.maxAttempts,
    };
  }

  return {
    async list(_actor: Actor, q: CallbackQuery): Promise<CallbackList> {
      const rows = await repo.list(db, { status: q.status ?? 'open', kind: q.kind, limit: q.limit ?? 50 });
      const now = clock.now();
      return { items: rows.map((r) => summaryOf(r, now)) };
    },

    get: (_actor: Actor, id: string) => view(db, id),

    /** The person's name and phone in full, to call them: audited, whoever reads them. */
    async contact(ctx: Ctx, id: string): Promise<CallbackContact> {
      return db.transaction().execute(async (trx) => {
        const row = await repo.get(trx, id);
        if (!row) throw notFound();
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'callback.contact',
            objectType: 'callback',
            objectId: id,
            result: 'success',
            details: { kind: row.kind, reportId: row.report_id, episodeId: row.episode_id },
          }),
        );
        return { name: row.person_name, phone: row.person_phone };
      });
    },

    /**
     * Records one attempt: the callback moves on (done, retry, unreachable, refused), a low satisfaction or a
     * complaint raises a supervision item, and the queue's copy follows — all in one transaction. The same
     * `Idempotency-Key` again changes nothing and answers the callback as it stands.
     */
    async attempt(ctx: Ctx, id: string, body: CallbackAttemptRequest, key?: string): Promise<CallbackView> {
      await db.transaction().execute(async (trx) => {
        const row = await repo.lock(trx, id);
        if (!row) throw notFound();
        // A note of spaces only is no note.
        const note = body.note?.trim() || null;
        const earlier = key ? await repo.attemptByKey(trx, id, key) : undefined;
        if (earlier) {
          // A retry answers the callback as it stands; the same key with another attempt is a client's mistake.
          const isSame =
            earlier.outcome === body.outcome &&
            earlier.satisfaction === (body.satisfaction ?? null) &&
            earlier.complaint === (body.complaint ?? null) &&
            earlier.note === note;
          if (!isSame)
            throw new AppError('conflict', 'This Idempotency-Key was used with another attempt', [
              {
                field: 'header.idempotency-key',
                reason: 'idempotency.reused',
                message: 'used with another body',
              },
            ]);
          return;
        }
        const settings = await repo.settings(trx);
        const input = {
          outcome: body.outcome,
          satisfaction: body.satisfaction ?? null,
          complaint: body.complaint ?? null,
        };
        const step = applyCallbackAttempt(row.status, row.attempts, input, settings, ctx.at);
        if (!step.ok) {
          const message = callbackReasonMessagesZh[step.reason] ?? step.reason;
          if (step.reason === 'callback.closed')
            throw new AppError('conflict', `The callback is ${row.status} (${message})`, [
              { field: 'params.id', reason: step.reason, message: `status is ${row.status}` },
            ]);
          const field = step.reason === 'callback.satisfaction_needed' ? 'body.satisfaction' : 'body.outcome';
          throw validationError([{ field, reason: step.reason, message }]);
        }
        const n = row.attempts + 1;
        const isClosed = step.status !== 'open';
        await repo.insertAttempt(trx, {
          callback_id: id,
          n,
          outcome: body.outcome,
          satisfaction: input.satisfaction,
          complaint: input.complaint,
          note,
          by_user_id: ctx.actor.userId,
          by_username: ctx.actor.username,
          idempotency_key: key ?? null,
          at: ctx.at,
        });
        const after: CallbackRow = {
          ...row,
          status: step.status,
          attempts: n,
          due_at: step.dueAt,
          satisfaction: input.satisfaction ?? row.satisfaction,
          has_complaint: row.has_complaint || step.isComplaint,
          updated_at: ctx.at,
          closed_at: isClosed ? ctx.at : null,
        };
        await repo.set(trx, id, {
          status: after.status,
          attempts: n,
          due_at: after.due_at,
          satisfaction: after.satisfaction,
          has_complaint: after.has_complaint,
          updated_at: ctx.at,
          closed_at: after.closed_at,
        });
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'callback.attempt',
            objectType: 'callback',
            objectId: id,
            result: 'success',
            details: {
              n,
              outcome: body.outcome,
              satisfaction: input.satisfaction,
              hasComplaint: input.complaint !== null,
              from: row.status,
              to: step.status,
              ...(key ? { idempotencyKey: key } : {}),
            },
          }),
        );
        await publishTasks(trx, clock, [
          callbackTask(after, attemptFeedback(body.outcome, input.satisfaction)),
          ...(step.isComplaint ? [complaintTask(after, input.satisfaction, input.complaint, ctx.at)] : []),
        ]);
      });
      deps.wake();
      return view(db, id);
    },

    settings: () => repo.settings(db),

    async saveSettings(ctx: Ctx, body: CallbackSettingsBody): Promise<CallbackSettingsBody> {
      await db.transaction().execute(async (trx) => {
        const before = await repo.settings(trx);
        await repo.saveSettings(trx, body, ctx.actor.username, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'callback.settings',
            objectType: 'callback_settings',
            objectId: 'callback_settings',
            result: 'success',
            details: { before, after: body },
          }),
        );
      });
      return repo.settings(db);
    },
  };
}

export type CallbacksService = ReturnType<typeof createCallbacksService>;
