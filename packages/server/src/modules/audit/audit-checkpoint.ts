import { isValidSignature } from '../../platform/crypto/signer';

/**
 * A signed checkpoint of the audit chain: the chain's head (position and hash) at a moment, signed with the
 * checkpoint key. Whoever keeps checkpoints and the public key can later check, with read access only, that
 * the live trail still reaches every signed head: an edit, a deletion or a re-chained rewrite of any entry up
 * to a checkpoint changes the hash at its position.
 */
export interface AuditCheckpoint {
  /** The chain position signed (the head entry's `seq`); checkpoints are keyed by it. */
  seq: number;
  /** The head entry's row id. */
  entryId: number;
  headHash: string;
  /** Sealed entries the checkpoint covers (entries 1 to `seq`). */
  entryCount: number;
  at: string;
  algorithm: string;
  keyId: string;
  /** base64 signature over `checkpointPayload`. */
  signature: string;
}

export interface CheckpointKey {
  keyId: string;
  algorithm: string;
  publicKeyPem: string;
}

/** Exactly what is signed: every field but the signature, under a type tag, as canonical JSON. */
export function checkpointPayload(c: Omit<AuditCheckpoint, 'signature'>) {
  return {
    type: 'fanzha.audit-checkpoint',
    v: 1,
    seq: c.seq,
    entryId: c.entryId,
    headHash: c.headHash,
    entryCount: c.entryCount,
    at: c.at,
    algorithm: c.algorithm,
    keyId: c.keyId,
  };
}

/** Checks a checkpoint's signature with the key it names; a checkpoint under another key or algorithm fails. */
export function checkpointSignatureProblem(
  c: AuditCheckpoint,
  keys: ReadonlyMap<string, CheckpointKey>,
): string | null {
  const key = keys.get(c.keyId);
  if (!key) return `signed with key ${c.keyId}, which is not among the trusted public keys`;
  if (key.algorithm !== c.algorithm)
    return `claims algorithm ${c.algorithm} but key ${c.keyId} is ${key.algorithm}`;
  if (c.entryCount !== c.seq) return `covers ${c.entryCount} entries but is at position ${c.seq}`;
  if (c.algorithm !== 'ed25519' && c.algorithm !== 'sm2') return `its algorithm ${c.algorithm} is unknown`;
  if (!isValidSignature(key.publicKeyPem, checkpointPayload(c), c.signature, c.algorithm))
    return 'its signature does not verify (forged or altered)';
  return null;
}

/**
 * The export file: JSON lines, first the public keys (`"type":"key"`), then the checkpoints
 * (`"type":"checkpoint"`) in chain order. Self-contained, so an auditor needs nothing else to check it.
 */
export function checkpointFileLines(keys: CheckpointKey[], checkpoints: AuditCheckpoint[]): string[] {
  return [
    ...keys.map((k) => JSON.stringify({ type: 'key', ...k })),
    ...checkpoints.map((c) => JSON.stringify({ type: 'checkpoint', ...c })),
  ];
}

export class CheckpointFileError extends Error {}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Reads an export file; a line that is neither a key nor a checkpoint is refused with its line number. */
export function parseCheckpointFile(text: string): { keys: CheckpointKey[]; checkpoints: AuditCheckpoint[] } {
  const keys: CheckpointKey[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new CheckpointFileError(`line ${i + 1}: not JSON`);
    }
    if (o.type === 'key' && isText(o.keyId) && isText(o.algorithm) && isText(o.publicKeyPem)) {
      keys.push({ keyId: o.keyId, algorithm: o.algorithm, publicKeyPem: o.publicKeyPem });
    } else if (
      o.type === 'checkpoint' &&
      isCount(o.seq) &&
      isCount(o.entryId) &&
      isText(o.headHash) &&
      isCount(o.entryCount) &&
      isText(o.at) &&
      isText(o.algorithm) &&
      isText(o.keyId) &&
      isText(o.signature)
    ) {
      checkpoints.push({
        seq: o.seq,
        entryId: o.entryId,
        headHash: o.headHash,
        entryCount: o.entryCount,
        at: o.at,
        algorithm: o.algorithm,
        keyId: o.keyId,
        signature: o.signature,
      });
    } else {
      throw new CheckpointFileError(`line ${i + 1}: neither a key nor a checkpoint of the audit trail`);
    }
  });
  return { keys, checkpoints };
}
