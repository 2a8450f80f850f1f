import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  enterPassword,
  freshCode,
  signInApi,
  signInBrowser,
  type Account,
} from './support/session';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

/**
 * Sign-in with a second factor, as people do it: accounts made by an admin over the API, then each
 * user in their own browser, enrolling an authenticator at first sign-in.
 */
describe('sign-in, roles and sign-out', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  let callTaker: Account;
  let bankLiaison: Account;
  let callTakerPage: Page;
  let bankPage: Page;
  const pageErrors: string[] = [];

  const open = async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };

  /** The session as this browser's cookies have it. */
  const sessionStatus = async (page: Page) => (await page.request.get('/api/auth/session')).status();

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    callTaker = await createAccount(adminApi, {
      username: 'zhang.san',
      displayName: '张三',
      role: 'call_taker',
    });
    bankLiaison = await createAccount(adminApi, {
      username: 'li.si',
      displayName: '李四',
      role: 'bank_liaison',
      bankCode: 'ICBC',
    });
    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('sends a visitor to the sign-in page, and says so when the password is wrong', async () => {
    const page = await open();
    await page.goto('/intake');
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/intake');
    await page.getByTestId('signin-username').waitFor();
    await page.screenshot({ path: `${resultsDir}sign-in.png` });

    await page.getByTestId('signin-username').fill(callTaker.username);
    await page.getByTestId('signin-password').fill('not-the-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').getByText('用户名或密码错误').waitFor();
    expect(await sessionStatus(page)).toBe(401);
  });

  it('opens no session on a password alone', async () => {
    const page = await open();
    await page.goto('/sign-in');
    await enterPassword(page, callTaker);
    // First sign-in: the enrolment, with a QR code and the secret for typing.
    await page.getByTestId('signin-enrol-qr').locator('svg').waitFor();
    expect((await page.getByTestId('signin-enrol-secret').textContent())?.replace(/\s/g, '')).toMatch(
      /^[A-Z2-7]{16,}$/,
    );
    await page.screenshot({ path: `${resultsDir}sign-in-enrol.png` });

    expect(await sessionStatus(page)).toBe(401);
    await page.reload();
    await page.getByTestId('signin-username').waitFor();
    expect(await sessionStatus(page)).toBe(401);
    await page.goto('/');
    await page.waitForURL('**/sign-in');
  });

  it('shows each role only its own consoles', async () => {
    callTakerPage = await open();
    await signInBrowser(callTakerPage, callTaker);
    bankPage = await open();
    await signInBrowser(bankPage, bankLiaison);

    await callTakerPage.getByTestId('nav-intake').waitFor();
    expect(await callTakerPage.getByTestId('nav-bank').count()).toBe(0);
    expect(await callTakerPage.getByTestId('nav-admin').count()).toBe(0);
    expect(await callTakerPage.getByTestId('me-name').textContent()).toBe('张三');
    expect(await callTakerPage.getByTestId('me-role').textContent()).toBe('接警员');

    await bankPage.getByTestId('nav-bank').waitFor();
    expect(await bankPage.getByTestId('nav-intake').count()).toBe(0);
    expect(await bankPage.getByTestId('nav-admin').count()).toBe(0);
    expect(await bankPage.getByTestId('me-scope').textContent()).toContain('ICBC');
  });

  it('answers a console outside the role with a 403 page, not the console', async () => {
    await callTakerPage.goto('/bank');
    await callTakerPage.getByTestId('forbidden').waitFor();
    expect(await callTakerPage.getByTestId('console-placeholder').count()).toBe(0);

    await bankPage.goto('/wall');
    await bankPage.getByTestId('forbidden').waitFor();
    expect(await bankPage.getByTestId('wall').count()).toBe(0);
  });

  it('signs out, ends the session, and returns to the page after signing in again', async () => {
    await callTakerPage.goto('/intake');
    await callTakerPage.getByTestId('signout').click();
    await callTakerPage.waitForURL('**/sign-in?reason=signed-out');
    await callTakerPage.getByTestId('signin-signed-out').waitFor();
    expect(await sessionStatus(callTakerPage)).toBe(401);

    await callTakerPage.goto('/intake');
    await callTakerPage.waitForURL('**/sign-in?next=%2Fintake');
    // Second sign-in of the same user: freshCode waits for the next 30-second step if needed.
    await signInBrowser(callTakerPage, callTaker);
    expect(new URL(callTakerPage.url()).pathname).toBe('/intake');
    expect(await sessionStatus(callTakerPage)).toBe(200);
  });

  it('after the session is lost, says it expired and comes back to the page', async () => {
    const page = await open();
    await signInBrowser(page, admin.account);
    await page.goto('/admin');
    await page.getByTestId('user-row-li.si').waitFor();

    // The server forgets the session (as after the idle limit); the next call answers 401.
    await page.context().clearCookies();
    await page.getByRole('button', { name: '刷新' }).click();
    // Said plainly where the user is, with the way back to this page.
    await page.getByTestId('session-ended').waitFor();
    await page.getByText('登录已结束').waitFor();
    await page.getByTestId('session-ended-sign-in').click();
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/admin');
    await page.getByTestId('signin-expired').getByText('会话已过期，请重新登录').waitFor();

    await enterPassword(page, admin.account);
    await page.getByTestId('signin-code').fill(await freshCode(admin.account));
    await page.waitForURL('**/admin');
    await page.getByTestId('user-row-li.si').waitFor();
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
