import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@fanzha/contracts';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/axe';
import { launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, openSignedIn, signInApi, type Account } from './support/session';

const BLOCKED = '171 0000 7777';

/**
 * An appeal end to end: a number the centre had an operator block; its holder files an appeal on /appeal
 * without an account and is given a reference number; an analyst recommends granting it and a supervisor
 * (another person) grants it in the console; the operator is asked to lift the block, and the granted appeal
 * shows the effect done. A holder of a held account files against the hold (naming the bank) and withdraws it.
 */
describe('appeals: filed in public, decided by two people, the block lifted', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const opened: { contexts: BrowserContext[]; pageErrors: string[] } = { contexts: [], pageErrors: [] };
  const admin = bootstrapAdmin();
  let analyst: Account;
  let supervisor: Account;
  let analystApi: ApiClient;
  let countermeasureId = '';

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    analyst = await createAccount(adminApi, {
      username: 'yanpan.ss',
      displayName: '研判员申',
      role: 'analyst',
    });
    supervisor = await createAccount(adminApi, {
      username: 'duban.ss',
      displayName: '督办员申',
      role: 'supervisor',
    });
    const liaison = await signInApi(
      server.url,
      await createAccount(adminApi, {
        username: 'liantong.ss',
        displayName: '联通驻场',
        role: 'telecom_liaison',
        operatorCode: 'china_unicom',
      }),
    );
    analystApi = await signInApi(server.url, analyst);
    const batch = await analystApi.POST('/api/countermeasures', {
      params: { header: { 'idempotency-key': randomUUID() } },
      body: {
        items: [{ kind: 'block_phone', value: BLOCKED, partyCode: 'china_unicom', reason: '涉诈号码' }],
      },
    });
    countermeasureId = batch.items[0]!.id;
    await liaison.POST('/api/countermeasures/{id}/answer', {
      params: { path: { id: countermeasureId }, header: { 'idempotency-key': randomUUID() } },
      body: { answer: 'executed' },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of opened.contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('gives a reference, takes a review and a decision by two people, and asks the operator to lift', async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    opened.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => opened.pageErrors.push(error.message));
    await page.goto('/appeal');
    await page.getByTestId('page-title').waitFor();
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.getByTestId('appeal-value').fill(BLOCKED);
    await page.getByTestId('appeal-name').fill('李四');
    await page.getByTestId('appeal-phone').fill('13912345678');
    await page.getByTestId('appeal-statement').fill('这是我本人使用多年的号码，从未用于诈骗。');
    await page.getByTestId('appeal-submit').click();
    const reference = ((await page.getByTestId('appeal-reference').textContent()) ?? '').trim();
    expect(reference).toMatch(/^SS-\d{4}-[2-9A-HJ-NP-Z]{8}$/);

    const row = (p: typeof page) => p.locator(`tr[data-reference="${reference}"]`);
    const review = await openSignedIn(browser, server.url, analyst, '/analysis/appeals', opened);
    await row(review).getByTestId('appeal-reason').fill('号码已过户，原报案号码有误');
    await row(review).getByTestId('appeal-recommend-grant').click();
    await row(review).getByTestId('appeal-row-status').filter({ hasText: '复核中' }).waitFor();
    // The reviewer is not offered the decision.
    expect(await row(review).getByTestId('appeal-grant').count()).toBe(0);

    const decide = await openSignedIn(browser, server.url, supervisor, '/analysis/appeals', opened);
    await row(decide).getByTestId('appeal-reason').fill('同意解除');
    await row(decide).getByTestId('appeal-grant').click();
    await row(decide).waitFor({ state: 'detached' });
    await decide.getByTestId('appeals-show').getByText('已支持').click();
    await row(decide).getByTestId('appeal-effects').getByText('处置措施：已完成').waitFor();

    const cm = await analystApi.GET('/api/countermeasures/{id}', {
      params: { path: { id: countermeasureId } },
    });
    expect(cm.status).toBe('lift_requested');
    expect(cm.liftReason).toContain(reference);

    // A protective hold: the bank is asked for; the appeal is withdrawn before a decision.
    const held = await context.newPage();
    held.on('pageerror', (error) => opened.pageErrors.push(error.message));
    await held.goto('/appeal');
    await held.getByTestId('appeal-kind').getByText('保护性止付').click();
    await held.getByTestId('appeal-bank').click();
    await held.keyboard.type('工商');
    await held.keyboard.press('Enter');
    await held.getByTestId('appeal-value').fill('6200 5800 0000 0042 422');
    await held.getByTestId('appeal-name').fill('王五');
    await held.getByTestId('appeal-phone').fill('13912340000');
    await held.getByTestId('appeal-statement').fill('我是自愿转账给家人，请解除止付。');
    await held.getByTestId('appeal-submit').click();
    const heldReference = ((await held.getByTestId('appeal-reference').textContent()) ?? '').trim();
    await held.getByTestId('appeal-check-reference').fill(heldReference);
    await held.getByTestId('appeal-check-phone').fill('13912340000');
    await held.getByTestId('appeal-check-submit').click();
    await held.getByTestId('appeal-withdraw').click();
    await held.getByTestId('appeal-status').getByText('已撤回').waitFor();
    expect(await held.getByTestId('appeal-withdraw').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
  });
});
