import { countyTaskStatusNamesZh, countyTaskStatuses, legalStateNamesZh, legalStates } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { translate } from './translate';

describe('freezes names', () => {
  it('use the domain’s Chinese names for legal states and county task statuses', () => {
    for (const s of legalStates) expect(translate('zh-CN', `legal.state.${s}`)).toBe(legalStateNamesZh[s]);
    for (const s of countyTaskStatuses)
      expect(translate('zh-CN', `county.status.${s}`)).toBe(countyTaskStatusNamesZh[s]);
  });

  it('name them in English too', () => {
    for (const s of legalStates)
      expect(translate('en-US', `legal.state.${s}`)).not.toBe(legalStateNamesZh[s]);
  });
});
