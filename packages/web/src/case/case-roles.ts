import type { Me } from '@fanzha/contracts';

type Who = Pick<Me, 'role' | 'countyCode'>;

const ownsCase = (me: Who, owningCountyCode: string | null) =>
  me.role === 'county_police' && owningCountyCode !== null && me.countyCode === owningCountyCode;

/** Freeze, renew, a second emergency stop, propose a release or return: the desk, the supervisor, the owning county. */
export function canRestrict(me: Who, owningCountyCode: string | null): boolean {
  return me.role === 'stop_payment_officer' || me.role === 'supervisor' || ownsCase(me, owningCountyCode);
}

/** Approve or reject a release or return: the supervisor or the owning county (never the proposer: checked apart). */
export function canApprove(me: Who, owningCountyCode: string | null): boolean {
  return me.role === 'supervisor' || ownsCase(me, owningCountyCode);
}

/** Two different people decide a release or a return: the proposer cannot approve their own. */
export const isOwnProposal = (me: Pick<Me, 'username'>, decision: { proposedBy: string }) =>
  decision.proposedBy === me.username;
