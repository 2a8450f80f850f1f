import { z } from 'zod';
import { datetime } from './instant';

export const AuditEntryView = z
  .object({
    seq: z
      .number()
      .int()
      .nullable()
      .describe('Position in the hash chain; null until sealed (within seconds)'),
    at: datetime,
    userId: z.string().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string().describe('e.g. `auth.sign_in`, `user.create`, `report.unmask`'),
    objectType: z.string().nullable(),
    objectId: z.string().nullable(),
    result: z.enum(['success', 'failure', 'denied']),
    requestId: z.string().nullable(),
    clientAddress: z
      .string()
      .nullable()
      .describe('Where the request came from (behind a configured proxy, the forwarded client address)'),
    details: z.record(z.string(), z.unknown()),
    hash: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeSeq: z.coerce.number().int().positive().optional(),
  action: z.string().max(64).optional(),
  username: z.string().max(64).optional(),
});

export const AuditList = z.object({ entries: z.array(AuditEntryView) }).meta({ id: 'AuditList' });
export type AuditList = z.infer<typeof AuditList>;

export const AuditVerification = z
  .object({
    isIntact: z.boolean(),
    checked: z.number().int().describe('Sealed entries checked'),
    unsealed: z.number().int().describe('Entries not yet sealed into the chain'),
    firstBroken: z
      .object({ seq: z.number().int(), problem: z.string() })
      .nullable()
      .describe('The first entry where the chain does not hold, and why'),
  })
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof AuditVerification>;

export const AuditCheckpointView = z
  .object({
    seq: z
      .number()
      .int()
      .describe('The chain position signed (the head entry’s `seq`); checkpoints are keyed by it'),
    entryId: z.number().int().describe('The head entry’s row id'),
    headHash: z.string().describe('The hash of the chain at `seq`'),
    entryCount: z.number().int().describe('Sealed entries covered: 1 to `seq`'),
    at: datetime.describe('When it was signed'),
    algorithm: z.string().describe('Signature algorithm, e.g. `ed25519`'),
    keyId: z.string().describe('The checkpoint key that signed it (see `/api/audit/checkpoints/keys`)'),
    signature: z
      .string()
      .describe(
        'base64 signature over the canonical JSON of `{type:"fanzha.audit-checkpoint", v:1, seq, entryId, headHash, entryCount, at, algorithm, keyId}`',
      ),
  })
  .meta({ id: 'AuditCheckpoint' });
export type AuditCheckpointView = z.infer<typeof AuditCheckpointView>;

export const AuditCheckpointQuery = z.strictObject({
  after: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional()
    .describe('The `nextCursor` of an earlier page: only checkpoints after it'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditCheckpointList = z
  .object({
    checkpoints: z.array(AuditCheckpointView).describe('Oldest first'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `after` for the next page or, later, for the checkpoints written since'),
    hasMore: z.boolean(),
  })
  .meta({ id: 'AuditCheckpointList' });
export type AuditCheckpointList = z.infer<typeof AuditCheckpointList>;

export const AuditCheckpointKey = z
  .object({
    keyId: z.string(),
    algorithm: z.string(),
    publicKeyPem: z.string().describe('SPKI, PEM'),
  })
  .meta({ id: 'AuditCheckpointKey' });
export type AuditCheckpointKey = z.infer<typeof AuditCheckpointKey>;

export const AuditCheckpointKeys = z
  .object({
    current: AuditCheckpointKey.describe('The key this server signs checkpoints with now'),
    keys: z
      .array(AuditCheckpointKey)
      .describe('Every key that signed a stored checkpoint (older keys stay after a rotation)'),
  })
  .meta({ id: 'AuditCheckpointKeys' });
export type AuditCheckpointKeys = z.infer<typeof AuditCheckpointKeys>;
