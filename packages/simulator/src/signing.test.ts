import { createPublicKey } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { canonicalJson, centreVerifier, newAnswerKey } from './signing';

describe('signatures as a bank makes them', () => {
  it('serialise with keys sorted at every depth, no spaces, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('sign an answer that verifies with the public half, and nothing else', () => {
    const key = newAnswerKey();
    const verify = centreVerifier(key.publicKeyPem);
    const payload = {
      instructionId: 'i',
      idempotencyKey: 'k',
      answer: { outcome: 'stopped', stoppedFen: 1 },
    };
    const signature = key.sign(payload);
    expect(verify(payload, signature)).toBe(true);
    expect(verify({ ...payload, idempotencyKey: 'other' }, signature)).toBe(false);
    expect(verify(payload, 'bm90IGEgc2lnbmF0dXJl')).toBe(false);
  });

  it('verify an SM2 instruction of a centre on the commercial algorithms, by the algorithm it names', () => {
    const pair = sm2.generateKeyPairHex();
    // SubjectPublicKeyInfo on the SM2 curve (1.2.156.10197.1.301), as the centre publishes it.
    const spki = Buffer.from(`3059301306072a8648ce3d020106082a811ccf5501822d034200${pair.publicKey}`, 'hex');
    const pem = createPublicKey({ key: spki, format: 'der', type: 'spki' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const payload = { instructionId: 'i', amountFen: 100 };
    const signature = Buffer.from(
      sm2.doSignature(Buffer.from(canonicalJson(payload)), pair.privateKey, { hash: true }),
      'hex',
    ).toString('base64');
    const verify = centreVerifier(pem);
    expect(verify(payload, signature, 'SM2')).toBe(true);
    expect(verify({ ...payload, amountFen: 1 }, signature, 'SM2')).toBe(false);
    expect(verify(payload, signature)).toBe(false);
    expect(centreVerifier(newAnswerKey().publicKeyPem)(payload, signature, 'SM2')).toBe(false);
  });
});
