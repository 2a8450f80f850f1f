import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP as an authenticator app computes it (HMAC-SHA1, 30-second steps, 6 digits), written
 * here rather than imported so the test checks the server against the standard, not against itself.
 */
export const STEP_MS = 30_000;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not a base32 character: ${char}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function totpStep(atMs: number = Date.now()): number {
  return Math.floor(atMs / STEP_MS);
}

export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A step whose code the server takes now and has not yet seen from this account. Each code works once per
 * user, and the server allows one step of clock drift either way: the current step if it is later than
 * `usedStep`, else the next one (as an authenticator whose clock runs a little ahead would give). Only a
 * third sign-in of the same user within 30 seconds waits, until the step last used is the current one
 * (a little past its start, for clock skew).
 */
export async function stepAfter(usedStep: number | undefined): Promise<number> {
  for (;;) {
    const now = Date.now();
    const step = totpStep(now);
    if (usedStep === undefined || step > usedStep) return step;
    if (step === usedStep) return step + 1;
    await sleep(usedStep * STEP_MS - now + 250);
  }
}
