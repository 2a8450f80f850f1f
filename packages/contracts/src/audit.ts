import { z } from 'zod';

export const AuditEntryView = z
  .object({
    seq: z
      .number()
      .int()
      .nullable()
      .describe('Position in the hash chain; null until sealed (within seconds)'),
    at: z.iso.datetime({ offset: true }),
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
