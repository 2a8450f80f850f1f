import { randomBytes, randomUUID } from 'node:crypto';
import type { FundDecisionView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, createDatabase, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ICBC_CARD = withLuhnCheckDigit('622202' + '100099990001');

/**
 * The supervisor (值班长) on a 1366×768 workstation: the approve and reject buttons of a proposal are in
 * view, and a backlog of 204 alerts is acknowledged in two steps (all shown, then the rest), not one by one.
 */
describe('the supervisor console at 1366×768', () => {
  let server: RunningServer | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const admin = bootstrapAdmin();
  let supervisor: Account;
  let reportId = '';
  const pageErrors: string[] = [];

  const query = async <T extends object>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    assertWebBuilt();
    // On PostgreSQL, so the test can put in place what the legal timers raise over days: 204 overdue
    // county tasks' escalations. The server runs as in production, with its own secret key.
    database = await createDatabase(POSTGRES);
    server = await startServer({
      env: { ...admin.env, DATABASE_URL: database.url, FANZHA_SECRET_KEY: randomBytes(32).toString('hex') },
    });
    const adminApi = await signInApi(server.url, admin.account);
    supervisor = await createAccount(adminApi, {
      username: 'zhiban.09',
      displayName: '值班长辛',
      role: 'supervisor',
    });
    const callTakerAccount = await createAccount(adminApi, {
      username: 'jiejing.09',
      displayName: '接警员辛',
      role: 'call_taker',
    });
    const callTaker = await signInApi(server.url, callTakerAccount);
    reportId = randomUUID();
    await callTaker.PUT('/api/reports/{id}', {
      params: { path: { id: reportId } },
      body: {
        version: 0,
        callAnsweredAt: new Date(Date.now() - 60_000).toISOString(),
        victim: { countyCode: '520102' },
        transfers: [
          {
            key: 't1',
            transferredAt: new Date(Date.now() - 600_000).toISOString(),
            amountFen: 500_000,
            toAccount: { number: ICBC_CARD },
          },
        ],
        contacts: [],
        narrative: '',
      },
    });
    await query(
      `insert into alert (id, kind, threshold, level, object_type, object_id, report_id, county_code, message, raised_at)
       select gen_random_uuid(), 'task_overdue', 'accept', 'escalation', 'county_task', gen_random_uuid(), $1,
              '520102', '属地任务超过30分钟未签收', now() - make_interval(mins => n)
       from generate_series(1, 204) as n`,
      [reportId],
    );

    browser = await launchBrowser();
    context = await newContext(browser, server.url, { viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, supervisor);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('keeps 批准 and 驳回 of a proposal in view and clickable', async () => {
    // A return proposed by a county (the full flow is in freezes.test.ts); only the layout is asked here.
    const proposal: FundDecisionView = {
      id: randomUUID(),
      freezeId: randomUUID(),
      reportId,
      reportNumber: 'JJ20260501-000123',
      account: { number: ICBC_CARD, bankCode: 'ICBC', bankName: '中国工商银行' },
      kind: 'return',
      amountFen: 2_000_000,
      victimAccount: '6228********0001',
      payee: { name: '钱某', account: '6228********0001', bankCode: 'ABC', bankName: '中国农业银行' },
      executedFen: null,
      failureReason: null,
      instructionId: null,
      decisionNumber: '黔公（反诈）返字〔2026〕0001号',
      reason: '经查明系受害人被骗资金，依法返还受害人',
      appealChannel: '贵州省公安厅',
      status: 'proposed',
      proposedBy: '南明区民警',
      proposedAt: new Date().toISOString(),
      decidedBy: null,
      decidedAt: null,
      rejectionReason: null,
      dueAt: null,
      confirmedAt: null,
      confirmedBy: null,
      isOverdue: false,
      bankReference: null,
    };
    await page.route('**/api/fund-decisions?*', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ decisions: [proposal] }),
      }),
    );
    await page.goto('/tasks');
    for (const testId of [`decision-approve-${proposal.id}`, `decision-reject-${proposal.id}`]) {
      const button = page.getByTestId(testId);
      await button.waitFor();
      const box = await button.boundingBox();
      expect(box, testId).not.toBeNull();
      // Within the window, without scrolling sideways…
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, testId).toBeLessThanOrEqual(1366);
      // …and not hidden under or clipped by anything: the button itself is what a click there hits.
      const isHit = await button.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        const hit = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
        return hit !== null && element.contains(hit);
      });
      expect(isHit, testId).toBe(true);
    }
    await page.unroute('**/api/fund-decisions?*');
  });

  it('shows the warnings’ follow-up (预警成效) below the work, today and this month', async () => {
    const card = page.getByTestId('warning-effect');
    await card.scrollIntoViewIfNeeded();
    await card.getByText('预警成效').waitFor();
    await card.getByText('劝阻成功率').waitFor();
    await card.getByText('劝阻后 30 日内被骗').waitFor();
    const month = page.waitForResponse(
      (r) => r.url().includes('/api/warnings/effectiveness') && r.status() === 200,
    );
    await card.getByText('本月').click();
    await month;
    await card.getByTestId('warning-effect-sources').getByText('该时段内没有办结的预警事件').waitFor();
    await page.getByTestId('alert-list').scrollIntoViewIfNeeded();
  });

  it('acknowledges all 200 shown alerts in one request, then the remaining 4', async () => {
    const list = page.getByTestId('alert-list');
    await list.locator('[data-testid^="alert-select-"]').first().waitFor();
    expect(await list.locator('[data-testid^="alert-select-"]').count()).toBe(200);

    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/alerts/')) requests.push(r.url());
    });
    await page.getByTestId('alerts-select-all').click();
    const done = page.waitForResponse((r) => r.url().endsWith('/api/alerts/acknowledge'));
    await page.getByTestId('alerts-ack-selected').click();
    expect((await done).status()).toBe(200);
    // The rest of the backlog comes up.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="alert-list"] [data-testid^="alert-select-"]').length === 4,
    );
    await page.getByTestId('alerts-select-all').click();
    await page.getByTestId('alerts-ack-selected').click();
    await page.locator('[data-testid="alert-list"]').waitFor({ state: 'detached' });

    expect(requests.map((url) => new URL(url).pathname)).toEqual([
      '/api/alerts/acknowledge',
      '/api/alerts/acknowledge',
    ]);
    const [open] = await query<{ n: string }>(
      'select count(*) as n from alert where acknowledged_at is null',
    );
    expect(Number(open!.n)).toBe(0);
    const [audited] = await query<{ n: string }>(
      `select count(*) as n from audit_entry where action = 'alert.acknowledge' and result = 'success' and username = $1`,
      [supervisor.username],
    );
    expect(Number(audited!.n)).toBe(204);
    expect(pageErrors).toEqual([]);
  });
});
