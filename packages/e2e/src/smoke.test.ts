import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';

// Listed here rather than imported from the web package: the test sees the app as a user does.
const CONSOLES = [
  'intake',
  'stop-payment',
  'bank',
  'operator',
  'county',
  'warnings',
  'countermeasures',
  'two-cards',
  'analysis',
  'tasks',
  'wall',
  'admin',
];

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('web app smoke', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim();
  // Pages load lazily and the old one stays up meanwhile, so wait for the text rather than read it once.
  const see = (testId: string, exactText: string) =>
    page
      .getByTestId(testId)
      .and(page.getByText(exactText, { exact: true }))
      .waitFor();

  it('shows every console in the navigation and the system status on the home page', async () => {
    await page.goto('/');
    for (const key of ['home', ...CONSOLES]) await page.getByTestId(`nav-${key}`).waitFor();
    expect(await text('nav-intake')).toBe('接警');

    await page.getByTestId('health-storage').waitFor();
    // The same suite runs against an embedded server and, in CI, one on PostgreSQL + NATS.
    expect(await text('health-storage')).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    expect(await text('health-bus')).toBe(process.env.NATS_URL ? 'nats' : 'memory');
    expect(await text('health-role')).toBe('all');

    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: `${resultsDir}home.png` });
  });

  it('navigates to consoles, which say plainly that they are not built yet', async () => {
    await page.getByTestId('nav-intake').click();
    await page.waitForURL('**/intake');
    await see('page-title', '接警');
    await page.getByTestId('console-placeholder').waitFor();

    await page.getByTestId('nav-stop-payment').click();
    await page.waitForURL('**/stop-payment');
    await see('page-title', '止付岗');
  });

  it('switches to English and keeps the choice across a reload', async () => {
    await page.getByTestId('lang-en-US').click();
    await see('nav-intake', 'Intake');
    await see('page-title', 'Stop-payment desk');

    await page.reload();
    await see('nav-intake', 'Intake');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
  });

  it('opens deep links directly, and the wall full-screen without the side menu', async () => {
    await page.goto('/analysis');
    await see('page-title', 'Analysis');

    await page.goto('/wall');
    await page.getByTestId('wall').waitFor();
    await see('page-title', 'Command wall');
    expect(await page.getByTestId('nav').count()).toBe(0);
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
