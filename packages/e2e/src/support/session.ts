import { randomBytes } from 'node:crypto';
import { createApiClient, type ApiClient, type CreateUserRequest } from '@fanzha/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext } from './browser';
import { stepAfter, totpCode } from './totp';

/** Someone who signs in: what they type, and what their authenticator app knows once enrolled. */
export interface Account {
  username: string;
  password: string;
  displayName: string;
  /** Base32 TOTP secret, learnt at enrolment. */
  secret?: string;
  /** The last TOTP step used: the server takes each code once. */
  lastStep?: number;
}

/** The first admin, created at start-up the way an operator would (`FANZHA_BOOTSTRAP_ADMIN`). */
export function bootstrapAdmin(): { account: Account; env: Record<string, string> } {
  const account: Account = { username: 'admin', password: 'e2e-bootstrap-Secret-pw', displayName: 'admin' };
  return { account, env: { FANZHA_BOOTSTRAP_ADMIN: `${account.username}:${account.password}` } };
}

/** A code the server has not seen from this account yet (waits for the next 30-second step if needed). */
export async function freshCode(account: Account): Promise<string> {
  if (!account.secret) throw new Error(`${account.username} has no authenticator yet`);
  const step = await stepAfter(account.lastStep);
  account.lastStep = step;
  return totpCode(account.secret, step);
}

/** Signs in over the API, enrolling the authenticator on the first sign-in; the client keeps the cookie. */
export async function signInApi(baseUrl: string, account: Account): Promise<ApiClient> {
  const client = createApiClient({ baseUrl });
  const challenge = await client.POST('/api/auth/sign-in', {
    body: { username: account.username, password: account.password },
  });
  if (challenge.next === 'enrol_totp') {
    if (!challenge.enrolment) throw new Error('enrol_totp without an enrolment');
    account.secret = challenge.enrolment.secret;
  }
  await client.POST('/api/auth/verify', {
    body: { challengeId: challenge.challengeId, code: await freshCode(account) },
  });
  return client;
}

/** Creates a user as an admin does; the user enrols an authenticator at first sign-in. */
export async function createAccount(
  admin: ApiClient,
  user: Omit<CreateUserRequest, 'password'>,
): Promise<Account> {
  // The server refuses passwords that contain the username or repeat a few characters.
  const password = `e2e-pass-${randomBytes(8).toString('hex')}`;
  await admin.POST('/api/users', { body: { ...user, password } });
  return { username: user.username, password, displayName: user.displayName };
}

/** Types username and password on the sign-in page (already open) and waits for the second step. */
export async function enterPassword(page: Page, account: Account): Promise<void> {
  await page.getByTestId('signin-username').fill(account.username);
  await page.getByTestId('signin-password').fill(account.password);
  await page.getByTestId('signin-password').press('Enter');
  await page.getByTestId('signin-code').waitFor();
}

/**
 * Signs in through the UI from wherever the page is (it must be on, or be sent to, the sign-in page):
 * password, then the enrolment (secret read off the page, as a person would type it into an app) or
 * a code, and waits until the app has left the sign-in page.
 */
export async function signInBrowser(page: Page, account: Account): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await enterPassword(page, account);
  const secret = page.getByTestId('signin-enrol-secret');
  if ((await secret.count()) > 0) account.secret = (await secret.textContent())?.replace(/\s/g, '');
  // Six digits submit by themselves.
  await page.getByTestId('signin-code').fill(await freshCode(account));
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/**
 * A console as `account` sees it: a browser context of its own (kept in `opened.contexts` for closing),
 * signed in, at `path`; each uncaught page error is kept in `opened.pageErrors`, named by the user.
 */
export async function openSignedIn(
  browser: Browser,
  baseUrl: string,
  account: Account,
  path: string,
  opened: { contexts: BrowserContext[]; pageErrors: string[] },
): Promise<Page> {
  const context = await newContext(browser, baseUrl);
  opened.contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => opened.pageErrors.push(`${account.username}: ${error.message}`));
  await page.goto('/sign-in');
  await signInBrowser(page, account);
  await page.goto(path);
  return page;
}

/** Resolves once the page's live stream is connected (its badge says so). */
export const liveStreamOpen = (page: Page): Promise<void> =>
  page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
