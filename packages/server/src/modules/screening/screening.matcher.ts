import {
  IndicatorTable,
  indicatorKey,
  NOT_FOUND,
  type IndicatorSnapshot,
  type ScreeningHit,
} from '@fanzha/domain';
import type { IndicatorReader } from './screening.deps';
import type { ScreenItem } from './screening.parse';

/** Indicators read per page when a matcher is built. */
export const LOAD_PAGE = 50_000;

/** Indicators read per look-up when an import's chunk names them. */
const LEARN_PAGE = 5_000;

/**
 * A worker's in-memory matcher: the active indicators as 64-bit hashes of `kind:normal form` → id in an
 * `IndicatorTable` (no string per indicator). A lookup finds candidates; a candidate is a hit only once
 * its current snapshot, fetched from the indicators module, is active and has the signal's exact key — so
 * only hits touch the database, and a stale entry (an indicator since suspended) costs one lookup, never
 * a warning.
 */
export class Matcher {
  private table = new IndicatorTable();
  private keys: string[] = [];
  private found = new Float64Array(0);
  private loading: IndicatorSnapshot[] | undefined;

  /** Indicators in the table. */
  get size(): number {
    return this.table.size;
  }

  /** Memory held by the table. */
  get byteLength(): number {
    return this.table.byteLength;
  }

  /**
   * Builds the table from every indicator, page by page, then swaps it in; changes heard meanwhile are
   * re-read as they stand now and applied on top, so neither a change during the load nor an older page
   * wins over a newer state. Called at start and when live changes may have been missed.
   */
  async load(reader: IndicatorReader, pageSize = LOAD_PAGE): Promise<void> {
    const pending: IndicatorSnapshot[] = [];
    this.loading = pending;
    try {
      const table = new IndicatorTable();
      let after = 0;
      for (;;) {
        const page = await reader.loadPage(after, pageSize);
        for (const s of page) if (s.status === 'active') table.add(indicatorKey(s.kind, s.value), s.id);
        if (page.length < pageSize) break;
        after = page[page.length - 1]!.id;
      }
      const changed = [...new Set(pending.map((s) => s.id))];
      const current = changed.length > 0 ? await reader.getMany(changed) : [];
      const now = new Map(current.map((s) => [s.id, s]));
      for (const s of pending) {
        const latest = now.get(s.id);
        table.remove(indicatorKey(s.kind, s.value), s.id);
        if (latest?.status === 'active') table.add(indicatorKey(latest.kind, latest.value), latest.id);
      }
      this.table = table;
    } finally {
      this.loading = undefined;
    }
  }

  /** An indicator changed (`indicator.changed`): active is matched from now on, any other status no more. */
  apply(snapshot: IndicatorSnapshot): void {
    this.loading?.push(snapshot);
    const key = indicatorKey(snapshot.kind, snapshot.value);
    if (snapshot.status === 'active') this.table.add(key, snapshot.id);
    else this.table.remove(key, snapshot.id);
  }

  /**
   * Indicators named by id (an import's `indicator.imported`): read as they stand now, page by page, and each
   * applied as `apply` does — one created and still active is matched from now on.
   */
  async applyIds(ids: readonly number[], reader: IndicatorReader, pageSize = LEARN_PAGE): Promise<void> {
    for (let i = 0; i < ids.length; i += pageSize)
      for (const s of await reader.getMany(ids.slice(i, i + pageSize))) this.apply(s);
  }

  /**
   * The ids that may match each item's keys (candidates, unconfirmed): for each item, the ids found under
   * any of its keys. The whole batch's keys are looked up together (`findMany`), so probes overlap.
   */
  candidates(items: readonly ScreenItem[]): Map<ScreenItem, number[]> {
    const keys = this.keys;
    keys.length = 0;
    for (const item of items) for (const key of item.keys) keys.push(key);
    if (this.found.length < keys.length)
      this.found = new Float64Array(Math.max(keys.length, 2 * this.found.length));
    this.table.findMany(keys, this.found);
    const out = new Map<ScreenItem, number[]>();
    let k = 0;
    for (const item of items) {
      for (const key of item.keys) {
        if (this.found[k++] === NOT_FOUND) continue;
        // Two keys sharing a 64-bit hash are both kept: take every id under it.
        const ids = this.table.findAll(key, []);
        const list = out.get(item);
        if (list) list.push(...ids);
        else out.set(item, ids);
      }
    }
    return out;
  }

  /**
   * The hits among a batch: candidates confirmed against their current snapshots, plus every upstream
   * warning (a hit without an indicator). One `getMany` per batch, only when something was found.
   */
  async screen(
    items: readonly ScreenItem[],
    source: string,
    reader: IndicatorReader,
  ): Promise<ScreeningHit[]> {
    const candidates = this.candidates(items);
    const ids = new Set<number>();
    for (const list of candidates.values()) for (const id of list) ids.add(id);
    const snapshots = ids.size > 0 ? await reader.getMany([...ids]) : [];
    const byId = new Map(snapshots.map((s) => [s.id, s]));
    const hits: ScreeningHit[] = [];
    for (const item of items) {
      if (item.signalKind === 'upstream_warning') {
        hits.push(hitOf(item, source, null));
        continue;
      }
      const list = candidates.get(item);
      if (!list) continue;
      // One hit per signal: the first confirmed indicator (an app by package and by hash is one install).
      for (const id of list) {
        const s = byId.get(id);
        if (s && s.status === 'active' && item.keys.includes(indicatorKey(s.kind, s.value))) {
          hits.push(hitOf(item, source, s));
          break;
        }
      }
    }
    return hits;
  }
}

function hitOf(item: ScreenItem, source: string, indicator: IndicatorSnapshot | null): ScreeningHit {
  return {
    source,
    signalId: item.signalId,
    signalKind: item.signalKind,
    at: item.at,
    person: item.person,
    indicator,
    amountFen: item.amountFen,
    upstreamGrade: item.upstreamGrade,
  };
}
