export { addressKey } from '../../platform/http/client-address';

/**
 * Failed sign-ins are counted four ways, each in a 15-minute window, and each lock lasts 15 minutes:
 * - per username and address: 5 — one place guessing one person's password;
 * - per address: 30, whatever the usernames — one place trying many people (or spraying a password);
 * - per address, the different usernames that failed there: 20 — one place spraying a password over
 *   many people locks sooner than at 30 failures, while an office behind one address, where several
 *   people mistype at the start of a shift, stays clear of it;
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
  perAddressUsernames: 20,
  perUsername: 50,
};

export type LimitScope = 'pair' | 'address' | 'usernames' | 'username';

/** The key of a username at an address (a right password clears it). */
export const pairKey = (username: string, address: string) => `${username}|${address}`;

/**
 * The keys a failure is counted under, each with its limit; the pair comes first (`usernames` counts a
 * failure only when it is the first of its pair in the pair's window: a username new to the address).
 */
export const limitKeys = (username: string, address: string): Array<[LimitScope, string, number]> => [
  ['pair', pairKey(username, address), signInLimits.perPair],
  ['address', address, signInLimits.perAddress],
  ['usernames', address, signInLimits.perAddressUsernames],
  ['username', username, signInLimits.perUsername],
];
