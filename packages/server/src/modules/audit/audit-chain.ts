import { createHash } from 'node:crypto';

/** The fields of an entry that the chain protects, in a fixed order. */
export interface ChainedFields {
  seq: number;
  at: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: string;
  requestId: string | null;
  details: unknown;
}

export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash(n) = sha256(hash(n-1) ‖ canonical fields of n): changing, removing or moving any entry breaks it. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const fields = [
    e.seq,
    e.at.toISOString(),
    e.userId,
    e.username,
    e.role,
    e.action,
    e.objectType,
    e.objectId,
    e.result,
    e.requestId,
    e.details,
  ];
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(fields)}`)
    .digest('hex');
}
