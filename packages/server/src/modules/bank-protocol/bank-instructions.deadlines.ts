import { instructionDeadlineAt, type InstructionDeadlineFacts } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { stopDeadlineFacts, type StopDeadlineFacts } from '../case';
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
  const stopIds = [...new Set(on.stopPaymentIds ?? [])];
  // The instructions are this module's; what their deadlines rest on is the case's (stops, freezes, decisions).
  await repo.lockStopDeadlines(trx, stopIds);
  const instructions = await repo.deadlinesOfStops(trx, stopIds);
  const stops = await stopDeadlineFacts(trx, stopIds);
  for (const i of instructions) {
    const stop = i.stop_payment_id === null ? undefined : stops.get(i.stop_payment_id);
    const facts = stop && caseFacts(i, stop);
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

type StopInstruction = Awaited<ReturnType<typeof repo.deadlinesOfStops>>[number];

/**
 * A case's instruction's deadline facts: an emergency stop's clock and freezes, a freeze's or renewal's freeze,
 * a return's due time. Undefined for a freeze, renewal or decision not found among its stop's (left as it is).
 */
function caseFacts(i: StopInstruction, stop: StopDeadlineFacts): InstructionDeadlineFacts | undefined {
  switch (i.kind) {
    case 'emergency_stop_payment':
      return {
        kind: i.kind,
        status: i.status,
        stop: { expiresAt: stop.expiresAt, lapsedAt: stop.lapsedAt, renewedAt: stop.renewedAt },
        freezes: stop.freezes.map((f) => f.status),
      };
    case 'freeze':
    case 'freeze_renewal': {
      const freeze = stop.freezes.find((f) =>
        i.kind === 'freeze' ? f.id === i.id : f.renewalInstructionIds.includes(i.id),
      );
      return (
        freeze && { kind: i.kind, status: i.status, freeze: { status: freeze.status, endsAt: freeze.endsAt } }
      );
    }
    case 'return': {
      const dueAt = stop.decisionsDue.get(i.id);
      return dueAt === undefined ? undefined : { kind: i.kind, status: i.status, dueAt };
    }
    case 'release':
    case 'stop_lapsed':
      return { kind: i.kind, status: i.status };
    case 'protective_hold':
    case 'protective_hold_release':
      return undefined; // an episode's, never a stop's
  }
}
