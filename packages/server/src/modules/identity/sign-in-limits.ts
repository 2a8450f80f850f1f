export { addressKey } from '../../platform/http/client-address';

/**
 * Failed sign-ins are counted three ways, each in a 15-minute window, and each lock lasts 15 minutes:
 * - per username and address: 5 — one place guessing one person's password;
 * - per address: 30, whatever the usernames — one place trying many people (or spraying a password);
 * - per username: 50, from anywhere — a guess spread over many places.
 * So a stranger who knows the desk officers' usernames locks only their own address out: the officers,
 * signing in from their desks, are not affected. Locking a user out everywhere takes 50 failures, which
 * the pair limit forces to come from at least 10 addresses — a distributed attack, against which the
 * lock is the lesser evil. An IPv6 client is counted by its /64, which one client can fill by itself.
 * Successful sign-ins clear only their own pair: they prove nothing about other users or places.
 */
export const signInLimits = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  perPair: 5,
  perAddress: 30,
  perUsername: 50,
};

export type LimitScope = 'pair' | 'address' | 'username';

/** The key of a username at an address (a right password clears it). */
export const pairKey = (username: string, address: string) => `${username}|${address}`;

/** The keys a failure is counted under, each with its limit. */
export const limitKeys = (username: string, address: string): Array<[LimitScope, string, number]> => [
  ['pair', pairKey(username, address), signInLimits.perPair],
  ['address', address, signInLimits.perAddress],
  ['username', username, signInLimits.perUsername],
];
