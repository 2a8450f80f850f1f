import { randomBytes, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, createDatabase, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The supervisor (值班长) finds an overdue task at the top of the 督办 queue and urges it; the urge shows. */
describe('the supervision queue (督办)', () => {
  let server: RunningServer | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const admin = bootstrapAdmin();
  let supervisor: Account;
  const taskId = randomUUID();

  beforeAll(async () => {
    assertWebBuilt();
    database = await createDatabase(POSTGRES);
    server = await startServer({
      env: { ...admin.env, DATABASE_URL: database.url, FANZHA_SECRET_KEY: randomBytes(32).toString('hex') },
    });
    const adminApi = await signInApi(server.url, admin.account);
    supervisor = await createAccount(adminApi, {
      username: 'zhiban.17',
      displayName: '值班长督',
      role: 'supervisor',
    });
    // What a callback module's `task.reported` puts in the queue, with a deadline an hour past: the test sets
    // the past deadline rather than waiting for one.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `insert into task (id, kind, source_id, title, owner_unit_kind, owner_unit_code, opened_at, due_at,
                           status, source_at, updated_at)
         values ($1, 'callback', 'e2e-overdue', '回访 被害人（南明区）', 'county', '520102',
                 now() - interval '3 hours', now() - interval '1 hour', 'open', now(), now()),
                ($2, 'callback', 'e2e-later', '回访 被害人（云岩区）', 'county', '520103',
                 now() - interval '1 hour', now() + interval '5 hours', 'open', now(), now())`,
        [taskId, randomUUID()],
      );
    } finally {
      await client.end();
    }
    browser = await launchBrowser();
    context = await newContext(browser, server.url, { viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    await page.goto('/sign-in');
    await signInBrowser(page, supervisor);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('shows the overdue task first and records an urge (催办) that shows in the queue', async () => {
    await page.goto('/tasks');
    const queue = page.getByTestId('task-queue');
    await queue.scrollIntoViewIfNeeded();
    const row = queue.getByTestId('task-row-e2e-overdue');
    await row.waitFor();
    await row.getByText('超期').waitFor();
    // Overdue first.
    const order = await queue
      .locator('[data-testid^="task-row-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(order).toEqual(['task-row-e2e-overdue', 'task-row-e2e-later']);

    await row.getByTestId('task-urge').click();
    await dialogSettled(page);
    await page.getByTestId('task-action-text').fill('请今日内完成回访并反馈');
    const urged = page.waitForResponse((r) => r.url().includes(`/api/tasks/${taskId}/urge`));
    await page.getByTestId('task-action-ok').click();
    expect((await urged).status()).toBe(200);
    await row.getByTestId('task-urged').getByText('已催办 1 次').waitFor();

    const api = await signInApi(server!.url, supervisor);
    const task = await api.GET('/api/tasks/{id}', { params: { path: { id: taskId } } });
    expect(task).toMatchObject({ urgeCount: 1, lastUrgeNote: '请今日内完成回访并反馈', isOverdue: true });
    expect(task.history).toMatchObject([{ action: 'urge', by: 'zhiban.17' }]);
  });
});
