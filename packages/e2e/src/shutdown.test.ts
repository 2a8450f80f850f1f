import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

/** Far more than a clean stop needs, far less than the minutes it hung for with a console open. */
const EXIT_WITHIN_MS = 15_000;

/**
 * A server stops promptly while consoles are open (their live streams used to hold it up for ever, and
 * the restart then found the data folder still claimed), and the consoles say they are not live.
 */
describe('shutdown with consoles open', () => {
  let server: RunningServer | undefined;
  let restarted: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desk: Page;
  const admin = bootstrapAdmin();
  let officer: Account;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    officer = await createAccount(adminApi, {
      username: 'zhifu.09',
      displayName: '止付专员庚',
      role: 'stop_payment_officer',
    });
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    desk = await context.newPage();
    await desk.goto('/sign-in');
    await signInBrowser(desk, officer);
    await desk.goto('/stop-payment');
    await desk.locator('[data-testid="live-status"][data-status="open"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await restarted?.stop();
    await server?.stop();
    if (server) await rm(server.dataDir, { recursive: true, force: true });
  });

  it('exits promptly on SIGTERM, and the console shows 重连中', async () => {
    if (!server) throw new Error('not started');
    const tookMs = await server.terminate(EXIT_WITHIN_MS);
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);

    const badge = desk.locator('[data-testid="live-status"][data-status="reconnecting"]');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('重连中');
  });

  it('restarts on the same data folder (or database), and the open console is live again', async () => {
    if (!server) throw new Error('not started');
    const { port } = new URL(server.url);
    restarted = await startServer({
      env: admin.env,
      dataDir: server.dataDir,
      port: Number(port),
      databaseUrl: server.databaseUrl,
    });
    await desk.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    // The session was kept in the database: the desk did not have to sign in again.
    expect(new URL(desk.url()).pathname).toBe('/stop-payment');
  });
});
