import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

// Listed here rather than imported from the web package: the test sees the app as a user does.
// The supervisor's built consoles; the role also names countermeasures, which is not offered until it
// exists.
const SUPERVISOR_CONSOLES = [
  'intake',
  'stop-payment',
  'county',
  'warnings',
  'analysis',
  'tasks',
  'callbacks',
  'wall',
  'publicity',
  'two-cards',
];
const NOT_FOR_SUPERVISOR = ['bank', 'operator', 'admin', 'audit'];

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('web app smoke', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let page: Page;
  const admin = bootstrapAdmin();
  let supervisor: Account;
  const pageErrors: string[] = [];

  const open = async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const opened = await context.newPage();
    opened.on('pageerror', (error) => pageErrors.push(error.message));
    return opened;
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    supervisor = await createAccount(adminApi, {
      username: 'wang.wu',
      displayName: '王五',
      role: 'supervisor',
    });
    browser = await launchBrowser();
    page = await open();
    await signInBrowser(page, supervisor);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  const text = async (testId: string, on: Page = page) =>
    (await on.getByTestId(testId).textContent())?.trim();
  // Pages load lazily and the old one stays up meanwhile, so wait for the text rather than read it once.
  const see = (testId: string, exactText: string, on: Page = page) =>
    on
      .getByTestId(testId)
      .and(on.getByText(exactText, { exact: true }))
      .waitFor();

  it("shows the supervisor's consoles in the navigation and the system status on the home page", async () => {
    await page.goto('/');
    for (const key of ['home', ...SUPERVISOR_CONSOLES]) await page.getByTestId(`nav-${key}`).waitFor();
    for (const key of NOT_FOR_SUPERVISOR) expect(await page.getByTestId(`nav-${key}`).count(), key).toBe(0);
    expect(await text('nav-intake')).toBe('接警');
    expect(await text('me-name')).toBe('王五');
    expect(await text('me-role')).toBe('值班长');

    await page.getByTestId('health-storage').waitFor();
    // The same suite runs against an embedded server and, in CI, one on PostgreSQL + NATS.
    expect(await text('health-storage')).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    expect(await text('health-bus')).toBe(process.env.NATS_URL ? 'nats' : 'memory');
    expect(await text('health-role')).toBe('all');

    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: `${resultsDir}home.png` });
  });

  it("navigates to consoles; a liaison's console is not offered to the centre", async () => {
    await page.getByTestId('nav-intake').click();
    await page.waitForURL('**/intake');
    await see('page-title', '接警');
    await page.getByTestId('intake-transfer-0-account').waitFor();

    // The supervisor has the centre's countermeasures console, not the operator liaison's.
    expect(await page.getByTestId('nav-operator').count()).toBe(0);
    await page.getByTestId('nav-countermeasures').click();
    await page.waitForURL('**/countermeasures');
    await see('page-title', '技术反制');

    await page.getByTestId('nav-stop-payment').click();
    await page.waitForURL('**/stop-payment');
    await see('page-title', '止付岗');
  });

  it('switches to English and keeps the choice (and the session) across a reload', async () => {
    await page.getByTestId('lang-en-US').click();
    await see('nav-intake', 'Intake');
    await see('page-title', 'Stop-payment desk');
    await see('me-role', 'Duty supervisor');

    await page.reload();
    await see('nav-intake', 'Intake');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
  });

  it('opens deep links directly, and the wall full-screen without the side menu', async () => {
    await page.goto('/tasks');
    await see('page-title', 'Tasks & supervision');

    await page.goto('/wall');
    await page.getByTestId('wall').waitFor();
    await see('page-title', 'Command wall');
    expect(await page.getByTestId('nav').count()).toBe(0);
  });

  it('shows the admin only the administration console, with the users', async () => {
    const adminPage = await open();
    await signInBrowser(adminPage, admin.account);
    await adminPage.getByTestId('nav-admin').waitFor();
    for (const key of SUPERVISOR_CONSOLES)
      expect(await adminPage.getByTestId(`nav-${key}`).count(), key).toBe(0);
    expect(await adminPage.getByTestId('nav-audit').count()).toBe(0);

    await adminPage.getByTestId('nav-admin').click();
    await see('page-title', '系统管理', adminPage);
    await adminPage.getByTestId('user-row-wang.wu').waitFor();
    await adminPage.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    await adminPage.waitForTimeout(400); // the table's loading veil fades out
    await adminPage.screenshot({ path: `${resultsDir}admin.png` });
  });

  it('sends the security headers, and the API reference works under its content security policy', async () => {
    if (!server) throw new Error('not started');
    const home = await fetch(`${server.url}/`);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.headers.get('cache-control')).toBe('no-store');

    const docs = await open();
    await docs.goto('/api/docs');
    // The operations are listed only once the UI's scripts ran and fetched the document; the UI renders
    // the groups as they scroll into view, so the reader scrolls down to the intake group as a person would.
    await docs.locator('.opblock-summary-path', { hasText: '/api/health' }).first().waitFor();
    const reports = docs.locator('.opblock-summary-path', { hasText: '/api/reports' }).first();
    for (let i = 0; i < 40 && !(await reports.isVisible()); i++) {
      await docs.mouse.wheel(0, 1500);
      await reports.waitFor({ timeout: 500 }).catch(() => undefined);
    }
    await reports.click();
    await docs.getByText('Try it out').waitFor();
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
