import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Logger } from '../../platform/logger';
import { sealAudit } from './audit.repository';

/** Seals new audit entries into the hash chain every `everyMs` (worker and all roles). */
export function createAuditSealer(opts: { db: Kysely<DB>; log: Logger; everyMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const round = async () => {
    while ((await sealAudit(opts.db)) > 0);
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
