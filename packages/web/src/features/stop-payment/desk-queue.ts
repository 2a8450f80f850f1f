import type { StopPaymentView } from '@fanzha/contracts';

export interface DeskQueue {
  /** Waiting for the desk: most urgent first. */
  pending: StopPaymentView[];
  /** With the bank, unanswered: the longest-waiting first. */
  inFlight: StopPaymentView[];
  /** Answered, newest first. */
  answered: StopPaymentView[];
}

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : 0);

/** The desk's three sections from the lists in the cache, optionally of one bank. */
export function groupDeskQueue(
  requests: readonly StopPaymentView[],
  bank: string | null,
  answeredLimit = 30,
): DeskQueue {
  const seen = new Set<string>();
  const mine = requests.filter((r) => {
    if (seen.has(r.id)) return false;
    seen.add(r.id);
    return bank === null || r.account.bankCode === bank;
  });
  return {
    pending: mine.filter((r) => r.status === 'pending').sort((a, b) => b.urgency - a.urgency),
    inFlight: mine
      .filter((r) => r.status === 'sent' || r.status === 'acknowledged')
      .sort((a, b) => time(a.sentAt) - time(b.sentAt)),
    answered: mine
      .filter((r) => r.status === 'stopped' || r.status === 'failed')
      .sort((a, b) => time(b.result?.answeredAt) - time(a.result?.answeredAt))
      .slice(0, answeredLimit),
  };
}

/** Banks present in the queue, for the filter: code and name, by name. */
export function banksIn(requests: readonly StopPaymentView[]): { code: string; name: string }[] {
  const byCode = new Map<string, string>();
  for (const r of requests) byCode.set(r.account.bankCode, r.account.bankName ?? r.account.bankCode);
  return [...byCode]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/** The next selection in a list after ↑/↓, staying inside it. */
export function moveSelection(ids: readonly string[], current: string | null, delta: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index < 0) return ids[delta === 1 ? 0 : ids.length - 1] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, index + delta))] ?? null;
}

/**
 * The selection after the queue changed. It is a request, not a position: a re-sort leaves it on the same
 * request. Only when that request left the list (sent, withdrawn) does it move — to the row that now
 * stands where it stood, as a desk working down the list expects; with nothing chosen yet, the top row.
 */
export function keepSelection(
  ids: readonly string[],
  selected: string | null,
  lastIndex: number,
): string | null {
  if (selected !== null && ids.includes(selected)) return selected;
  if (ids.length === 0) return null;
  if (selected === null) return ids[0] ?? null;
  return ids[Math.min(Math.max(0, lastIndex), ids.length - 1)] ?? null;
}

/** The desk's search: a report number (any part, any case) or a card number (any part, spaces ignored). */
export function matchesSearch(r: StopPaymentView, query: string): boolean {
  const text = query.trim().toUpperCase();
  if (text === '') return true;
  if (r.reportNumber.toUpperCase().includes(text)) return true;
  const digits = text.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) && r.account.number.includes(digits);
}

/** Rows per page of the desk's tables: hundreds of open requests would make the page heavy to redraw. */
export const DESK_PAGE_SIZE = 50;

/** The page of the pending queue on screen: the one holding the selection, so Enter sends a row shown. */
export function pageOfSelection(ids: readonly string[], selected: string | null, pageSize: number): number {
  const index = selected === null ? -1 : ids.indexOf(selected);
  return index < 0 ? 1 : Math.floor(index / pageSize) + 1;
}
