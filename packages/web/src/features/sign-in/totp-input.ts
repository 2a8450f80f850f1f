/** What a person types into the code box, reduced to what the server takes: up to six digits. */
export function normalizeCode(input: string): string {
  return input.replace(/\D/g, '').slice(0, 6);
}

export function isCompleteCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * A base32 secret in groups of four ("JBSW Y3DP EHPK 3PXP"), as authenticator apps expect it to be typed;
 * the apps ignore the spaces.
 */
export function groupSecret(secret: string): string {
  const plain = secret.replace(/[\s=]/g, '').toUpperCase();
  return (plain.match(/.{1,4}/g) ?? []).join(' ');
}
