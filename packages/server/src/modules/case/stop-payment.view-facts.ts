import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  DB,
  FreezeRenewalTable,
  FreezeTable,
  FundDecisionTable,
  OnwardTransferTable,
  StopPaymentTable,
} from '../../db/schema';
import { openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;

/** A freeze as a view needs it: its row, its renewals and decisions, and the names of the people in them. */
export interface FreezeFacts {
  freeze: Selectable<FreezeTable>;
  renewals: Array<Selectable<FreezeRenewalTable>>;
  decisions: Array<Selectable<FundDecisionTable>>;
  /** Usernames by user id, of everyone who decided, renewed or proposed. */
  names: Map<string, string>;
  /** Report numbers by decision id. */
  decisionReports: Map<string, string>;
}

/** What the view of one request adds to its row. */
export interface StopPaymentFacts {
  reportNumber: string;
  onward: Array<Selectable<OnwardTransferTable>>;
  /** Every freeze of the request, oldest first (the latest is the one shown). */
  freezes: FreezeFacts[];
}

interface NamedRow {
  row: Record<string, unknown>;
  names: Record<string, string | null>;
}
interface FactsRow {
  id: string;
  report_number: string | null;
  onward: Array<Record<string, unknown>> | null;
  freezes: Array<
    NamedRow & {
      renewals: NamedRow[] | null;
      decisions: Array<NamedRow & { report_number: string | null }> | null;
    }
  > | null;
}

/** A row read back from JSON as the driver reads it from its columns: the timestamps (`…_at`) as dates. */
function revived<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = k.endsWith('_at') && typeof v === 'string' ? new Date(v) : v;
  return out as T;
}

/**
 * Everything the views of `rows` add to them, in one statement whatever the number of requests, freezes,
 * renewals and decisions: the report numbers, the onward transfers of the answered, and the freezes of the
 * stopped with their renewals, decisions and people. The rows come back as the tables hold them (JSON read
 * back to dates, personal fields opened).
 */
export async function stopPaymentFacts(
  db: Db,
  rows: Array<Selectable<StopPaymentTable>>,
): Promise<Map<string, StopPaymentFacts>> {
  if (rows.length === 0) return new Map();
  const { rows: found } = await sql<FactsRow>`
    select k.id,
      (select r.number from report r where r.id = k.report_id) as report_number,
      case when k.answered then
        (select jsonb_agg(to_jsonb(o) order by o.position) from onward_transfer o where o.stop_payment_id = k.id)
      end as onward,
      case when k.stopped then (
        select jsonb_agg(jsonb_build_object(
          'row', to_jsonb(f),
          'names', jsonb_build_object(f.decided_by::text, (select u.username from app_user u where u.id = f.decided_by)),
          'renewals', (
            select jsonb_agg(jsonb_build_object(
              'row', to_jsonb(n),
              'names', jsonb_build_object(n.decided_by::text, (select u.username from app_user u where u.id = n.decided_by))
            ) order by n.seq)
            from freeze_renewal n where n.freeze_id = f.id),
          'decisions', (
            select jsonb_agg(jsonb_build_object(
              'row', to_jsonb(d),
              'names', jsonb_build_object(
                d.proposed_by::text, (select u.username from app_user u where u.id = d.proposed_by))
                || case when d.decided_by is null then '{}'::jsonb else jsonb_build_object(
                  d.decided_by::text, (select u.username from app_user u where u.id = d.decided_by)) end,
              'report_number', (select r.number from report r where r.id = d.report_id)
            ) order by d.proposed_at)
            from fund_decision d where d.freeze_id = f.id)
        ) order by f.created_at)
        from account_freeze f where f.stop_payment_id = k.id)
      end as freezes
    from unnest(
      ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.report_id)}::uuid[],
      ${rows.map((r) => Boolean(r.outcome))}::bool[], ${rows.map((r) => Boolean(r.stopped_at))}::bool[]
    ) as k(id, report_id, answered, stopped)`.execute(db);

  const onward = await openRows(
    db,
    'onward_transfer',
    found.flatMap((f) => (f.onward ?? []).map((o) => revived<Selectable<OnwardTransferTable>>(o))),
  );
  const decisions = await openRows(
    db,
    'fund_decision',
    found.flatMap((f) =>
      (f.freezes ?? []).flatMap((z) =>
        (z.decisions ?? []).map((d) => revived<Selectable<FundDecisionTable>>(d.row)),
      ),
    ),
  );
  const openedDecision = new Map(decisions.map((d) => [d.id, d]));
  const facts = new Map<string, StopPaymentFacts>();
  for (const f of found) {
    facts.set(f.id, {
      reportNumber: f.report_number ?? '',
      onward: onward.filter((o) => o.stop_payment_id === f.id),
      freezes: (f.freezes ?? []).map((z) => {
        const names = new Map<string, string>();
        const addNames = (n: NamedRow) => {
          for (const [id, name] of Object.entries(n.names)) if (name !== null) names.set(id, name);
        };
        addNames(z);
        (z.renewals ?? []).forEach(addNames);
        (z.decisions ?? []).forEach(addNames);
        return {
          freeze: revived<Selectable<FreezeTable>>(z.row),
          renewals: (z.renewals ?? []).map((n) => revived<Selectable<FreezeRenewalTable>>(n.row)),
          decisions: (z.decisions ?? []).map((d) => openedDecision.get(d.row.id as string)!),
          names,
          decisionReports: new Map(
            (z.decisions ?? []).map((d) => [d.row.id as string, d.report_number ?? ''] as const),
          ),
        };
      }),
    });
  }
  return facts;
}
