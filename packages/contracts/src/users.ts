import { z } from 'zod';
import { datetime } from './instant';
import { OperatorCode, Role } from './auth';

export const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    bankCode: z.string().nullable(),
    operatorCode: OperatorCode.nullable(),
    countyCode: z.string().nullable(),
    isDisabled: z.boolean(),
    hasTotp: z.boolean(),
    isDemo: z.boolean(),
    mustChangePassword: z
      .boolean()
      .describe('The password was reset by an admin: the user must choose a new one at next sign-in'),
    createdAt: datetime,
    lastSignInAt: datetime.nullable(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const UserList = z.object({ users: z.array(UserView) }).meta({ id: 'UserList' });
export type UserList = z.infer<typeof UserList>;

/**
 * A new account. Bank liaisons need `bankCode`, telecom liaisons `operatorCode`, county police
 * `countyCode` (a Guizhou county-level GB/T 2260 code); other roles none. The user enrols an
 * authenticator at first sign-in.
 */
export const CreateUserRequest = z
  .strictObject({
    username: z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/, '3–32 of a–z 0–9 . _ -, starting with a letter'),
    displayName: z.string().trim().min(1).max(64),
    role: Role,
    bankCode: z.string().min(2).max(16).optional(),
    operatorCode: OperatorCode.optional(),
    countyCode: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code')
      .optional(),
    password: z.string().min(12, 'at least 12 characters').max(256),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

const scopeFields = {
  bankCode: z.string().min(2).max(16).optional(),
  operatorCode: OperatorCode.optional(),
  countyCode: z
    .string()
    .regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code')
    .optional(),
};

/**
 * A user's role and scope, replaced as a whole: the scope the role needs (bank liaisons `bankCode`,
 * telecom liaisons `operatorCode`, county police `countyCode`) and no other; a scope not given is
 * removed. The user's sessions end, so the new consoles and data apply at the next sign-in.
 */
export const SetUserRoleRequest = z
  .strictObject({ role: Role, ...scopeFields })
  .meta({ id: 'SetUserRoleRequest' });
export type SetUserRoleRequest = z.infer<typeof SetUserRoleRequest>;

/**
 * An admin's password reset: the server chooses a one-time password, shown once in the answer for the
 * admin to hand over. It works for one sign-in, at which the user must choose a new password; the
 * user's sessions end at once. The second factor is kept (reset it apart if it was lost too).
 */
export const PasswordReset = z
  .object({
    user: UserView,
    oneTimePassword: z.string().describe('Shown once; not stored in clear and not retrievable again'),
  })
  .meta({ id: 'PasswordReset' });
export type PasswordReset = z.infer<typeof PasswordReset>;

export const UserIdParams = z.strictObject({ id: z.uuid() });
