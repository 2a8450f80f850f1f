import { invalid, valid, type Validation } from '../validators/result';

/**
 * Verification codes (核验码) carried by every SMS and call the centre makes, so a citizen can check
 * on the public page that a contact really came from the centre. Fraudsters impersonate warning
 * lines, so codes must not be guessable: nine characters drawn uniformly from a random source (29^9
 * ≈ 1.45 × 10^13 codes, about 44 bits: with 30 million codes live, a guess hits one in about
 * 480,000 tries, and the page is rate-limited) plus a check character that catches any one
 * mistyped character and any swap of two neighbours before it, before a lookup is spent.
 */

// 29 characters (a prime, for the check character): no 0/O, 1/I/L, U/V, which are misread aloud
// or on a small screen.
export const VERIFICATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
const BASE = VERIFICATION_ALPHABET.length;
const RANDOM_LENGTH = 9;

/** Random bytes from a cryptographic source (in the server, node:crypto's randomBytes). */
export type RandomBytes = (n: number) => Uint8Array;

function checkChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * VERIFICATION_ALPHABET.indexOf(body.charAt(i));
  return VERIFICATION_ALPHABET.charAt(sum % BASE);
}

/** A new code in its compact form ('7KQ2MXR9PT'); show it with `formatVerificationCode`. */
export function generateVerificationCode(randomBytes: RandomBytes): string {
  let body = '';
  // Bytes at or above 29 × 8 = 232 are dropped, so every character is equally likely.
  const limit = BASE * Math.floor(256 / BASE);
  while (body.length < RANDOM_LENGTH) {
    for (const b of randomBytes(RANDOM_LENGTH * 2)) {
      if (b < limit && body.length < RANDOM_LENGTH) body += VERIFICATION_ALPHABET.charAt(b % BASE);
    }
  }
  return body + checkChar(body);
}

/** Five and five, as read out on a call or shown in an SMS: '7KQ2M-XR9PT'. */
export function formatVerificationCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export type VerificationCodeReason = 'code.empty' | 'code.length' | 'code.characters' | 'code.check';

export const verificationCodeReasonMessagesZh: Record<VerificationCodeReason, string> = {
  'code.empty': '请输入核验码',
  'code.length': '核验码应为10位',
  'code.characters': '核验码含有不会出现的字符',
  'code.check': '核验码有误，请核对后重新输入',
};

/** The compact code from what a citizen typed (any case, spaces or hyphens), or the problem. */
export function parseVerificationCode(input: string): Validation<string> {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code === '') return invalid('code.empty', 'The verification code is empty.');
  if (code.length !== RANDOM_LENGTH + 1) {
    return invalid(
      'code.length',
      `A verification code has ${RANDOM_LENGTH + 1} characters, but ${code.length} were given.`,
    );
  }
  for (const ch of code) {
    if (!VERIFICATION_ALPHABET.includes(ch)) {
      return invalid('code.characters', `The character ${ch} does not occur in verification codes.`);
    }
  }
  if (checkChar(code.slice(0, RANDOM_LENGTH)) !== code.charAt(RANDOM_LENGTH)) {
    return invalid('code.check', 'The last character does not match: the code was probably mistyped.');
  }
  return valid(code);
}
