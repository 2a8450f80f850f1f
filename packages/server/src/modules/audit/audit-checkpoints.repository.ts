import type { Kysely, Selectable } from 'kysely';
import type { AuditCheckpointTable, DB } from '../../db/schema';
import { tryAdvisoryXactLock } from '../../db/advisory-lock';
import type { Signer } from '../../platform/crypto/signer';
import {
  checkpointPayload,
  checkpointSignatureProblem,
  type AuditCheckpoint,
  type CheckpointKey,
} from './audit-checkpoint';

const CHECKPOINT_LOCK = 7_340_002;

const checkpointColumns = [
  'seq',
  'entry_id',
  'head_hash',
  'entry_count',
  'at',
  'algorithm',
  'key_id',
  'signature',
] as const;

function viewOf(r: Selectable<AuditCheckpointTable>): AuditCheckpoint {
  return {
    seq: r.seq,
    entryId: r.entry_id,
    headHash: r.head_hash,
    entryCount: r.entry_count,
    at: r.at.toISOString(),
    algorithm: r.algorithm,
    keyId: r.key_id,
    signature: r.signature,
  };
}

export interface CheckpointPolicy {
  now: Date;
  /** Sign when the last checkpoint is at least this old (and the chain has grown since). */
  everyMinutes: number;
  /** …or when at least this many entries were sealed since the last checkpoint. */
  everyEntries: number;
  /** Sign the current head whatever the policy says (still only once per position). */
  force?: boolean;
}

/**
 * Signs the chain's head when a checkpoint is due. One process at a time (advisory lock); and since a
 * checkpoint is keyed by the position it signs, a second process signing the same head writes nothing.
 * Returns the checkpoint written, or null.
 */
export async function checkpointAudit(
  db: Kysely<DB>,
  signer: Signer,
  policy: CheckpointPolicy,
): Promise<AuditCheckpoint | null> {
  return db.transaction().execute(async (trx) => {
    if (!(await tryAdvisoryXactLock(trx, CHECKPOINT_LOCK))) return null;
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
    if (!head || head.seq === 0) return null;
    const last = await trx
      .selectFrom('audit_checkpoint')
      .select(['seq', 'at'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && last.seq >= head.seq) return null;
    const isDue =
      policy.force === true ||
      !last ||
      policy.now.getTime() - last.at.getTime() >= policy.everyMinutes * 60_000 ||
      head.seq - last.seq >= policy.everyEntries;
    if (!isDue) return null;
    const entry = await trx
      .selectFrom('audit_entry')
      .select(['id', 'hash'])
      .where('seq', '=', head.seq)
      .executeTakeFirst();
    // The head and its entry disagree: the trail is already broken, and signing it would vouch for that.
    if (!entry || entry.hash !== head.hash)
      throw new Error(`the audit chain's head (entry ${head.seq}) does not match its entry: not signed`);
    const unsigned = {
      seq: head.seq,
      entryId: entry.id,
      headHash: head.hash,
      entryCount: head.seq,
      at: policy.now.toISOString(),
      algorithm: signer.algorithm,
      keyId: signer.keyId,
    };
    const checkpoint: AuditCheckpoint = { ...unsigned, signature: signer.sign(checkpointPayload(unsigned)) };
    await trx
      .insertInto('audit_checkpoint_key')
      .values({
        key_id: signer.keyId,
        algorithm: signer.algorithm,
        public_key_pem: signer.publicKeyPem,
        first_used_at: policy.now,
      })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
    const written = await trx
      .insertInto('audit_checkpoint')
      .values({
        seq: checkpoint.seq,
        entry_id: checkpoint.entryId,
        head_hash: checkpoint.headHash,
        entry_count: checkpoint.entryCount,
        at: policy.now,
        algorithm: checkpoint.algorithm,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .onConflict((oc) => oc.column('seq').doNothing())
      .returning('seq')
      .executeTakeFirst();
    return written ? checkpoint : null;
  });
}

/** Checkpoints in chain order, after a position: the export's and the API's pages. */
export async function listCheckpoints(
  db: Kysely<DB>,
  q: { afterSeq?: number | undefined; limit: number },
): Promise<AuditCheckpoint[]> {
  let query = db.selectFrom('audit_checkpoint').select(checkpointColumns);
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq);
  const rows = await query.orderBy('seq').limit(q.limit).execute();
  return rows.map(viewOf);
}

export async function listCheckpointKeys(db: Kysely<DB>): Promise<CheckpointKey[]> {
  const rows = await db
    .selectFrom('audit_checkpoint_key')
    .select(['key_id', 'algorithm', 'public_key_pem'])
    .orderBy('first_used_at')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => ({ keyId: r.key_id, algorithm: r.algorithm, publicKeyPem: r.public_key_pem }));
}

export interface CheckpointVerification {
  /** Every checkpoint signed by a trusted key and reached by the live trail. */
  isIntact: boolean;
  checked: number;
  /** The checkpoints that fail, with why (at most 100 named). */
  problems: Array<{ seq: number; problem: string }>;
}

/**
 * Checks checkpoints kept outside the database against the live trail, with read access only: each
 * signature with the trusted keys, and the trail's entry at each signed position still being the signed one.
 */
export async function verifyCheckpoints(
  db: Kysely<DB>,
  checkpoints: readonly AuditCheckpoint[],
  trustedKeys: readonly CheckpointKey[],
  pageSize = 1000,
): Promise<CheckpointVerification> {
  const keys = new Map(trustedKeys.map((k) => [k.keyId, k]));
  const problems: CheckpointVerification['problems'] = [];
  const note = (seq: number, problem: string) => {
    if (problems.length < 100) problems.push({ seq, problem });
  };
  let failed = 0;
  for (let i = 0; i < checkpoints.length; i += pageSize) {
    const page = checkpoints.slice(i, i + pageSize);
    const rows = await db
      .selectFrom('audit_entry')
      .select(['id', 'seq', 'hash'])
      .where(
        'seq',
        'in',
        page.map((c) => c.seq),
      )
      .execute();
    const live = new Map(rows.map((r) => [r.seq!, r]));
    for (const c of page) {
      const problem =
        checkpointSignatureProblem(c, keys) ??
        (() => {
          const entry = live.get(c.seq);
          if (!entry) return `the trail no longer has entry ${c.seq} (entries removed)`;
          if (entry.hash !== c.headHash)
            return `the trail at entry ${c.seq} no longer matches the signed head (rewritten)`;
          if (entry.id !== c.entryId) return `entry ${c.seq} is another row than the one signed (rewritten)`;
          return null;
        })();
      if (problem) {
        failed += 1;
        note(c.seq, problem);
      }
    }
  }
  return { isIntact: failed === 0, checked: checkpoints.length, problems };
}
