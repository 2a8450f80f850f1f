import { canonicalJson } from '../../platform/crypto/canonical-json';
import { digestHex, type HashAlgorithm } from '../../platform/crypto/suites';

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
  clientAddress: string | null;
}

export const GENESIS = '0'.repeat(64);

/**
 * hash(n) = H(hash(n-1) ‖ canonical fields of n): changing, removing or moving any entry breaks it. H is the
 * entry's own algorithm (SHA-256, or SM3 under FANZHA_CRYPTO=commercial), recorded beside it: the chain can
 * change algorithm between two entries and still links, and claiming another algorithm changes the hash.
 */
export function entryHash(prevHash: string, e: ChainedFields, algorithm: HashAlgorithm = 'sha256'): string {
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
    // Recorded since 0007: appended only when present, so entries sealed before keep their hashes —
    // and adding or removing an address later changes the hash all the same.
    ...(e.clientAddress === null ? [] : [e.clientAddress]),
  ];
  return digestHex(algorithm, `${prevHash}\n${canonicalJson(fields)}`);
}
