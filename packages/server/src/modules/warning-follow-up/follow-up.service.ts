import type { FollowUpFigures, WarningEffectiveness } from '@fanzha/contracts';
import { channelStrength, FIRST_CONTACT_TARGET_S, followUpShares, shareOf } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { followUpQueries } from './follow-up.repository';

interface CheckCounts {
  closed: number;
  not_fraud: number;
  checked7: number;
  defrauded7: number;
  checked30: number;
  defrauded30: number;
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function figuresOf(c: CheckCounts): FollowUpFigures {
  const shares = followUpShares({ ...c, notFraud: c.not_fraud });
  return {
    closed: c.closed,
    checked7: c.checked7,
    defrauded7: c.defrauded7,
    defrauded7Share: shares.defrauded7Share,
    checked30: c.checked30,
    defrauded30: c.defrauded30,
    defrauded30Share: shares.defrauded30Share,
  };
}

/** Did the warnings work, over [from, to): four index range reads of the follow-up table. */
export async function warningEffectiveness(
  db: Kysely<DB>,
  from: Date,
  to: Date,
): Promise<WarningEffectiveness> {
  const q = followUpQueries(db, from, to, FIRST_CONTACT_TARGET_S);
  const [opened, closed, byChannel, bySource] = await Promise.all([
    q.opened.executeTakeFirstOrThrow(),
    q.closed.executeTakeFirstOrThrow(),
    q.byChannel.execute(),
    q.bySource.execute(),
  ]);
  const rank = (channel: string) => channelStrength.indexOf(channel as (typeof channelStrength)[number]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    opened: {
      episodes: opened.episodes,
      warnings: opened.warnings,
      contacts: channelStrength.map((channel) => ({ channel, count: opened[channel] })),
      visits: opened.visits,
      holds: opened.holds,
      firstContact: {
        reached: opened.reached,
        medianS: round1(opened.p50),
        p90S: round1(opened.p90),
        withinTarget: opened.within,
        withinTargetShare: shareOf(opened.within, opened.reached),
        targetS: FIRST_CONTACT_TARGET_S,
      },
    },
    closed: {
      ...figuresOf(closed),
      persuaded: closed.persuaded,
      persuadedShare: shareOf(closed.persuaded, closed.closed),
      notFraud: closed.not_fraud,
    },
    byChannel: byChannel
      .filter((r) => rank(r.channel!) >= 0)
      .sort((a, b) => rank(a.channel!) - rank(b.channel!))
      .map((r) => ({ channel: r.channel as (typeof channelStrength)[number], ...figuresOf(r) })),
    bySource: bySource
      .sort((a, b) => b.closed - a.closed || a.source.localeCompare(b.source))
      .map((r) => ({
        source: r.source,
        ...figuresOf(r),
        notFraud: r.not_fraud,
        precision: followUpShares({ ...r, notFraud: r.not_fraud }).precision,
      })),
  };
}
