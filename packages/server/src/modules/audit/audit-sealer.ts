import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const round = async () => {
    while ((await sealAudit(opts.db, 500, opts.hashAlgorithm)) > 0);
  };
  return {
    flush: round,
    start() {
      timer = setInterval(() => {
        running ??= round()
          .catch((err: unknown) => opts.log.error({ err }, 'audit sealing failed'))
          .finally(() => (running = undefined));
      }, opts.everyMs);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
