import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/**
 * What a bank's system does with signatures, written as the integration guide describes it (the simulator
 * is an integrator, not a part of the server): canonical JSON, Ed25519 both ways.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface AnswerKey {
  publicKeyPem: string;
  sign(payload: unknown): string;
}

/** A bank's own key pair: the public half is registered with the centre, the private half signs answers. */
export function newAnswerKey(): AnswerKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (payload) => sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString('base64'),
  };
}

/**
 * Checks an instruction's signature with the centre's public key, in the algorithm the instruction names:
 * Ed25519, or SM2 (GB/T 32918: r ‖ s over SM3(Z ‖ message), default user id) at a centre set to China's
 * commercial algorithms.
 */
export function centreVerifier(
  publicKeyPem: string,
): (payload: unknown, signature: string, algorithm?: 'Ed25519' | 'SM2') => boolean {
  const key: KeyObject = createPublicKey(publicKeyPem);
  // An SM2 key's SubjectPublicKeyInfo ends with its point, 04 ‖ x ‖ y.
  const spki = key.export({ type: 'spki', format: 'der' });
  const isSm2Key =
    spki.length === 91 && spki.subarray(0, 26).toString('hex').endsWith('2a811ccf5501822d034200');
  return (payload, signature, algorithm = 'Ed25519') => {
    try {
      const message = Buffer.from(canonicalJson(payload));
      const bytes = Buffer.from(signature, 'base64');
      if (algorithm === 'SM2')
        return (
          isSm2Key &&
          bytes.length === 64 &&
          sm2.doVerifySignature(message, bytes.toString('hex'), spki.subarray(26).toString('hex'), {
            hash: true,
          })
        );
      return key.asymmetricKeyType === 'ed25519' && verify(null, message, key, bytes);
    } catch {
      return false;
    }
  };
}
