import { createHash } from 'node:crypto';
import type { DeadLetterView } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { storableText, type DeadLetter } from './screening.parse';

export type Via = 'nats' | 'http' | 'in_process';

/** The hash of a batch as received: its dead letters' key, with each one's place in it. */
export const batchHashOf = (raw: unknown): string =>
  createHash('sha256')
    .update(typeof raw === 'string' ? raw : JSON.stringify(raw))
    .digest('base64url');

/** Keeps dead letters; one already kept from the same batch (a redelivery, a resend) is not kept twice. */
export async function insertDeadLetters(
  db: Kysely<DB>,
  at: Date,
  via: Via,
  batchHash: string,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insertInto('signal_dead_letter')
    .values(
      letters.map((l) => ({
        received_at: at,
        via,
        signal_id: l.signalId,
        // Problems quote what was received (a parser's message, a field name): stored clean.
        problems: JSON.stringify(
          l.problems.map((p) => ({
            field: storableText(p.field).slice(0, 200),
            reason: storableText(p.reason).slice(0, 64),
            message: storableText(p.message).slice(0, 500),
          })),
        ),
        source: l.source === null ? null : storableText(l.source),
        kind: l.kind === null ? null : storableText(l.kind),
        excerpt: l.excerpt,
        dedupe_key: `${batchHash}:${l.position ?? 'batch'}`,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export async function listDeadLetters(
  db: Kysely<DB>,
  opts: { before: number | undefined; limit: number },
): Promise<{ deadLetters: DeadLetterView[]; total: number }> {
  let q = db.selectFrom('signal_dead_letter').selectAll().orderBy('id', 'desc').limit(opts.limit);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  const [rows, total] = await Promise.all([
    q.execute(),
    db
      .selectFrom('signal_dead_letter')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    deadLetters: rows.map((r) => ({
      id: String(r.id),
      receivedAt: r.received_at.toISOString(),
      via: r.via,
      kind: r.kind,
      source: r.source,
      signalId: r.signal_id,
      problems: r.problems,
      excerpt: r.excerpt,
    })),
  };
}

/** Drops dead letters received before `before`; the number dropped. */
export async function pruneDeadLetters(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db.deleteFrom('signal_dead_letter').where('received_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
