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

export const LEGAL_DOC_STORAGE_KEY = 'fanzha.desk.legalDocNumber';
