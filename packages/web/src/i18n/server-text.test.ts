import { describe, expect, it } from 'vitest';
import { errorText, reasonText } from './server-text';

describe('server errors in the interface language', () => {
  const weak = {
    code: 'validation_failed',
    message: 'Request is invalid: body.password: too weak',
    details: [
      { field: 'body.password', reason: 'weak_password', message: 'too weak' },
      { field: 'body.x', reason: 'unrecognized_keys', message: 'is not a field of this request' },
    ],
  };

  it('reads the code and each reason, not the English message', () => {
    expect(errorText('zh-CN', weak)).toBe(
      '提交的内容有误：密码太弱：至少 12 位，不含用户名，且至少有 5 个不同字符；不是此请求的字段',
    );
    expect(errorText('en-US', { code: 'conflict', message: 'Decision already decided' })).toBe(
      'Someone else changed this record, or its state changed; refresh and try again',
    );
    expect(reasonText('zh-CN', 'card.luhn', 'Luhn check failed')).not.toMatch(/[A-Za-z]/);
  });

  it('falls back to the server’s message for a code this build does not know', () => {
    expect(errorText('zh-CN', { code: 'teapot', message: 'I am a teapot' })).toBe('I am a teapot');
    expect(reasonText('zh-CN', 'new_reason', 'something new')).toBe('something new');
    expect(errorText('zh-CN', new Error('client side'))).toBe('client side');
  });
});
