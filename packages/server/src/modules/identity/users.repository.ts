import type { Me, UserView } from '@fanzha/contracts';
import { consolesByRole, type Operator, type Role } from '@fanzha/domain';
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { AppUserTable, DB } from '../../db/schema';

export type UserRow = Selectable<AppUserTable>;
type Db = Kysely<DB> | Transaction<DB>;

/** Every column of an account: the services need the secrets too (never sent out: see the views below). */
const userColumns = [
  'id',
  'username',
  'display_name',
  'role',
  'bank_code',
  'operator_code',
  'county_code',
  'password_hash',
  'totp_secret_enc',
  'totp_pending_enc',
  'totp_last_step',
  'is_disabled',
  'is_demo',
  'must_change_password',
  'created_at',
  'last_sign_in_at',
] as const;

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').select(userColumns).where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').select(userColumns).where('id', '=', id).executeTakeFirst();
}

/** Whether any admin account exists (a demo admin counts: a demo needs no first admin). */
export async function hasAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where('role', '=', 'admin').executeTakeFirst();
  return row !== undefined;
}

/** Whether an admin account exists that is not a demo one (the production bootstrap asks). */
export async function hasRealAdmin(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('role', '=', 'admin')
    .where('is_demo', '=', false)
    .executeTakeFirst();
  return row !== undefined;
}

export function listUserRows(db: Db): Promise<UserRow[]> {
  return db.selectFrom('app_user').select(userColumns).orderBy('role').orderBy('username').execute();
}

export async function listUsernames(db: Db): Promise<string[]> {
  return (await db.selectFrom('app_user').select('username').execute()).map((r) => r.username);
}

/** The demo accounts that are enabled (`disabled` false) or disabled (true): id and username. */
export function listDemoUsers(db: Db, disabled: boolean) {
  return db
    .selectFrom('app_user')
    .select(['id', 'username'])
    .where('is_demo', '=', true)
    .where('is_disabled', '=', disabled)
    .orderBy('username')
    .execute();
}

/** The enabled demo accounts, with their sealed TOTP secrets. */
export function listDemoAccountRows(db: Db) {
  return db
    .selectFrom('app_user')
    .select(['username', 'display_name', 'role', 'totp_secret_enc'])
    .where('is_demo', '=', true)
    .where('is_disabled', '=', false)
    .orderBy('username')
    .execute();
}

export function insertUser(db: Db, user: Insertable<AppUserTable>): Promise<UserRow> {
  return db.insertInto('app_user').values(user).returning(userColumns).executeTakeFirstOrThrow();
}

/** Changes an account; the changed row. */
export function updateUser(db: Db, id: string, changes: Updateable<AppUserTable>): Promise<UserRow> {
  return db
    .updateTable('app_user')
    .set(changes)
    .where('id', '=', id)
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

/**
 * Uses a TOTP step once: the step must be newer than the last one used, checked and set in one statement,
 * with whatever else the sign-in changes. Undefined when the step was already used.
 */
export function claimTotpStep(
  db: Db,
  id: string,
  step: number,
  changes: Updateable<AppUserTable>,
): Promise<UserRow | undefined> {
  return db
    .updateTable('app_user')
    .set({ ...changes, totp_last_step: step })
    .where('id', '=', id)
    .where('totp_last_step', '<', step)
    .returning(userColumns)
    .executeTakeFirst();
}

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    bankCode: u.bank_code,
    operatorCode: u.operator_code as Operator | null,
    countyCode: u.county_code,
    isDisabled: u.is_disabled,
    hasTotp: u.totp_secret_enc !== null,
    isDemo: u.is_demo,
    mustChangePassword: u.must_change_password,
    createdAt: u.created_at.toISOString(),
    lastSignInAt: u.last_sign_in_at?.toISOString() ?? null,
  };
}

/** The signed-in user as the session shows them, with the consoles of their role. */
export function toMe(u: UserRow): Me {
  const role = u.role as Role;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role,
    bankCode: u.bank_code,
    operatorCode: u.operator_code as Operator | null,
    countyCode: u.county_code,
    consoles: [...consolesByRole[role]],
    isDemo: u.is_demo,
  };
}
