import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Signer } from '../../platform/crypto/signer';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { checkpointAudit } from './audit-checkpoints.repository';

/**
 * Looks every `everyMs` whether a signed checkpoint of the audit chain is due (worker and all roles): when
 * the last is `everyMinutes` old or `everyEntries` behind the head. Several workers may run it; the lock and
 * the checkpoint's key (its position) keep one checkpoint per position.
 */
export function createAuditCheckpointer(opts: {
  db: Kysely<DB>;
  signer: Signer;
  clock: Clock;
  log: Logger;
  everyMs: number;
  everyMinutes: number;
  everyEntries: number;
}) {
  let periodic: Periodic | undefined;
  const round = async () => {
    const written = await checkpointAudit(opts.db, opts.signer, {
      now: opts.clock.now(),
      everyMinutes: opts.everyMinutes,
      everyEntries: opts.everyEntries,
    });
    if (written) opts.log.info({ seq: written.seq, keyId: written.keyId }, 'audit checkpoint signed');
  };
  return {
    start() {
      periodic = runEvery(round, { log: opts.log, everyMs: opts.everyMs, what: 'audit checkpoint' });
    },
    async stop() {
      await periodic?.stop();
    },
  };
}
