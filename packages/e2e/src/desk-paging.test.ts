import { randomUUID } from 'node:crypto';
import type { ApiClient, ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser } from './support/session';

const WAITING = 55;
const PAGE_SIZE = 50;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * A long pending queue: the desk shows it a page at a time instead of every row, and the page follows the
 * keyboard's selection, so Enter still sends the row on screen.
 */
describe('the desk: a long queue, paged', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desk: Page;
  const reportOfCard = new Map<string, ReportView>();

  const pendingRows = () => desk.locator('[data-testid="desk-pending"] tbody tr[data-row-key]');
  const selectedRow = () => desk.locator('[data-testid="desk-pending"] tr.desk-selected');
  /** The pending table's pager: beside the table, in its card. */
  const pageItem = (n: number, active = false) =>
    desk
      .locator('.ant-card')
      .filter({ has: desk.getByTestId('desk-pending') })
      .locator(`.ant-pagination-item-${n}${active ? '.ant-pagination-item-active' : ''}`);

  beforeAll(async () => {
    assertWebBuilt();
    const admin = bootstrapAdmin();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const officer = await createAccount(adminApi, {
      username: 'zhifu.07',
      displayName: '止付专员庚',
      role: 'stop_payment_officer',
    });
    const callTaker: ApiClient = await signInApi(
      server.url,
      await createAccount(adminApi, { username: 'jiejing.07', displayName: '接警员庚', role: 'call_taker' }),
    );
    // Calls in progress, one ICBC account each: every one waits at the desk.
    for (let i = 0; i < WAITING; i++) {
      const card = withLuhnCheckDigit('622202' + String(100_088_000_000 + i));
      const report = await callTaker.PUT('/api/reports/{id}', {
        params: { path: { id: randomUUID() } },
        body: {
          version: 0,
          callAnsweredAt: minutesAgo(2),
          victim: {},
          transfers: [
            {
              key: 't1',
              transferredAt: minutesAgo(10 + i),
              amountFen: 100_000 + i,
              toAccount: { number: card, name: '某某' },
            },
          ],
          contacts: [],
          narrative: '',
        },
      });
      reportOfCard.set(card, report);
    }
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
    await server?.stop();
  });

  it('shows one page of the pending queue, not every row', async () => {
    await selectedRow().waitFor();
    expect(await pendingRows().count()).toBe(PAGE_SIZE);
    await pageItem(2).waitFor();
  });

  it('turns the page with the selection, and Enter sends the row shown', async () => {
    for (let i = 0; i < PAGE_SIZE; i++) await desk.locator('body').press('ArrowDown');
    await pageItem(2, true).waitFor();
    expect(await pendingRows().count()).toBe(WAITING - PAGE_SIZE);
    const card = (await selectedRow().getAttribute('data-testid'))?.replace('desk-row-', '') ?? '?';
    expect(reportOfCard.has(card)).toBe(true);

    await desk.locator('body').press('Enter');
    await desk
      .locator('.ant-modal')
      .getByText(reportOfCard.get(card)?.number ?? '?')
      .waitFor();
  });

  it('selects the top row of a page turned by hand', async () => {
    await dialogSettled(desk);
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await desk.locator('.ant-modal').waitFor({ state: 'detached' });
    await pageItem(1).click();
    await pageItem(1, true).waitFor();
    expect(await pendingRows().count()).toBe(PAGE_SIZE);
    expect(await selectedRow().getAttribute('data-row-key')).toBe(
      await pendingRows().first().getAttribute('data-row-key'),
    );
  });
});
