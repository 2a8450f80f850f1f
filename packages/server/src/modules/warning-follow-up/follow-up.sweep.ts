import { applyFollowUp } from '@fanzha/domain';
import type { Logger } from '../../platform/logger';
import { runEvery, type Periodic } from '../../platform/every';
import { victimReportTimes } from '../reports/index';
import { episodeFollowUpReads } from '../warnings/index';
import { followUpRepository } from './follow-up.repository';
import type { FollowUpDeps } from './follow-up.record';

const BATCH = 200;

/**
 * The checks 7 and 30 days after an episode closed: the follow-ups whose next check has come are locked
 * (`skip locked`: another worker takes the next ones) through their index, their people looked up through
 * the warnings module and matched against the victims of submitted reports through the reports module (blind
 * indexes; nothing personal is stored here), and what each check found recorded with its next check, in one
 * transaction per batch. A check done is never done again; a crash before the commit leaves it due.
 */
export function createFollowUpSweep(deps: FollowUpDeps) {
  async function checkBatch(now: Date): Promise<number> {
    return deps.db.transaction().execute(async (trx) => {
      const due = await followUpRepository.lockDue(trx, now, BATCH);
      if (due.length === 0) return 0;
      const people = await episodeFollowUpReads.people(
        trx,
        due.map((d) => d.id),
      );
      const times = await victimReportTimes(
        trx,
        people.map((p) => ({ key: p.id, phone: p.phone, idNumber: p.idNumber })),
      );
      const results = due.map((d) => ({
        id: d.id,
        ...applyFollowUp(
          {
            openedAt: d.opened_at,
            check7At: d.check_7_at!,
            check30At: d.check_30_at!,
            defrauded7: d.defrauded_7,
            defrauded30: d.defrauded_30,
          },
          now,
          times.get(d.id) ?? [],
        ),
      }));
      await followUpRepository.saveChecks(trx, results, now);
      return due.length;
    });
  }

  /** One sweep at `now`: how many follow-ups were checked. */
  async function sweepOnce(now: Date = deps.clock.now()): Promise<number> {
    let checked = 0;
    for (let n = await checkBatch(now); n > 0; n = n === BATCH ? await checkBatch(now) : 0) checked += n;
    return checked;
  }
  return { sweepOnce };
}
export type FollowUpSweep = ReturnType<typeof createFollowUpSweep>;

/** Runs the sweep every `everyMs` in the worker (and in the embedded all-in-one process). */
export function startFollowUpSweep(sweep: FollowUpSweep, opts: { log: Logger; everyMs: number }): Periodic {
  return runEvery(() => sweep.sweepOnce(), { ...opts, what: 'warning follow-up sweep' });
}
