import { randomUUID } from 'node:crypto';
import type { ApiClient, ClusterDetail, ReportView } from '@fanzha/contracts';
// The shared, pure domain package (no server code): valid card numbers are built as a bank would.
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { launchBrowser } from './support/browser';
import { until } from './support/outsider';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  liveStreamOpen,
  openSignedIn,
  signInApi,
  type Account,
} from './support/session';

// BINs from the domain's bank table: ICBC 622202, CCB 621700, ABC 622848.
const MULE = withLuhnCheckDigit('622202' + '100055550001'); // the gang's first-layer card, shared
const SECOND = withLuhnCheckDigit('621700' + '200055550002'); // where the mule passed the money on
const OTHER = withLuhnCheckDigit('622848' + '300055550003'); // a card only the third victim paid
const FRAUD_PHONE = '17055550123'; // the phone all three victims were called from
const NANMING = '520102';

const MULE_KEY = `ICBC:${MULE}`;
const SECOND_KEY = `CCB:${SECOND}`;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * The analyst console (研判): two victims paid the same mule card after calls from the same number, a third
 * was called from that number too (a spoofed caller ID: a wrong link). The reports, the stops and the bank's
 * answer come in through the API, as the call-taker, the desk and the bank send them; the analyst opens the
 * cluster the linker made, follows the money (the pooled mule's proportional split), and splits the wrong
 * link off with a reason.
 */
describe('the analyst console: a cluster, its money, a wrong link split', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const admin = bootstrapAdmin();
  const clients = {} as Record<'callTaker' | 'officer' | 'icbc' | 'analyst', ApiClient>;
  let analyst: Account;
  let page: Page;
  const reports: ReportView[] = [];
  let clusterId = '';

  async function report(name: string, amountFen: number, toCard: string, paidMinutesAgo: number) {
    const id = randomUUID();
    const draft = await clients.callTaker.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(paidMinutesAgo - 1),
        victim: { name, phone: `1398501${String(reports.length).padStart(4, '0')}`, countyCode: NANMING },
        transfers: [
          {
            key: 't1',
            transferredAt: minutesAgo(paidMinutesAgo),
            amountFen,
            toAccount: { number: toCard, name: '王某' },
          },
        ],
        contacts: [{ key: 'c1', kind: 'phone', value: FRAUD_PHONE }],
        narrative: '对方自称客服，以退款为由要求转账。',
        fraudType: 'FAKE_ECOMMERCE_CS',
      },
    });
    expect(draft.problems).toEqual([]);
    const submitted = await clients.callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: draft.version },
    });
    reports.push(submitted);
    return submitted;
  }

  const expectAccessible = async () => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const callTaker = await createAccount(adminApi, {
      username: 'jiejing.16',
      displayName: '接警员研',
      role: 'call_taker',
    });
    const officer = await createAccount(adminApi, {
      username: 'zhifu.16',
      displayName: '止付专员研',
      role: 'stop_payment_officer',
    });
    const icbc = await createAccount(adminApi, {
      username: 'icbc.16',
      displayName: '工行驻场研',
      role: 'bank_liaison',
      bankCode: 'ICBC',
    });
    analyst = await createAccount(adminApi, {
      username: 'yanpan.16',
      displayName: '研判员',
      role: 'analyst',
    });
    clients.callTaker = await signInApi(server.url, callTaker);
    clients.officer = await signInApi(server.url, officer);
    clients.icbc = await signInApi(server.url, icbc);
    clients.analyst = await signInApi(server.url, analyst);
    browser = await launchBrowser();
    // The analyst's console is open (and live) before the reports come in, as on a shift.
    page = await openSignedIn(browser, server.url, analyst, '/analysis', { contexts, pageErrors });
    await liveStreamOpen(page);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the cluster the linker forms, live, as the reports arrive', async () => {
    await report('钱某', 5_000_000, MULE, 30);
    await report('孙某', 3_000_000, MULE, 25);
    await report('李某', 1_000_000, OTHER, 20);

    // The linker works on the report events; the list follows the stream, without a reload.
    const row = page.locator('[data-testid^="cluster-row-"][data-reports="3"]');
    await row.waitFor({ timeout: 30_000 });
    const testId = await row.getAttribute('data-testid');
    clusterId = testId!.replace('cluster-row-', '');
    await expectAccessible();

    const detail: ClusterDetail = await clients.analyst.GET('/api/investigation/clusters/{id}', {
      params: { path: { id: clusterId } },
    });
    expect(detail.reports.map((r) => r.number).sort()).toEqual(reports.map((r) => r.number).sort());
    expect(detail.links.some((l) => l.kind === 'account' && l.status === 'active')).toBe(true);
  });

  it('follows the money: the mule passed it on, and each victim’s share of the pool is shown', async () => {
    // The desk stops the mule card for both victims; the bank answers the first with where the money went.
    for (const [i, r] of reports.slice(0, 2).entries()) {
      const [request] = (
        await clients.officer.GET('/api/stop-payments', {
          params: { query: { reportId: r.id, status: 'pending' } },
        })
      ).requests;
      if (!request) throw new Error(`report ${r.number} pushed no stop-payment request`);
      await clients.officer.POST('/api/stop-payments/{id}/send', {
        params: { path: { id: request.id } },
        body: { legalDocNumber: `黔公反诈止字〔2026〕16${i}号` },
      });
      await clients.icbc.POST('/api/bank/instructions/{id}/ack', {
        params: { path: { id: request.id } },
        body: {},
      });
      await clients.icbc.POST('/api/bank/instructions/{id}/result', {
        params: { path: { id: request.id }, header: { 'idempotency-key': randomUUID() } },
        body: {
          outcome: 'stopped',
          stoppedFen: 2_000_000,
          balanceFen: 2_000_000,
          onwardTransfers:
            i === 0
              ? [
                  {
                    account: { number: SECOND, name: '赵某' },
                    amountFen: 6_000_000,
                    transferredAt: minutesAgo(10),
                  },
                ]
              : [],
        },
      });
    }
    const reportIds = reports.slice(0, 2).map((r) => r.id);
    // The money graph takes the answer in from its event: wait until a trace reaches the second layer.
    await until('the onward transfer in the money graph', async () => {
      const trace = await clients.analyst.POST('/api/money-graph/cluster-trace', {
        body: { reportIds, rule: 'proportional', maxDepth: 5 },
      });
      return trace.flows.some((f) => f.to === SECOND_KEY && f.tracedFen > 0) ? trace : undefined;
    });
    // What the API says each victim holds of the pool, under the proportional rule: 50 000 and 30 000 met,
    // 60 000 went on, so 5/8 and 3/8 of what stayed and of what moved.
    const shares = await clients.analyst.GET('/api/money-graph/accounts/{bankCode}/{number}/shares', {
      params: { path: { bankCode: 'ICBC', number: MULE }, query: { rule: 'proportional' } },
    });
    const [first, second] = reports;
    const bySource = new Map(shares.shares.map((s) => [s.source, s]));
    expect(shares.totalHeldFen).toBe(2_000_000);
    expect(bySource.get(`victim:${first!.id}`)).toMatchObject({ heldFen: 1_250_000, share: 0.625 });
    expect(bySource.get(`victim:${second!.id}`)).toMatchObject({ heldFen: 750_000, share: 0.375 });

    await page.getByTestId(`cluster-open-${clusterId}`).click();
    await page.getByTestId('cluster-page').waitFor();
    await page.getByTestId('link-chart').locator('svg').waitFor();
    await expectAccessible();

    await page.getByTestId('tab-money').click();
    await page.getByTestId('money-rule-proportional').click();
    await page.locator('[data-testid="money-view"][data-rule="proportional"]').waitFor();
    // The Sankey draws the amounts (its SVG text): the victims' payments and what went on to the second card.
    const sankey = page.getByTestId('money-sankey');
    await sankey.getByText('¥50,000.00', { exact: false }).first().waitFor();
    await sankey.getByText('¥30,000.00', { exact: false }).first().waitFor();
    await sankey.getByText('¥60,000.00', { exact: false }).first().waitFor();
    // The pool's split, as the API computed it.
    for (const report of [first!, second!]) {
      const expected = bySource.get(`victim:${report.id}`)!;
      const row = page.getByTestId(`share-${MULE_KEY}-victim:${report.id}`);
      await row.waitFor();
      expect(await row.getAttribute('data-held-fen')).toBe(String(expected.heldFen));
      expect(await row.getByTestId('share-percent').textContent()).toBe(
        `${(expected.share * 100).toFixed(1)}%`,
      );
      expect(await row.getByTestId('share-amount').textContent()).toBe(
        `¥${(expected.heldFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );
    }
    await expectAccessible();
  });

  it('splits the wrong link with a reason, and the cluster changes', async () => {
    const [, , third] = reports;
    await page.getByTestId('tab-evidence').click();
    // The third victim is linked only by the caller's number (her card is her own): split that link.
    const wrongLink = page.locator(`[data-testid^="link-split-"][data-testid*="${third!.number}"]`);
    await wrongLink.first().click();
    const dialog = page.getByTestId('cluster-dialog-split');
    await dialog.waitFor();
    // Checked once the dialog has finished opening (mid-fade its colours are not yet its own).
    await page.waitForFunction(
      () => document.querySelector('.ant-modal')?.getAnimations({ subtree: true }).length === 0,
    );
    await expectAccessible();
    // The report less bound to the cluster is proposed; make sure it is hers alone.
    for (const r of reports) {
      const box = page.getByTestId(`split-report-${r.number}`);
      const isChecked = await box.locator('xpath=ancestor::label').locator('input').isChecked();
      if (isChecked !== (r.id === third!.id)) await box.click();
    }
    // No reason, no split.
    await page.getByTestId('cluster-dialog-ok').click();
    await page.getByRole('alert').filter({ hasText: '请填写理由' }).waitFor();
    await page.getByTestId('cluster-reason').fill('来电号码为改号软件伪造，与本团伙无关');
    const split = page.waitForResponse((r) =>
      r.url().endsWith(`/api/investigation/clusters/${clusterId}/split`),
    );
    await page.getByTestId('cluster-dialog-ok').click();
    expect((await split).status()).toBe(200);

    // The cluster changes on the page: two reports, the link severed, the split in its history.
    await page.locator('[data-testid="cluster-page"][data-reports="2"]').waitFor();
    await page.locator('[data-testid^="link-row-"][data-status="severed"]').first().waitFor();
    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-split').getByText('来电号码为改号软件伪造').waitFor();
    await expectAccessible();

    const detail = await clients.analyst.GET('/api/investigation/clusters/{id}', {
      params: { path: { id: clusterId } },
    });
    expect(detail.reports.map((r) => r.id).sort()).toEqual(
      reports
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    );
    expect(detail.history.find((e) => e.kind === 'split')).toMatchObject({
      by: 'yanpan.16',
      reason: '来电号码为改号软件伪造，与本团伙无关',
    });
    expect(pageErrors).toEqual([]);
  });
});
