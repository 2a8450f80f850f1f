import { randomUUID } from 'node:crypto';
import type {
  CreateUserRequest,
  FieldProblem,
  PasswordReset,
  SetUserRoleRequest,
  UserView,
} from '@fanzha/contracts';
import { findBankByCode, optionalScopeRoles, scopeOfRole, validateCountyCode } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { oneTimePassword } from './one-time-password';
import { passwordProblems, hashPassword } from './password';
import { revokeUserSessions } from './sessions.repository';
import {
  findUserById,
  findUserByUsername,
  hasAdmin,
  insertUser,
  listUserRows,
  toUserView,
  updateUser,
  type UserRow,
} from './users.repository';

/**
 * Account administration: create, disable, enable, reset a second factor or the password, change the
 * role and scope. Every change is audited; changes to someone's access end their sessions.
 */
export function createUsersService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  function scopeProblems(input: SetUserRoleRequest): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const needed = scopeOfRole[input.role];
    const given = { bank: input.bankCode, operator: input.operatorCode, county: input.countyCode } as const;
    for (const kind of ['bank', 'operator', 'county'] as const) {
      const field = `body.${kind}Code`;
      if (kind === needed && given[kind] === undefined && !optionalScopeRoles.has(input.role))
        problems.push({
          field,
          reason: 'required',
          message: `role ${input.role} is bound to one ${kind}: give ${kind}Code`,
        });
      if (kind !== needed && given[kind] !== undefined)
        problems.push({
          field,
          reason: 'not_allowed',
          message: `role ${input.role} is not bound to a ${kind}`,
        });
    }
    if (input.bankCode !== undefined && needed === 'bank' && !findBankByCode(input.bankCode))
      problems.push({
        field: 'body.bankCode',
        reason: 'unknown_bank',
        message: `no bank has the code ${input.bankCode}`,
      });
    if (input.countyCode !== undefined && needed === 'county') {
      const county = validateCountyCode(input.countyCode);
      if (!county.ok)
        problems.push({ field: 'body.countyCode', reason: county.reason, message: county.message });
    }
    return problems;
  }

  async function setFlags(
    ctx: AuditContext,
    id: string,
    action: 'user.disable' | 'user.enable' | 'user.reset_totp',
  ): Promise<UserView> {
    return db.transaction().execute(async (trx) => {
      const user = await findUserById(trx, id);
      if (!user) throw new AppError('not_found', 'No such user');
      if (action !== 'user.enable' && ctx.actor?.userId === id)
        throw new AppError('conflict', 'You cannot disable or reset your own account');
      const changes =
        action === 'user.disable'
          ? { is_disabled: true }
          : action === 'user.enable'
            ? { is_disabled: false }
            : { totp_secret_enc: null, totp_pending_enc: null };
      const updated = await updateUser(trx, id, changes);
      // Disabling or resetting a factor ends every session of that user at once.
      if (action !== 'user.enable') await revokeUserSessions(trx, id, ctx.at);
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action,
          objectType: 'user',
          objectId: id,
          result: 'success',
          details: { username: user.username },
        }),
      );
      return toUserView(updated);
    });
  }

  /** The user to change, never the admin themself: an admin cannot lock themself out. */
  async function otherUser(
    trx: Transaction<DB>,
    ctx: AuditContext,
    id: string,
    what: string,
  ): Promise<UserRow> {
    const user = await findUserById(trx, id);
    if (!user) throw new AppError('not_found', 'No such user');
    if (ctx.actor?.userId === id) throw new AppError('conflict', `You cannot ${what} of your own account`);
    return user;
  }

  return {
    async needsFirstAdmin(): Promise<boolean> {
      return !(await hasAdmin(db));
    },

    async list(): Promise<UserView[]> {
      return (await listUserRows(db)).map(toUserView);
    },

    async create(
      ctx: AuditContext,
      input: CreateUserRequest,
      opts: { isDemo?: boolean } = {},
    ): Promise<UserView> {
      const problems = scopeProblems(input);
      for (const p of passwordProblems(input.password, input.username))
        problems.push({ field: 'body.password', reason: 'weak_password', message: p });
      if (problems.length > 0) throw validationError(problems);
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        if (await findUserByUsername(trx, input.username))
          throw new AppError('conflict', `The username ${input.username} is taken`, [
            { field: 'body.username', reason: 'taken', message: 'this username is taken' },
          ]);
        const id = randomUUID();
        const row = await insertUser(trx, {
          id,
          username: input.username,
          display_name: input.displayName,
          role: input.role,
          bank_code: input.bankCode ?? null,
          operator_code: input.operatorCode ?? null,
          county_code: input.countyCode ?? null,
          password_hash: passwordHash,
          is_demo: opts.isDemo ?? false,
          created_at: ctx.at,
        });
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'user.create',
            objectType: 'user',
            objectId: id,
            result: 'success',
            details: {
              username: input.username,
              role: input.role,
              bankCode: input.bankCode,
              operatorCode: input.operatorCode,
              countyCode: input.countyCode,
            },
          }),
        );
        return toUserView(row);
      });
    },

    /**
     * A one-time password chosen here, returned once: the user must replace it at the next sign-in.
     * Sessions end; the second factor stays.
     */
    async resetPassword(ctx: AuditContext, id: string): Promise<PasswordReset> {
      return db.transaction().execute(async (trx) => {
        const user = await otherUser(trx, ctx, id, 'reset the password');
        const password = oneTimePassword(user.username);
        const updated = await updateUser(trx, id, {
          password_hash: await hashPassword(password),
          must_change_password: true,
        });
        await revokeUserSessions(trx, id, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'user.reset_password',
            objectType: 'user',
            objectId: id,
            result: 'success',
            details: { username: user.username },
          }),
        );
        return { user: toUserView(updated), oneTimePassword: password };
      });
    },

    /** Replaces the role and its scope as a whole; the user's sessions end so the change applies at once. */
    async setRole(ctx: AuditContext, id: string, input: SetUserRoleRequest): Promise<UserView> {
      const problems = scopeProblems(input);
      if (problems.length > 0) throw validationError(problems);
      return db.transaction().execute(async (trx) => {
        const user = await otherUser(trx, ctx, id, 'change the role');
        const scope = {
          bank_code: input.bankCode ?? null,
          operator_code: input.operatorCode ?? null,
          county_code: input.countyCode ?? null,
        };
        const updated = await updateUser(trx, id, { role: input.role, ...scope });
        await revokeUserSessions(trx, id, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'user.set_role',
            objectType: 'user',
            objectId: id,
            result: 'success',
            details: {
              username: user.username,
              from: {
                role: user.role,
                bankCode: user.bank_code,
                operatorCode: user.operator_code,
                countyCode: user.county_code,
              },
              to: {
                role: input.role,
                bankCode: scope.bank_code,
                operatorCode: scope.operator_code,
                countyCode: scope.county_code,
              },
            },
          }),
        );
        return toUserView(updated);
      });
    },

    disable: (ctx: AuditContext, id: string) => setFlags(ctx, id, 'user.disable'),
    enable: (ctx: AuditContext, id: string) => setFlags(ctx, id, 'user.enable'),
    resetTotp: (ctx: AuditContext, id: string) => setFlags(ctx, id, 'user.reset_totp'),
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
