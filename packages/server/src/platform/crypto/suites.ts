import { createHash } from 'node:crypto';
import type { FieldCipherId } from './field-cipher';

/**
 * The algorithms a deployment uses, by one setting (FANZHA_CRYPTO): `international` (Ed25519, SHA-256) or
 * `commercial`, China's commercial cryptography of GB/T 39786 (SM2 signatures of GB/T 32918 with SM3 of
 * GB/T 32905, and SM4-GCM of GB/T 32907 for personal data at rest). Each signature, audit seal, checkpoint and
 * encrypted value records its algorithm, so what was made under one suite still verifies (and decrypts) after a
 * switch to the other.
 */
export type CryptoSuite = 'international' | 'commercial';
export type HashAlgorithm = 'sha256' | 'sm3';
export type SignatureAlgorithm = 'ed25519' | 'sm2';

export const cryptoSuites = ['international', 'commercial'] as const;

export const suiteAlgorithms: Record<
  CryptoSuite,
  { hash: HashAlgorithm; signature: SignatureAlgorithm; fieldCipher: FieldCipherId }
> = {
  international: { hash: 'sha256', signature: 'ed25519', fieldCipher: 'aes-256-gcm' },
  commercial: { hash: 'sm3', signature: 'sm2', fieldCipher: 'sm4-gcm' },
};

export const hashAlgorithms: readonly HashAlgorithm[] = ['sha256', 'sm3'];

export const isHashAlgorithm = (v: unknown): v is HashAlgorithm =>
  typeof v === 'string' && (hashAlgorithms as readonly string[]).includes(v);

/** Hex digest of UTF-8 text. Node's OpenSSL has SM3 (checked against GB/T 32905's examples in the tests). */
export function digestHex(algorithm: HashAlgorithm, text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}
