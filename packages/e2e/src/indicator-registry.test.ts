import { randomUUID } from 'node:crypto';
import type {
  ApiClient,
  CountermeasureBatchView,
  IndicatorList,
  IndicatorView,
  ReportView,
} from '@fanzha/contracts';
// The shared, pure domain package (no server code): a valid card number, built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { dialogSettled, launchBrowser } from './support/browser';
import { until } from './support/outsider';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, openSignedIn, signInApi, type Account } from './support/session';

const FRAUD_PHONE = '17055550201'; // the number that called the victim
const SHOP_PHONE = '13985550202'; // the shop's number she also gave: not the fraudster's
const MULE = withLuhnCheckDigit('622202' + '100066660001');
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * The indicator registry (涉诈线索库) as an analyst works it: a report names two numbers; the analyst finds
 * each, reads where it came from, clears the shop's number with a reason (it shows in its history) and asks
 * the operator to block the fraudster's — from the indicator's own page, in one page load.
 */
describe('the indicator registry: find, clear with a reason, request a block', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const admin = bootstrapAdmin();
  let reader: ApiClient;
  let analyst: Account;
  let report: ReportView;
  let page: Page;
  const found = {} as Record<'fraud' | 'shop', IndicatorView>;

  const expectAccessible = async () => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };
  /** Searches the list for a phone number (the kind is already chosen) and opens its indicator. */
  const openIndicator = async (value: string, id: number) => {
    const search = page.getByTestId('indicator-search').locator('input');
    await search.fill(value);
    await search.press('Enter');
    await page.getByTestId(`indicator-open-${id}`).click();
    await page.locator(`[data-testid="indicator-detail"][data-id="${id}"]`).waitFor();
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const callTaker = await createAccount(adminApi, {
      username: 'jiejing.reg',
      displayName: '接警员',
      role: 'call_taker',
    });
    // Two analysts: one reads through the API, the other works in the browser (each signs in once).
    const apiReader = await createAccount(adminApi, {
      username: 'fenxi.reg.api',
      displayName: '研判员乙',
      role: 'analyst',
    });
    analyst = await createAccount(adminApi, {
      username: 'fenxi.reg',
      displayName: '研判员',
      role: 'analyst',
    });
    const caller = await signInApi(server.url, callTaker);
    reader = await signInApi(server.url, apiReader);

    const id = randomUUID();
    const draft = await caller.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(3),
        victim: { name: '周某', phone: '13985010001', countyCode: '520102' },
        transfers: [
          {
            key: 't1',
            transferredAt: minutesAgo(20),
            amountFen: 880_000,
            toAccount: { number: MULE, name: '吴某' },
          },
        ],
        contacts: [
          { key: 'c1', kind: 'phone', value: FRAUD_PHONE },
          { key: 'c2', kind: 'phone', value: SHOP_PHONE },
        ],
        narrative: '对方冒充网店客服，称订单异常需退款。',
        fraudType: 'FAKE_ECOMMERCE_CS',
      },
    });
    report = await caller.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: draft.version },
    });
    // The registry takes the numbers in from the report's event.
    for (const [key, value] of [
      ['fraud', FRAUD_PHONE],
      ['shop', SHOP_PHONE],
    ] as const)
      found[key] = await until(`the indicator of ${value}`, async () => {
        try {
          const detail = await reader.GET('/api/indicators/lookup', {
            params: { query: { kind: 'phone', value } },
          });
          return detail.sources.length > 0 ? detail.indicator : undefined;
        } catch {
          return undefined;
        }
      });

    browser = await launchBrowser();
    page = await openSignedIn(browser, server.url, analyst, '/indicators?kind=phone', {
      contexts,
      pageErrors,
    });
    await page.getByTestId('indicator-list').waitFor();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('finds the shop’s number, with the report that named it', async () => {
    await openIndicator(SHOP_PHONE, found.shop.id);
    await page.getByTestId('indicator-sources').getByText(report.number).waitFor();
    await page.getByTestId('indicator-history').getByText('暂无研判记录').waitFor();
    await expectAccessible();
  });

  it('clears it as not fraud, with a reason that shows in its history', async () => {
    await page.getByTestId('indicator-action-not_fraud').click();
    const dialog = page.getByTestId('indicator-dialog-decision');
    await dialog.waitFor();
    await dialogSettled(page);
    // No reason, no decision.
    await page.getByTestId('indicator-dialog-decision-ok').click();
    await page.getByRole('alert').filter({ hasText: '请填写理由' }).waitFor();
    await page.getByTestId('indicator-reason').fill('该号码为受害人网购店铺的客服电话，非诈骗号码');
    const decided = page.waitForResponse((r) =>
      r.url().endsWith(`/api/indicators/${found.shop.id}/decisions`),
    );
    await page.getByTestId('indicator-dialog-decision-ok').click();
    expect((await decided).status()).toBe(200);

    await page.locator('[data-testid="indicator-detail"][data-status="not_fraud"]').waitFor();
    await page.getByTestId('history-not_fraud').getByText('受害人网购店铺的客服电话').first().waitFor();
    expect((await page.getByTestId('indicator-action-not_fraud').count()) === 0).toBe(true);
    await expectAccessible();
  });

  it('requests a block of the fraudster’s number from its page', async () => {
    await page.getByTestId('indicator-back').click();
    await page.getByTestId('indicator-list').waitFor();
    await openIndicator(FRAUD_PHONE, found.fraud.id);

    await page.getByTestId('indicator-action-countermeasure').click();
    const dialog = page.getByTestId('indicator-dialog-countermeasure');
    await dialog.waitFor();
    await dialogSettled(page);
    await dialog.getByText('中国移动').click();
    await page.getByTestId('indicator-reason').fill(`警情 ${report.number} 中的诈骗来电号码`);
    const requested = page.waitForResponse(
      (r) => r.url().endsWith('/api/countermeasures') && r.request().method() === 'POST',
    );
    await page.getByTestId('indicator-dialog-countermeasure-ok').click();
    const response = await requested;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const batch = (await response.json()) as CountermeasureBatchView;
    expect(batch.items).toEqual([
      expect.objectContaining({
        kind: 'block_phone',
        partyCode: 'china_mobile',
        indicatorId: found.fraud.id,
        status: 'requested',
      }),
    ]);
    await dialog.waitFor({ state: 'detached' });

    // The centre sees it among the countermeasures awaiting China Mobile.
    const open = await reader.GET('/api/countermeasures', { params: { query: { status: 'open' } } });
    expect(open.items.map((c) => c.id)).toContain(batch.items[0]!.id);
    expect(pageErrors).toEqual([]);
  });

  it('filters the list by risk level through the API, so every page holds matches only', async () => {
    const { riskLevel } = (
      await reader.GET('/api/indicators/{id}', {
        params: { path: { id: String(found.fraud.id) } },
      })
    ).indicator;
    const other = riskLevel === 'high' ? 'low' : 'high';
    for (const level of [riskLevel, other]) {
      const asked = page.waitForResponse(
        (r) => r.url().includes('/api/indicators?') && r.url().includes(`level=${level}`),
      );
      await page.goto(`${server!.url}/indicators?kind=phone&level=${level}`);
      const answer = await asked;
      expect(answer.status()).toBe(200);
      const listed = ((await answer.json()) as IndicatorList).indicators;
      expect(listed.every((i) => i.riskLevel === level)).toBe(true);
      await page.getByTestId('indicator-list').waitFor();
      const row = page.getByTestId(`indicator-open-${found.fraud.id}`);
      if (level === riskLevel) await row.waitFor();
      else expect(await row.count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
  });
});
