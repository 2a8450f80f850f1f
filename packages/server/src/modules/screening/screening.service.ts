import type { DeadLetterList } from '@fanzha/contracts';
import type { Clock, ScreeningHit } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics/metrics';
import { appendAudit, auditEntry, type AuditContext, type AuditRecord } from '../audit/index';
import type { IndicatorReader, SignalPublisher, WarningsSink } from './screening.deps';
import { Matcher } from './screening.matcher';
import type { SignalBatchResponse } from '@fanzha/contracts';
import { excerptOf, parseBatch, type DeadLetter, type ParsedBatch } from './screening.parse';
import { batchHashOf, insertDeadLetters, listDeadLetters, type Via } from './screening.repository';

/**
 * Dead letters kept per batch: a batch of 5,000 garbage signals must not write 5,000 rows. The rest are
 * counted (metric) and named in the last kept one.
 */
export const DEAD_LETTERS_PER_BATCH = 20;

/** The audit action of a batch sent over HTTP, by its kind: the route's own action. */
export const sendActionOf = (kind: unknown): string =>
  kind === 'bank'
    ? 'bank-signals.send'
    : kind === 'upstream'
      ? 'upstream-signals.send'
      : 'operator-signals.send';

export interface ScreenOutcome {
  readonly batch: ParsedBatch;
  readonly hits: readonly ScreeningHit[];
}

export type ScreeningService = ReturnType<typeof createScreeningService>;

export function createScreeningService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  indicators: IndicatorReader;
  warnings: WarningsSink;
  metrics: Metrics;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  /**
   * Where a batch accepted over HTTP goes: with NATS, into the signals stream for the workers (the API
   * process has no matcher); without (the embedded default), screened here at once.
   */
  publisher?: SignalPublisher | undefined;
}) {
  const { db, clock, metrics } = deps;
  const matcher = new Matcher();
  const screened = metrics.counter({
    name: 'fanzha_signals_screened_total',
    help: 'Signals read and screened, by batch kind',
    labelNames: ['kind'],
  });
  const deadLettered = metrics.counter({
    name: 'fanzha_signals_dead_lettered_total',
    help: 'Signals (or whole batches, kind "unreadable") refused as malformed and skipped, by kind and transport',
    labelNames: ['kind', 'via'],
  });
  const hitCount = metrics.counter({
    name: 'fanzha_screening_hits_total',
    help: 'Screened signals that hit an active indicator (or upstream warnings), handed to the warnings module',
    labelNames: ['kind'],
  });
  metrics.gauge({
    name: 'fanzha_screening_indicators',
    help: "Active indicators in this process's matcher",
    collect() {
      this.set(matcher.size);
    },
  });

  function bounded(dead: readonly DeadLetter[]): DeadLetter[] {
    if (dead.length <= DEAD_LETTERS_PER_BATCH) return [...dead];
    const kept = dead.slice(0, DEAD_LETTERS_PER_BATCH);
    const last = kept[kept.length - 1]!;
    kept[kept.length - 1] = {
      ...last,
      problems: [
        ...last.problems,
        {
          field: 'signals',
          reason: 'more_refused',
          message: `${dead.length - DEAD_LETTERS_PER_BATCH} more signals of this batch were refused and not kept`,
        },
      ],
    };
    return kept;
  }

  /**
   * Screens one batch and commits what it found: its dead letters and its hits (through the warnings
   * module) in one transaction. The caller acknowledges the batch only once this returns; if it throws,
   * nothing was kept and the batch must come again (a redelivery warns once: (source, signalId) is the
   * warnings module's unique key).
   */
  async function screen(
    raw: unknown,
    via: Via,
    /** Written in the same transaction: the audit entry of a batch a bank sent over HTTP. */
    audit?: (outcome: ScreenOutcome, batchHash: string) => AuditRecord,
  ): Promise<ScreenOutcome> {
    const batch = parseBatch(raw, clock.now());
    const hits =
      batch.items.length > 0 && batch.source
        ? await matcher.screen(batch.items, batch.source, deps.indicators)
        : [];
    const dead = bounded(batch.dead);
    if (dead.length > 0 || hits.length > 0 || audit) {
      // Hashed once, and only when a dead letter or the audit names the batch (up to 4 MiB of it).
      let hash: string | undefined;
      const batchHash = () => (hash ??= batchHashOf(raw));
      await db.transaction().execute(async (trx) => {
        if (dead.length > 0) await insertDeadLetters(trx, clock.now(), via, batchHash(), dead);
        if (hits.length > 0) await deps.warnings.recordHits(trx, hits);
        if (audit) await appendAudit(trx, audit({ batch, hits }, batchHash()));
      });
    }
    const kind = batch.kind ?? 'unreadable';
    if (batch.items.length > 0) screened.inc({ kind }, batch.items.length);
    if (batch.dead.length > 0) {
      deadLettered.inc({ kind, via }, batch.dead.length);
      deps.log.warn(
        {
          via,
          kind,
          source: batch.source,
          deadLetters: batch.dead.length,
          first: batch.dead[0]!.problems[0],
        },
        'signals dead-lettered: malformed, skipped',
      );
    }
    if (hits.length > 0) hitCount.inc({ kind }, hits.length);
    return { batch, hits };
  }

  /** A batch whose screening failed at its last delivery: kept whole, so it does not vanish unseen. */
  async function deadLetterBatch(raw: string, via: Via, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.slice(0, 200) : 'screening failed';
    await insertDeadLetters(db, clock.now(), via, batchHashOf(raw), [
      {
        kind: null,
        source: null,
        signalId: null,
        position: null,
        problems: [{ field: 'batch', reason: 'screening_failed', message }],
        excerpt: excerptOf(raw),
      },
    ]);
    deadLettered.inc({ kind: 'unreadable', via });
  }

  /**
   * A batch sent over HTTP (its envelope already checked by the route): each signal answered on its own.
   * Without NATS the batch is screened and its hits committed before the answer (`hits` counts them); with
   * NATS its good signals are in the signals stream when the answer says accepted, and a worker screens
   * them (`hits` is null).
   */
  async function accept(ctx: AuditContext, envelope: Record<string, unknown>): Promise<SignalBatchResponse> {
    const respond = (batch: ParsedBatch, hits: number | null): SignalBatchResponse => {
      const accepted = batch.results.filter((r) => r.status === 'accepted').length;
      return { accepted, refused: batch.results.length - accepted, hits, results: [...batch.results] };
    };
    // One entry per batch, not per signal: who sent how many, and what became of them.
    const audited = (batch: ParsedBatch, hits: number | null, batchHash: string) => {
      const { accepted, refused } = respond(batch, hits);
      return auditEntry(ctx, {
        action: sendActionOf(envelope.kind),
        objectType: 'signal_batch',
        objectId: batchHash,
        result: 'success',
        details: { source: batch.source, accepted, refused, hits },
      });
    };
    if (!deps.publisher) {
      const { batch, hits } = await screen(envelope, 'http', (o, hash) =>
        audited(o.batch, o.hits.length, hash),
      );
      return respond(batch, hits.length);
    }
    const batch = parseBatch(envelope, clock.now());
    const signals = envelope.signals as unknown[];
    const good = batch.results.flatMap((r, i) => (r.status === 'accepted' ? [signals[i]] : []));
    if (good.length > 0 && batch.kind)
      await deps.publisher.publish(batch.kind, { ...envelope, signals: good });
    const dead = bounded(batch.dead);
    const batchHash = batchHashOf(envelope);
    await db.transaction().execute(async (trx) => {
      await insertDeadLetters(trx, clock.now(), 'http', batchHash, dead);
      await appendAudit(trx, audited(batch, null, batchHash));
    });
    if (dead.length > 0)
      deadLettered.inc({ kind: batch.kind ?? 'unreadable', via: 'http' }, batch.dead.length);
    return respond(batch, null);
  }

  return {
    matcher,
    /** What the matcher reads of the registry (an import's new indicators, by id). */
    indicators: deps.indicators,
    screen,
    accept,
    deadLetterBatch,
    loadMatcher: () => matcher.load(deps.indicators),
    listDeadLetters: (opts: { before: number | undefined; limit: number }): Promise<DeadLetterList> =>
      listDeadLetters(db, opts),
  };
}
