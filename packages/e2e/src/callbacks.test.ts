import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiClient } from '@fanzha/contracts';
import { withIdCheckChar, withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, openSignedIn, signInApi, type Account } from './support/session';
import { canonicalJson, until } from './support/outsider';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const NANMING = '520102';
const MULE_CARD = withLuhnCheckDigit('622202' + '400019876543');
const PAYER = { phone: '+8613985077777', idNumber: withIdCheckChar(`${NANMING}19850611123`), name: '周某' };
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * Callbacks (回访) end to end: a person warned by their bank's signal is persuaded on the persuasion desk; the
 * centre's callback of them is scheduled (due at once: the supervisor set the delay to 0), a call-taker opens
 * it on the callbacks console, reads the script, records the person reached with a satisfaction, and it
 * leaves the queue.
 */
describe('callbacks: persuaded → scheduled → recorded on the console', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const admin = bootstrapAdmin();
  type Who = 'callTaker' | 'analyst' | 'desk' | 'supervisor';
  const accounts = {} as Record<Who, Account>;
  const clients = {} as Record<Who, ApiClient>;
  let bankKey = '';
  let bankPrivateKey: KeyObject;

  const sendSignal = async (signalId: string) => {
    const body = {
      sentAt: new Date().toISOString(),
      signals: [
        {
          id: signalId,
          at: minutesAgo(0),
          payer: PAYER,
          payee: { account: MULE_CARD, name: '钱某' },
          amountFen: 2_000_000,
          channel: 'mobile_banking',
          countyCode: NANMING,
        },
      ],
    };
    const signature = sign(null, Buffer.from(canonicalJson({ signalBatch: body })), bankPrivateKey);
    const response = await fetch(`${server!.url}/api/bank/signals`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bankKey}`,
        'content-type': 'application/json',
        'x-fanzha-signature': signature.toString('base64'),
      },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env, timeoutMs: 110_000 });
    const adminApi = await signInApi(server.url, admin.account);
    const users = [
      ['callTaker', { username: 'jiejing.17', displayName: '接警员', role: 'call_taker' }],
      ['analyst', { username: 'fenxi.17', displayName: '研判员', role: 'analyst' }],
      ['desk', { username: 'quanzu.17', displayName: '中心劝阻席', role: 'persuader' }],
      ['supervisor', { username: 'zhiban.17', displayName: '值班长', role: 'supervisor' }],
    ] as const;
    for (const [key, user] of users) accounts[key] = await createAccount(adminApi, user);
    for (const [key] of users) clients[key] = await signInApi(server.url, accounts[key]);
    const keys = generateKeyPairSync('ed25519');
    bankPrivateKey = keys.privateKey;
    bankKey = (
      await adminApi.POST('/api/integrations/bank-keys', {
        body: {
          name: 'ICBC 预警信号',
          bankCode: 'ICBC',
          publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      })
    ).key;
    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('schedules a callback once a warned person is persuaded', async () => {
    // The supervisor's settings: a persuaded person is called back at once (the default waits three days).
    await clients.supervisor.PUT('/api/callbacks/settings', {
      body: {
        delayMinutes: { report_closed: 1440, money_returned: 1440, persuaded: 0 },
        retryMinutes: 240,
        maxAttempts: 3,
      },
    });
    const id = randomUUID();
    const draft = await clients.callTaker.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(4),
        victim: { name: '孙某', phone: '13985011112', countyCode: NANMING },
        transfers: [
          {
            key: 't1',
            transferredAt: minutesAgo(20),
            amountFen: 5_000_000,
            toAccount: { number: MULE_CARD, name: '钱某' },
          },
        ],
        contacts: [],
        narrative: '对方以刷单返利为由要求转账做任务。',
        fraudType: 'TASK_REBATE',
      },
    });
    await clients.callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: draft.version },
    });
    let tries = 0;
    const episode = await until(
      'a warning episode from the bank signal',
      async () => {
        await sendSignal(`icbc-cb-${++tries}`);
        const open = await clients.desk.GET('/api/episodes', { params: { query: { open: 'true' } } });
        return open.episodes[0];
      },
      60_000,
    );
    await clients.desk.POST('/api/episodes/{id}/outcome', {
      params: { path: { id: episode.id } },
      body: { outcome: 'persuaded' },
    });
    const callback = await until('the callback of the persuaded person', async () => {
      const { items } = await clients.callTaker.GET('/api/callbacks', { params: { query: {} } });
      return items.find((i) => i.episodeId === episode.id);
    });
    expect(callback).toMatchObject({ kind: 'persuaded', status: 'open', isDue: true, attempts: 0 });
    expect(callback.personPhoneMasked).not.toContain('77777');
  });

  it('records the callback on the console (reached, satisfaction 4) and it leaves the queue', async () => {
    const page = await openSignedIn(browser!, server!.url, accounts.callTaker, '/callbacks', {
      contexts,
      pageErrors,
    });
    const row = page.locator('[data-testid^="callback-row-"]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await row.first().click();
    const detail = page.getByTestId('callback-detail');
    await detail.getByTestId('callback-script').waitFor();
    expect(await detail.getByTestId('callback-script').textContent()).toContain('请按 1 到 5 分打分');
    await detail.getByText('已接通', { exact: true }).click();
    await detail.locator('.ant-rate-star').nth(3).click();
    const saved = page.waitForResponse(
      (r) => r.url().includes('/attempts') && r.request().method() === 'POST',
    );
    await detail.getByTestId('callback-submit').click();
    expect((await saved).status()).toBe(200);
    await until('the queue to be empty', async () => ((await row.count()) === 0 ? true : undefined));
    await page.screenshot({ path: `${resultsDir}callbacks-recorded.png`, fullPage: true });

    const { items } = await clients.callTaker.GET('/api/callbacks', {
      params: { query: { status: 'closed' } },
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'done', satisfaction: 4, hasComplaint: false, attempts: 1 });
    const rates = await clients.supervisor.GET('/api/callbacks/rates', { params: { query: {} } });
    expect(rates.all).toMatchObject({ scheduled: 1, reached: 1, reachRate: 1, meanSatisfaction: 4 });
    expect(pageErrors).toEqual([]);
  });
});
