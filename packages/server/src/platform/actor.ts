import type { Operator, Role } from '@fanzha/domain';

/** Who is making a request: the signed-in user, their role and the scope it binds them to. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  bankCode: string | null;
  operatorCode: Operator | null;
  countyCode: string | null;
  isDemo: boolean;
  sessionIdHash: string;
  idleExpiresAt: Date;
  expiresAt: Date;
  /** For a bank's system (key credential): the public key its signed answers must verify with. */
  answerKeyPem?: string;
  /**
   * For an operator's or upstream centre's system (signal key): the source its batches are screened as,
   * `operator:<code>` or `upstream:<centre>`, taken from the key, never from a body.
   */
  signalSource?: string;
  /**
   * What audit entries record as this actor's role when it is none of the centre's roles: an upstream centre's
   * system is let through the signals route as an analyst would be, but its entries say `upstream_centre`.
   */
  auditRole?: string;
  /** Where this request came from (the peer, or the forwarded client behind a trusted proxy). */
  clientAddress?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

/** The signed-in person behind an actor, or null for a bank's, operator's or centre's system using its key. */
export const personIdOf = (actor: Actor): string | null =>
  actor.answerKeyPem === undefined ? actor.userId : null;

export const SESSION_COOKIE = 'fanzha_session';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
