import type { Actor } from '../../platform/actor';
import type { AuditRecord } from './audit.repository';

/** Who did it, when, under which request: what every audit entry a service writes starts from. */
export interface AuditContext {
  at: Date;
  requestId: string | null;
  actor: Pick<Actor, 'userId' | 'username' | 'role' | 'auditRole' | 'clientAddress'> | null;
  /** Where the request came from, when there is no actor to carry it (sign-in). */
  clientAddress?: string | null;
  /** Where a change without a signed-in actor came from (`cli`, `bootstrap`, `demo-seed`). */
  origin?: string;
}

export function auditEntry(
  ctx: AuditContext,
  entry: Omit<AuditRecord, 'at' | 'userId' | 'username' | 'role' | 'requestId' | 'clientAddress'>,
): AuditRecord {
  return {
    ...entry,
    ...(ctx.origin ? { details: { ...entry.details, origin: ctx.origin } } : {}),
    at: ctx.at,
    userId: ctx.actor?.userId ?? null,
    username: ctx.actor?.username ?? null,
    role: ctx.actor?.auditRole ?? ctx.actor?.role ?? null,
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress ?? ctx.actor?.clientAddress ?? null,
  };
}
