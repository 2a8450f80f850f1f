import { randomUUID } from 'node:crypto';
import { withLuhnCheckDigit } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const NANMING = '520102';
/** Valid ID numbers of people born 2004–2005: 18–25 when the call is answered. */
const YOUNG = ['520102200401010012', '520102200402020028', '520102200503030030'];

/**
 * Publicity (宣传) end to end: three task-rebate reports of young victims in 南明区 this week make a rising
 * line of the brief; the analyst plans a campaign from it; the county's police complete it with the reach.
 */
describe('publicity: a brief line → a campaign → the county completes it', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  let analyst: Account;
  let county: Account;
  const pageErrors: string[] = [];

  async function open(account: Account, path: string): Promise<Page> {
    const context = await newContext(browser!, server!.url, { viewport: { width: 1600, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, account);
    await page.goto(path);
    return page;
  }

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    analyst = await createAccount(adminApi, {
      username: 'yanpan.17',
      displayName: '研判员宣',
      role: 'analyst',
    });
    county = await createAccount(adminApi, {
      username: 'nanming.17',
      displayName: '南明民警宣',
      role: 'county_police',
      countyCode: NANMING,
    });
    const takerAccount = await createAccount(adminApi, {
      username: 'jiejing.17',
      displayName: '接警员宣',
      role: 'call_taker',
    });
    const taker = await signInApi(server.url, takerAccount);
    for (const [i, idNumber] of YOUNG.entries()) {
      const id = randomUUID();
      const saved = await taker.PUT('/api/reports/{id}', {
        params: { path: { id } },
        body: {
          version: 0,
          callAnsweredAt: new Date(Date.now() - 60_000).toISOString(),
          victim: { name: '王同学', phone: `1381234560${i}`, countyCode: NANMING, idNumber },
          fraudType: 'TASK_REBATE',
          transfers: [
            {
              key: 't1',
              transferredAt: new Date(Date.now() - 600_000).toISOString(),
              amountFen: 300_000,
              toAccount: { number: withLuhnCheckDigit(`622202${String(100099990010 + i)}`) },
            },
          ],
          contacts: [],
          narrative: '网上兼职刷单，先返小额佣金后要求垫付',
        },
      });
      await taker.POST('/api/reports/{id}/submit', {
        params: { path: { id } },
        body: { version: saved.version },
      });
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('plans the campaign from the brief and the county completes it', async () => {
    // The rollup counts them from the report events.
    const analystApi = await signInApi(server!.url, analyst);
    await expect
      .poll(
        async () =>
          (await analystApi.GET('/api/publicity/brief', { params: { query: {} } })).lines.map(
            (l) => `${l.countyCode}-${l.fraudType}-${l.ageBand}-${l.reports}`,
          ),
        { timeout: 20_000 },
      )
      .toEqual([`${NANMING}-TASK_REBATE-18-25-3`]);
    const centre = await open(analyst, '/publicity');
    const line = `${NANMING}-TASK_REBATE-18-25`;
    await centre.getByTestId(`brief-line-${line}`).waitFor();
    expect(await centre.getByTestId(`brief-line-${line}`).innerText()).toContain('贵阳市南明区');
    await centre.getByTestId('brief-chart').waitFor();
    await centre.getByTestId(`brief-create-${line}`).click();
    await dialogSettled(centre);
    await centre.getByTestId('campaign-create-ok').click();
    // The toast says it went out (an error would say why instead of leaving an empty list).
    await centre.getByText('宣传任务已下发').waitFor();
    const row = centre.locator('[data-testid^="campaign-row-"]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().innerText()).toContain('待签收');

    const police = await open(county, '/county');
    const complete = police.locator('[data-testid^="campaign-complete-"]');
    await complete.first().waitFor();
    await complete.first().click();
    await dialogSettled(police);
    await police.getByTestId('campaign-reach').fill('320');
    await police.getByTestId('campaign-step-ok').click();
    await police.locator('[data-testid^="campaign-status-"]', { hasText: '已完成' }).waitFor();
    expect(await police.locator('[data-testid^="campaign-row-"]').first().innerText()).toContain('320');

    await centre.reload();
    await centre.locator('[data-testid^="campaign-status-"]', { hasText: '已完成' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
