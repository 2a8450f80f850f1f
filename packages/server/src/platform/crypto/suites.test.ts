import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';
import { algorithmOfKey, createSigner, isValidSignature, verifySignature } from './signer';
import { digestHex } from './suites';

describe('hashes of both suites', () => {
  it('computes SM3 as GB/T 32905 gives it', () => {
    expect(digestHex('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(digestHex('sm3', 'abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('computes SHA-256 as FIPS 180-4 gives it', () => {
    expect(digestHex('sha256', 'abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

// SM2's curve (GB/T 32918.5) and its verification equation, written out here independently of the library
// that signs: R = (e + x1) mod n, with (x1, y1) = sG + (r + s)P and e = SM3(Z ‖ M). ECDSA on the same curve
// (what Node's own sign() does with an SM2-curve key) fails this check.
const p = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF');
const a = p - 3n;
const b = BigInt('0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93');
const n = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const G: Point = [
  BigInt('0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'),
  BigInt('0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'),
];
type Point = [bigint, bigint] | null;
const mod = (x: bigint, m = p) => ((x % m) + m) % m;
const inv = (x: bigint, m = p) => {
  let [r0, r1, s0, s1] = [mod(x, m), m, 1n, 0n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
};
const add = (P: Point, Q: Point): Point => {
  if (!P) return Q;
  if (!Q) return P;
  if (P[0] === Q[0] && mod(P[1] + Q[1]) === 0n) return null;
  const l =
    P[0] === Q[0] ? mod((3n * P[0] * P[0] + a) * inv(2n * P[1])) : mod((Q[1] - P[1]) * inv(Q[0] - P[0]));
  const x = mod(l * l - P[0] - Q[0]);
  return [x, mod(l * (P[0] - x) - P[1])];
};
const mul = (k: bigint, P: Point): Point => {
  let R: Point = null;
  for (; k > 0n; k >>= 1n, P = add(P, P)) if (k & 1n) R = add(R, P);
  return R;
};
const be = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const sm3 = (data: Buffer) => createHash('sm3').update(data).digest();

function isSm2Signature(publicKeyPem: string, message: string, signatureBase64: string): boolean {
  const point = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).subarray(-64);
  const P: Point = [
    BigInt(`0x${point.subarray(0, 32).toString('hex')}`),
    BigInt(`0x${point.subarray(32).toString('hex')}`),
  ];
  const sig = Buffer.from(signatureBase64, 'base64');
  const r = BigInt(`0x${sig.subarray(0, 32).toString('hex')}`);
  const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const id = Buffer.from('1234567812345678');
  const z = sm3(
    Buffer.concat([Buffer.from([0, id.length * 8]), id, ...[a, b, G![0], G![1], P[0], P[1]].map(be)]),
  );
  const e = BigInt(`0x${sm3(Buffer.concat([z, Buffer.from(message)])).toString('hex')}`);
  const R = add(mul(s, G), mul(mod(r + s, n), P));
  return R !== null && mod(e + R[0], n) === r;
}

describe('signatures of both suites', () => {
  const secret = Buffer.alloc(32, 4);
  const payload = { kind: 'emergency_stop_payment', amountFen: 1234500, account: '6222020200112233445' };

  it('signs with SM2 as GB/T 32918 defines it (with Z and the default user id)', () => {
    const signer = createSigner(secret, 'audit-checkpoints', 'sm2');
    expect(signer.algorithm).toBe('sm2');
    expect(algorithmOfKey(createPublicKey(signer.publicKeyPem))).toBe('sm2');
    const signature = signer.sign(payload);
    expect(isSm2Signature(signer.publicKeyPem, canonicalJson(payload), signature)).toBe(true);
    expect(isSm2Signature(signer.publicKeyPem, canonicalJson({ ...payload, amountFen: 1 }), signature)).toBe(
      false,
    );
    expect(verifySignature(signer.publicKeyPem, payload, signature, 'sm2')).toBe(true);
    expect(verifySignature(signer.publicKeyPem, { ...payload, amountFen: 1 }, signature, 'sm2')).toBe(false);
  });

  it('derives one key per secret, purpose and algorithm', () => {
    const ids = [
      createSigner(secret, 'instructions', 'sm2'),
      createSigner(secret, 'audit-checkpoints', 'sm2'),
      createSigner(secret, 'instructions', 'ed25519'),
      createSigner(secret, 'audit-checkpoints', 'ed25519'),
      createSigner(Buffer.alloc(32, 5), 'audit-checkpoints', 'sm2'),
    ].map((s) => s.keyId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(createSigner(secret, 'audit-checkpoints', 'sm2').keyId).toBe(ids[1]);
  });

  it('refuses a signature that claims the wrong algorithm', () => {
    const sm2 = createSigner(secret, 'instructions', 'sm2');
    const ed = createSigner(secret, 'instructions', 'ed25519');
    expect(verifySignature(ed.publicKeyPem, payload, ed.sign(payload))).toBe(true);
    expect(verifySignature(ed.publicKeyPem, payload, ed.sign(payload), 'sm2')).toBe(false);
    expect(verifySignature(sm2.publicKeyPem, payload, sm2.sign(payload), 'ed25519')).toBe(false);
    expect(isValidSignature(sm2.publicKeyPem, payload, sm2.sign(payload), 'ed25519')).toBe(false);
    expect(isValidSignature(sm2.publicKeyPem, payload, sm2.sign(payload), 'sm2')).toBe(true);
    expect(isValidSignature(sm2.publicKeyPem, payload, 'AAAA', 'sm2')).toBe(false);
  });
});
