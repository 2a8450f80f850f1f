import type { AuditList, ApiClient } from '@fanzha/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

/** An instant as the centre reads it: Beijing time (UTC+8 all year), "yyyy-MM-dd HH:mm:ss". */
const beijing = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The Chinese consoles on a workstation set to another zone and locale (a laptop brought from abroad, a
 * misconfigured desktop): times are Beijing times in one format, audit actions are named, and a
 * server's refusal reads in Chinese by its reason, not as the server's English message.
 */
describe('the consoles speak the centre’s language and time', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  let adminApi: ApiClient;
  let auditor: Account;
  const pageErrors: string[] = [];

  const open = async (account: Account, path: string): Promise<Page> => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url, {
      timezoneId: 'America/New_York',
      locale: 'en-US',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, account);
    await page.goto(path);
    return page;
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    adminApi = await signInApi(server.url, admin.account);
    auditor = await createAccount(adminApi, {
      username: 'shenji.01',
      displayName: '审计员',
      role: 'auditor',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the admin console’s times in Beijing time, whatever the workstation’s zone', async () => {
    // The bootstrap admin signs in in the browser: that sign-in is the time the console shows.
    const page = await open(admin.account, '/admin');
    await page.getByTestId('user-row-admin').waitFor();
    const { users } = await adminApi.GET('/api/users');
    const signedIn = users.find((u) => u.username === 'admin')?.lastSignInAt;
    expect(signedIn).toBeTruthy();
    await page.reload();
    const cell = page.getByTestId('user-row-admin').getByTestId('user-last-sign-in');
    await cell.waitFor();
    expect(await cell.textContent()).toBe(beijing(signedIn!));
  });

  let audit: Page;
  it('names audit actions and shows their times in Beijing time', async () => {
    audit = await open(auditor, '/audit');
    const page = audit;
    const first = page.locator('[data-testid="audit-table"] tbody tr.ant-table-row').first();
    await first.getByTestId('audit-at').waitFor();
    // What the table shows first, read with the auditor's own session.
    const { entries } = await page.evaluate(
      async () => (await (await fetch('/api/audit?limit=1')).json()) as AuditList,
    );
    expect(await first.getByTestId('audit-at').textContent()).toBe(beijing(entries[0]!.at));

    const signIn = page.locator('[data-testid="audit-action"][data-action="auth.sign_in"]').first();
    expect(await signIn.textContent()).toBe('登录（密码）');
    const texts = await page.getByTestId('audit-action').allTextContents();
    expect(texts.filter((text) => /^[a-z-]+\.[a-z_]+$/.test(text))).toEqual([]);
  });

  it('reads a refusal in Chinese by its reason, not the server’s English', async () => {
    const page = audit;
    await page.getByTestId('audit-filter-username').fill('x'.repeat(65));
    const refused = page.waitForResponse((r) => r.url().includes('/api/audit?') && r.status() === 400);
    await page.getByTestId('audit-search').click();
    await refused;
    const alert = page.locator('.ant-alert-error');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('提交的内容有误：太长或太大');
    expect(text).not.toMatch(/Request is invalid|Too big/i);
  });
});
