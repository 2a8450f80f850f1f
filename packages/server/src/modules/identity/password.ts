import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const options = {
  algorithm: 2 /* Argon2id; the package's enum is a const enum that isolated modules cannot read */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** A hash of nothing anyone knows: verified against when the user does not exist, to take the same time. */
let dummy: Promise<string> | undefined;

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    dummy ??= hashPassword(`no-such-user-${Math.random()}`);
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** Reasons a new password is refused, or an empty list. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < 12) problems.push('at least 12 characters');
  if (password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the username');
  if (new Set(password).size < 5) problems.push('too few different characters');
  return problems;
}
