/**
 * A fast, non-cryptographic 64-bit hash of a string, as two 32-bit words, in plain JavaScript
 * (`Math.imul` arithmetic, no BigInt). Two lanes read the same 32-bit blocks (two UTF-16 code units
 * each): a MurmurHash3 lane and an xxHash32 lane, each finished with MurmurHash3's avalanche step and
 * then mixed into each other, so every input bit reaches all 64 output bits. Not for secrets: the
 * matcher only uses it to find candidates, which the database confirms.
 */
export function hash64Into(s: string, out: Uint32Array): void {
  const n = s.length;
  let h1 = 0x2f8a3c61 ^ n;
  let h2 = Math.imul(0x6b43a9b5 ^ n, 0x9e3779b1);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (h2 + Math.imul(k, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
  }
  if (i < n) {
    const k = s.charCodeAt(i);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    h2 = (h2 + Math.imul(k, 0x165667b1)) | 0;
    h2 = Math.imul((h2 << 17) | (h2 >>> 15), 0x27d4eb2f);
  }
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1 >>> 0;
  out[1] = fmix32(h2) >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash as a 16-digit hex string: for tests and logs, not for the hot path. */
export function hash64Hex(s: string): string {
  const out = new Uint32Array(2);
  hash64Into(s, out);
  return out[0]!.toString(16).padStart(8, '0') + out[1]!.toString(16).padStart(8, '0');
}
