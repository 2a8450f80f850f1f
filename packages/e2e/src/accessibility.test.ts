import { randomUUID } from 'node:crypto';
import type { ApiClient, ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const ICBC_CARD = withLuhnCheckDigit('622202' + '100011112222');
const SECOND_ICBC_CARD = withLuhnCheckDigit('622202' + '100033334444');
const NANMING = '520102';
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

type Role = 'callTaker' | 'officer' | 'icbc' | 'nanming' | 'supervisor' | 'auditor';

/**
 * Every console as its users meet it, in Chinese, checked by axe: no serious or critical violation
 * (contrast too low to read, a control a screen reader cannot name). Each console is checked with work
 * on it — a report submitted, its stop sent to the bank and handed to the county — so rows, tags and
 * buttons are checked too, not only empty states.
 */
describe('accessibility of every console (axe, zh-CN)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  const accounts = {} as Record<Role, Account>;
  let report: ReportView;

  const newPage = async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };
  const signedIn = async (account: Account, path: string) => {
    const page = await newPage();
    await page.goto('/sign-in');
    await signInBrowser(page, account);
    await page.goto(path);
    return page;
  };
  /** Waits until the page's data is in (no spinner left) and the live stream is open where there is one. */
  const settled = async (page: Page, testId: string) => {
    await page.getByTestId(testId).first().waitFor();
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await page.locator('.ant-skeleton-active').first().waitFor({ state: 'detached' });
  };
  const expectAccessible = async (page: Page) => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const users = [
      ['callTaker', { username: 'jiejing.a11y', displayName: '接警员', role: 'call_taker' }],
      ['officer', { username: 'zhifu.a11y', displayName: '止付专员', role: 'stop_payment_officer' }],
      ['icbc', { username: 'icbc.a11y', displayName: '工行驻场', role: 'bank_liaison', bankCode: 'ICBC' }],
      [
        'nanming',
        { username: 'nanming.a11y', displayName: '南明区民警', role: 'county_police', countyCode: NANMING },
      ],
      ['supervisor', { username: 'zhiban.a11y', displayName: '值班长', role: 'supervisor' }],
      ['auditor', { username: 'shenji.a11y', displayName: '审计员', role: 'auditor' }],
    ] as const;
    for (const [key, user] of users) accounts[key] = await createAccount(adminApi, user);

    // Work on every console: a submitted report, one stop sent to ICBC, its hand-off to 南明区.
    const callTaker: ApiClient = await signInApi(server.url, accounts.callTaker);
    const id = randomUUID();
    const draft = await callTaker.PUT('/api/reports/{id}', {
      params: { path: { id: id } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(4),
        victim: { name: '钱某', phone: '13985012345', countyCode: NANMING, address: '南明区花果园' },
        transfers: [
          {
            key: 't1',
            transferredAt: minutesAgo(10),
            amountFen: 5_000_000,
            victimAccount: '6228480000000000000',
            toAccount: { number: ICBC_CARD, name: '王某' },
          },
          {
            key: 't2',
            transferredAt: minutesAgo(8),
            amountFen: 1_000_000,
            victimAccount: '6228480000000000000',
            toAccount: { number: SECOND_ICBC_CARD, name: '李某' },
          },
        ],
        contacts: [{ key: 'c1', kind: 'phone', value: '17012345678' }],
        narrative: '对方自称电商客服，以刷单返利为由要求转账做任务。',
        fraudType: 'TASK_REBATE',
      },
    });
    report = await callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id: id } },
      body: { version: draft.version },
    });
    const officer = await signInApi(server.url, accounts.officer);
    // One request sent (in flight at the desk, open at the bank), one left pending at the desk.
    const [request] = (
      await officer.GET('/api/stop-payments', {
        params: { query: { reportId: report.id, status: 'pending' } },
      })
    ).requests;
    if (!request) throw new Error('the report made no stop-payment request');
    await officer.POST('/api/stop-payments/{id}/send', {
      params: { path: { id: request.id } },
      body: { legalDocNumber: '黔公反诈止字〔2026〕1号' },
    });

    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('sign-in: the password step and the authenticator enrolment', async () => {
    const page = await newPage();
    await page.goto('/sign-in');
    await settled(page, 'signin-username');
    await expectAccessible(page);

    // The auditor's first sign-in shows the enrolment (QR code and secret).
    await page.getByTestId('signin-username').fill(accounts.auditor.username);
    await page.getByTestId('signin-password').fill(accounts.auditor.password);
    await page.getByTestId('signin-password').press('Enter');
    await settled(page, 'signin-code');
    await expectAccessible(page);
  });

  it('intake, with a call answered', async () => {
    const page = await signedIn(accounts.callTaker, '/intake');
    await settled(page, 'intake-answer');
    await expectAccessible(page);
    await page.getByTestId('intake-answer').click();
    await settled(page, 'intake-victim-name');
    await expectAccessible(page);
  });

  it('the stop-payment desk', async () => {
    const page = await signedIn(accounts.officer, '/stop-payment');
    await settled(page, 'desk-pending');
    await expectAccessible(page);
  });

  it('the bank console, with an open instruction', async () => {
    const page = await signedIn(accounts.icbc, '/bank');
    await settled(page, 'bank-open');
    await page.locator('[data-testid="bank-open"] tr[data-kind]').first().waitFor();
    await expectAccessible(page);
  });

  it('the county console, with a task', async () => {
    const page = await signedIn(accounts.nanming, '/county');
    await settled(page, `county-task-${report.number}`);
    await expectAccessible(page);
  });

  it('supervision, the report page and the wall (supervisor)', async () => {
    const page = await signedIn(accounts.supervisor, '/tasks');
    await settled(page, 'supervision-proposals');
    await expectAccessible(page);

    await page.goto(`/reports/${report.id}`);
    await settled(page, 'report-summary');
    await expectAccessible(page);

    await page.goto('/wall');
    await settled(page, 'wall');
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    await expectAccessible(page);
  });

  it('administration (admin)', async () => {
    const page = await signedIn(admin.account, '/admin');
    await settled(page, 'user-search');
    await page.getByText(accounts.auditor.username).first().waitFor();
    await expectAccessible(page);
  });

  it('the audit trail (auditor)', async () => {
    const page = await signedIn(accounts.auditor, '/audit');
    await settled(page, 'audit-verify');
    await page.locator('[data-testid="audit-table"] tbody tr[data-row-key]').first().waitFor();
    await expectAccessible(page);
  });

  it('threw nothing in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
