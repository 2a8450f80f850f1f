import type { CreateUserRequest, SetUserRoleRequest } from '@fanzha/contracts';
import { scopeOfRole, type Operator, type Role } from '@fanzha/domain';

export interface NewUserValues {
  username?: string;
  displayName?: string;
  role?: Role;
  bankCode?: string;
  operatorCode?: Operator;
  countyCode?: string;
  password?: string;
}

export const NEW_USER_FIELDS = [
  'username',
  'displayName',
  'role',
  'bankCode',
  'operatorCode',
  'countyCode',
  'password',
] as const satisfies readonly (keyof NewUserValues)[];

/** The same rules as the contract, checked in the form so most mistakes never reach the server. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const MIN_PASSWORD_LENGTH = 12;

/** The server's password rules (length is checked on its own): no username inside, 5+ different characters. */
export function isWeakPassword(password: string, username: string): boolean {
  const name = username.trim().toLowerCase();
  return (name !== '' && password.toLowerCase().includes(name)) || new Set(password).size < 5;
}

/**
 * The request for the form's values. Only the scope the role needs is sent: a bank code left in the
 * form from an earlier choice of role must not bind a county officer to a bank.
 */
export function toCreateUserRequest(values: NewUserValues): CreateUserRequest {
  const role = values.role ?? 'call_taker';
  const body: CreateUserRequest = {
    username: (values.username ?? '').trim(),
    displayName: (values.displayName ?? '').trim(),
    role,
    password: values.password ?? '',
  };
  const scope = scopeOfRole[role];
  if (scope === 'bank' && values.bankCode) body.bankCode = values.bankCode;
  if (scope === 'operator' && values.operatorCode) body.operatorCode = values.operatorCode;
  if (scope === 'county' && values.countyCode) body.countyCode = values.countyCode;
  return body;
}

// No look-alikes (0/O, 1/l/I): an initial password is often read out or copied by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random initial password from the browser's CSPRNG; 16 characters of 56 is about 93 bits. */
export function generatePassword(
  length = 16,
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (b) => crypto.getRandomValues(b),
): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length * 2))) {
      // Rejection sampling keeps every character equally likely (256 is not a multiple of 56).
      if (byte < 256 - (256 % ALPHABET.length) && out.length < length)
        out += ALPHABET[byte % ALPHABET.length];
    }
  }
  return out;
}

export type RoleValues = Pick<NewUserValues, 'role' | 'bankCode' | 'operatorCode' | 'countyCode'>;

/** A role change: the role and the one scope it needs, nothing left over from another role. */
export function toSetUserRoleRequest(values: RoleValues): SetUserRoleRequest {
  const role = values.role ?? 'call_taker';
  const body: SetUserRoleRequest = { role };
  const scope = scopeOfRole[role];
  if (scope === 'bank' && values.bankCode) body.bankCode = values.bankCode;
  if (scope === 'operator' && values.operatorCode) body.operatorCode = values.operatorCode;
  if (scope === 'county' && values.countyCode) body.countyCode = values.countyCode;
  return body;
}
