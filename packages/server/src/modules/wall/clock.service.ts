import type { ClockStats } from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { reportClockRow } from './clock.queries';
import { TARGET_S } from './wall.service';

const round = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(v * 10) / 10;

/**
 * Median and p90 of call answered → first account pushed / first instruction sent / first stop result,
 * and the share of reports stopped within three minutes. Aggregates only: no report is named.
 */
export async function clockStats(db: Kysely<DB>, from: Date, to: Date): Promise<ClockStats> {
  const { reports, within, stages } = await reportClockRow(db, from, to, TARGET_S);
  const of = (c: string) => ({
    reached: stages[`${c}_n`] ?? 0,
    medianS: round(stages[`${c}_p50`]),
    p90S: round(stages[`${c}_p90`]),
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    reports,
    toFirstPush: of('first_account_pushed_at'),
    toFirstInstruction: of('first_instruction_sent_at'),
    toFirstStopResult: of('first_stop_result_at'),
    withinTargetShare: reports > 0 ? Math.round((within / reports) * 1000) / 1000 : null,
    targetS: TARGET_S,
  };
}
