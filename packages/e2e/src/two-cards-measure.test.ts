import type { ApiClient, TwoCardMeasureView } from '@fanzha/contracts';
import { withIdCheckChar, withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
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

const HOLDER_ID = withIdCheckChar('52010219880214003');
const HOLDER_SIM = '13800139201';

/**
 * A two-cards measure (限制新办电话卡) reaches the operator: the centre records it, China Mobile's liaison sees it
 * arrive live in the operator console, with the holder's ID number and SIM, and marks it executed. A queue
 * that cannot be read says so, rather than that nothing awaits.
 */
describe('a two-cards measure reaches the operator console live and is answered there', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const admin = bootstrapAdmin();
  let analyst: ApiClient;
  let callTaker: ApiClient;
  let liaison: Page;
  let account: Account;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    analyst = await signInApi(
      server.url,
      await createAccount(adminApi, { username: 'fenxi.tc', displayName: '研判员', role: 'analyst' }),
    );
    callTaker = await signInApi(
      server.url,
      await createAccount(adminApi, { username: 'jiejing.tc', displayName: '接警员', role: 'call_taker' }),
    );
    account = await createAccount(adminApi, {
      username: 'yidong.tc',
      displayName: '移动驻场',
      role: 'telecom_liaison',
      operatorCode: 'china_mobile',
    });
    browser = await launchBrowser();
    liaison = await openSignedIn(browser, server.url, account, '/operator', { contexts, pageErrors });
    await liveStreamOpen(liaison);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('arrives live with the holder’s ID number and SIM, and leaves the queue once executed', async () => {
    const imported = await analyst.POST('/api/two-cards/imports', {
      body: {
        format: 'json',
        rows: [{ kind: 'sim', number: HOLDER_SIM, holder_id_number: HOLDER_ID, place_name: '南明营业厅' }],
      },
    });
    expect(imported.problems).toEqual([]);
    // A report names the SIM among the fraud contacts: the holder is now in a case, on the centre's list.
    const id = crypto.randomUUID();
    const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const draft = await callTaker.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: at(4),
        victim: { name: '钱某', phone: '13985012345', countyCode: '520102', address: '南明区花果园' },
        transfers: [
          {
            key: 't1',
            transferredAt: at(10),
            amountFen: 500_000,
            victimAccount: '6228480000000000000',
            toAccount: { number: withLuhnCheckDigit('622202' + '100087659101'), name: '王某' },
          },
        ],
        contacts: [{ key: 'c1', kind: 'phone', value: HOLDER_SIM }],
        narrative: '对方自称电商客服，以刷单返利为由要求转账做任务。',
        fraudType: 'TASK_REBATE',
      },
    });
    await callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: draft.version },
    });
    const holderOnList = async () =>
      (await analyst.GET('/api/two-cards/holders', { params: { query: {} } })).items.find((h) =>
        h.idNumberMasked.endsWith(HOLDER_ID.slice(-4)),
      );
    await expect.poll(holderOnList, { timeout: 15_000 }).toBeDefined();
    const holder = (await holderOnList())!;
    const measure: TwoCardMeasureView = await analyst.POST('/api/two-cards/holders/{id}/measures', {
      params: { path: { id: holder.id }, header: { 'idempotency-key': crypto.randomUUID() } },
      body: {
        kind: 'limit_new_phone_cards',
        startsAt: new Date().toISOString(),
        reason: '出租电话卡，经核查认定',
        decidingUnit: '南明分局',
      },
    });
    const mine = measure.instructions.find((i) => i.partyCode === 'china_mobile')!;
    const row = liaison.getByTestId(`two-card-row-${mine.id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(HOLDER_ID);
    expect(await row.textContent()).toContain(HOLDER_SIM);
    const violations = await seriousViolations(liaison);
    expect(violations, describeViolations(violations)).toEqual([]);
    const answered = liaison.waitForResponse((r) =>
      r.url().endsWith(`/api/two-cards/instructions/${mine.id}/answer`),
    );
    await row.getByTestId('two-card-answer-executed').click();
    expect((await answered).status()).toBe(200);
    await row.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('says so when a queue cannot be read, rather than that nothing awaits', async () => {
    const refuse = (route: Route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'forbidden', message: 'Forbidden', requestId: 'test' } }),
      });
    await liaison.route('**/api/two-cards/instructions?*', refuse);
    await liaison.route('**/api/countermeasures?*', refuse);
    await liaison.reload();
    for (const [stem, title] of [
      ['two-card', '两卡数据加载失败'],
      ['countermeasure', '技术反制加载失败'],
    ] as const) {
      const alert = liaison.getByTestId(`${stem}-load-error`);
      await alert.waitFor();
      expect(await alert.textContent()).toContain(title);
      expect(await alert.textContent()).toContain('当前账号无权进行此操作');
    }
    for (const empty of ['暂无待执行的断卡惩戒措施', '暂无待处置的技术反制'])
      expect(await liaison.getByText(empty).count(), empty).toBe(0);
    await liaison.unrouteAll();
    expect(pageErrors).toEqual([]);
  });
});
