import { instructionDeadlineAt, type FreezeStatus, type InstructionDeadlineFacts } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { bankInstructionRepository as repo } from './bank-instructions.repository';

type Trx = Transaction<DB>;

/**
 * The instructions of these stops and episodes whose deadline is no longer the one now running on them
 * (`instructionDeadlineAt`, the one rule), grouped by their new deadline (an instant, or none): one write per
 * group. Read in the caller's transaction, after its change.
 */
export async function movedDeadlines(
  trx: Trx,
  on: { stopPaymentIds?: string[]; episodeIds?: string[] },
): Promise<Array<{ deadline: Date | null; ids: string[] }>> {
  const found: Array<{ id: string; was: Date | null; facts: InstructionDeadlineFacts }> = [];
  const { instructions, freezes } = await repo.deadlineFacts(trx, [...new Set(on.stopPaymentIds ?? [])]);
  // One row per freeze and renewal: a freeze's own facts are the same on each.
  const freezeById = new Map(freezes.map((f) => [f.id, f]));
  const freezeByRenewal = new Map(freezes.flatMap((f) => (f.renewal_id ? [[f.renewal_id, f]] : [])));
  const freezesOfStop = new Map<string, FreezeStatus[]>();
  for (const f of freezeById.values())
    freezesOfStop.set(f.stop_payment_id, [...(freezesOfStop.get(f.stop_payment_id) ?? []), f.status]);
  for (const i of instructions) {
    const facts = caseFacts(i, {
      freeze: i.kind === 'freeze' ? freezeById.get(i.id) : freezeByRenewal.get(i.id),
      freezesOfStop: (i.stop_payment_id && freezesOfStop.get(i.stop_payment_id)) || [],
    });
    if (facts) found.push({ id: i.id, was: i.deadline_at, facts });
  }
  for (const episodeId of new Set(on.episodeIds ?? [])) {
    const rows = await repo.byEpisode(trx, episodeId);
    const isLifted = rows.some((r) => r.kind === 'protective_hold_release' && r.status === 'lifted');
    for (const r of rows)
      found.push({
        id: r.id,
        was: r.deadline_at,
        facts:
          r.kind === 'protective_hold'
            ? // The hold's end as signed.
              { kind: r.kind, status: r.status, endsAt: new Date(String(r.payload['endsAt'])), isLifted }
            : { kind: 'protective_hold_release', status: r.status },
      });
  }
  const moved = new Map<string, { deadline: Date | null; ids: string[] }>();
  for (const { id, was, facts } of found) {
    const deadline = instructionDeadlineAt(facts);
    if ((was?.getTime() ?? null) === (deadline?.getTime() ?? null)) continue;
    const key = deadline?.toISOString() ?? 'none';
    moved.set(key, { deadline, ids: [...(moved.get(key)?.ids ?? []), id] });
  }
  return [...moved.values()];
}

type CaseFactsRow = Awaited<ReturnType<typeof repo.deadlineFacts>>['instructions'][number];

/**
 * A case's instruction's deadline facts: an emergency stop's clock and freezes, a freeze's or renewal's freeze,
 * a return's due time. Undefined for a freeze or renewal whose freeze is not found (left as it is).
 */
function caseFacts(
  i: CaseFactsRow,
  of: { freeze: { status: FreezeStatus; ends_at: Date } | undefined; freezesOfStop: FreezeStatus[] },
): InstructionDeadlineFacts | undefined {
  switch (i.kind) {
    case 'emergency_stop_payment':
      return {
        kind: i.kind,
        status: i.status,
        stop: { expiresAt: i.expires_at, lapsedAt: i.lapsed_at, renewedAt: i.renewed_at },
        freezes: of.freezesOfStop,
      };
    case 'freeze':
    case 'freeze_renewal':
      return (
        of.freeze && {
          kind: i.kind,
          status: i.status,
          freeze: { status: of.freeze.status, endsAt: of.freeze.ends_at },
        }
      );
    case 'return':
      return { kind: i.kind, status: i.status, dueAt: i.due_at };
    case 'release':
    case 'stop_lapsed':
      return { kind: i.kind, status: i.status };
    case 'protective_hold':
    case 'protective_hold_release':
      return undefined; // an episode's, never a stop's
  }
}
