import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import type { HashAlgorithm } from '../../platform/crypto/suites';
import { sealAudit } from './audit.repository';

/** Seals new audit entries into the hash chain every `everyMs` (worker and all roles). */
export function createAuditSealer(opts: {
  db: Kysely<DB>;
  log: Logger;
  everyMs: number;
  /** The chain's hash for what this process seals (FANZHA_CRYPTO); each entry records its own. */
  hashAlgorithm?: HashAlgorithm;
}) {
  let periodic: Periodic | undefined;
  const round = async () => {
    while ((await sealAudit(opts.db, 500, opts.hashAlgorithm)) > 0);
  };
  return {
    flush: round,
    start() {
      periodic = runEvery(round, { log: opts.log, everyMs: opts.everyMs, what: 'audit sealing' });
    },
    async stop() {
      await periodic?.stop();
    },
  };
}
