import type { ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const ICBC_CARD = withLuhnCheckDigit('622202' + '100088881111');

/** A PUT of this report that the server answered 200: the autosave, with what it saved. */
const savedDraft = (page: Page, check: (view: ReportView) => boolean = () => true) =>
  page
    .waitForResponse(async (response: Response) => {
      if (response.request().method() !== 'PUT' || !response.url().includes('/api/reports/')) return false;
      if (response.status() !== 200) return false;
      return check((await response.json()) as ReportView);
    })
    .then(async (response) => (await response.json()) as ReportView);

/**
 * A call taken with the keyboard alone: Tab leaves the county for the address, Ctrl+Enter submits even
 * inside an open list, accepting the suggested fraud type keeps the focus in the form, a resumed call
 * puts the hands back in the form, and 新建 warns before leaving a draft whose cards wait at the desk.
 */
describe('intake with the keyboard', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  let callTaker: Account;

  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  const value = (testId: string) => page.getByTestId(testId).inputValue();

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    callTaker = await createAccount(adminApi, {
      username: 'jiejing.07',
      displayName: '接警员庚',
      role: 'call_taker',
    });
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, callTaker);
    await page.goto('/intake');
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    await page.keyboard.press('Enter'); // 接听 has the focus
    await page.locator('[data-testid="intake-clock"][data-state="running"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('puts the hands back in the form when a call in progress is reopened', async () => {
    const saved = savedDraft(page);
    await page.keyboard.type('10:05');
    await saved;
    await page.reload();
    await page.locator('[data-testid="intake-clock"][data-state="running"]').waitFor();
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'intake-transfer-0-time',
    );
    expect(await value('intake-transfer-0-time')).toBe('10:05');
  });

  it('keeps the focus in the form after accepting the suggested fraud type', async () => {
    await page.getByTestId('intake-narrative').fill('对方自称电商客服，要我刷单返利做任务。');
    const accept = page.getByTestId('intake-accept-suggestion');
    await accept.focus();
    await page.keyboard.press('Enter');
    await accept.waitFor({ state: 'detached' });
    expect(await focused()).toBe('intake-victim-name');
    await page.keyboard.type('钱某');
    expect(await value('intake-victim-name')).toBe('钱某');
  });

  it('goes from the county to the address with Tab, not into the county list', async () => {
    await page.getByTestId('intake-victim-phone').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('520102');
    await page.locator('.ant-select-item-option-active').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('花果园');
    expect(await focused()).toBe('intake-victim-address');
    expect(await value('intake-victim-address')).toBe('花果园');
    expect(await page.getByTestId('intake-victim-county').textContent()).toContain('520102');
  });

  it('submits with Ctrl+Enter inside an open list, without changing the county', async () => {
    await page.getByTestId('intake-transfer-0-amount').fill('50000');
    await page.getByTestId('intake-transfer-0-account').fill(ICBC_CARD);
    await page.getByTestId('intake-transfer-0-name').fill('王某');
    await page.getByTestId('intake-victim-phone').fill('13985012345');
    await savedDraft(page, (v) => v.problems.length === 0);

    // The county list opens, and the highlighted option is another county.
    await page.getByTestId('intake-victim-phone').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor();
    await page.keyboard.press('ArrowDown');
    const submitted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/submit'),
    );
    await page.keyboard.press('Control+Enter');
    const response = await submitted;
    expect(response.status()).toBe(200);
    expect(((await response.json()) as ReportView).victim.countyCode).toBe('520102');
    await page.getByTestId('intake-submitted-number').waitFor();
    await page.keyboard.press('Escape');
  });

  it('warns before 新建 leaves a draft, and says its pushed cards stay at the desk', async () => {
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    await page.getByTestId('intake-answer').click();
    const pushed = savedDraft(page, (v) => v.transfers.some((t) => t.stopPaymentId));
    await page.getByTestId('intake-transfer-0-amount').fill('3000');
    await page.getByTestId('intake-transfer-0-account').fill(ICBC_CARD);
    const draft = await pushed;

    await page.getByTestId('intake-new').click();
    const warning = page.getByTestId('intake-new-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(draft.number);
    expect(await page.getByTestId('intake-new-pushed').textContent()).toContain('1 个账户仍在止付席待处理');
    // Enter keeps the report.
    await page.keyboard.press('Enter');
    await warning.waitFor({ state: 'detached' });
    expect(await page.getByTestId('intake-report-number').textContent()).toBe(draft.number);
    expect(await value('intake-transfer-0-account')).toBe(ICBC_CARD);

    await page.getByTestId('intake-new').click();
    await dialogSettled(page);
    await page.getByTestId('intake-new-confirm').click();
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    expect(await page.getByTestId('intake-report-number').textContent()).toBe('尚未保存');
    expect(pageErrors).toEqual([]);
  });
});
