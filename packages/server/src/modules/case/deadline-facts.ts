import type { FreezeStatus } from '@fanzha/domain';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** A freeze as the deadlines of its stop's instructions need it. */
export interface FreezeDeadlineFacts {
  id: string;
  status: FreezeStatus;
  endsAt: Date;
  /** The instructions that carry its renewals to the bank. */
  renewalInstructionIds: string[];
}

/**
 * What the deadlines of one stop's instructions rest on (`instructionDeadlineAt` in the domain): the stop's
 * legal clock, its freezes with their renewals' instructions, and the due times of the decisions on them.
 */
export interface StopDeadlineFacts {
  expiresAt: Date;
  lapsedAt: Date | null;
  renewedAt: Date | null;
  /** Oldest first. */
  freezes: FreezeDeadlineFacts[];
  /** Each fund decision's due time, by its id (the id of its instruction too). */
  decisionsDue: Map<string, Date | null>;
}

interface FactsRow {
  id: string;
  expires_at: Date;
  lapsed_at: Date | null;
  renewed_at: Date | null;
  freezes: Array<{ id: string; status: FreezeStatus; ends_at: string; renewals: string[] | null }> | null;
  decisions: Array<{ id: string; due_at: string | null }> | null;
}

/**
 * The deadline facts of these stops, in one statement whatever their number, freezes and decisions: read by
 * the bank protocol, in the transaction of a change, to set each instruction's deadline. A freeze is looked up
 * through its report too, so the per-report index serves it. A stop not found is absent from the map.
 */
export async function stopDeadlineFacts(
  db: Db,
  stopPaymentIds: string[],
): Promise<Map<string, StopDeadlineFacts>> {
  const ids = [...new Set(stopPaymentIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await sql<FactsRow>`
    select s.id, s.expires_at, s.lapsed_at, s.renewed_at,
      (select jsonb_agg(jsonb_build_object(
          'id', f.id, 'status', f.status, 'ends_at', f.ends_at,
          'renewals', (select jsonb_agg(n.instruction_id) from freeze_renewal n
                       where n.freeze_id = f.id and n.instruction_id is not null)
        ) order by f.created_at)
        from account_freeze f where f.report_id = s.report_id and f.stop_payment_id = s.id) as freezes,
      (select jsonb_agg(jsonb_build_object('id', d.id, 'due_at', d.due_at))
        from account_freeze f join fund_decision d on d.freeze_id = f.id
        where f.report_id = s.report_id and f.stop_payment_id = s.id) as decisions
    from stop_payment s where s.id = any(${ids}::uuid[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        expiresAt: r.expires_at,
        lapsedAt: r.lapsed_at,
        renewedAt: r.renewed_at,
        freezes: (r.freezes ?? []).map((f) => ({
          id: f.id,
          status: f.status,
          endsAt: new Date(f.ends_at),
          renewalInstructionIds: f.renewals ?? [],
        })),
        decisionsDue: new Map(
          (r.decisions ?? []).map((d) => [d.id, d.due_at === null ? null : new Date(d.due_at)]),
        ),
      },
    ]),
  );
}
