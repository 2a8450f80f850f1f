/** One onward transfer of a bank's answer, its account already resolved to a card number and a bank. */
export interface OnwardAccount {
  number: string;
  bankCode: string;
}

/**
 * Which onward transfers open a new request one layer deeper, and which request each transfer leads to.
 * An account already in the case's trail (`known`: account number → its latest request) keeps that request
 * (one account, one emergency stop per case: a second would count against the legal limit); an account named
 * twice in one answer opens one request. `newId` names a new request.
 */
export function planCascade(
  accounts: OnwardAccount[],
  known: ReadonlyMap<string, string>,
  newId: () => string,
): { fresh: Array<{ position: number; id: string }>; childIds: string[] } {
  const opened = new Map<string, string>();
  const fresh: Array<{ position: number; id: string }> = [];
  const childIds = accounts.map((a, position) => {
    const existing = known.get(a.number) ?? opened.get(a.number);
    if (existing) return existing;
    const id = newId();
    opened.set(a.number, id);
    fresh.push({ position, id });
    return id;
  });
  return { fresh, childIds };
}

/** A first-layer account as the intake draft has it now. */
export interface DraftAccount {
  number: string;
  bankCode: string;
  name: string | null;
  amountFen: number;
  transferredAt: Date | null;
}

/** An open first-layer request of the draft, as stored. */
export interface FirstLayerRequest {
  id: string;
  accountNumber: string;
  accountName: string | null;
  bankCode: string;
  amountFen: number;
  transferredAt: Date | null;
  status: string;
}

/**
 * Push while typing, as a plan: new valid accounts become requests, corrected ones change while still
 * pending, removed ones are withdrawn while still pending; requests already sent are left alone, and an account
 * the trail already reached one layer deeper (`deeper`) keeps that request.
 */
export function planFirstLayer(
  existing: FirstLayerRequest[],
  deeper: ReadonlySet<string>,
  accounts: DraftAccount[],
): { added: DraftAccount[]; corrected: Array<{ id: string; account: DraftAccount }>; withdrawn: string[] } {
  const byNumber = new Map(existing.map((r) => [r.accountNumber, r]));
  const added: DraftAccount[] = [];
  const corrected: Array<{ id: string; account: DraftAccount }> = [];
  for (const a of accounts) {
    const row = byNumber.get(a.number);
    byNumber.delete(a.number);
    if (!row) {
      if (!deeper.has(a.number)) added.push(a);
    } else if (
      row.status === 'pending' &&
      (row.accountName !== a.name ||
        row.amountFen !== a.amountFen ||
        row.bankCode !== a.bankCode ||
        row.transferredAt?.getTime() !== a.transferredAt?.getTime())
    )
      corrected.push({ id: row.id, account: a });
  }
  const withdrawn = [...byNumber.values()].filter((r) => r.status === 'pending').map((r) => r.id);
  return { added, corrected, withdrawn };
}
