import type { Clock } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import type { CountermeasureRow } from './countermeasures.repository';
import { taskOfCountermeasure, toCountermeasureView } from './countermeasures.view';

/**
 * Puts each countermeasure's change in the outbox, in the transaction that made it: `countermeasure.changed`
 * for the party's console and the centre, and its supervision task (督办).
 */
export async function emitChanged(
  trx: Transaction<DB>,
  clock: Clock,
  rows: CountermeasureRow[],
  change: string,
): Promise<void> {
  const views = rows.map(toCountermeasureView);
  await enqueue(
    trx,
    ...views.flatMap((item) => [
      newEvent('countermeasure.changed', { item, change }, clock),
      newEvent('task.reported', { task: taskOfCountermeasure(item) }, clock),
    ]),
  );
}
