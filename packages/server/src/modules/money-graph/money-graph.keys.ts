/** The money graph's account keys: `${bankCode}:${number}` for an account, `victim:${reportId}` for a victim. */
export const VICTIM_PREFIX = 'victim:';
export const accountKey = (bankCode: string, number: string): string => `${bankCode}:${number}`;
export const victimKey = (reportId: string): string => `${VICTIM_PREFIX}${reportId}`;

/** The parts of a key: a victim's report, or a bank account's code and number. */
export function parseKey(key: string): {
  reportId: string | null;
  bankCode: string | null;
  number: string | null;
} {
  if (key.startsWith(VICTIM_PREFIX))
    return { reportId: key.slice(VICTIM_PREFIX.length), bankCode: null, number: null };
  const at = key.indexOf(':');
  return at < 0
    ? { reportId: null, bankCode: null, number: key }
    : { reportId: null, bankCode: key.slice(0, at), number: key.slice(at + 1) };
}
