import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiClient, ReportView, StopPaymentView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, drawerSettled, launchBrowser } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  liveStreamOpen,
  openSignedIn,
  signInApi,
  type Account,
} from './support/session';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

// BINs from the domain's bank table: ICBC 622202, CCB 621700 (19-digit debit cards).
const ICBC_CARD = withLuhnCheckDigit('622202' + '100087654321');
const CCB_CARD = withLuhnCheckDigit('621700' + '200076543210');
// The victim's own ABC card (BIN 622848): the return's payee, its bank known from the number.
const VICTIM_CARD = withLuhnCheckDigit('622848' + '000000000001');
const NANMING = '520102'; // 贵阳市南明区: the victim lives here
const YUNYAN = '520103'; // 贵阳市云岩区: a neighbouring county that must not see the report

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * After the stop: a submitted report is handed to the police of the victim's county (and to no other
 * county), who accept it, contact the victim and answer, all in the browser; the report page shows the
 * money trail as a tree of layers, with each account's stopped amount and its 48-hour countdown. The county
 * freezes and returns; each measure takes effect when the bank's liaison confirms it in the bank console.
 */
describe('after the stop: county hand-off and the money trail', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  const accounts = {} as Record<
    'callTaker' | 'officer' | 'icbc' | 'icbcConsole' | 'ccb' | 'nanming' | 'yunyan' | 'supervisor',
    Account
  >;
  const clients = {} as Record<'callTaker' | 'officer' | 'icbc' | 'ccb' | 'supervisor', ApiClient>;
  let nanming: Page;
  let yunyan: Page;
  let icbc: Page;
  let report: ReportView;

  const open = (account: Account, path: string) => {
    if (!browser || !server) throw new Error('not started');
    return openSignedIn(browser, server.url, account, path, { contexts, pageErrors });
  };
  const live = liveStreamOpen;
  const loaded = (page: Page) =>
    page.locator('[data-testid="county-tasks"] .ant-spin-spinning').waitFor({ state: 'detached' });
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${resultsDir}${name}.png`, fullPage: true });
  const row = (page: Page) => page.getByTestId(`county-task-${report.number}`);
  /** An instruction of one kind for one account in the bank console, optionally in a given status. */
  const instruction = (page: Page, kind: string, account: string, status?: string) =>
    page.locator(
      `tr[data-kind="${kind}"][data-account="${account}"]${status ? `[data-status="${status}"]` : ''}`,
    );

  /** The desk sends a request, and its bank stops it, naming where money already went on. */
  async function stopAt(
    bank: ApiClient,
    request: StopPaymentView,
    stoppedFen: number,
    onward: { number: string; amountFen: number }[],
  ) {
    // Layer 1 waits for the desk; an onward account's request goes out by itself (the cascade).
    if (request.status === 'pending')
      await clients.officer.POST('/api/stop-payments/{id}/send', {
        params: { path: { id: request.id } },
        body: { legalDocNumber: `黔公反诈止字〔2026〕${request.layer}号` },
      });
    await bank.POST('/api/bank/instructions/{id}/ack', { params: { path: { id: request.id } }, body: {} });
    await bank.POST('/api/bank/instructions/{id}/result', {
      params: { path: { id: request.id }, header: { 'idempotency-key': randomUUID() } },
      body: {
        outcome: 'stopped',
        stoppedFen,
        balanceFen: stoppedFen,
        onwardTransfers: onward.map((o) => ({
          account: { number: o.number, name: '赵某' },
          amountFen: o.amountFen,
          transferredAt: minutesAgo(3),
        })),
      },
    });
  }

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const users = [
      ['callTaker', { username: 'jiejing.02', displayName: '接警员丙', role: 'call_taker' }],
      ['officer', { username: 'zhifu.02', displayName: '止付专员丁', role: 'stop_payment_officer' }],
      ['icbc', { username: 'icbc.02', displayName: '工行驻场', role: 'bank_liaison', bankCode: 'ICBC' }],
      // A second ICBC liaison at the console (a first sign-in, so no wait for a fresh TOTP step).
      [
        'icbcConsole',
        { username: 'icbc.03', displayName: '工行驻场（控制台）', role: 'bank_liaison', bankCode: 'ICBC' },
      ],
      ['ccb', { username: 'ccb.02', displayName: '建行驻场', role: 'bank_liaison', bankCode: 'CCB' }],
      ['supervisor', { username: 'zhiban.01', displayName: '值班长戊', role: 'supervisor' }],
      [
        'nanming',
        { username: 'nanming.01', displayName: '南明区民警', role: 'county_police', countyCode: NANMING },
      ],
      [
        'yunyan',
        { username: 'yunyan.01', displayName: '云岩区民警', role: 'county_police', countyCode: YUNYAN },
      ],
    ] as const;
    for (const [key, user] of users) accounts[key] = await createAccount(adminApi, user);
    for (const key of ['callTaker', 'officer', 'icbc', 'ccb', 'supervisor'] as const)
      clients[key] = await signInApi(server.url, accounts[key]);

    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
    [nanming, yunyan] = await Promise.all([
      open(accounts.nanming, '/county'),
      open(accounts.yunyan, '/county'),
    ]);
    // Both county consoles listen before the report is submitted, as on a shift.
    await Promise.all([nanming, yunyan].map(live));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it("puts a submitted report in its county's queue, and not in another county's", async () => {
    const id = randomUUID();
    const draft = await clients.callTaker.PUT('/api/reports/{id}', {
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
        ],
        contacts: [{ key: 'c1', kind: 'phone', value: '17012345678' }],
        narrative: '对方自称电商客服，以刷单返利为由要求转账做任务。',
        fraudType: 'TASK_REBATE',
      },
    });
    expect(draft.problems).toEqual([]);
    report = await clients.callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id: id } },
      body: { version: draft.version },
    });
    expect(report.owningCountyCode).toBe(NANMING);

    // It arrives live in 南明区's queue, with its deadlines running.
    await row(nanming).waitFor();
    expect(await row(nanming).getAttribute('data-status')).toBe('issued');
    expect(await row(nanming).getAttribute('data-overdue')).toBe('false');
    await nanming.getByTestId(`county-accept-due-${report.number}`).waitFor();
    expect(await nanming.getByTestId(`county-accept-due-${report.number}`).textContent()).toMatch(
      /^\d+:\d{2}:\d{2}$/,
    );

    // 云岩区 saw nothing live, and nothing after a reload either.
    expect(await row(yunyan).count()).toBe(0);
    await yunyan.reload();
    await loaded(yunyan);
    await yunyan.getByTestId('county-tasks').waitFor();
    expect(await row(yunyan).count()).toBe(0);
    await shot(nanming, 'freezes-county-issued');
  });

  it('is accepted, the contact recorded and answered in the browser', async () => {
    await nanming.getByTestId(`county-accept-${report.number}`).click();
    await nanming.locator(`[data-testid="county-task-${report.number}"][data-status="accepted"]`).waitFor();

    await nanming.getByTestId(`county-contact-${report.number}`).click();
    await dialogSettled(nanming);
    await nanming.getByTestId('county-contact-note').fill('已电话联系受害人，告知止付情况。');
    await nanming.getByTestId('county-dialog-submit').click();
    await nanming.locator(`[data-testid="county-task-${report.number}"][data-status="contacted"]`).waitFor();

    await nanming.getByTestId(`county-answer-${report.number}`).click();
    await dialogSettled(nanming);
    await nanming.getByTestId('county-answer-text').fill('已联系受害人并制作笔录，已受案侦查。');
    await nanming.getByTestId('county-case-number').fill('A5201020026050001');
    await nanming.getByTestId('county-dialog-submit').click();
    // Answered work leaves the open queue and shows under 已反馈.
    await row(nanming).waitFor({ state: 'detached' });
    await nanming.getByTestId('county-view-answered').click();
    await nanming.locator(`[data-testid="county-task-${report.number}"][data-status="answered"]`).waitFor();
    expect(await row(nanming).textContent()).toContain('A5201020026050001');
    expect(await row(yunyan).count()).toBe(0);
  });

  it('shows the report’s money trail in two layers, with stopped amounts and the 48-hour countdown', async () => {
    const [first] = (
      await clients.officer.GET('/api/stop-payments', {
        params: { query: { reportId: report.id, status: 'pending' } },
      })
    ).requests;
    if (!first) throw new Error('the report pushed no stop-payment request');
    await stopAt(clients.icbc, first, 2_000_000, [{ number: CCB_CARD, amountFen: 1_800_000 }]);
    const second = (
      await clients.officer.GET('/api/stop-payments', { params: { query: { reportId: report.id } } })
    ).requests.find((r) => r.layer === 2);
    if (!second) throw new Error('the onward transfer became no layer-2 request');
    expect(second.layer).toBe(2);
    await stopAt(clients.ccb, second, 1_500_000, []);

    // The county police follow the link from their answered task to the report.
    await nanming.getByTestId(`county-report-${report.number}`).click();
    await nanming.waitForURL(`**/reports/${report.id}`);
    const node = (card: string, layer: number) =>
      nanming.locator(`[data-testid="trail-${card}"][data-layer="${layer}"]`);
    await node(ICBC_CARD, 1).waitFor();
    await node(CCB_CARD, 2).waitFor();
    expect(await nanming.getByTestId(`trail-stopped-${ICBC_CARD}`).textContent()).toBe('¥20,000.00');
    expect(await nanming.getByTestId(`trail-stopped-${CCB_CARD}`).textContent()).toBe('¥15,000.00');
    expect(await nanming.getByTestId(`trail-in-${CCB_CARD}`).textContent()).toBe('¥18,000.00');
    expect(await node(ICBC_CARD, 1).getAttribute('data-legal-state')).toBe('stopped');

    // Each stopped account counts down its 48 hours, second by second.
    const countdown = nanming.getByTestId(`trail-countdown-${ICBC_CARD}`);
    const before = await countdown.textContent();
    expect(before).toMatch(/^4[78]:\d{2}:\d{2}$/);
    expect(await countdown.getAttribute('data-level')).toBe('calm');
    await nanming.waitForFunction(
      ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent !== text,
      [`trail-countdown-${ICBC_CARD}`, before] as const,
    );
    await nanming.getByTestId(`trail-countdown-${CCB_CARD}`).waitFor();

    // Stopped money is a figure of its own, and the task shows answered.
    await nanming.locator('[data-testid="report-money-stopped"]', { hasText: '¥35,000.00' }).waitFor();
    await nanming.locator('[data-testid="report-county-task"][data-status="answered"]').waitFor();
    await shot(nanming, 'freezes-money-trail');
  });

  it('freezes on the county’s decision once the bank confirms it in its console', async () => {
    icbc = await open(accounts.icbcConsole, '/bank');
    await live(icbc);
    await nanming.getByTestId(`trail-freeze-${ICBC_CARD}`).click();
    await dialogSettled(nanming);
    await nanming.getByTestId('freeze-decision-number').fill('黔公（反诈）冻字〔2026〕0001号');
    expect(await nanming.getByTestId('freeze-amount').inputValue()).toBe('20000');
    await nanming.getByTestId('restriction-reason').fill('涉嫌电信网络诈骗资金');
    await nanming.getByTestId('restriction-submit').click();
    // Decided, not yet done: the bank carries out a freeze, and until it confirms the stop holds the money.
    await nanming.locator(`[data-testid="trail-${ICBC_CARD}"][data-legal-state="freezing"]`).waitFor();
    await nanming
      .locator(`[data-testid="trail-freeze-info-${ICBC_CARD}"][data-freeze-status="requested"]`)
      .waitFor();

    // The freeze reaches the bank's console live, with its amount, decision and the freeze's end counting down.
    const freeze = instruction(icbc, 'freeze', ICBC_CARD, 'sent');
    await freeze.waitFor();
    expect(await freeze.textContent()).toContain('¥20,000.00');
    expect(await freeze.textContent()).toContain('冻字〔2026〕0001号');
    expect(await freeze.getByTestId('bank-deadline').textContent()).toMatch(/\d+ 天/);
    await freeze.getByTestId('bank-ack').click();
    await instruction(icbc, 'freeze', ICBC_CARD, 'acknowledged').waitFor();
    await instruction(icbc, 'freeze', ICBC_CARD).getByTestId('bank-confirm').click();
    await drawerSettled(icbc);
    expect(await icbc.getByTestId('bank-confirm-amount').inputValue()).toBe('20000');
    const confirmed = icbc.waitForResponse((r) => r.url().endsWith('/confirm'));
    await icbc.getByTestId('bank-confirm-submit').click();
    expect((await confirmed).status()).toBe(200);
    await instruction(icbc, 'freeze', ICBC_CARD, 'frozen').waitFor();
    await shot(icbc, 'freezes-bank-freeze');

    await nanming.locator(`[data-testid="trail-${ICBC_CARD}"][data-legal-state="frozen"]`).waitFor();
    expect(await nanming.getByTestId(`trail-frozen-${ICBC_CARD}`).textContent()).toBe('¥20,000.00');
    expect(await nanming.getByTestId(`trail-countdown-${ICBC_CARD}`).count()).toBe(0);
    // Stopped and frozen stay apart: the stopped figure is not moved into the frozen one.
    await nanming.locator('[data-testid="report-money-frozen"]', { hasText: '¥20,000.00' }).waitFor();
  });

  it('returns part of the frozen funds on two people’s decision, as the bank confirms it; the rest stays frozen', async () => {
    await nanming.getByTestId(`trail-return-${ICBC_CARD}`).click();
    await dialogSettled(nanming);
    expect(await nanming.getByTestId('decision-amount').inputValue()).toBe('20000');
    await nanming.getByTestId('decision-victim-account').fill(VICTIM_CARD);
    await nanming.getByTestId('decision-payee-name').fill('钱某');
    await nanming.getByTestId('decision-number').fill('黔公（反诈）返字〔2026〕0001号');
    await nanming.getByTestId('restriction-reason').fill('经查明系受害人被骗资金');
    await nanming.getByTestId('restriction-submit').click();
    const proposed = nanming.locator('[data-testid^="trail-decision-"][data-status="proposed"]');
    await proposed.waitFor();
    // The proposer cannot approve their own proposal: the buttons are off, and say why.
    const own = proposed.locator('[data-testid^="decision-own-"]');
    expect(await own.textContent()).toContain('本人提出');
    expect(await proposed.locator('[data-testid^="decision-approve-"]').isDisabled()).toBe(true);

    // The supervisor approves: the second person.
    const { decisions } = await clients.supervisor.GET('/api/fund-decisions', {
      params: { query: { status: 'proposed' } },
    });
    const decision = decisions.find((d) => d.reportId === report.id);
    if (!decision) throw new Error('the proposal did not reach the supervisor');
    await clients.supervisor.POST('/api/fund-decisions/{id}/approve', {
      params: { path: { id: decision.id } },
      body: {},
    });
    await nanming.locator(`[data-testid="trail-decision-${decision.id}"][data-status="approved"]`).waitFor();
    expect(await nanming.getByTestId(`decision-payee-${decision.id}`).textContent()).toContain('钱某');

    // The return reaches the bank live, naming the payee and its due time; the bank returns ¥12,000 of it.
    const ret = instruction(icbc, 'return', ICBC_CARD, 'sent');
    await ret.waitFor();
    expect(await ret.getByTestId('bank-amount').textContent()).toBe('¥20,000.00');
    expect(await ret.getByTestId('bank-payee').textContent()).toContain('钱某');
    expect(await ret.getByTestId('bank-payee').textContent()).toContain('农业银行');
    expect(await ret.getByTestId('bank-deadline').getAttribute('data-level')).not.toBe('over');
    await ret.getByTestId('bank-confirm').click();
    await drawerSettled(icbc);
    const amount = icbc.getByTestId('bank-confirm-amount');
    await amount.fill('12000');
    await icbc.getByTestId('bank-confirm-partial').waitFor();
    const reference = icbc.getByTestId('bank-confirm-reference');
    await reference.fill('ICBC-RT-20260001');
    // Under load the drawer can still be opening: submit only once the fields hold what was typed.
    await expect.poll(() => reference.inputValue()).toBe('ICBC-RT-20260001');
    await expect.poll(() => amount.inputValue()).toBe('12000');
    const confirmed = icbc.waitForResponse((r) =>
      r.url().endsWith(`/api/bank/instructions/${decision.id}/confirm`),
    );
    await icbc.getByTestId('bank-confirm-submit').click();
    expect((await confirmed).status()).toBe(200);
    const done = instruction(icbc, 'return', ICBC_CARD, 'returned');
    await done.waitFor();
    expect(await done.getByTestId('bank-result').textContent()).toContain('¥12,000.00');
    expect(await done.getByTestId('bank-result').textContent()).toContain('ICBC-RT-20260001');
    await shot(icbc, 'freezes-bank-return');

    await nanming.locator(`[data-testid="trail-decision-${decision.id}"][data-status="confirmed"]`).waitFor();
    expect(await nanming.getByTestId(`decision-executed-${decision.id}`).textContent()).toContain(
      '¥12,000.00',
    );
    await nanming.locator(`[data-testid="trail-returned-${ICBC_CARD}"]`, { hasText: '¥12,000.00' }).waitFor();
    // The rest stays frozen: the account is still frozen, for what was not returned.
    expect(await nanming.getByTestId(`trail-frozen-${ICBC_CARD}`).textContent()).toBe('¥8,000.00');
    expect(await nanming.locator(`[data-testid="trail-${ICBC_CARD}"]`).getAttribute('data-legal-state')).toBe(
      'frozen',
    );
    await nanming.locator('[data-testid="report-money-returned"]', { hasText: '¥12,000.00' }).waitFor();
    await nanming.locator('[data-testid="report-money-frozen"]', { hasText: '¥8,000.00' }).waitFor();
    expect(await nanming.getByTestId('report-money-stopped').textContent()).toContain('¥35,000.00');
    await shot(nanming, 'freezes-partial-return');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
