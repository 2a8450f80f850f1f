import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { SecretBox } from '../../platform/crypto/secret-box';

export interface AuthDeps {
  db: Kysely<DB>;
  clock: Clock;
  secretBox: SecretBox;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/** Where a sign-in or sign-out came from. */
export interface ClientInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}
