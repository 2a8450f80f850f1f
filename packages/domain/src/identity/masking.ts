/**
 * Masking of personal data for roles that do not need it in full. Masks keep just enough for staff to
 * tell records apart on a screen (a surname, the last digits), never enough to contact or identify.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Card or account number: first 4 and last 4 digits. */
export function maskAccountNumber(number: string): string {
  const n = number.replace(/[\s-]/g, '');
  if (n.length <= 8) return '*'.repeat(n.length);
  return `${n.slice(0, 4)}${'*'.repeat(n.length - 8)}${n.slice(-4)}`;
}

/** Addresses keep the county-level part (the first up to 6 characters); the rest is hidden. */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  if (chars.length <= 6) return chars.length === 0 ? '' : `${chars.slice(0, 2).join('')}****`;
  return `${chars.slice(0, 6).join('')}****`;
}
