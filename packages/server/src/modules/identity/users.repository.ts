import type { Me, UserView } from '@fanzha/contracts';
import { consolesByRole, type Operator, type Role } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AppUserTable, DB } from '../../db/schema';

export type UserRow = Selectable<AppUserTable>;
type Db = Kysely<DB> | Transaction<DB>;

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether any admin account exists (a demo admin counts: a demo needs no first admin). */
export async function hasAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where('role', '=', 'admin').executeTakeFirst();
  return row !== undefined;
}

export function listUserRows(db: Db): Promise<UserRow[]> {
  return db.selectFrom('app_user').selectAll().orderBy('role').orderBy('username').execute();
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
