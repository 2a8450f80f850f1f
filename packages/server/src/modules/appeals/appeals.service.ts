import type {
  AppealDecision,
  AppealDetail,
  AppealFiling,
  AppealList,
  AppealQuery,
  AppealReceipt,
  AppealReview,
  AppealSubjectState,
  AppealView,
  AppealWithdrawal,
  FieldProblem,
} from '@fanzha/contracts';
import {
  appealDueAt,
  appealEffectRetryDelayMs,
  appealReference,
  findBankByCode,
  isAccountMeasureSubject,
  isAppealReference,
  mayDecide,
  nextAppealStatus,
  normaliseLookup,
  normalisePhone,
  validateIdNumber,
  type AppealEvent,
  type AppealSubjectKind,
  type Validation,
} from '@fanzha/domain';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { canonicalHash } from '../../platform/crypto/canonical-json';
import { runEvery, type Periodic } from '../../platform/every';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { usernames } from '../case/index';
import { sweepOverdue } from '../legal-timers/index';
import type { Messenger } from '../warnings/index';
import { createAppealEffects, type EffectDeps } from './appeals.effects';
import { appealRepository as repo, OPEN_APPEAL_STATUSES, type AppealRow } from './appeals.repository';
import { taskOfAppeal, toAppealView, toReceipt } from './appeals.view';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };

const notFound = () => new AppError('not_found', 'No such appeal');
/**
 * How long one attempt at a decision's notice holds it (ms): the decision's own attempt, then each sweep's, so
 * that another worker's sweep does not send it meanwhile. A notice whose attempt never finished (the process
 * stopped) is tried again once its hold is out.
 */
const NOTICE_LEASE_MS = 60_000;
/** Unknown reference and wrong phone answer alike, so that no one learns which references exist. */
const noPublicAppeal = () => new AppError('not_found', 'No appeal with this reference and phone number');

/** The value appealed, in the normal form the registry (or the two-cards holders) keep it. */
function normaliseSubject(kind: AppealSubjectKind, value: string, today: Date): Validation<string> {
  if (kind === 'freeze' || kind === 'hold') return normaliseLookup('account', value);
  if (kind === 'id_number') {
    const id = validateIdNumber(value, today);
    return id.ok ? { ok: true, value: id.value.number } : id;
  }
  return normaliseLookup(kind, value);
}

/**
 * Appeals (申诉, Anti-Telecom and Online Fraud Law Art. 32). Anyone files on the public form and checks the
 * status by reference and phone; an analyst or supervisor reviews (a recommendation), a different supervisor
 * decides. A granted appeal clears the indicator (not fraud), asks the parties to lift every countermeasure
 * executed on the value (they see the lift on their stream and console) and lifts the holder's two-cards
 * measures; each step is audited. Each appeal is a task of the supervision queue, due after the configured
 * days, and escalated to the supervisors once overdue.
 */
export function createAppealsService(
  deps: EffectDeps & {
    dueDays: number;
    wake: () => void;
    /** The centre's SMS gateway (the warnings' port): the appellant is told the decision. */
    messenger: Messenger;
  },
) {
  const { db, clock } = deps;
  const effects = createAppealEffects(deps);

  async function views(rows: AppealRow[], isOpened: boolean): Promise<AppealView[]> {
    const [names, effectRows] = await Promise.all([
      usernames(
        db,
        rows.flatMap((r) => [r.reviewed_by, r.decided_by]),
      ),
      repo.effectsOf(
        db,
        rows.map((r) => r.id),
      ),
    ]);
    return rows.map((r) =>
      toAppealView(
        r,
        names,
        isOpened,
        effectRows.filter((e) => e.appeal_id === r.id),
      ),
    );
  }

  async function file(
    ctx: AuditContext,
    body: AppealFiling,
    key: string | undefined,
  ): Promise<{ receipt: AppealReceipt; isNew: boolean }> {
    const hash = canonicalHash(body);
    const replay = async () => {
      if (!key) return undefined;
      const earlier = await repo.byKey(db, key);
      if (!earlier) return undefined;
      if (earlier.body_hash !== hash)
        throw new AppError('conflict', 'This Idempotency-Key was used with another appeal', [
          {
            field: 'header.idempotency-key',
            reason: 'idempotency.reused',
            message: 'used with another body',
          },
        ]);
      return toReceipt(earlier);
    };
    const earlier = await replay();
    if (earlier) return { receipt: earlier, isNew: false };
    const problems: FieldProblem[] = [];
    const subject = normaliseSubject(body.subjectKind, body.subjectValue, ctx.at);
    if (!subject.ok)
      problems.push({ field: 'body.subjectValue', reason: subject.reason, message: subject.message });
    const phone = normalisePhone(body.contactPhone);
    if (!phone.ok)
      problems.push({ field: 'body.contactPhone', reason: phone.reason, message: phone.message });
    const needsBank = isAccountMeasureSubject(body.subjectKind);
    if (needsBank && body.bankCode === undefined)
      problems.push({ field: 'body.bankCode', reason: 'required', message: 'name the bank of the account' });
    else if (!needsBank && body.bankCode !== undefined)
      problems.push({
        field: 'body.bankCode',
        reason: 'not_allowed',
        message: 'a bank is named only for a freeze or a hold',
      });
    else if (body.bankCode !== undefined && !findBankByCode(body.bankCode))
      problems.push({
        field: 'body.bankCode',
        reason: 'unknown_bank',
        message: `no bank has the code ${body.bankCode}`,
      });
    if (problems.length > 0 || !subject.ok || !phone.ok) throw validationError(problems);
    const dueAt = appealDueAt(ctx.at, deps.dueDays);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const id = randomUUID();
      const row = {
        id,
        reference: appealReference(ctx.at.getUTCFullYear(), randomBytes(8)),
        subject_kind: body.subjectKind,
        subject_value: subject.value,
        subject_bank_code: body.bankCode ?? null,
        reviewed_role: null,
        name: body.name,
        contact_phone: phone.value,
        statement: body.statement,
        status: 'filed' as const,
        filed_at: ctx.at,
        due_at: dueAt,
        overdue_at: null,
        effects: '[]',
        idempotency_key: key ?? null,
        body_hash: key ? hash : null,
      };
      const filed = await db.transaction().execute(async (trx) => {
        if (!(await repo.insert(trx, row))) return undefined;
        const after = (await repo.get(trx, id))!;
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'appeal.file',
            objectType: 'appeal',
            objectId: id,
            result: 'success',
            details: { reference: row.reference, subjectKind: body.subjectKind, dueAt: dueAt.toISOString() },
          }),
        );
        await enqueue(trx, newEvent('task.reported', { task: taskOfAppeal(after) }, clock));
        return after;
      });
      if (filed) {
        deps.wake();
        return { receipt: toReceipt(filed), isNew: true };
      }
      // The key was taken meanwhile by the same appeal sent twice at once: answer as it stands.
      const again = await replay();
      if (again) return { receipt: again, isNew: false };
    }
    throw new Error('no free appeal reference after 5 attempts');
  }

  async function status(reference: string, phone: string): Promise<AppealReceipt> {
    if (!isAppealReference(reference)) throw noPublicAppeal();
    const normal = normalisePhone(phone);
    const r = await repo.byReference(db, reference);
    if (!r || !normal.ok || r.contact_phone !== normal.value) throw noPublicAppeal();
    return toReceipt(r);
  }

  async function list(q: AppealQuery): Promise<AppealList> {
    const rows = await repo.list(db, {
      statuses: q.status === 'open' ? OPEN_APPEAL_STATUSES : [q.status],
      ...(q.after ? { after: q.after } : {}),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: await views(page, false),
      nextCursor: rows.length > q.limit && last ? String(last.seq) : null,
    };
  }

  async function subjectOf(r: AppealRow): Promise<AppealSubjectState> {
    const none: AppealSubjectState = {
      indicator: null,
      countermeasures: [],
      measures: [],
      freezes: [],
      holds: [],
    };
    switch (r.subject_kind) {
      case 'id_number': {
        const measures = await deps.twoCards.measuresOfIdNumber(r.subject_value);
        return {
          ...none,
          measures: measures.map((m) => ({ id: m.id, kind: m.kind, state: m.state, endsAt: m.endsAt })),
        };
      }
      case 'freeze': {
        const freezes = await deps.freezes.onAccount(r.subject_bank_code!, r.subject_value);
        return {
          ...none,
          freezes: freezes.map((f) => ({
            id: f.id,
            status: f.status,
            amountFen: f.amountFen,
            endsAt: f.endsAt.toISOString(),
          })),
        };
      }
      case 'hold': {
        const holds = await deps.holds.holdsOnAccount(r.subject_bank_code!, r.subject_value, r.contact_phone);
        return {
          ...none,
          holds: holds.map((x) => ({
            episodeId: x.episodeId,
            endsAt: x.endsAt ? x.endsAt.toISOString() : null,
          })),
        };
      }
      case 'phone':
      case 'url':
      case 'account': {
        const [indicator, cms] = await Promise.all([
          effects.indicatorOf(r),
          deps.countermeasures.onValue(r.subject_value),
        ]);
        return {
          ...none,
          indicator: indicator
            ? { id: indicator.id, status: indicator.status, riskLevel: indicator.riskLevel }
            : null,
          countermeasures: cms.map((c) => ({
            id: c.id,
            kind: c.kind,
            partyCode: c.partyCode,
            status: c.status,
          })),
        };
      }
    }
  }

  /** One appeal, whole (its contact phone and ID number unmasked: the read is audited), with its subject. */
  async function get(ctx: Ctx, id: string): Promise<AppealDetail> {
    const r = await repo.get(db, id);
    if (!r) throw notFound();
    await db.transaction().execute((trx) =>
      appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'appeal.read',
          objectType: 'appeal',
          objectId: id,
          result: 'success',
          details: { reference: r.reference },
        }),
      ),
    );
    const [view] = await views([r], true);
    return { appeal: view!, subject: await subjectOf(r) };
  }

  /** Moves one appeal by an event in its own transaction: the row locked, the change audited and reported. */
  async function move(
    ctx: Ctx,
    id: string,
    event: AppealEvent,
    field: string,
    check: (r: AppealRow) => void,
    set: (r: AppealRow) => Parameters<typeof repo.update>[2],
    details: Record<string, unknown>,
    within?: (trx: Trx, changed: AppealRow) => Promise<void>,
  ): Promise<AppealRow> {
    const after = await db.transaction().execute(async (trx: Trx) => {
      const r = await repo.lock(trx, id);
      if (!r) throw notFound();
      const to = nextAppealStatus(r.status, event);
      if (to === undefined)
        throw new AppError('conflict', `An appeal that is ${r.status} cannot take ${event}`, [
          { field, reason: 'appeal.transition', message: `status is ${r.status}` },
        ]);
      check(r);
      await repo.update(trx, id, { ...set(r), status: to });
      const changed = (await repo.get(trx, id))!;
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: `appeal.${event === 'grant' || event === 'deny' ? 'decide' : event}`,
          objectType: 'appeal',
          objectId: id,
          result: 'success',
          details: { reference: r.reference, from: r.status, to, ...details },
        }),
      );
      if (within) await within(trx, changed);
      await enqueue(trx, newEvent('task.reported', { task: taskOfAppeal(changed) }, clock));
      return changed;
    });
    deps.wake();
    return after;
  }

  async function review(ctx: Ctx, id: string, body: AppealReview): Promise<AppealView> {
    const r = await move(
      ctx,
      id,
      'review',
      'body.recommendation',
      () => undefined,
      () => ({
        recommendation: body.recommendation,
        recommendation_reason: body.reason,
        reviewed_by: ctx.actor.userId,
        reviewed_role: ctx.actor.role,
        reviewed_at: ctx.at,
      }),
      { recommendation: body.recommendation, reason: body.reason },
    );
    return (await views([r], false))[0]!;
  }

  /**
   * The decision. A grant records its effects (what it changes, as it stands when decided) in the decision's
   * transaction, then applies them, each in its own module and audited there; one that fails is retried by the
   * sweep (`retryEffectsOnce`) until done.
   */
  async function decide(ctx: Ctx, id: string, body: AppealDecision): Promise<AppealView> {
    const isGrant = body.decision === 'grant';
    const before = await repo.get(db, id);
    const planned = isGrant && before ? await effects.plan(before, ctx.at) : [];
    let r = await move(
      ctx,
      id,
      isGrant ? 'grant' : 'deny',
      'body.decision',
      (row) => {
        if (!mayDecide(row.reviewed_by, ctx.actor.userId))
          throw new AppError('forbidden', 'The person who reviewed an appeal does not also decide it', [
            {
              field: 'body.decision',
              reason: 'appeal.same_person',
              message: 'decided by a person other than the reviewer',
            },
          ]);
      },
      () => ({
        decided_by: ctx.actor.userId,
        decision_reason: body.reason,
        decided_at: ctx.at,
        // Owed from this commit on; tried at once below, by the sweep only once the first try's lease is out.
        notice_status: 'pending',
        notice_next_at: new Date(ctx.at.getTime() + NOTICE_LEASE_MS),
      }),
      { decision: body.decision, reason: body.reason },
      async (trx) => {
        if (!isGrant) return;
        await repo.planEffects(trx, planned);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'appeal.effects',
            objectType: 'appeal',
            objectId: id,
            result: 'success',
            details: { reference: before!.reference, planned: planned.map((e) => e.target) },
          }),
        );
      },
    );
    if (isGrant) {
      await effects.applyAll(ctx, r);
      r = (await repo.get(db, id))!;
    }
    await tellDecision(ctx, r);
    return (await views([r], false))[0]!;
  }

  /**
   * Tells the appellant the decision by SMS on the phone they filed with, once it is committed: granted or not,
   * and the reference, nothing else (the status page, by reference and phone, says the rest). The message's id
   * is the appeal's (`appeal-decision:<id>`), so a gateway that sees it twice sends it once. The notice is owed
   * from the decision's commit (`notice_status` pending): a gateway that refuses or fails is audited
   * (`appeal.notice`, failure), the decision stands, and the sweep tries again (`retryNoticesOnce`) until the
   * gateway takes it — also after a process stopped between the decision and its message.
   */
  async function tellDecision(ctx: Ctx, r: AppealRow): Promise<void> {
    const text =
      r.status === 'granted'
        ? `【${deps.centreName}】您的申诉（编号${r.reference}）已审查完毕，决定予以支持。可凭编号和手机号在${deps.centreName}官网查询。`
        : `【${deps.centreName}】您的申诉（编号${r.reference}）已审查完毕，决定不予支持。可凭编号和手机号在${deps.centreName}官网查询。`;
    let sent: { ok: true } | { ok: false; reason: string };
    try {
      sent = await deps.messenger.send({
        contactId: `appeal-decision:${r.id}`,
        channel: 'sms',
        phone: r.contact_phone,
        text,
        // What the appellant checks the message by: the reference, on the public status page.
        verificationCode: r.reference,
      });
    } catch (err) {
      sent = { ok: false, reason: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
    }
    const at = clock.now();
    const attempt = r.notice_attempts + 1;
    await db.transaction().execute(async (trx: Trx) => {
      await repo.noticeAttempted(
        trx,
        r.id,
        sent.ok ? { sentAt: at } : { nextAt: new Date(at.getTime() + appealEffectRetryDelayMs(attempt)) },
      );
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'appeal.notice',
          objectType: 'appeal',
          objectId: r.id,
          result: sent.ok ? 'success' : 'failure',
          details: {
            reference: r.reference,
            channel: 'sms',
            decision: r.status,
            attempt,
            ...(sent.ok ? {} : { error: sent.reason }),
          },
        }),
      );
    });
  }

  /**
   * Tries again the decisions' notices that are due (refused or failed before, or never tried: a process
   * stopped after the decision's commit), in the decider's name. Each is taken for `NOTICE_LEASE_MS` so that
   * two workers do not send it together. Idle, one indexed read-only statement.
   */
  async function retryNoticesOnce(now: Date = clock.now(), limit = 100): Promise<number> {
    if (!(await repo.hasDueNotice(db, now))) return 0;
    const ids = await repo.takeDueNotices(db, now, new Date(now.getTime() + NOTICE_LEASE_MS), limit);
    for (const id of ids) {
      const r = await repo.get(db, id);
      if (!r?.decided_by || (r.status !== 'granted' && r.status !== 'denied')) continue;
      const actor = await effects.deciderOf(r, now);
      await tellDecision({ at: now, requestId: null, actor, origin: 'appeal-notice-retry' }, r);
    }
    return ids.length;
  }

  /**
   * The appellant withdraws, by reference and contact phone, only before a decision. An unknown reference and a
   * wrong phone answer alike; a withdrawal sent again answers the withdrawn appeal and changes nothing.
   */
  async function withdraw(
    ctx: AuditContext,
    reference: string,
    body: AppealWithdrawal,
  ): Promise<AppealReceipt> {
    if (!isAppealReference(reference)) throw noPublicAppeal();
    const phone = normalisePhone(body.contactPhone);
    const after = await db.transaction().execute(async (trx: Trx) => {
      const r = await repo.lockByReference(trx, reference);
      if (!r || !phone.ok || r.contact_phone !== phone.value) throw noPublicAppeal();
      if (r.status === 'withdrawn') return { row: r, changed: false };
      const to = nextAppealStatus(r.status, 'withdraw');
      if (to === undefined)
        throw new AppError('conflict', `An appeal that is ${r.status} cannot be withdrawn`, [
          { field: 'params.reference', reason: 'appeal.transition', message: `status is ${r.status}` },
        ]);
      await repo.update(trx, r.id, { status: to, decided_at: ctx.at });
      const changed = (await repo.get(trx, r.id))!;
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: 'appeal.withdraw',
          objectType: 'appeal',
          objectId: r.id,
          result: 'success',
          details: { reference: r.reference, from: r.status, to },
        }),
      );
      await enqueue(trx, newEvent('task.reported', { task: taskOfAppeal(changed) }, clock));
      return { row: changed, changed: true };
    });
    if (after.changed) deps.wake();
    return toReceipt(after.row);
  }

  /**
   * Escalates open appeals past their deadline, once each: an alert to the supervisors. Idle, one indexed
   * read-only statement (see `sweepOverdue`).
   */
  const sweepOnce = (now: Date = clock.now()): Promise<number> =>
    sweepOverdue(
      deps,
      {
        hasOverdue: (conn, at) => repo.hasOverdue(conn, at),
        markOverdue: (trx, at, limit) => repo.markOverdue(trx, at, limit),
        alertOf: (r) => ({
          kind: 'task_overdue',
          threshold: 'decide',
          level: 'escalation',
          object_type: 'appeal',
          object_id: r.id,
          report_id: null,
          county_code: null,
          message: `申诉超过时限未决定：${r.reference}`,
          due_at: r.due_at,
        }),
      },
      now,
    );

  /** Retries a grant's effects that failed, when due (see appeals.effects). Idle, one indexed statement. */
  const retryEffectsOnce = (now: Date = clock.now()) => effects.retryOnce(now);

  return { file, status, withdraw, list, get, review, decide, sweepOnce, retryEffectsOnce, retryNoticesOnce };
}
export type AppealsService = ReturnType<typeof createAppealsService>;

/**
 * Runs the deadline sweep, the retry of grants' effects and the retry of decisions' notices every `everyMs`
 * (roles that run background work, see start.ts).
 */
export function startAppealSweep(
  svc: Pick<AppealsService, 'sweepOnce' | 'retryEffectsOnce' | 'retryNoticesOnce'>,
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(
    async () => {
      await svc.sweepOnce();
      await svc.retryEffectsOnce();
      await svc.retryNoticesOnce();
    },
    { ...opts, what: 'appeal deadline, effect and notice sweep' },
  );
}
