import { describe, expect, it } from 'vitest';
import { translate, type Translate } from '../../i18n/translate';
import { outboxText } from './outbox-text';

const en: Translate = (key, params) => translate('en-US', key, params);
const zh: Translate = (key, params) => translate('zh-CN', key, params);

describe('outboxText', () => {
  it('shows a dash when the database did not answer', () => {
    expect(outboxText({ database: 'error', outboxUnpublished: null, outboxOldestAgeS: null }, en)).toBe('—');
  });

  it('shows the count, and the age of the oldest event when there is a backlog', () => {
    expect(outboxText({ database: 'ok', outboxUnpublished: 0, outboxOldestAgeS: null }, en)).toBe('0');
    expect(outboxText({ database: 'ok', outboxUnpublished: 3, outboxOldestAgeS: 75 }, en)).toBe(
      '3, oldest 1 min 15 s ago',
    );
    expect(outboxText({ database: 'ok', outboxUnpublished: 3, outboxOldestAgeS: 75 }, zh)).toBe(
      '3 条，最早 1 分钟 15 秒前',
    );
  });
});
