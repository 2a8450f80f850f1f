import { sm4 } from 'sm-crypto-v2';

/**
 * SM4 (GB/T 32907-2016) in GCM mode (NIST SP 800-38D with SM4 as the block cipher, as RFC 8998 uses it): a
 * 128-bit key, a 96-bit nonce, a 128-bit tag. The block cipher and GCM come from sm-crypto-v2 (Node's OpenSSL 3.0
 * has SM4 only in ECB/CBC/CTR/… modes, without GCM). The package checks the tag only when one is passed, so this
 * wrapper insists on each length before calling it: a missing or short tag never reads as "not checked".
 * Checked in `sm4-gcm.test.ts` against GB/T 32907's example, RFC 8998's SM4-GCM vector and Node's own SM4-CTR.
 */
export const sm4KeyBytes = 16;
export const sm4NonceBytes = 12;
export const sm4TagBytes = 16;

function check(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== sm4KeyBytes) throw new Error('SM4 key must be 16 bytes');
  if (nonce.length !== sm4NonceBytes) throw new Error('SM4-GCM nonce must be 12 bytes');
}

export function sm4GcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plain: Uint8Array,
  aad: Uint8Array,
): { data: Buffer; tag: Buffer } {
  check(key, nonce);
  const r = sm4.encrypt(plain, key, {
    mode: 'gcm',
    iv: nonce,
    associatedData: aad,
    output: 'array',
    outputTag: true,
  });
  if (!r.tag || r.tag.length !== sm4TagBytes) throw new Error('SM4-GCM produced no tag');
  return { data: Buffer.from(r.output), tag: Buffer.from(r.tag) };
}

/** Decrypts, or throws when the tag does not match the key, nonce, associated data and ciphertext. */
export function sm4GcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  tag: Uint8Array,
  data: Uint8Array,
  aad: Uint8Array,
): Buffer {
  check(key, nonce);
  if (tag.length !== sm4TagBytes) throw new Error('SM4-GCM tag must be 16 bytes');
  const out = sm4.decrypt(data, key, { mode: 'gcm', iv: nonce, associatedData: aad, tag, output: 'array' });
  return Buffer.from(out);
}
