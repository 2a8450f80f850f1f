import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { startNotice } from './start-notice';

describe('the start notice', () => {
  const demo = { url: 'http://127.0.0.1:8080', demoAccounts: [{ username: 'admin' }] };

  it('says the demo listens on this machine only when it does', () => {
    const notice = startNotice(loadConfig({}), demo);
    expect(notice).toContain('listening on 127.0.0.1 only');
    expect(notice).not.toContain('OPEN TO YOUR NETWORK');
  });

  it('warns loudly when the demo is opened to others: anyone reaching it signs in as any demo account', () => {
    for (const host of ['0.0.0.0', '10.1.2.3', '::']) {
      const notice = startNotice(loadConfig({ FANZHA_HOST: host }), demo);
      expect(notice, host).toContain(`OPEN TO YOUR NETWORK: listening on ${host}`);
      expect(notice, host).not.toContain(`listening on ${host} only`);
    }
  });
});
