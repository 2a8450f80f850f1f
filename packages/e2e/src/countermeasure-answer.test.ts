import type { ApiClient, CountermeasureView } from '@fanzha/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { dialogSettled, launchBrowser } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  liveStreamOpen,
  openSignedIn,
  signInApi,
  type Account,
} from './support/session';

const FRAUD_PHONE = '17055550301';
const OTHER_PHONE = '17055550302';

/**
 * A block request (关停号码) end to end in the consoles: the centre requests it, China Mobile's liaison sees it
 * arrive live in the operator console and executes it; the centre's countermeasure view shows it executed and
 * counted in the operator's figures, and a lift asked there reaches the liaison live. Another block the liaison
 * refuses, with a reason picked in the dialog.
 */
describe('a countermeasure answered: requested, executed live, seen by the centre', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const admin = bootstrapAdmin();
  let requester: ApiClient;
  const accounts = {} as Record<'liaison' | 'analyst', Account>;
  let liaison: Page;
  let centre: Page;
  let block: CountermeasureView;

  const expectAccessible = async (page: Page) => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const apiAnalyst = await createAccount(adminApi, {
      username: 'fenxi.cm.api',
      displayName: '研判员乙',
      role: 'analyst',
    });
    accounts.analyst = await createAccount(adminApi, {
      username: 'fenxi.cm',
      displayName: '研判员',
      role: 'analyst',
    });
    accounts.liaison = await createAccount(adminApi, {
      username: 'yidong.cm',
      displayName: '移动驻场',
      role: 'telecom_liaison',
      operatorCode: 'china_mobile',
    });
    requester = await signInApi(server.url, apiAnalyst);
    browser = await launchBrowser();
    // The liaison's console is open (and live) before the request is made, as on a shift.
    liaison = await openSignedIn(browser, server.url, accounts.liaison, '/operator', {
      contexts,
      pageErrors,
    });
    await liveStreamOpen(liaison);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('reaches the operator console live, and the liaison executes it', async () => {
    const batch = await requester.POST('/api/countermeasures', {
      params: { header: { 'idempotency-key': crypto.randomUUID() } },
      body: {
        items: [
          { kind: 'block_phone', value: FRAUD_PHONE, partyCode: 'china_mobile', reason: '诈骗来电号码' },
        ],
      },
    });
    block = batch.items[0]!;
    const row = liaison.getByTestId(`countermeasure-row-${block.id}`);
    await row.waitFor();
    await expectAccessible(liaison);
    const answered = liaison.waitForResponse((r) =>
      r.url().endsWith(`/api/countermeasures/${block.id}/answer`),
    );
    await row.getByTestId('countermeasure-answer-executed').click();
    expect((await answered).status()).toBe(200);
    // Answered, it leaves the liaison's queue.
    await row.waitFor({ state: 'detached' });
  });

  it('shows executed in the centre’s view, counted in the operator’s figures', async () => {
    centre = await openSignedIn(browser!, server!.url, accounts.analyst, '/countermeasures', {
      contexts,
      pageErrors,
    });
    await liveStreamOpen(centre);
    await centre.locator('[data-testid="cm-figure-china_mobile"][data-phones-shut="1"]').waitFor();
    await centre.getByTestId('cm-filter-executed').click();
    const row = centre.locator(`[data-testid="cm-row-${block.id}"][data-status="executed"]`);
    await row.waitFor();
    await expectAccessible(centre);
    const figure = centre.getByTestId('cm-figure-china_mobile');
    expect(await figure.getAttribute('data-executed')).toBe('1');
    // The median time to execute is there (a duration, not the dash of "none yet").
    expect(await figure.locator('td').last().textContent()).not.toBe('—');
  });

  it('lifts it with a reason; the lift reaches the liaison live', async () => {
    await centre.getByTestId(`cm-row-${block.id}`).getByTestId('cm-lift').click();
    await dialogSettled(centre);
    await centre.getByTestId('cm-lift-reason').fill('号码已回收并重新分配给新用户');
    const lifted = centre.waitForResponse((r) => r.url().endsWith(`/api/countermeasures/${block.id}/lift`));
    await centre.getByTestId('cm-lift-submit').click();
    expect((await lifted).status()).toBe(200);
    await centre.getByTestId(`cm-row-${block.id}`).waitFor({ state: 'detached' });
    await liaison
      .locator(`[data-testid="countermeasure-row-${block.id}"][data-status="lift_requested"]`)
      .waitFor();
  });

  it('refuses another with the reason picked in the dialog', async () => {
    const batch = await requester.POST('/api/countermeasures', {
      params: { header: { 'idempotency-key': crypto.randomUUID() } },
      body: {
        items: [
          { kind: 'block_phone', value: OTHER_PHONE, partyCode: 'china_mobile', reason: '诈骗来电号码' },
        ],
      },
    });
    const other = batch.items[0]!;
    const row = liaison.getByTestId(`countermeasure-row-${other.id}`);
    await row.waitFor();
    await row.getByTestId('countermeasure-answer-refused').click();
    await dialogSettled(liaison);
    await liaison.getByTestId('countermeasure-refuse-reason').click();
    await liaison.locator('.ant-select-item-option').filter({ hasText: '依据不足' }).click();
    await liaison.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await expectAccessible(liaison);
    const answered = liaison.waitForResponse((r) =>
      r.url().endsWith(`/api/countermeasures/${other.id}/answer`),
    );
    await liaison.getByTestId('countermeasure-refuse-submit').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const refused = (await response.json()) as CountermeasureView;
    expect([refused.status, refused.refusalReason]).toEqual(['refused', 'insufficient_grounds']);
    await row.waitFor({ state: 'detached' });
    await liaison.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  });
});
