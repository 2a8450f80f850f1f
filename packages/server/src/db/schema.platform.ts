import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './schema.columns';

// The platform's tables: the outbox, users, sign-in, sessions, the audit chain and API keys.

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  subject: string;
  /** The whole event envelope, as JSON text on the way in. */
  envelope: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface ProcessedEventTable {
  consumer: string;
  event_id: string;
  processed_at: Timestamp;
}

/** A webhook delivery that failed, kept until the party's endpoint takes it (the worker's sweep). */
export interface WebhookRetryTable {
  consumer: 'bank-webhook' | 'party-notice';
  key_kind: 'bank' | 'signal';
  key_id: string;
  event_id: string;
  status: 'pending' | 'delivered' | 'dropped';
  attempts: number;
  next_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  done_at: NullableTimestamp;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  bank_code: string | null;
  operator_code: string | null;
  county_code: string | null;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: ColumnType<number, number | undefined, number>;
  is_disabled: ColumnType<boolean, boolean | undefined, boolean>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  /** Set by an admin's password reset: the password is one-time and must be changed at sign-in. */
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface SignInThrottleTable {
  username: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface SignInLimitTable {
  scope: 'pair' | 'address' | 'username' | 'usernames';
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface SignInRefusalTable {
  action: string;
  username: string;
  address: string;
  reason: string;
  result: 'failure' | 'denied';
  user_id: string | null;
  role: string | null;
  client_address: string | null;
  first_at: Timestamp;
  last_at: Timestamp;
  count: number;
  /** Refusals per typed username (at most `refusalBursts.maxUsernames` of them); '' key rows only. */
  usernames: ColumnType<Record<string, number>, string | undefined, string>;
  /** Refusals under usernames beyond those listed. */
  unlisted_count: Generated<number>;
}

export interface AuthChallengeTable {
  id_hash: string;
  user_id: string;
  kind: 'totp' | 'enrol_totp';
  created_at: Timestamp;
  expires_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  used_at: NullableTimestamp;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  client_ip: string | null;
  user_agent: string | null;
}

export interface AuditEntryTable {
  id: Generated<number>;
  seq: number | null;
  at: Timestamp;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: 'success' | 'failure' | 'denied';
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  prev_hash: string | null;
  hash: string | null;
  client_address: ColumnType<string | null, string | null | undefined, never>;
  /** null: SHA-256, sealed before algorithms were recorded. */
  hash_alg: ColumnType<'sha256' | 'sm3' | null, never, 'sha256' | 'sm3'>;
}

export interface AuditHeadTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  seq: number;
  hash: string;
}

/** A signed checkpoint of the audit chain (append-only). `seq` is the chain position signed. */
export interface AuditCheckpointTable {
  seq: number;
  entry_id: number;
  head_hash: string;
  entry_count: number;
  at: Timestamp;
  algorithm: string;
  key_id: string;
  signature: string;
}

export interface AuditCheckpointKeyTable {
  key_id: string;
  algorithm: string;
  public_key_pem: string;
  first_used_at: Timestamp;
}

/** The personal fields whose values from before encryption have all been sealed (checked no more at start). */
export interface FieldSealPassTable {
  place: string;
  completed_at: Timestamp;
}

/** Keys of operators' and upstream centres' systems that send signals (integrations). */
export interface SignalKeyTable {
  id: string;
  key_hash: string;
  name: string;
  sender_kind: 'operator' | 'upstream';
  sender_code: string;
  public_key_pem: string;
  /** An operator's: where its carrier assist requests and countermeasures are announced (0040). */
  webhook_url: string | null;
  created_at: Timestamp;
  created_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface ApiKeyTable {
  id: string;
  key_hash: string;
  name: string;
  bank_code: string;
  public_key_pem: string;
  webhook_url: string | null;
  created_at: Timestamp;
  created_by: string | null;
  revoked_at: NullableTimestamp;
}
