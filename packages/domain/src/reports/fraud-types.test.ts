import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fraudTypes, suggestFraudType } from './fraud-types';

describe('fraud type suggestion', () => {
  it('suggests from what the victim said', () => {
    expect(suggestFraudType('对方自称客服，说我的快递丢件了要理赔，让我共享屏幕')?.code).toBe(
      'FAKE_ECOMMERCE_CS',
    );
    expect(suggestFraudType('一个自称公安局警官的人说我涉嫌洗钱，要把钱转到安全账户')?.code).toBe(
      'IMPERSONATE_AUTHORITY',
    );
    expect(suggestFraudType('在群里做任务刷单，开始有返利，后来要求垫付')?.code).toBe('TASK_REBATE');
  });

  it('names the keywords it matched', () => {
    expect(suggestFraudType('他说可以帮我注销校园贷账户，不然影响征信')).toEqual({
      code: 'FAKE_CREDIT_REPAIR',
      matched: ['征信', '校园贷', '影响征信'],
    });
  });

  it('suggests nothing from text without any keyword', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '天', '地') }), (text) => {
        expect(suggestFraudType(text)).toBeUndefined();
      }),
    );
  });

  it('gives every type a code and both names', () => {
    for (const t of fraudTypes) expect(t.nameZh && t.nameEn && t.code).toBeTruthy();
  });
});
