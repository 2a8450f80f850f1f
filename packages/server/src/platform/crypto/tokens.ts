import { createHash, randomBytes } from 'node:crypto';

/** An unguessable bearer token (256 bits) for cookies and challenges. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as hashes: a leaked table holds no usable session. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
