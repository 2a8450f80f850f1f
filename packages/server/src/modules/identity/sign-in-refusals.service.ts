import { burstEndedBefore, isBurstOpen, type Clock } from '@fanzha/domain';
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

/** A refused sign-in step, with the audit entry it would have written alone. */
export interface Refusal extends RefusalKey {
  entry: AuditRecord & { result: 'failure' | 'denied' };
}

/** The entry that closes a burst of more than one refusal: how many, from when to when. */
function closingEntry(b: RefusalBurst): AuditRecord {
  return {
    at: b.lastAt,
    userId: b.userId,
    username: b.userId ? b.username : null,
    role: b.role,
    action: b.action,
    objectType: b.userId ? 'user' : null,
    objectId: b.userId,
    result: b.result,
    requestId: null,
    clientAddress: b.clientAddress,
    details: {
      ...(b.username ? { username: b.username } : {}),
      reason: b.reason,
      count: b.count,
      firstAt: b.firstAt.toISOString(),
      lastAt: b.lastAt.toISOString(),
    },
  };
}

/**
 * Audits refused sign-ins by bursts (`refusalBursts` in the domain): the first refusal of a kind is an
 * entry at once, the next ones in the burst only a count, and the burst's total one more entry when it
 * ends — when the next refusal of its kind finds it ended, or when `closeEndedBursts` runs (the worker,
 * every few seconds). Entries are only ever appended, so the chain stays verifiable; the counting row is
 * identity's own and is deleted in the transaction that writes its closing entry.
 */
export function createSignInRefusals(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db } = deps;
  return {
    async refuse(r: Refusal): Promise<void> {
      const key = { action: r.action, username: r.username, address: r.address, reason: r.reason };
      const at = r.entry.at;
      await db.transaction().execute(async (trx) => {
        const current = await lockBurst(trx, key);
        if (current && isBurstOpen(current, at)) {
          await addToBurst(trx, key, at, r.entry.clientAddress ?? null);
          return;
        }
        const count = await beginBurst(
          trx,
          {
            ...key,
            result: r.entry.result,
            userId: r.entry.userId ?? null,
            role: r.entry.role ?? null,
            clientAddress: r.entry.clientAddress ?? null,
            firstAt: at,
            lastAt: at,
          },
          current !== undefined,
        );
        const entries: AuditRecord[] = [];
        if (current && current.count > 1) entries.push(closingEntry(current));
        if (count === 1) entries.push(r.entry);
        await appendAudit(trx, ...entries);
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
