import { z } from 'zod';
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
    createdAt: z.iso.datetime({ offset: true }),
    lastSignInAt: z.iso.datetime({ offset: true }).nullable(),
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

export const UserIdParams = z.strictObject({ id: z.uuid() });
