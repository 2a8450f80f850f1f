import type { AuditEntryView } from '@fanzha/contracts';

export interface AuditFilters {
  action?: string;
  username?: string;
}

export interface AuditPageQuery extends AuditFilters {
  limit: number;
  beforeSeq?: number;
}

/** The query of `GET /api/audit`; blank filters are left out rather than sent empty. */
export function auditQuery(query: AuditPageQuery): AuditPageQuery {
  const action = query.action?.trim();
  const username = query.username?.trim();
  return {
    limit: query.limit,
    ...(query.beforeSeq === undefined ? {} : { beforeSeq: query.beforeSeq }),
    ...(action ? { action } : {}),
    ...(username ? { username } : {}),
  };
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
