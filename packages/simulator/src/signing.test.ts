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
});
