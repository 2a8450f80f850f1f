import type { BankInstructionKind, SignedInstruction } from '@fanzha/contracts';

/** One item of the bank's queue, exactly as the feed and the live stream carry it. */
export type BankItem = SignedInstruction;
export type BankItemStatus = BankItem['status'];

export const BANK_QUEUE_KEY = ['/api/bank/instructions', 'queue'] as const;
export const OPEN_STATUSES = ['sent', 'acknowledged'] as const;
export const DONE_STATUSES = [
  'stopped',
  'frozen',
  'renewed',
  'released',
  'returned',
  'lifted',
  'failed',
] as const satisfies readonly BankItemStatus[];
/** How far back the answered section reaches, and how many of those answers it keeps. */
export const RECENT_MS = 24 * 3_600_000;
export const RECENT_LIMIT = 500;

export const isOpen = (s: BankItemStatus) => s === 'sent' || s === 'acknowledged';
export const idOf = (item: BankItem) => item.instruction.instructionId;

/** Feed positions are decimal strings of up to 18 digits: compared as numbers, without float rounding. */
export function compareSequence(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const maxSequence = (items: readonly BankItem[]) =>
  items.reduce<string | null>(
    (max, i) => (max === null || compareSequence(i.sequence, max) > 0 ? i.sequence : max),
    null,
  );

/**
 * The queue after items arrived (a page, a live message, our own answer): each instruction once, in its
 * latest state — the one with the later feed position wins, so a late page never undoes a live change.
 * Only the liaison's own bank is kept; the server already filters, and this keeps it so.
 */
export function mergeItems(
  items: readonly BankItem[],
  incoming: readonly BankItem[],
  ownBank: string | null,
): BankItem[] {
  const byId = new Map(items.map((i) => [idOf(i), i]));
  for (const item of incoming) {
    if (item.instruction.bankCode !== ownBank) continue;
    const known = byId.get(idOf(item));
    if (!known || compareSequence(item.sequence, known.sequence) >= 0) byId.set(idOf(item), item);
  }
  return [...byId.values()];
}

/**
 * A reload's result, with what came live while it ran: an instruction the reload does not have but that
 * changed after everything it saw (a higher feed position) arrived in between and stays.
 */
export function keepLiveArrivals(
  fetched: readonly BankItem[],
  previous: readonly BankItem[],
  ownBank: string | null,
): BankItem[] {
  const head = maxSequence(fetched);
  const fetchedIds = new Set(fetched.map(idOf));
  const arrivals = previous.filter(
    (p) => fetchedIds.has(idOf(p)) || head === null || compareSequence(p.sequence, head) > 0,
  );
  return mergeItems(mergeItems([], fetched, ownBank), arrivals, ownBank);
}

/** When the centre issued it (the first version's stops did not say: their first change stands in). */
export const issuedAtOf = (item: BankItem): string => {
  const issuedAt = (item.instruction as Record<string, unknown>)['issuedAt'];
  return typeof issuedAt === 'string' ? issuedAt : item.updatedAt;
};

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : Number.POSITIVE_INFINITY);

/**
 * Open work first: emergency stops (three minutes count) oldest first, then the other measures by the
 * legal deadline running, the nearest first.
 */
export function byUrgency(a: BankItem, b: BankItem): number {
  const stop = (i: BankItem) => (i.kind === 'emergency_stop_payment' ? 0 : 1);
  return (
    stop(a) - stop(b) ||
    (stop(a) === 0 ? 0 : time(a.deadlineAt) - time(b.deadlineAt)) ||
    time(issuedAtOf(a)) - time(issuedAtOf(b)) ||
    compareSequence(a.sequence, b.sequence)
  );
}

const answeredAt = (i: BankItem) => i.answer?.answeredAt ?? i.updatedAt;

/** The queue as the console shows it: open work by urgency, then the latest answers first. */
export function splitQueue(items: readonly BankItem[]): { open: BankItem[]; answered: BankItem[] } {
  const open = items.filter((i) => isOpen(i.status)).sort(byUrgency);
  const answered = items
    .filter((i) => !isOpen(i.status))
    .sort((a, b) => answeredAt(b).localeCompare(answeredAt(a)) || compareSequence(b.sequence, a.sequence))
    .slice(0, RECENT_LIMIT);
  return { open, answered };
}

/** What the console shows of an instruction, whatever its kind (and for the first version's stops too). */
export interface BankFacts {
  kind: BankInstructionKind;
  reportNumber: string;
  account: { number: string; name: string | null };
  /** Involved (stop), to freeze, release or return. */
  amountFen: number | null;
  legalDocNumber: string | null;
  decisionNumber: string | null;
  layer: number | null;
  stopSeq: number | null;
  transferredAt: string | null;
  payee: { name: string; account: string; bankCode: string; bankName: string | null } | null;
  /** A freeze's end, a renewal's new end. */
  endsAt: string | null;
  previousEndsAt: string | null;
  /** A return's due time. */
  dueAt: string | null;
  /** When the stop the notice is about lapsed. */
  lapsedAt: string | null;
  /** A protective hold's person, reason, appeal line and approvers (a release names its hold only). */
  hold: {
    person: { name: string | null; idNumber: string | null; phone: string | null };
    reason: string;
    hours: number | null;
    appeal: string;
    approvers: string;
  } | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : null);

export function factsOf(item: BankItem): BankFacts {
  // The signed shapes are open objects (a later version may add fields): read each field for what it is.
  const p = item.instruction as Record<string, unknown>;
  const account = p['account'] as { number?: unknown; name?: unknown } | undefined;
  const payee = p['payee'] as Record<string, unknown> | undefined;
  return {
    kind: item.kind,
    reportNumber: str(p['reportNumber']) ?? '—',
    account: { number: str(account?.number) ?? '', name: str(account?.name) },
    amountFen: num(p['amountFen']),
    legalDocNumber: str(p['legalDocNumber']),
    decisionNumber: str(p['decisionNumber']),
    layer: num(p['layer']),
    stopSeq: num(p['stopSeq']),
    transferredAt: str(p['transferredAt']),
    payee:
      payee && str(payee['account'])
        ? {
            name: str(payee['name']) ?? '',
            account: str(payee['account']) ?? '',
            bankCode: str(payee['bankCode']) ?? '',
            bankName: str(payee['bankName']),
          }
        : null,
    endsAt: str(p['endsAt']),
    previousEndsAt: str(p['previousEndsAt']),
    dueAt: str(p['dueAt']),
    lapsedAt: str(p['lapsedAt']),
    hold: holdFactsOf(p),
  };
}

function holdFactsOf(p: Record<string, unknown>): BankFacts['hold'] {
  if (p['type'] !== 'protective_hold') return null;
  const person = (p['person'] ?? {}) as Record<string, unknown>;
  const appeal = (p['appealChannel'] ?? {}) as Record<string, unknown>;
  return {
    person: { name: str(person['name']), idNumber: str(person['idNumber']), phone: str(person['phone']) },
    reason: str(p['reason']) ?? '',
    hours: num(p['hours']),
    appeal: [str(appeal['centre']), str(appeal['phone']), str(appeal['verifyUrl'])]
      .filter(Boolean)
      .join(' · '),
    approvers: [str(p['requestedBy']), str(p['approvedBy'])].filter(Boolean).join(' / '),
  };
}

/** Whether the confirmation of this kind states an amount (money moved), and whether it needs a reference. */
export const movesMoney = (kind: BankInstructionKind) =>
  kind === 'freeze' || kind === 'release' || kind === 'return';
export const canFail = (kind: BankInstructionKind) =>
  kind !== 'stop_lapsed' && kind !== 'protective_hold_release';

/** A page of the bank's feed, as `GET /api/bank/instructions` reads it. */
export interface FeedPageQuery {
  status: string;
  limit: number;
  after?: string;
  updatedSince?: string;
}

/** The queries of the two loads: every open instruction, and the answers of the last day. */
export function openPageQuery(after: string | null): FeedPageQuery {
  return { status: OPEN_STATUSES.join(','), limit: 500, ...(after ? { after } : {}) };
}
export function recentPageQuery(after: string | null, now: Date): FeedPageQuery {
  const updatedSince = new Date(now.getTime() - RECENT_MS).toISOString();
  return { status: DONE_STATUSES.join(','), updatedSince, limit: 500, ...(after ? { after } : {}) };
}

/**
 * Reads a feed to its end, page after page along the cursor, so open work is never cut off at a page size.
 * `maxPages` bounds a runaway (a feed changing faster than it is read).
 */
export async function readFeed(
  fetchPage: (after: string | null) => Promise<{
    instructions: BankItem[];
    nextCursor: string | null;
    hasMore: boolean;
  }>,
  maxPages = 50,
): Promise<BankItem[]> {
  const items: BankItem[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const list = await fetchPage(after);
    items.push(...list.instructions);
    if (!list.hasMore || !list.nextCursor || list.nextCursor === after) break;
    after = list.nextCursor;
  }
  return items;
}
