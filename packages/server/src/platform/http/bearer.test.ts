import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/app-harness';
import { bankKeyHeaders, signalKeyHeaders } from '../../../testing/signal-key-credentials';
import { describeEachStorage } from '../../../testing/test-databases';
import { bearerTokenOf } from './policy';

describe('the Bearer scheme of an Authorization header', () => {
  it('is read in any case, with one or more spaces before the credentials (RFC 7235)', () => {
    for (const header of ['Bearer fzk_abc', 'bearer fzk_abc', 'BEARER fzk_abc', 'BeArEr   fzk_abc'])
      expect(bearerTokenOf(header), header).toBe('fzk_abc');
    for (const header of [undefined, '', 'Basic fzk_abc', 'Bearer', 'Bearer ', 'Bearerfzk_abc', 'Bearer a b'])
      expect(bearerTokenOf(header), String(header)).toBeUndefined();
  });
});

describeEachStorage('keys sent with the Bearer scheme in any case', (database) => {
  let h: Harness;
  let bankKey = '';
  let signalKey = '';

  beforeAll(async () => {
    h = await createHarness(database());
    await h.createUser({ username: 'bearer.admin', displayName: 'admin', role: 'admin' });
    const admin = await h.signIn('bearer.admin');
    bankKey = (await bankKeyHeaders(h, admin)).authorization.replace(/^Bearer /, '');
    signalKey = (await signalKeyHeaders(h, admin)).operator.authorization.replace(/^Bearer /, '');
  });
  afterAll(() => h.close());

  const get = (url: string, authorization: string) =>
    h.app.inject({ method: 'GET', url, headers: { authorization } });

  it("open a bank's queue with its key (fzk_) and an operator's countermeasures with its signal key (fzs_)", async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const bank = await get('/api/bank/instructions', `${scheme} ${bankKey}`);
      expect(bank.statusCode, `${scheme} fzk_…: ${bank.body}`).toBe(200);
      const operator = await get('/api/countermeasures', `${scheme} ${signalKey}`);
      expect(operator.statusCode, `${scheme} fzs_…: ${operator.body}`).toBe(200);
    }
    // Still no credential where it is none, in any case.
    expect((await get('/api/countermeasures', `bearer ${bankKey}x`)).statusCode).toBe(401);
    expect((await get('/api/tasks', `bearer ${signalKey}`)).statusCode).toBe(401);
  });
});
