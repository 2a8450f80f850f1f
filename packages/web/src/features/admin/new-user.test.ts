import { describe, expect, it } from 'vitest';
import {
  USERNAME_PATTERN,
  generatePassword,
  isWeakPassword,
  toCreateUserRequest,
  toSetUserRoleRequest,
} from './new-user';

describe('toCreateUserRequest', () => {
  it('sends only the scope the role needs, trimmed', () => {
    expect(
      toCreateUserRequest({
        username: ' li.si ',
        displayName: ' 李四 ',
        role: 'bank_liaison',
        bankCode: 'ICBC',
        countyCode: '520102',
        password: 'correct horse battery',
      }),
    ).toEqual({
      username: 'li.si',
      displayName: '李四',
      role: 'bank_liaison',
      bankCode: 'ICBC',
      password: 'correct horse battery',
    });
    expect(
      toCreateUserRequest({
        username: 'w',
        displayName: 'W',
        role: 'analyst',
        bankCode: 'ICBC',
        password: 'p',
      }),
    ).not.toHaveProperty('bankCode');
    expect(
      toCreateUserRequest({ username: 'c', displayName: 'C', role: 'county_police', countyCode: '520102' }),
    ).toMatchObject({ countyCode: '520102' });
    expect(
      toCreateUserRequest({
        username: 't',
        displayName: 'T',
        role: 'telecom_liaison',
        operatorCode: 'china_mobile',
      }),
    ).toMatchObject({ operatorCode: 'china_mobile' });
  });
});

describe('USERNAME_PATTERN', () => {
  it('matches the contract', () => {
    for (const ok of ['abc', 'li.si', 'a_b-c9', 'a'.repeat(32)])
      expect(USERNAME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['ab', '9abc', 'Abc', 'a b', 'a'.repeat(33), '张三'])
      expect(USERNAME_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('generatePassword', () => {
  it('makes long passwords of unambiguous characters', () => {
    const password = generatePassword();
    expect(password).toHaveLength(16);
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]+$/);
    expect(generatePassword()).not.toBe(password);
  });

  it('skips bytes that would bias the choice', () => {
    // 250 is above the last full multiple of 56 (224): skipped; 57 → alphabet[1].
    const bytes = [250, 57, 0];
    const random = (b: Uint8Array<ArrayBuffer>) => {
      b.fill(0);
      bytes.forEach((v, i) => (b[i] = v));
      return b;
    };
    expect(generatePassword(3, random)).toBe('baa');
  });
});

describe('isWeakPassword', () => {
  it('refuses passwords with the username inside or too few different characters', () => {
    expect(isWeakPassword('my-LI.SI-password', 'li.si')).toBe(true);
    expect(isWeakPassword('aaaabbbbcccc', 'zhang')).toBe(true);
    expect(isWeakPassword('e2e-pass-7f3a9c01', 'zhang')).toBe(false);
    expect(isWeakPassword('e2e-pass-7f3a9c01', '')).toBe(false);
  });
});

describe('toSetUserRoleRequest', () => {
  it('sends the role and only the scope it needs', () => {
    expect(toSetUserRoleRequest({ role: 'county_police', countyCode: '520102', bankCode: 'ICBC' })).toEqual({
      role: 'county_police',
      countyCode: '520102',
    });
    expect(toSetUserRoleRequest({ role: 'supervisor', countyCode: '520102' })).toEqual({
      role: 'supervisor',
    });
    expect(toSetUserRoleRequest({ role: 'bank_liaison', bankCode: 'CCB' })).toEqual({
      role: 'bank_liaison',
      bankCode: 'CCB',
    });
  });
});
