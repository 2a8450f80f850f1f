import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccountUseColumn, DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export interface TransferWrite {
  from_key: string;
  to_key: string;
  amount_fen: number;
  at: Date;
  report_id: string;
  source_kind: 'report' | 'bank_answer';
  source_id: string;
}

export interface AccountWrite {
  key: string;
  bank_code: string | null;
  number: string | null;
  account_use: AccountUseColumn | null;
}

export type AccountRow = AccountWrite;

export interface TransferRow {
  id: number;
  from_key: string;
  to_key: string;
  amount_fen: number;
  at: Date;
  report_id: string;
}

/** Rows per insert statement (seven bound parameters each for transfers). */
const CHUNK = 2_000;

export const moneyGraphRepository = {
  /**
   * Records the transfers not recorded yet (once per from, to, amount, time and report); returns those that
   * were new. The same transfer named for two reports is two rows: each victim's trail keeps it.
   */
  async insertTransfers(trx: Transaction<DB>, rows: TransferWrite[], now: Date): Promise<TransferRow[]> {
    const fresh: TransferRow[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      if (chunk.length === 0) continue;
      fresh.push(
        ...(await trx
          .insertInto('money_transfer')
          .values(chunk.map((r) => ({ ...r, recorded_at: now })))
          .onConflict((oc) => oc.columns(['from_key', 'to_key', 'amount_fen', 'at', 'report_id']).doNothing())
          .returning(['id', 'from_key', 'to_key', 'amount_fen', 'at', 'report_id'])
          .execute()),
      );
    }
    return fresh;
  },

  /**
   * Adds the accounts not known yet and records a use a bank gave (a later answer's word replaces an earlier
   * one; no word changes nothing). Returns the accounts whose use was set or changed.
   */
  async upsertAccounts(trx: Transaction<DB>, rows: AccountWrite[], now: Date): Promise<AccountRow[]> {
    const byKey = new Map<string, AccountWrite>();
    for (const r of rows) {
      const had = byKey.get(r.key);
      byKey.set(r.key, had && r.account_use === null ? had : r);
    }
    const sorted = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const changed: AccountRow[] = [];
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const chunk = sorted.slice(i, i + CHUNK);
      if (chunk.length === 0) continue;
      changed.push(
        ...(await trx
          .insertInto('money_account')
          .values(chunk.map((r) => ({ ...r, first_seen_at: now, updated_at: now })))
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({
                account_use: sql`excluded.account_use`,
                updated_at: sql`excluded.updated_at`,
              })
              .where(
                sql<boolean>`excluded.account_use is not null and excluded.account_use is distinct from money_account.account_use`,
              ),
          )
          .returning(['key', 'bank_code', 'number', 'account_use'])
          .execute()
          .then((rs) => rs.filter((r) => r.account_use !== null))),
      );
    }
    return changed;
  },

  /**
   * Makes the given reports' victim → first-layer transfers (source `report`) exactly `current`: the rows the
   * reports no longer name (an edited payment's old account, amount or time) are deleted and returned. Two
   * statements whatever the number of reports; the banks' answers' rows are not touched.
   */
  async removeStaleReportTransfers(
    trx: Transaction<DB>,
    reportIds: readonly string[],
    current: readonly TransferWrite[],
  ): Promise<TransferRow[]> {
    if (reportIds.length === 0) return [];
    const rowKey = (r: {
      from_key: string;
      to_key: string;
      amount_fen: number;
      at: Date;
      report_id: string;
    }) => `${r.report_id}|${r.from_key}|${r.to_key}|${r.amount_fen}|${r.at.getTime()}`;
    const keep = new Set(current.filter((t) => t.source_kind === 'report').map(rowKey));
    const rows = await trx
      .selectFrom('money_transfer')
      .select(['id', 'from_key', 'to_key', 'amount_fen', 'at', 'report_id'])
      .where('report_id', 'in', [...reportIds])
      .where('source_kind', '=', 'report')
      .orderBy('id')
      .forUpdate()
      .execute();
    const stale = rows.filter((r) => !keep.has(rowKey({ ...r, amount_fen: Number(r.amount_fen) })));
    if (stale.length === 0) return [];
    await trx
      .deleteFrom('money_transfer')
      .where(
        'id',
        'in',
        stale.map((r) => r.id),
      )
      .execute();
    return stale;
  },

  /** One page of every transfer in id order, after `afterId`: what a live graph is built from. */
  pageTransfers(db: Db, afterId: number, limit: number): Promise<TransferRow[]> {
    return db
      .selectFrom('money_transfer')
      .select(['id', 'from_key', 'to_key', 'amount_fen', 'at', 'report_id'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** One page of the accounts whose use a bank gave, in key order after `afterKey`. */
  pageAccountUses(
    db: Db,
    afterKey: string,
    limit: number,
  ): Promise<Array<{ key: string; account_use: AccountUseColumn }>> {
    return db
      .selectFrom('money_account')
      .select(['key', 'account_use'])
      .where('account_use', 'is not', null)
      .where('key', '>', afterKey)
      .orderBy('key')
      .limit(limit)
      .execute() as Promise<Array<{ key: string; account_use: AccountUseColumn }>>;
  },

  accountsByKeys(db: Db, keys: readonly string[]): Promise<AccountRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('money_account')
      .select(['key', 'bank_code', 'number', 'account_use'])
      .where('key', 'in', [...keys])
      .execute();
  },

  /** A report's recorded transfers (the record, for tests and the cluster's accounts). */
  transfersOfReport(db: Db, reportId: string): Promise<TransferRow[]> {
    return db
      .selectFrom('money_transfer')
      .select(['id', 'from_key', 'to_key', 'amount_fen', 'at', 'report_id'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
  },

  async counts(db: Db): Promise<{ accounts: number; transfers: number }> {
    const r = await sql<{ accounts: number; transfers: number }>`
      select (select count(*) from money_account)::int8 as accounts,
             (select count(*) from money_transfer)::int8 as transfers`.execute(db);
    return r.rows[0] ?? { accounts: 0, transfers: 0 };
  },
};
