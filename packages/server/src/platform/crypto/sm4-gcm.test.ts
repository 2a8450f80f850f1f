import { createCipheriv } from 'node:crypto';
import { sm4 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { sm4GcmOpen, sm4GcmSeal } from './sm4-gcm';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

// GB/T 32907-2016, appendix A, example 1.
const gbKey = hex('0123456789abcdeffedcba9876543210');
const gbCipher = '681edf34d206965e86b3e94f536e4246';

// RFC 8998, appendix A.1 (SM4-GCM).
const rfc = {
  key: gbKey,
  nonce: hex('00001234567800000000ABCD'),
  aad: hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2'),
  plain: hex(`AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD
              EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA`),
  cipher: `17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735
           D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D`.replace(/\s/g, ''),
  tag: '83DE3541E4C2B58177E065A9BF7B62EC',
};

describe('SM4 and SM4-GCM', () => {
  it('the package’s block cipher gives GB/T 32907’s example, as Node’s OpenSSL does', () => {
    const pkg = Buffer.from(sm4.encrypt(gbKey, gbKey, { padding: 'none', output: 'array' }));
    const node = createCipheriv('sm4-ecb', gbKey, null).setAutoPadding(false);
    expect(pkg.toString('hex')).toBe(gbCipher);
    expect(Buffer.concat([node.update(gbKey), node.final()]).toString('hex')).toBe(gbCipher);
  });

  it('gives RFC 8998’s SM4-GCM vector, and opens it', () => {
    const { data, tag } = sm4GcmSeal(rfc.key, rfc.nonce, rfc.plain, rfc.aad);
    expect(data.toString('hex').toUpperCase()).toBe(rfc.cipher);
    expect(tag.toString('hex').toUpperCase()).toBe(rfc.tag);
    expect(sm4GcmOpen(rfc.key, rfc.nonce, tag, data, rfc.aad)).toEqual(rfc.plain);
  });

  it('encrypts as Node’s own SM4-CTR from the counter after J0 (an independent check of the keystream)', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f');
    const nonce = hex('cafebabefacedbaddecaf888');
    const plain = Buffer.from('张三丰 · 6222 0200 1234 5678 · 南明区花果园 7 栋 (odd length)');
    const { data } = sm4GcmSeal(key, nonce, plain, Buffer.alloc(0));
    const counter = Buffer.concat([nonce, hex('00000002')]);
    const ctr = createCipheriv('sm4-ctr', key, counter);
    expect(data).toEqual(Buffer.concat([ctr.update(plain), ctr.final()]));
  });

  it('round-trips any length, and refuses a changed tag, associated data, nonce, ciphertext or key', () => {
    const key = hex('00112233445566778899aabbccddeeff');
    const nonce = hex('000000000000000000000001');
    const aad = Buffer.from('fz1\0sm4-gcm\0report.victim_name');
    for (const len of [0, 1, 15, 16, 17, 100]) {
      const plain = Buffer.alloc(len, 0x41);
      const { data, tag } = sm4GcmSeal(key, nonce, plain, aad);
      expect(sm4GcmOpen(key, nonce, tag, data, aad)).toEqual(plain);
    }
    const plain = Buffer.from('李四');
    const { data, tag } = sm4GcmSeal(key, nonce, plain, aad);
    const flip = (b: Buffer, i = 0) => {
      const c = Buffer.from(b);
      c[i] = c[i]! ^ 1;
      return c;
    };
    expect(() => sm4GcmOpen(key, nonce, flip(tag), data, aad)).toThrow();
    expect(() => sm4GcmOpen(key, nonce, flip(tag, 15), data, aad)).toThrow();
    expect(() => sm4GcmOpen(key, nonce, tag, data, flip(aad, aad.length - 1))).toThrow();
    expect(() => sm4GcmOpen(key, flip(nonce, 11), tag, data, aad)).toThrow();
    expect(() => sm4GcmOpen(key, nonce, tag, flip(data), aad)).toThrow();
    expect(() => sm4GcmOpen(flip(key), nonce, tag, data, aad)).toThrow();
  });

  it('refuses a missing or short tag (the package would skip the check), a short nonce or key', () => {
    const key = hex('00112233445566778899aabbccddeeff');
    const nonce = hex('000000000000000000000001');
    const { data, tag } = sm4GcmSeal(key, nonce, Buffer.from('王五'), Buffer.alloc(0));
    expect(() => sm4GcmOpen(key, nonce, Buffer.alloc(0), data, Buffer.alloc(0))).toThrow(/tag/);
    expect(() => sm4GcmOpen(key, nonce, tag.subarray(0, 12), data, Buffer.alloc(0))).toThrow(/tag/);
    expect(() => sm4GcmSeal(key, nonce.subarray(0, 8), Buffer.from('x'), Buffer.alloc(0))).toThrow(/nonce/);
    expect(() => sm4GcmSeal(Buffer.alloc(32), nonce, Buffer.from('x'), Buffer.alloc(0))).toThrow(/key/);
  });
});
