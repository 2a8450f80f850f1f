import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

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

/** Checks an instruction's signature with the centre's public key. */
export function centreVerifier(publicKeyPem: string): (payload: unknown, signature: string) => boolean {
  const key: KeyObject = createPublicKey(publicKeyPem);
  return (payload, signature) => {
    try {
      return verify(null, Buffer.from(canonicalJson(payload)), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  };
}
