import type { SessionInfo } from '@fanzha/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

/**
 * Sessions end in the open: with a one-minute idle limit, an intake page nobody touches warns before the
 * end, goes on when asked, and says plainly when the session is over (with the way back to the page);
 * a desk watching its live queue stays signed in past the idle limit meanwhile.
 */
describe('session expiry on the consoles', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  let callTaker: Account;
  let officer: Account;

  const open = async (account: Account, path: string) => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signInBrowser(page, account);
    await page.goto(path);
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    return page;
  };
  const session = (page: Page) =>
    page.evaluate(() => fetch('/api/auth/session').then((r) => r.json() as Promise<SessionInfo>));

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: { ...admin.env, FANZHA_SESSION_IDLE_MINUTES: '1' } });
    const adminApi = await signInApi(server.url, admin.account);
    callTaker = await createAccount(adminApi, {
      username: 'jiejing.07',
      displayName: '接警员辛',
      role: 'call_taker',
    });
    officer = await createAccount(adminApi, {
      username: 'zhifu.07',
      displayName: '止付专员辛',
      role: 'stop_payment_officer',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('warns an idle intake, ends it plainly, and keeps a watched desk alive meanwhile', async () => {
    const [intake, desk] = await Promise.all([open(callTaker, '/intake'), open(officer, '/stop-payment')]);
    const deskIdleEnd = Date.parse((await session(desk)).idleExpiresAt);

    const intakeSide = async () => {
      const warning = intake.getByTestId('session-warning');
      await warning.waitFor({ timeout: 60_000 });
      expect(await intake.getByTestId('session-warning-left').textContent()).toMatch(/^0?0:[0-3]\d$/);
      await intake.getByTestId('session-continue').click();
      await warning.waitFor({ state: 'hidden' });

      // Left alone this time: warned again, then told the session is over.
      await warning.waitFor({ timeout: 60_000 });
      await intake.getByTestId('session-ended').waitFor({ timeout: 60_000 });
      expect(await intake.getByText('保存失败，将重试').count()).toBe(0);
      await intake.getByTestId('session-ended-sign-in').click();
      await intake.waitForURL((url) => url.pathname === '/sign-in');
      expect(new URL(intake.url()).searchParams.get('next')).toBe('/intake');
      await signInBrowser(intake, callTaker);
      await intake.waitForURL((url) => url.pathname === '/intake');
    };

    const deskSide = async () => {
      // Past the idle limit the desk had at sign-in, with no click on it.
      await desk.waitForFunction((at) => Date.now() > at, deskIdleEnd + 5_000, {
        timeout: 120_000,
        polling: 1_000,
      });
      expect(await desk.getByTestId('session-ended').count()).toBe(0);
      expect(await desk.getByTestId('session-warning').count()).toBe(0);
      const status = await desk.evaluate(() =>
        fetch('/api/stop-payments?status=pending&limit=1').then((r) => r.status),
      );
      expect(status).toBe(200);
    };

    await Promise.all([intakeSide(), deskSide()]);
  }, 240_000);
});
