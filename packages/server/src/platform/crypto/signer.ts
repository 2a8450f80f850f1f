import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { canonicalJson } from './canonical-json';
import type { SignatureAlgorithm } from './suites';

/**
 * Signs with Ed25519 (or SM2, see `createSigner`). The key is derived from the server's secret key, so every
 * process of one deployment signs with the same key and no second secret needs distributing.
 */
export interface Signer {
  /** The signature algorithm, as recorded beside what it signed. */
  algorithm: SignatureAlgorithm;
  keyId: string;
  publicKeyPem: string;
  sign(payload: unknown): string;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * What a key signs decides its derivation label, so that the keys are unrelated: the audit checkpoints'
 * public key can be handed to auditors, and a checkpoint signature can never pass for an instruction's.
 */
const labels = {
  instructions: 'fanzha instruction signing v1',
  'audit-checkpoints': 'fanzha audit checkpoint signing v1',
} as const;

export type SigningPurpose = keyof typeof labels;

/**
 * SM2 (GB/T 32918) signatures come from sm-crypto-v2: Node's OpenSSL takes SM2-curve keys, but signs them
 * with ECDSA, which is not SM2 (no Z value, another equation). Signatures are r ‖ s (64 bytes), base64, over
 * SM3(Z ‖ message) with the standard's default user id 1234567812345678.
 */
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
// SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301), then 04 ‖ x ‖ y.
const sm2SpkiPrefix = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

export function createSigner(
  secretKey: Buffer,
  purpose: SigningPurpose = 'instructions',
  algorithm: SignatureAlgorithm = 'ed25519',
): Signer {
  if (algorithm === 'sm2') return createSm2Signer(secretKey, purpose);
  const seed = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), labels[purpose], 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = keyIdOf(publicKey);
  return {
    algorithm: 'ed25519',
    keyId,
    publicKeyPem,
    sign: (payload) => sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString('base64'),
  };
}

function createSm2Signer(secretKey: Buffer, purpose: SigningPurpose): Signer {
  // Another label than the Ed25519 key's, so the two keys of one purpose are unrelated too.
  const seed = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `${labels[purpose]} sm2`, 48));
  // 384 bits reduced into [1, n-1]: the bias is below 2^-128.
  const d = (BigInt(`0x${seed.toString('hex')}`) % (SM2_N - 1n)) + 1n;
  const privateKeyHex = d.toString(16).padStart(64, '0');
  const publicKeyHex = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  const publicKey = createPublicKey({
    key: Buffer.concat([sm2SpkiPrefix, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return {
    algorithm: 'sm2',
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (payload) =>
      Buffer.from(
        sm2.doSignature(Buffer.from(canonicalJson(payload)), privateKeyHex, {
          hash: true,
          publicKey: publicKeyHex,
        }),
        'hex',
      ).toString('base64'),
  };
}

/** An algorithm's name on the bank protocol (instructions, webhooks, `GET /api/bank/signing-key`). */
export const wireAlgorithm = (a: SignatureAlgorithm): 'Ed25519' | 'SM2' => (a === 'sm2' ? 'SM2' : 'Ed25519');

/** The algorithm a public key signs with, or undefined for a key of another kind. */
export function algorithmOfKey(key: KeyObject): SignatureAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  // OpenSSL reads an SM2-curve key as a key type of its own, which Node does not name: tell it by its form.
  if (key.type !== 'public' || (key.asymmetricKeyType !== undefined && key.asymmetricKeyType !== 'ec'))
    return undefined;
  const der = key.export({ type: 'spki', format: 'der' });
  return der.length === sm2SpkiPrefix.length + 65 &&
    der.subarray(0, sm2SpkiPrefix.length).equals(sm2SpkiPrefix)
    ? 'sm2'
    : undefined;
}

/** A key's id: the first 16 hex digits of the SHA-256 of its SPKI form. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * What a bank does with a received instruction: check the signature with the centre's public key. The
 * algorithm is the one the signed envelope names (`algorithm`, as on the wire or in lower case; Ed25519 unless
 * it says otherwise); a key of another kind than the algorithm claimed never verifies.
 */
export function verifySignature(
  publicKey: KeyObject | string,
  payload: unknown,
  signature: string,
  claimed: SignatureAlgorithm | 'Ed25519' | 'SM2' = 'ed25519',
): boolean {
  const algorithm = claimed.toLowerCase();
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  if (algorithmOfKey(key) !== algorithm) return false;
  const message = Buffer.from(canonicalJson(payload));
  const bytes = Buffer.from(signature, 'base64');
  if (algorithm === 'ed25519') return verify(null, message, key, bytes);
  if (bytes.length !== 64) return false;
  const point = key.export({ type: 'spki', format: 'der' }).subarray(sm2SpkiPrefix.length);
  return sm2.doVerifySignature(message, bytes.toString('hex'), point.toString('hex'), { hash: true });
}

/**
 * Banks' public keys as parsed, by their PEM text: parsing a key cost more than checking a signature with it
 * (330 µs against 130 µs an answer). The PEMs come from registered bank keys only, so the cache stays small;
 * a revoked key is forgotten (and never authenticates again anyway).
 */
const parsedKeys = new Map<string, KeyObject>();

export function publicKeyOf(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    parsedKeys.set(pem, key);
  }
  return key;
}

/** Drops a key from the parsed-key cache (on revocation or rotation). */
export function forgetPublicKey(pem: string): void {
  parsedKeys.delete(pem);
}

/** Checks a bank system's signed answer; a malformed key or signature is simply not valid. */
export function isValidSignature(
  publicKeyPem: string,
  payload: unknown,
  signature: unknown,
  algorithm: SignatureAlgorithm = 'ed25519',
): boolean {
  if (typeof signature !== 'string') return false;
  try {
    return verifySignature(publicKeyOf(publicKeyPem), payload, signature, algorithm);
  } catch {
    return false;
  }
}
