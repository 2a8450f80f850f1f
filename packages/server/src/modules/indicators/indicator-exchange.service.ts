import { randomUUID } from 'node:crypto';
import type {
  FinishIndicatorImportRequest,
  IndicatorExportFormat,
  IndicatorImportChunk,
  IndicatorImportChunkResult,
  IndicatorImportView,
  RejectedRow,
  StartIndicatorImportRequest,
} from '@fanzha/contracts';
import {
  checkIndicatorCsvRow,
  indicatorCsvHeaderLine,
  indicatorCsvLine,
  indicatorCsvRowOf,
  parseIndicatorCsvHeader,
  type Clock,
  type IndicatorCsvHeader,
} from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  exchangeRepository as repo,
  type IndicatorImportRow,
  type StagedRow,
} from './indicator-exchange.repository';
import { indicatorStix, stixBundleId } from './indicator-stix';

type Ctx = AuditContext & { actor: Actor };

/** Indicators per page of an export. */
const EXPORT_PAGE = 5_000;

export interface ExchangeDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Tells the outbox relay that `indicator.imported` events were committed. */
  wake: () => void;
}

export function toImportView(r: IndicatorImportRow): IndicatorImportView {
  return {
    id: r.id,
    origin: r.origin,
    fileName: r.file_name,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    rowsRead: r.rows_read,
    rowsRejected: r.rows_rejected,
    indicatorsCreated: r.indicators_created,
    sourcesAdded: r.sources_added,
  };
}

/** Deadlock and serialization failure: the transaction was rolled back whole, and may simply run again. */
const RACES = new Set(['40P01', '40001']);
const RACE_TRIES = 5;

/** Runs a transaction, again if PostgreSQL broke it for a race with another one (a few times at most). */
async function againOnRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= RACE_TRIES || !RACES.has(String((err as { code?: unknown }).code))) throw err;
    }
  }
}

function headerOf(columns: readonly string[]): IndicatorCsvHeader {
  const header = parseIndicatorCsvHeader(columns);
  if (!header.ok)
    throw validationError([{ field: 'body.columns', reason: header.reason, message: header.message }]);
  return header.value;
}

/**
 * Indicator exchange: imports of exchange files (CSV, see `domain/indicators/indicator-csv.ts`), chunk by
 * chunk, each chunk merged in one transaction — new indicators and their provenance by one statement taking
 * the rows as arrays, values known before by a second one only when there are any —
 * with one `indicator.imported` event naming what it created and changed; exports as CSV or a STIX 2.1 bundle, page by page.
 */
export function createIndicatorExchange(deps: ExchangeDeps) {
  const { db } = deps;

  async function ownImport(ctx: Ctx, id: string, trx: Kysely<DB> = db): Promise<IndicatorImportRow> {
    const row = await repo.getImport(trx, id, trx !== db);
    // Another user's import is not theirs to add to: it does not exist for them.
    if (!row || row.created_by !== ctx.actor.userId) throw new AppError('not_found', 'No such import');
    if (row.finished_at) throw new AppError('conflict', 'The import is finished: start a new one');
    return row;
  }

  return {
    /** Starts an import: checks the header, records where the file comes from; audited. */
    async start(ctx: Ctx, body: StartIndicatorImportRequest): Promise<IndicatorImportView> {
      headerOf(body.columns);
      const id = randomUUID();
      const origin = (body.origin ?? body.fileName).trim() || body.fileName;
      await db.transaction().execute(async (trx) => {
        await repo.createImport(trx, {
          id,
          origin,
          file_name: body.fileName,
          note: body.note,
          columns: body.columns
            .map((c) =>
              c
                .replace(/^\uFEFF/, '')
                .trim()
                .toLowerCase(),
            )
            .join(','),
          created_by: ctx.actor.userId,
          created_at: ctx.at,
        });
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'indicator.import',
            objectType: 'indicator_import',
            objectId: id,
            result: 'success',
            details: { fileName: body.fileName, origin, columns: body.columns.join(',') },
          }),
        );
      });
      return toImportView((await repo.getImport(db, id))!);
    },

    /**
     * Loads a chunk of records: each checked and normalised (a bad one reported by its line, the others
     * loaded), the good ones merged in one transaction with one `indicator.imported` naming every
     * indicator created or changed. Sending a chunk again adds nothing.
     */
    async addChunk(ctx: Ctx, id: string, body: IndicatorImportChunk): Promise<IndicatorImportChunkResult> {
      const imp = await ownImport(ctx, id);
      const header = headerOf(imp.columns.split(','));
      const rejected: RejectedRow[] = [];
      const good: StagedRow[] = [];
      const checkedAt = deps.clock.now();
      for (const record of body.records) {
        const row = indicatorCsvRowOf(header, record.fields);
        const checked = row.ok ? checkIndicatorCsvRow(row.value, checkedAt) : row;
        if (checked.ok) good.push({ ...checked.value, line: record.line });
        else rejected.push({ line: record.line, reason: checked.reason, message: checked.message });
      }
      const now = deps.clock.now();
      // Chunks of one import merge side by side, each on its own connection: nothing here locks the import's
      // row but its counts, added last, just before the commit (which also refuses a chunk of an import
      // finished meanwhile). Two merges taking the same rows in turn lose the race at most to a deadlock: the
      // loser's transaction is rolled back whole and run again.
      const result = await againOnRace(() =>
        db.transaction().execute(async (trx) => {
          const m = { importId: id, origin: imp.origin, now };
          const fresh = await repo.mergeNew(trx, { ...m, rows: good });
          const knownLines = new Set(fresh.known);
          const known = await repo.mergeKnown(trx, {
            ...m,
            rows: good.filter((r) => knownLines.has(r.line)),
          });
          const merged = {
            created: fresh.created,
            changed: known.changed,
            added: fresh.added + known.added,
          };
          // One event for the chunk, naming what it created and changed (screening reads the new ones).
          if (merged.created.length + merged.changed.length > 0)
            await enqueue(
              trx,
              newEvent(
                'indicator.imported',
                { importId: id, created: merged.created, changed: merged.changed },
                deps.clock,
              ),
            );
          await repo.addActive(trx, merged.created.length);
          const counted = await repo.addCounts(trx, id, {
            read: body.records.length,
            rejected: rejected.length,
            created: merged.created.length,
            added: merged.added,
          });
          if (!counted) throw new AppError('conflict', 'The import is finished: start a new one');
          return merged;
        }),
      );
      const changed = result.created.length + result.changed.length;
      if (changed > 0) deps.wake();
      return {
        rowsRead: body.records.length,
        rowsRejected: rejected.length,
        indicatorsCreated: result.created.length,
        sourcesAdded: result.added,
        indicatorsChanged: changed,
        rejected,
      };
    },

    /** Ends an import with what the client could not read; audited with the import's counts. */
    async finish(ctx: Ctx, id: string, body: FinishIndicatorImportRequest): Promise<IndicatorImportView> {
      return db.transaction().execute(async (trx) => {
        await ownImport(ctx, id, trx);
        const row = await repo.finish(trx, id, body.unreadable, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'indicator.import.finish',
            objectType: 'indicator_import',
            objectId: id,
            result: 'success',
            details: {
              origin: row.origin,
              rowsRead: row.rows_read,
              rowsRejected: row.rows_rejected,
              indicatorsCreated: row.indicators_created,
              sourcesAdded: row.sources_added,
            },
          }),
        );
        return toImportView(row);
      });
    },

    /** One import as it stands (its creator's). */
    async get(ctx: Ctx, id: string): Promise<IndicatorImportView> {
      const row = await repo.getImport(db, id);
      if (!row || row.created_by !== ctx.actor.userId) throw new AppError('not_found', 'No such import');
      return toImportView(row);
    },

    /**
     * The whole registry as CSV or a STIX 2.1 bundle, page by page (a file of millions of indicators is never
     * held whole). Every status is written: shared, suspended and not-fraud ones marked as such. Audited
     * when it starts.
     */
    async export(ctx: Ctx, format: IndicatorExportFormat): Promise<AsyncGenerator<string>> {
      await appendAudit(
        db,
        auditEntry(ctx, {
          action: 'indicator.export',
          objectType: 'indicator',
          objectId: null,
          result: 'success',
          details: { format },
        }),
      );
      return (async function* () {
        yield format === 'csv'
          ? indicatorCsvHeaderLine()
          : `{"type":"bundle","id":"${stixBundleId()}","objects":[`;
        let after = 0;
        let first = true;
        for (;;) {
          const page = await repo.exportPage(db, after, EXPORT_PAGE).execute();
          if (page.length === 0) break;
          const ids = page.map((r) => Number(r.id));
          const notes = await repo.importNotes(db, ids);
          const out: string[] = [];
          for (const r of page) {
            const id = Number(r.id);
            if (format === 'csv')
              out.push(
                indicatorCsvLine({
                  kind: r.kind,
                  value: r.value,
                  risk: r.risk_level,
                  firstSeen: r.first_seen_at.toISOString(),
                  lastSeen: r.last_seen_at.toISOString(),
                  note: notes.get(id) ?? '',
                  status: r.status,
                }),
              );
            else {
              out.push((first ? '' : ',') + JSON.stringify(indicatorStix(r, notes.get(id) ?? '')));
              first = false;
            }
          }
          yield out.join('');
          after = ids.at(-1)!;
        }
        if (format === 'stix') yield ']}';
      })();
    },
  };
}

export type IndicatorExchange = ReturnType<typeof createIndicatorExchange>;
