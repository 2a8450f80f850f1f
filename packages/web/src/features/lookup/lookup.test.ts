import type { RiskLookupResult } from '@fanzha/contracts';
import { noRecordNotice, publicRiskAdvice, publicRiskLevels } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { hasMessage } from '../../i18n';
import {
  answerText,
  inputProblem,
  kindLabelKey,
  kindPlaceholderKey,
  levelView,
  LOOKUP_KINDS,
} from './lookup';

const result = (level: RiskLookupResult['level']): RiskLookupResult => ({
  kind: 'phone',
  value: '+8613800138000',
  level,
  advice: { headline: publicRiskAdvice[level].headline, steps: [...publicRiskAdvice[level].steps] },
  notice: noRecordNotice,
  checkedAt: '2026-05-01T08:00:00.000Z',
});

describe('the lookup page’s logic', () => {
  it('accepts a whole value written any way, and names the problem of a partial one in the reader’s language', () => {
    expect(inputProblem('phone', '+86 138-0013-8000', 'zh-CN')).toBeNull();
    expect(inputProblem('url', 'https://pay.evil-shop.com.cn/x', 'en-US')).toBeNull();
    expect(inputProblem('phone', '1380013', 'zh-CN')).toBe('电话号码位数不正确');
    expect(inputProblem('phone', '138*', 'zh-CN')).toBe('电话号码只能包含数字、空格、连字符、括号和+号');
    expect(inputProblem('phone', '138*', 'en-US')).toMatch(/only digits/);
    expect(inputProblem('account', '', 'zh-CN')).toBe('请输入银行账号或卡号');
  });

  it('never shows no record as green: it does not mean safe', () => {
    expect(levelView('high_risk').alertType).toBe('error');
    expect(levelView('suspicious').alertType).toBe('warning');
    expect(levelView('no_record').alertType).toBe('info');
  });

  it('has a label for every kind and level in the dictionaries', () => {
    for (const kind of LOOKUP_KINDS) {
      expect(hasMessage(kindLabelKey(kind))).toBe(true);
      expect(hasMessage(kindPlaceholderKey(kind))).toBe(true);
    }
    for (const level of publicRiskLevels) expect(hasMessage(levelView(level).titleKey)).toBe(true);
  });

  it('shows the answer’s advice in the reader’s language, the notice with every level', () => {
    const zh = answerText(result('no_record'), 'zh-CN');
    expect(zh.notice).toBe('没有记录不代表安全。');
    expect(zh.steps.some((s) => s.includes('96110'))).toBe(true);
    const en = answerText(result('high_risk'), 'en-US');
    expect(en.headline).toMatch(/^High risk/);
    expect(en.notice).toBe('No record does not mean safe.');
  });
});
