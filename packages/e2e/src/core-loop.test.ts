import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
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

// BINs from the domain's bank table: ICBC 622202, CCB 621700, ABC 622848 (19-digit debit cards).
const card = (bin: string, body: string) => withLuhnCheckDigit(bin + body);
const ICBC_CARD = card('622202', '100012345678');
const CCB_CARD = card('621700', '200023456789');
const ABC_CARD = card('622848', '300034567890');

/**
 * The core loop, as the centre promises it: a fraudster account typed at intake reaches the
 * stop-payment desk before the report is finished, the desk sends it to the bank, the bank answers
 * with where the money went on, and each onward account reaches its own bank one layer deeper.
 */
describe('core loop: intake → stop-payment desk → banks → next layer', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  const accounts: Record<'callTaker' | 'officer' | 'icbc' | 'ccb' | 'abc', Account> = {} as never;
  let intake: Page;
  let desk: Page;
  let icbc: Page;
  let ccb: Page;
  let abc: Page;

  const open = (account: Account, path: string) => {
    if (!browser || !server) throw new Error('not started');
    return openSignedIn(browser, server.url, account, path, { contexts, pageErrors });
  };
  const live = liveStreamOpen;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${resultsDir}${name}.png`, fullPage: true });
  /** The emergency stop for an account in a bank console, optionally in a given status. */
  const stopRow = (page: Page, account: string, status?: string) =>
    page.locator(
      `tr[data-kind="emergency_stop_payment"][data-account="${account}"]${status ? `[data-status="${status}"]` : ''}`,
    );

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    accounts.callTaker = await createAccount(adminApi, {
      username: 'jiejing.01',
      displayName: '接警员甲',
      role: 'call_taker',
    });
    accounts.officer = await createAccount(adminApi, {
      username: 'zhifu.01',
      displayName: '止付专员乙',
      role: 'stop_payment_officer',
    });
    accounts.icbc = await createAccount(adminApi, {
      username: 'icbc.01',
      displayName: '工行驻场',
      role: 'bank_liaison',
      bankCode: 'ICBC',
    });
    accounts.ccb = await createAccount(adminApi, {
      username: 'ccb.01',
      displayName: '建行驻场',
      role: 'bank_liaison',
      bankCode: 'CCB',
    });
    accounts.abc = await createAccount(adminApi, {
      username: 'abc.01',
      displayName: '农行驻场',
      role: 'bank_liaison',
      bankCode: 'ABC',
    });
    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });

    [intake, desk, icbc, ccb, abc] = await Promise.all([
      open(accounts.callTaker, '/intake'),
      open(accounts.officer, '/stop-payment'),
      open(accounts.icbc, '/bank'),
      open(accounts.ccb, '/bank'),
      open(accounts.abc, '/bank'),
    ]);
    // Every console listens before the call comes in, as on a shift.
    await Promise.all([intake, desk, icbc, ccb, abc].map(live));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('pushes a typed account to the desk within a second of the draft being saved, before submission', async () => {
    await intake.getByTestId('intake-transfer-0-account').waitFor();
    const pushed = intake.waitForResponse(async (response) => {
      if (response.request().method() !== 'PUT' || !response.url().includes('/api/reports/')) return false;
      const body = (await response.json()) as { transfers: { stopPaymentId: string | null }[] };
      return body.transfers[0]?.stopPaymentId != null;
    });
    await intake.getByTestId('intake-transfer-0-time').fill('00:05');
    await intake.keyboard.press('Enter');
    await intake.keyboard.type('50000');
    await intake.keyboard.press('Enter');
    await intake.keyboard.type('6228480000000000000');
    await intake.keyboard.press('Enter');
    await intake.keyboard.type(ICBC_CARD);
    // The bank shows from the BIN as the number is typed, before anything is saved.
    await intake.getByText('工商银行').first().waitFor();
    await intake.keyboard.press('Enter');
    await intake.keyboard.type('钱某');

    await pushed;
    await desk.getByTestId(`desk-row-${ICBC_CARD}`).waitFor({ timeout: 1_000 });

    await intake.getByTestId('intake-pushed-0').waitFor();
    await intake
      .getByTestId('intake-narrative')
      .fill('对方自称电商客服，说我的账户被冻结，要我刷单返利做任务解冻，先后转账。');
    await intake.getByTestId('intake-suggested').waitFor();
    expect(await intake.getByTestId('intake-report-number').textContent()).toMatch(/^JJ/);
    await intake.getByTestId('intake-saved').waitFor();
    await shot(intake, 'core-loop-intake');

    const row = desk.getByTestId(`desk-row-${ICBC_CARD}`);
    expect(await row.textContent()).toContain('¥50,000.00');
    expect(await row.textContent()).toContain('一级卡');
    await shot(desk, 'core-loop-desk');
  });

  it('sends the stop-payment from the desk with the keyboard', async () => {
    await desk.locator('body').press('Enter');
    const legalDoc = desk.getByTestId('desk-legal-doc');
    await legalDoc.fill('黔公反诈止字〔2026〕0001号');
    await legalDoc.press('Enter');
    await desk.locator(`[data-testid="desk-row-${ICBC_CARD}"][data-status="sent"]`).waitFor();
  });

  it('shows the instruction to the ICBC liaison only, who answers with two onward transfers', async () => {
    await stopRow(icbc, ICBC_CARD).waitFor();
    // CCB's and ABC's liaisons are live too and must not see ICBC's instruction: checked once their own
    // layer-2 requests, pushed after it on the same ordered stream, have arrived (next test).

    await stopRow(icbc, ICBC_CARD).getByTestId('bank-ack').click();
    await stopRow(icbc, ICBC_CARD, 'acknowledged').waitFor();
    await stopRow(icbc, ICBC_CARD).getByTestId('bank-answer').click();
    await icbc.getByTestId('bank-outcome-stopped').click();
    await icbc.getByTestId('bank-stopped-amount').fill('20000');
    await icbc.getByTestId('bank-balance').fill('20000');
    // The liaison says when the account was stopped: the 48 hours run from there. Two minutes ago (typed to the
    // minute), so the row's clock reads under 48 hours even against a page clock a tick or a throttled timer
    // behind (typed as the current minute, it once read 48:00:00).
    const stoppedInChina = new Date(Date.now() - 2 * 60_000 + 8 * 3_600_000).toISOString().slice(11, 16);
    await icbc.getByTestId('bank-stopped-at').fill(stoppedInChina);
    await icbc.getByTestId('bank-onward-add').click();
    await icbc.getByTestId('bank-onward-add').click();
    const onward = [
      { account: CCB_CARD, name: '孙某', amount: '18000', time: '00:10' },
      { account: ABC_CARD, name: '李某', amount: '12000', time: '00:12' },
    ];
    for (const [i, o] of onward.entries()) {
      await icbc.getByTestId(`bank-onward-${i}-account`).fill(o.account);
      await icbc.getByTestId(`bank-onward-${i}-name`).fill(o.name);
      await icbc.getByTestId(`bank-onward-${i}-amount`).fill(o.amount);
      await icbc.getByTestId(`bank-onward-${i}-time`).fill(o.time);
    }
    await icbc.getByTestId('bank-onward-0-bank').getByText('建设银行').waitFor();
    await shot(icbc, 'core-loop-bank-answer');
    const answered = icbc.waitForResponse((r) => r.url().endsWith('/result'));
    await icbc.getByTestId('bank-answer-submit').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    // The strict answer: the money fields always, the stop's time as typed.
    const sent = response.request().postDataJSON() as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(
      ['balanceFen', 'onwardTransfers', 'outcome', 'stoppedAt', 'stoppedFen'].sort(),
    );
    const done = stopRow(icbc, ICBC_CARD, 'stopped');
    await done.waitFor();
    expect(await done.getByTestId('bank-result').textContent()).toContain('¥20,000.00');
    // The 48 hours now run from the stop the bank gave, in the answered row.
    expect(await done.getByTestId('bank-deadline').textContent()).toMatch(/^\S*4[67]:\d{2}:\d{2}$/);
  });

  it("puts each onward account in its own bank's queue as a layer-2 request", async () => {
    for (const [page, number] of [
      [ccb, CCB_CARD],
      [abc, ABC_CARD],
    ] as const) {
      const row = stopRow(page, number, 'sent');
      await row.waitFor();
      expect(await row.textContent()).toContain('二级卡');
      // ICBC's instruction went out before this row on the same stream: had it been pushed here, it would show.
      expect(await stopRow(page, ICBC_CARD).count()).toBe(0);
    }
    expect(await stopRow(ccb, ABC_CARD).count()).toBe(0);
    expect(await stopRow(abc, CCB_CARD).count()).toBe(0);
    await stopRow(ccb, CCB_CARD)
      .locator('.ant-tag', { hasText: /Ed25519 · \w+/ })
      .waitFor();
    await shot(ccb, 'core-loop-bank-ccb');

    // The desk saw the answer and the next layer arrive, without a reload.
    await desk.locator(`[data-testid="desk-row-${ICBC_CARD}"][data-status="stopped"]`).waitFor();
    await desk.getByTestId(`desk-row-${CCB_CARD}`).waitFor();
    await desk.getByTestId(`desk-row-${ABC_CARD}`).waitFor();
    await shot(desk, 'core-loop-desk-after');
  });

  it('shows the report with the clock and a two-layer money trail', async () => {
    await desk.getByTestId(`desk-report-${ICBC_CARD}`).first().click();
    await desk.waitForURL('**/reports/*');
    await desk.locator(`[data-testid="trail-${ICBC_CARD}"][data-layer="1"]`).waitFor();
    await desk.locator(`[data-testid="trail-${CCB_CARD}"][data-layer="2"]`).waitFor();
    await desk.locator(`[data-testid="trail-${ABC_CARD}"][data-layer="2"]`).waitFor();
    // All four milestones of the clock are reached.
    for (const i of [1, 2, 3])
      expect(await desk.getByTestId(`report-clock-${i}`).textContent()).toMatch(/^\+\d+ s$/);
    // The desk does not need the victim's personal data: it comes masked.
    await desk.getByTestId('report-summary').waitFor();
    expect(await desk.getByTestId('report-summary').textContent()).not.toContain('钱某');
    await shot(desk, 'core-loop-report');
  });

  it('keeps the draft across a reload of the intake page', async () => {
    const number = await intake.getByTestId('intake-report-number').textContent();
    await intake.reload();
    await intake.getByTestId('intake-pushed-0').waitFor();
    expect(await intake.getByTestId('intake-report-number').textContent()).toBe(number);
    expect(await intake.getByTestId('intake-transfer-0-account').inputValue()).toBe(ICBC_CARD);
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
