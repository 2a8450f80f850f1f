import { operators, roleNamesZh, roles } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { translate } from './translate';

describe('names from the domain', () => {
  it('use the domain’s Chinese role names', () => {
    for (const role of roles) expect(translate('zh-CN', `role.${role}`)).toBe(roleNamesZh[role]);
  });

  it('name every role and operator in English', () => {
    for (const role of roles) expect(translate('en-US', `role.${role}`)).not.toBe(`role.${role}`);
    for (const op of operators) expect(translate('en-US', `operator.${op}`)).not.toBe(`operator.${op}`);
  });
});
