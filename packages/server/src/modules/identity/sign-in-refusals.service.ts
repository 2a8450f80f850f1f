import { burstEndedBefore, countUsername, isBurstOpen, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit, type AuditRecord } from '../audit/index';
import {
  addToBurst,
  beginBurst,
  lockBurst,
  takeEndedBursts,
  type RefusalBurst,
  type RefusalKey,
} from './sign-in.repository';

/** A refused sign-in step (the typed username, '' when there is none), with the entry it would write alone. */
export interface Refusal extends RefusalKey {
  username: string;
  entry: AuditRecord & { result: 'failure' | 'denied' };
}

/**
 * The entry that closes a burst of more than one refusal: how many, from when to when. A burst of one
 * username names it (and its user) as the first entry did; a burst of several lists them, each with its
 * count (`usernames`, the first 20), and `unlistedCount` the refusals under the others.
 */
function closingEntry(b: RefusalBurst): AuditRecord {
  const names = Object.keys(b.usernames);
  const single =
    b.username !== '' ? b.username : names.length === 1 && b.unlistedCount === 0 ? names[0] : undefined;
  const userId = single === undefined ? null : b.userId;
  const times = { count: b.count, firstAt: b.firstAt.toISOString(), lastAt: b.lastAt.toISOString() };
  return {
    at: b.lastAt,
    userId,
    username: userId ? (single ?? null) : null,
    role: userId ? b.role : null,
    action: b.action,
    objectType: userId ? 'user' : null,
    objectId: userId,
    result: b.result,
    requestId: null,
    clientAddress: b.clientAddress,
    details:
      single === undefined
        ? {
            reason: b.reason,
            ...times,
            usernames: b.usernames,
            ...(b.unlistedCount > 0 ? { unlistedCount: b.unlistedCount } : {}),
          }
        : { ...(single ? { username: single } : {}), reason: b.reason, ...times },
  };
}

/**
 * Audits refused sign-ins by bursts (`refusalBursts` in the domain), per client address whatever the
 * usernames: the first refusal of a kind is an entry at once, the next ones in the burst only a count
 * (per username), and the burst's total one more entry when it
 * ends — when the next refusal of its kind finds it ended, or when `closeEndedBursts` runs (the worker,
 * every few seconds). Entries are only ever appended, so the chain stays verifiable; the counting row is
 * identity's own and is deleted in the transaction that writes its closing entry.
 */
export function createSignInRefusals(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db } = deps;
  return {
    async refuse(r: Refusal): Promise<void> {
      const key = { action: r.action, address: r.address, reason: r.reason };
      const at = r.entry.at;
      const clientAddress = r.entry.clientAddress ?? null;
      await db.transaction().execute(async (trx) => {
        let current = await lockBurst(trx, key);
        if (!current || !isBurstOpen(current, at)) {
          const began = await beginBurst(
            trx,
            {
              ...key,
              result: r.entry.result,
              userId: r.entry.userId ?? null,
              role: r.entry.role ?? null,
              clientAddress,
              firstAt: at,
              lastAt: at,
              ...countUsername({ usernames: {}, unlistedCount: 0 }, r.username),
            },
            current !== undefined,
          );
          if (began) {
            const entries: AuditRecord[] = [];
            if (current && current.count > 1) entries.push(closingEntry(current));
            entries.push(r.entry);
            await appendAudit(trx, ...entries);
            return;
          }
          // A concurrent refusal of the same kind began the burst first: this one is counted in it.
          current = await lockBurst(trx, key);
          if (!current) throw new Error('a refusal burst that was just begun has gone');
        }
        await addToBurst(trx, key, at, clientAddress, countUsername(current, r.username));
      });
    },

    /** Writes the closing entry of every burst that has ended; returns how many bursts ended. */
    async closeEndedBursts(): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const ended = await takeEndedBursts(trx, burstEndedBefore(deps.clock.now()));
        await appendAudit(trx, ...ended.filter((b) => b.count > 1).map(closingEntry));
        return ended.length;
      });
    },
  };
}
export type SignInRefusals = ReturnType<typeof createSignInRefusals>;
