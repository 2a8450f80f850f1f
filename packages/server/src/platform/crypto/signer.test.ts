import { createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSigner, forgetPublicKey, isValidSignature, publicKeyOf, verifySignature } from './signer';

describe('instruction signer', () => {
  const signer = createSigner(Buffer.alloc(32, 1));

  it('signs so that the public key verifies, whatever the key order', () => {
    const payload = { b: 1, a: { z: 'x', y: [1, 2] } };
    const signature = signer.sign(payload);
    expect(
      verifySignature(createPublicKey(signer.publicKeyPem), { a: { y: [1, 2], z: 'x' }, b: 1 }, signature),
    ).toBe(true);
  });

  it('refuses any change to a signed instruction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }), (amount, delta) => {
        const signature = signer.sign({ amountFen: amount });
        expect(verifySignature(signer.publicKeyPem, { amountFen: amount + delta }, signature)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('derives the same key from the same secret, another from another', () => {
    expect(createSigner(Buffer.alloc(32, 1)).keyId).toBe(signer.keyId);
    expect(createSigner(Buffer.alloc(32, 2)).keyId).not.toBe(signer.keyId);
    expect(signer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('parses a bank key once, verifies with it, and parses it again after it is forgotten', () => {
    const pem = createSigner(Buffer.alloc(32, 3)).publicKeyPem;
    const bank = createSigner(Buffer.alloc(32, 3));
    const first = publicKeyOf(pem);
    expect(publicKeyOf(pem)).toBe(first);
    expect(isValidSignature(pem, { a: 1 }, bank.sign({ a: 1 }))).toBe(true);
    expect(isValidSignature(pem, { a: 2 }, bank.sign({ a: 1 }))).toBe(false);
    forgetPublicKey(pem);
    const again = publicKeyOf(pem);
    expect(again).not.toBe(first);
    expect(again.equals(first)).toBe(true);
    expect(isValidSignature('not a key', { a: 1 }, bank.sign({ a: 1 }))).toBe(false);
  });
});
