import { randomInt } from 'node:crypto';
import { validationError } from '../../platform/http/errors';
import { hashPassword, passwordProblems } from './password';
import type { UserRow } from './users.repository';

// One-time passwords: an admin's reset gives one, shown once; the sign-in that uses it must set a new one.

/** Letters and digits that cannot be mistaken for one another when read out or copied by hand. */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password an admin hands over: four groups of four, e.g. `k7m2-x9qp-4hjr-t8wn`. */
export function oneTimePassword(username: string): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => READABLE[randomInt(READABLE.length)]).join(''),
    );
    const password = groups.join('-');
    if (passwordProblems(password, username).length === 0) return password;
  }
}

/** The hash of the new password when the right password was a one-time one; refuses what does not fit. */
export async function newPasswordHash(
  user: UserRow,
  password: string,
  newPassword: string | undefined,
): Promise<string | undefined> {
  const field = 'body.newPassword';
  if (!user.must_change_password) {
    if (newPassword === undefined) return undefined;
    throw validationError([
      { field, reason: 'not_allowed', message: 'only a one-time password is changed at sign-in' },
    ]);
  }
  if (newPassword === undefined)
    throw validationError([
      {
        field,
        reason: 'password_change_required',
        message: 'this password was reset by an admin and works once: choose a new password',
      },
    ]);
  const problems = passwordProblems(newPassword, user.username).map((message) => ({
    field,
    reason: 'weak_password',
    message,
  }));
  if (newPassword === password)
    problems.push({
      field,
      reason: 'same_password',
      message: 'choose a password other than the one-time one',
    });
  if (problems.length > 0) throw validationError(problems);
  return hashPassword(newPassword);
}
