import type { AuditEntryView } from '@fanzha/contracts';

export interface AuditFilters {
  action?: string;
  username?: string;
}

export interface AuditPageQuery extends AuditFilters {
  limit: number;
  beforeSeq?: number;
}

/** The query string for `GET /api/audit`; blank filters are left out rather than sent empty. */
export function auditSearch(query: AuditPageQuery): string {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.beforeSeq !== undefined) params.set('beforeSeq', String(query.beforeSeq));
  const action = query.action?.trim();
  const username = query.username?.trim();
  if (action) params.set('action', action);
  if (username) params.set('username', username);
  return `?${params.toString()}`;
}

/**
 * The cursor for the next (older) page: the lowest sealed sequence number on this one. A short page is
 * the last; so is a page of unsealed entries only, which has nothing to continue from.
 */
export function nextBeforeSeq(entries: readonly AuditEntryView[], limit: number): number | undefined {
  if (entries.length < limit) return undefined;
  const sealed = entries.flatMap((e) => (e.seq === null ? [] : [e.seq]));
  return sealed.length === 0 ? undefined : Math.min(...sealed);
}

/** Entries not yet sealed have no sequence number; their time, request and action tell them apart. */
export function auditRowKey(entry: AuditEntryView): string {
  if (entry.seq !== null) return String(entry.seq);
  return ['unsealed', entry.at, entry.requestId ?? '', entry.action, entry.objectId ?? ''].join('|');
}

/** A UUID cut to its first block for a narrow column ("55b20048…"); the full value stays in a tooltip or copy. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? `${id.slice(0, 8)}…` : id;
}
