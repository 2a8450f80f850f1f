import type { SignalBatchKind } from '@fanzha/contracts';
import type { IndicatorSnapshot, ScreeningHit } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * What screening reads of the indicators module (wired in `app.ts`/`start.ts`): pages of every indicator
 * to build a worker's matcher at start, and the current snapshots of candidate hits to confirm them.
 */
export interface IndicatorReader {
  /** Indicators with id > `afterId`, by id, at most `limit`; fewer than `limit` means the end. */
  loadPage(afterId: number, limit: number): Promise<readonly IndicatorSnapshot[]>;
  /** The current snapshots of these ids (a missing id: no such indicator). */
  getMany(ids: readonly number[]): Promise<readonly IndicatorSnapshot[]>;
}

/**
 * Where hits go (the warnings module): called inside the transaction that acknowledges a signal batch, so
 * a batch's hits are committed exactly when it is acknowledged. Redeliveries carry the same
 * (source, signalId), which the warnings module's unique key turns into no second warning.
 */
export interface WarningsSink {
  recordHits(trx: Transaction<DB>, hits: readonly ScreeningHit[]): Promise<void>;
}

/** Until the warnings module is wired: a hit cannot be kept, so the batch is not acknowledged. */
export const unwiredWarnings: WarningsSink = {
  recordHits: async () => {
    throw new Error('screening: no warnings module wired to record hits (see app.ts)');
  },
};

/** Until the indicators module is wired: no indicator, so operators' and banks' signals hit nothing. */
export const noIndicators: IndicatorReader = {
  loadPage: async () => [],
  getMany: async () => [],
};

/** Puts a batch accepted over HTTP into the signals stream (NATS) for the workers. */
export interface SignalPublisher {
  /** Publishes one batch on its kind's subject and waits until the stream has it. */
  publish(kind: SignalBatchKind, batch: unknown): Promise<void>;
  close(): Promise<void>;
}
