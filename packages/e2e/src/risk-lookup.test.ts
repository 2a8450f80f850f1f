import { randomUUID } from 'node:crypto';
import { createApiClient, type ApiClient } from '@fanzha/contracts';
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi } from './support/session';

/** The fraudster's number, as the victim gave it on the call. */
const FRAUD_PHONE = '137 2468 1357';
const VICTIM = { name: '赵女士', phone: '13812345670' };

/**
 * The public lookup end to end: a number named in a report submitted through the API becomes an indicator;
 * anyone, without an account, looks it up on /lookup and is told it is a risk and what to do; a number no
 * report names says no record, which does not mean safe. Both answers pass axe.
 */
describe('public risk lookup: a reported number and an unknown one', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  let reportNumber = '';
  let analyst: ApiClient;

  const expectAccessible = async (page: Page) => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const taker = await signInApi(
      server.url,
      await createAccount(adminApi, { username: 'jiejing.lk', displayName: '接警员查', role: 'call_taker' }),
    );
    analyst = await signInApi(
      server.url,
      await createAccount(adminApi, { username: 'yanpan.lk', displayName: '研判员查', role: 'analyst' }),
    );
    const id = randomUUID();
    const saved = await taker.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: new Date(Date.now() - 60_000).toISOString(),
        victim: { ...VICTIM, countyCode: '520102' },
        fraudType: 'FAKE_ECOMMERCE_CS',
        transfers: [
          {
            key: 't1',
            transferredAt: new Date(Date.now() - 600_000).toISOString(),
            amountFen: 5_000_000,
            toAccount: { number: withLuhnCheckDigit('622202100099990077') },
          },
        ],
        contacts: [{ key: 'c1', kind: 'phone', value: FRAUD_PHONE }],
        narrative: '对方自称快递客服，说包裹丢失要理赔',
      },
    });
    const submitted = await taker.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: saved.version },
    });
    reportNumber = submitted.number;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('tells anyone, without signing in, that a reported number is a risk, and an unknown one has no record', async () => {
    if (!browser || !server) throw new Error('not started');
    // The registry takes it from the report's event.
    await expect
      .poll(
        async () => {
          try {
            const found = await analyst.GET('/api/indicators/lookup', {
              params: { query: { kind: 'phone', value: FRAUD_PHONE } },
            });
            return found.indicator.reportCount;
          } catch {
            return 0;
          }
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/lookup');
    expect(new URL(page.url()).pathname).toBe('/lookup');
    await page.getByTestId('page-title').waitFor();
    await expectAccessible(page);

    // Written another way than in the report: +86 and hyphens.
    await page.getByTestId('lookup-value').fill('+86-137-2468-1357');
    await page.getByTestId('lookup-submit').click();
    const risk = page.getByTestId('lookup-high-risk');
    await risk.waitFor();
    const text = (await risk.textContent()) ?? '';
    expect(text).toContain('高风险');
    expect(text).toContain('96110');
    expect(text).toContain('+8613724681357');
    for (const personal of [VICTIM.name, VICTIM.phone, reportNumber]) expect(text).not.toContain(personal);
    await expectAccessible(page);

    // A number no report names: no record, and the page says that does not mean safe.
    await page.getByTestId('lookup-value').fill('13698765432');
    await page.getByTestId('lookup-submit').click();
    const none = page.getByTestId('lookup-no-record');
    await none.waitFor();
    expect(await page.getByTestId('lookup-notice').textContent()).toBe('没有记录不代表安全。');
    expect(await risk.count()).toBe(0);
    await expectAccessible(page);

    // A partial number is pointed out at once; nothing is looked up.
    let looked = 0;
    page.on('request', (r) => void (r.url().includes('/api/public/risk-lookup') && looked++));
    await page.getByTestId('lookup-value').fill('1369876');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('lookup-problem').waitFor();
    expect(looked).toBe(0);

    // The API says the same to an app, without a session, and nothing more.
    const anyone = createApiClient({ baseUrl: server.url });
    const answer = await anyone.POST('/api/public/risk-lookup', {
      body: { kind: 'phone', value: FRAUD_PHONE },
    });
    expect(Object.keys(answer).sort()).toEqual(['advice', 'checkedAt', 'kind', 'level', 'notice', 'value']);
    expect(answer.level).toBe('high_risk');
    expect(pageErrors).toEqual([]);
  });
});
