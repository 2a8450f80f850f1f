import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiClient, ReportDraftInput } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const ANSWERED = 250;
const PER_REPORT = 50; // the most transfers one report takes
const icbcCard = (i: number) => withLuhnCheckDigit('622202' + String(300_000_000_000 + i));
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/** A draft whose transfers went to the given ICBC cards: each becomes an emergency stop for the desk. */
const draftTo = (cards: string[]): ReportDraftInput => ({
  version: 0,
  callAnsweredAt: minutesAgo(5),
  victim: { name: '孙某', phone: '13985011111', countyCode: '520102' },
  transfers: cards.map((number, i) => ({
    key: `t${i}`,
    transferredAt: minutesAgo(30),
    amountFen: 100_000 + i,
    toAccount: { number, name: '某甲' },
  })),
  contacts: [],
  narrative: '冒充客服退款诈骗。',
  fraudType: 'TASK_REBATE',
});

/** Runs `work` over `items`, a few at a time, so seeding does not flood a loaded machine. */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * A bank that has answered hundreds of instructions still sees the next one: the console reads every open
 * instruction to the end of the feed (not the oldest page of all statuses), shows it live, and keeps it.
 */
describe('bank console: a new instruction after many answered ones', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  const accounts = {} as Record<'callTaker' | 'officer' | 'icbc' | 'icbcConsole', Account>;
  const clients = {} as Record<'callTaker' | 'officer' | 'icbc', ApiClient>;
  let console_: Page;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    accounts.callTaker = await createAccount(adminApi, {
      username: 'jiejing.03',
      displayName: '接警员',
      role: 'call_taker',
    });
    accounts.officer = await createAccount(adminApi, {
      username: 'zhifu.03',
      displayName: '止付专员',
      role: 'stop_payment_officer',
    });
    accounts.icbc = await createAccount(adminApi, {
      username: 'icbc.04',
      displayName: '工行系统',
      role: 'bank_liaison',
      bankCode: 'ICBC',
    });
    accounts.icbcConsole = await createAccount(adminApi, {
      username: 'icbc.05',
      displayName: '工行驻场',
      role: 'bank_liaison',
      bankCode: 'ICBC',
    });
    for (const key of ['callTaker', 'officer', 'icbc'] as const)
      clients[key] = await signInApi(server.url, accounts[key]);
    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it(`has ${ANSWERED} answered instructions in the bank's feed`, async () => {
    const cards = Array.from({ length: ANSWERED }, (_, i) => icbcCard(i));
    for (let i = 0; i < ANSWERED; i += PER_REPORT)
      await clients.callTaker.PUT('/api/reports/{id}', {
        params: { path: { id: randomUUID() } },
        body: draftTo(cards.slice(i, i + PER_REPORT)),
      });
    const { requests } = await clients.officer.GET('/api/stop-payments', {
      params: {
        query: {
          status: 'pending',
          bank: 'ICBC',
          limit: 500,
        },
      },
    });
    expect(requests).toHaveLength(ANSWERED);
    await inBatches(requests, 10, (r) =>
      clients.officer.POST('/api/stop-payments/{id}/send', {
        params: { path: { id: r.id } },
        body: { legalDocNumber: '黔公反诈止字〔2026〕0900号' },
      }),
    );
    await inBatches(requests, 10, (r) =>
      clients.icbc.POST('/api/bank/instructions/{id}/result', {
        params: { path: { id: r.id }, header: { 'idempotency-key': randomUUID() } },
        body: { outcome: 'stopped', stoppedFen: r.amountFen, onwardTransfers: [] },
      }),
    );
    // The oldest page of all statuses is all answered: reading that alone shows nothing open.
    const oldest = await clients.icbc.GET('/api/bank/instructions', {
      params: { query: { status: 'all', limit: 200 } },
    });
    expect(oldest.instructions.every((i) => i.status === 'stopped')).toBe(true);
  });

  it('shows the next instruction live, and still after a reload', async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    console_ = await context.newPage();
    console_.on('pageerror', (error) => pageErrors.push(error.message));
    await console_.goto('/sign-in');
    await signInBrowser(console_, accounts.icbcConsole);
    await console_.goto('/bank');
    await console_.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    // The answers of the day are there, paged (20 a page).
    await console_.getByTestId('bank-answered-card').locator('.ant-pagination-item-13').waitFor();
    await console_.getByTestId('bank-open').getByText('暂无待处理的指令').waitFor();

    const card = icbcCard(ANSWERED);
    await clients.callTaker.PUT('/api/reports/{id}', {
      params: { path: { id: randomUUID() } },
      body: draftTo([card]),
    });
    const [request] = (
      await clients.officer.GET('/api/stop-payments', {
        params: { query: { status: 'pending', bank: 'ICBC' } },
      })
    ).requests;
    if (!request) throw new Error('the new account reached no desk');
    await clients.officer.POST('/api/stop-payments/{id}/send', {
      params: { path: { id: request.id } },
      body: { legalDocNumber: '黔公反诈止字〔2026〕0901号' },
    });

    const row = console_.locator(`tr[data-kind="emergency_stop_payment"][data-account="${card}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('sent');
    expect(await console_.getByTestId('bank-open-count').textContent()).toBe('1');
    await console_.screenshot({ path: `${resultsDir}bank-console-after-many.png`, fullPage: true });

    // A fresh read of the queue (a reload, a reconnect) finds it too, so it cannot vanish.
    await console_.reload();
    await row.waitFor();
    expect(await console_.getByTestId('bank-open-count').textContent()).toBe('1');
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
