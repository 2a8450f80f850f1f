import { randomUUID } from 'node:crypto';
import type { ApiClient, ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const OLD_SMALL = withLuhnCheckDigit('622202' + '100077770001'); // ICBC, hours ago, little money
const FRESH_LARGE = withLuhnCheckDigit('621700' + '200077770002'); // CCB, just now, a lot
const FRESHER = withLuhnCheckDigit('622848' + '300077770003'); // ABC, just now, more still

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * The desk works the live queue with the keyboard while it re-sorts under its hands: the selection stays
 * on the request it is on, Enter acts on the highlighted row, and each send takes its own 文书号.
 */
describe('the desk: selection, Enter and search on a live queue', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desk: Page;
  let callTaker: ApiClient;
  const admin = bootstrapAdmin();
  let officer: Account;
  const reports: Record<string, ReportView> = {};

  /** A call in progress: one transfer to `card`, saved as a draft, so the card waits at the desk. */
  const pushCard = async (card: string, amountFen: number, transferredAt: string) => {
    reports[card] = await callTaker.PUT('/api/reports/{id}', {
      params: { path: { id: randomUUID() } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(1),
        victim: {},
        transfers: [{ key: 't1', transferredAt, amountFen, toAccount: { number: card, name: '某某' } }],
        contacts: [],
        narrative: '',
      },
    });
    await desk.getByTestId(`desk-row-${card}`).waitFor();
  };
  const selectedRow = () => desk.locator('[data-testid="desk-pending"] tr.desk-selected');

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    officer = await createAccount(adminApi, {
      username: 'zhifu.05',
      displayName: '止付专员己',
      role: 'stop_payment_officer',
    });
    const callTakerAccount = await createAccount(adminApi, {
      username: 'jiejing.05',
      displayName: '接警员己',
      role: 'call_taker',
    });
    callTaker = await signInApi(server.url, callTakerAccount);
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

  it('keeps the selection on the same request when a more urgent one arrives above it', async () => {
    await pushCard(OLD_SMALL, 50_000, minutesAgo(300));
    await desk.locator(`[data-testid="desk-row-${OLD_SMALL}"].desk-selected`).waitFor();

    await pushCard(FRESH_LARGE, 5_000_000, minutesAgo(2));
    // The newcomer sorts to the top…
    const first = desk.locator('[data-testid="desk-pending"] tbody tr').first();
    expect(await first.getAttribute('data-testid')).toBe(`desk-row-${FRESH_LARGE}`);
    // …and the selection did not follow the position.
    expect(await selectedRow().getAttribute('data-testid')).toBe(`desk-row-${OLD_SMALL}`);

    // Enter opens the row shown as selected.
    await desk.locator('body').press('Enter');
    const dialog = desk.locator('.ant-modal');
    await dialog.getByText(reports[OLD_SMALL]?.number ?? '?').waitFor();
    await desk.getByTestId('desk-legal-doc').fill('黔公反诈止字〔2026〕0101号');
    await desk.getByTestId('desk-legal-doc').press('Enter');
    await desk.locator(`[data-testid="desk-row-${OLD_SMALL}"][data-status="sent"]`).waitFor();
  });

  it('does not carry the previous 文书号 into the next send', async () => {
    await desk.locator(`[data-testid="desk-row-${FRESH_LARGE}"].desk-selected`).waitFor();
    await desk.locator('body').press('Enter');
    await desk
      .locator('.ant-modal')
      .getByText(reports[FRESH_LARGE]?.number ?? '?')
      .waitFor();
    expect(await desk.getByTestId('desk-legal-doc').inputValue()).toBe('');
    // Enter-Enter sends nothing without a number of its own.
    await desk.getByTestId('desk-legal-doc').press('Enter');
    expect(await desk.getByTestId(`desk-row-${FRESH_LARGE}`).getAttribute('data-status')).toBe('pending');
    await dialogSettled(desk);
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await desk.locator('.ant-modal').waitFor({ state: 'detached' });
  });

  it('moves with ↑/↓ by request, and finds a request by report or card number', async () => {
    await pushCard(FRESHER, 9_000_000, minutesAgo(1));
    expect(await selectedRow().getAttribute('data-testid')).toBe(`desk-row-${FRESH_LARGE}`);
    await desk.locator('body').press('ArrowUp');
    expect(await selectedRow().getAttribute('data-testid')).toBe(`desk-row-${FRESHER}`);

    const search = desk.getByTestId('desk-search').locator('input');
    await search.fill(reports[FRESH_LARGE]?.number ?? '?');
    await desk.getByTestId(`desk-row-${FRESHER}`).waitFor({ state: 'detached' });
    await desk.getByTestId(`desk-row-${FRESH_LARGE}`).waitFor();

    await search.fill(FRESHER.slice(-8));
    await desk.getByTestId(`desk-row-${FRESH_LARGE}`).waitFor({ state: 'detached' });
    await desk.getByTestId(`desk-row-${FRESHER}`).waitFor();
    // Sent requests are found too.
    await search.fill(OLD_SMALL);
    await desk.locator(`[data-testid="desk-row-${OLD_SMALL}"][data-status="sent"]`).waitFor();
    expect(await desk.getByTestId(`desk-row-${FRESHER}`).count()).toBe(0);
  });
});
