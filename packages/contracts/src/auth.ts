import { consoles, operators, roles } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const Role = z.enum(roles).meta({ id: 'Role' });
export const ConsoleName = z.enum(consoles).meta({ id: 'Console' });
export const OperatorCode = z.enum(operators).meta({ id: 'Operator' });

export const SignInRequest = z
  .strictObject({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    newPassword: z
      .string()
      .min(12, 'at least 12 characters')
      .max(256)
      .optional()
      .describe(
        'Only when the password is a one-time password (reset by an admin): the new one, set before the second factor. Sent without it, such a sign-in is refused with reason password_change_required',
      ),
  })
  .meta({ id: 'SignInRequest' });
export type SignInRequest = z.infer<typeof SignInRequest>;

/**
 * The password was right; a second factor must follow within five minutes. `enrol_totp` means the
 * account has no authenticator yet: scan `otpauthUrl` (or type `secret`), then verify a code.
 */
export const SignInResponse = z
  .object({
    challengeId: z.string(),
    next: z.enum(['totp', 'enrol_totp']),
    enrolment: z
      .object({
        secret: z.string().describe('Base32 TOTP secret, for typing into an authenticator'),
        otpauthUrl: z.string().describe('otpauth:// URL to show as a QR code'),
      })
      .optional(),
    expiresAt: datetime,
  })
  .meta({ id: 'SignInResponse' });
export type SignInResponse = z.infer<typeof SignInResponse>;

export const VerifyTotpRequest = z
  .strictObject({
    challengeId: z.string().min(1).max(128),
    code: z.string().regex(/^\d{6}$/, 'a TOTP code is 6 digits'),
  })
  .meta({ id: 'VerifyTotpRequest' });
export type VerifyTotpRequest = z.infer<typeof VerifyTotpRequest>;

export const Me = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    bankCode: z.string().nullable(),
    operatorCode: OperatorCode.nullable(),
    countyCode: z.string().nullable(),
    consoles: z.array(ConsoleName).describe('The consoles this role may open, in menu order'),
    isDemo: z.boolean().describe('A seeded demo account (embedded demo only)'),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const SessionInfo = z
  .object({
    user: Me,
    idleExpiresAt: datetime.describe('Ends unless used before then'),
    expiresAt: datetime.describe('Ends at the latest, used or not'),
    idleMinutes: z
      .number()
      .int()
      .min(1)
      .describe(
        'The idle limit: unused this long, a session ends (each request extends it, up to expiresAt)',
      ),
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * Whether the installation still lacks its first admin. Public, so the sign-in page can say how to create
 * one (it carries nothing else, and is false as soon as an admin exists).
 */
export const SetupStatus = z
  .object({
    needsFirstAdmin: z
      .boolean()
      .describe(
        'No admin account exists: start the server with FANZHA_BOOTSTRAP_ADMIN, or run `fanzha user add --role admin` with its database settings',
      ),
  })
  .meta({ id: 'SetupStatus' });
export type SetupStatus = z.infer<typeof SetupStatus>;
