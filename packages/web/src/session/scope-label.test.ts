import { describe, expect, it } from 'vitest';
import { translate, type Translate } from '../i18n/translate';
import { scopeLabel } from './scope-label';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
const en: Translate = (key, params) => translate('en-US', key, params);
const none = { bankCode: null, operatorCode: null, countyCode: null };

describe('scopeLabel', () => {
  it('is null for roles without a scope', () => {
    expect(scopeLabel(none, zh)).toBeNull();
  });

  it('shows the bank code, with its name when known', () => {
    expect(scopeLabel({ ...none, bankCode: 'ICBC' }, zh)).toBe('银行：ICBC');
    expect(scopeLabel({ ...none, bankCode: 'ICBC' }, en, { bank: () => 'ICBC Ltd' })).toBe(
      'Bank: ICBC Ltd ICBC',
    );
    expect(scopeLabel({ ...none, bankCode: 'XYZ' }, en, { bank: () => undefined })).toBe('Bank: XYZ');
  });

  it('names the operator', () => {
    expect(scopeLabel({ ...none, operatorCode: 'china_mobile' }, zh)).toBe('运营商：中国移动');
    expect(scopeLabel({ ...none, operatorCode: 'china_broadnet' }, en)).toBe('Operator: China Broadnet');
  });

  it('shows the county code, with its name when known', () => {
    expect(scopeLabel({ ...none, countyCode: '520102' }, zh, { county: () => '贵阳市南明区' })).toBe(
      '属地：贵阳市南明区 520102',
    );
    expect(scopeLabel({ ...none, countyCode: '520102' }, en)).toBe('County: 520102');
  });
});
