import type { CountermeasureFigures } from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { countermeasureRepository as repo } from './countermeasures.repository';

/** The figures of countermeasures: per party (the centre's console), and numbers shut (the wall's tile). */
export function createCountermeasureFigures(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  async function figures(): Promise<CountermeasureFigures> {
    const rows = await repo.figures(db);
    const parties = rows.map((r) => ({
      partyKind: r.party_kind,
      partyCode: r.party_code,
      requested: Number(r.requested),
      executed: Number(r.executed),
      refused: Number(r.refused),
      open: Number(r.open),
      overdue: Number(r.overdue),
      phonesShut: Number(r.phones_shut),
      medianExecuteMs: r.median_ms === null ? null : Math.round(Number(r.median_ms)),
    }));
    return { parties, phonesShut: parties.reduce((s, p) => s + p.phonesShut, 0) };
  }

  /** Phone blocks executed in [from, to): the wall's 关停涉诈号码. */
  const phonesShutBetween = (from: Date, to: Date) => repo.phonesShutBetween(db, from, to);

  return { figures, phonesShutBetween };
}
