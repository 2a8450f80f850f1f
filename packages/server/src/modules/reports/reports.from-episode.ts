import type { ReportDraftInput } from '@fanzha/contracts';
import type { Clock, EventEnvelope } from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { StopPaymentService } from '../stop-payment/index';
import { firstLayerAccounts, nextReportNumber, reportColumns, transferRows } from './report-columns';
import { reportsRepository as repo } from './reports.repository';

type Ctx = AuditContext & { actor: Actor };

/** What a warning episode knows of a person who had already paid, and of whom they paid. */
export interface EpisodeDraft {
  episodeId: string;
  person: {
    name: string | null;
    /** E.164, as the episode keeps it. */
    phone: string | null;
    idNumber: string | null;
    countyCode: string | null;
  };
  /** The indicators the person was warned about: an account is a payee, the rest the fraudster's contacts. */
  warnedAbout: Array<{ kind: string; value: string; amountFen: number | null; at: Date }>;
}

const contactKinds: Record<string, 'phone' | 'url' | 'app' | 'social'> = {
  phone: 'phone',
  url: 'url',
  domain: 'url',
  app: 'app',
  social: 'social',
};

/** The draft as the intake console would have typed it, prefilled from the episode. */
export function draftOfEpisode(d: EpisodeDraft, at: Date): Omit<ReportDraftInput, 'version'> {
  const seen = new Set<string>();
  const unique = d.warnedAbout.filter((w) => {
    const key = `${w.kind}\0${w.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const phone = d.person.phone?.startsWith('+86') ? d.person.phone.slice(3) : d.person.phone;
  return {
    callAnsweredAt: at.toISOString(),
    victim: {
      ...(d.person.name ? { name: d.person.name } : {}),
      ...(d.person.idNumber ? { idNumber: d.person.idNumber } : {}),
      ...(phone ? { phone } : {}),
      ...(d.person.countyCode ? { countyCode: d.person.countyCode } : {}),
    },
    transfers: unique
      .filter((w) => w.kind === 'account')
      .slice(0, 50)
      .map((w, i) => ({
        key: `episode-${i + 1}`,
        transferredAt: w.at.toISOString(),
        ...(w.amountFen !== null ? { amountFen: w.amountFen } : {}),
        toAccount: { number: w.value },
      })),
    contacts: unique
      .filter((w) => w.kind !== 'account')
      .slice(0, 50)
      .map((w, i) => ({ key: `episode-${i + 1}`, kind: contactKinds[w.kind] ?? 'other', value: w.value })),
    narrative: `预警事件 ${d.episodeId} 转警情：劝阻时当事人称已转账被骗。`,
  };
}

/**
 * The intake draft for a person a warning episode found too late (已被骗转账), in the caller's transaction:
 * prefilled with the person and the payee or indicator they were warned about, linked to the episode, and
 * in every call-taker's intake queue until one takes it up. Its valid payee accounts go to the stop-payment
 * desk at once, as a typed account does. Exactly once per episode: an episode that has its draft already
 * gets that one back (and a unique index on `from_episode_id` holds it across processes).
 */
export async function openDraftFromEpisode(
  deps: { clock: Clock; stopPayments: StopPaymentService },
  trx: Transaction<DB>,
  ctx: Ctx,
  episode: EpisodeDraft,
): Promise<{ id: string; number: string; isNew: boolean }> {
  const existing = await repo.byEpisode(trx, episode.episodeId);
  if (existing) return { id: existing.id, number: existing.number, isNew: false };
  const now = ctx.at;
  const id = randomUUID();
  const d = draftOfEpisode(episode, now);
  const accounts = firstLayerAccounts({ ...d, version: 0 });
  const number = await repo.insertDraft(trx, {
    id,
    number: nextReportNumber(now),
    version: 1,
    status: 'draft',
    created_by: ctx.actor.userId,
    created_at: now,
    from_episode_id: episode.episodeId,
    in_intake_queue: true,
    ...reportColumns(d, now),
    ...(accounts.length > 0 ? { first_account_pushed_at: now } : {}),
  });
  if (number === undefined) throw new Error('a fresh report id was taken');
  await repo.insertTransfers(trx, transferRows(id, d));
  const events: EventEnvelope[] = [];
  await deps.stopPayments.syncFirstLayer(
    trx,
    { id, number, createdBy: ctx.actor.userId, owningCountyCode: null },
    accounts,
    now,
    events,
  );
  await enqueue(
    trx,
    ...events,
    newEvent(
      'report.changed',
      {
        id,
        number: '',
        status: 'draft',
        version: 1,
        createdBy: ctx.actor.userId,
        fromEpisodeId: episode.episodeId,
      },
      deps.clock,
    ),
  );
  await appendAudit(
    trx,
    auditEntry(ctx, {
      action: 'report.open_from_episode',
      objectType: 'report',
      objectId: id,
      result: 'success',
      details: { episodeId: episode.episodeId, accounts: accounts.length, contacts: d.contacts.length },
    }),
  );
  return { id, number, isNew: true };
}
