import type { ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const ICBC_CARD = withLuhnCheckDigit('622202' + '100055556666');

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
 * Intake as a call-taker lives it: the form waits for a call, the clock starts when the call is answered,
 * a submit shows the report number to read back, and the next call gets a fresh form — also after a reload.
 */
describe('intake: answer, submit, read back, next call', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  let callTaker: Account;

  const typeInto = async (testId: string, text: string) => {
    await page.getByTestId(testId).fill(text);
  };
  const chooseIn = async (testId: string, search: string) => {
    await page.getByTestId(testId).click();
    await page.keyboard.type(search);
    await page.locator('.ant-select-item-option-active').waitFor();
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    callTaker = await createAccount(adminApi, {
      username: 'jiejing.02',
      displayName: '接警员丙',
      role: 'call_taker',
    });
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, callTaker);
    await page.goto('/intake');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('waits for the call: the clock starts at 接听, and the saved report carries that moment', async () => {
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    // The form was created when the page opened; the call comes in later.
    const before = await page.evaluate(() => Date.now());
    expect(before).toBeGreaterThan(await page.evaluate(() => performance.timeOrigin));

    await page.getByTestId('intake-answer').click();
    await page.locator('[data-testid="intake-clock"][data-state="running"]').waitFor();
    // The hands go straight to the first field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'intake-transfer-0-time',
    );
    const after = await page.evaluate(() => Date.now());

    const saved = savedDraft(page);
    await page.keyboard.type('00:05');
    const view = await saved;
    const answeredAt = Date.parse(view.times.callAnsweredAt);
    expect(answeredAt).toBeGreaterThanOrEqual(before);
    expect(answeredAt).toBeLessThanOrEqual(after);
    expect(Number(await page.getByTestId('intake-clock').getAttribute('data-seconds'))).toBeLessThan(60);
  });

  it('submits, and shows the report number to read back to the victim', async () => {
    await typeInto('intake-transfer-0-amount', '50000');
    await typeInto('intake-transfer-0-account', ICBC_CARD);
    await typeInto('intake-transfer-0-name', '王某');
    await typeInto('intake-narrative', '对方自称电商客服，要我刷单返利做任务，先后转账。');
    await page.getByTestId('intake-accept-suggestion').click();
    await typeInto('intake-victim-name', '钱某');
    await typeInto('intake-victim-phone', '13985012345');
    await chooseIn('intake-victim-county', '520102');
    const complete = savedDraft(page, (v) => v.problems.length === 0);
    const view = await complete;

    await page.getByTestId('intake-submit').click();
    const number = page.getByTestId('intake-submitted-number');
    await number.waitFor();
    expect(await number.textContent()).toBe(view.number);
    expect(view.number).toMatch(/^JJ\d{8}-\d{6}$/);

    // The page behind the dialog is alive: a fresh form waits for the next call.
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    expect(await page.getByTestId('intake-report-number').textContent()).toBe('尚未保存');

    // The dialog's link leads to the report (it crashed the page before).
    await page.getByTestId('intake-submitted-link').click();
    await page.waitForURL(`**/reports/${view.id}`);
    await page.getByTestId('report-summary').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('opens a fresh form after a reload, not the submitted or an abandoned draft', async () => {
    await page.goto('/intake');
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    expect(await page.getByTestId('intake-transfer-0-account').inputValue()).toBe('');

    // A call dropped mid-way: something typed and saved, then 新建接警单.
    const saved = savedDraft(page);
    await typeInto('intake-transfer-0-account', ICBC_CARD);
    const abandoned = await saved;
    await page.getByTestId('intake-new').click();
    // Leaving a saved draft asks first.
    await dialogSettled(page);
    await page.getByTestId('intake-new-confirm').click();
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();

    await page.reload();
    await page.locator('[data-testid="intake-clock"][data-state="waiting"]').waitFor();
    expect(await page.getByTestId('intake-transfer-0-account').inputValue()).toBe('');
    expect(await page.getByTestId('intake-report-number').textContent()).not.toBe(abandoned.number);
    expect(pageErrors).toEqual([]);
  });

  it('shows a way back, not a white page, when a console fails to render', async () => {
    // A server answer the page cannot read (say, from a newer server version) breaks its rendering.
    await page.route('**/api/reports/*', (route) => {
      if (route.request().method() !== 'PUT') return route.fallback();
      const id = new URL(route.request().url()).pathname.split('/').pop();
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ id }) });
    });
    await typeInto('intake-victim-name', '孙某');
    await page.getByTestId('crash').waitFor();
    expect(await page.getByTestId('crash').textContent()).toContain('页面出错了');
    // The shell survives: the menu and the way home are still there.
    await page.getByTestId('nav').waitFor();
    await page.unroute('**/api/reports/*');
    await page.getByTestId('crash-home').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('nav').waitFor();
  });
});
