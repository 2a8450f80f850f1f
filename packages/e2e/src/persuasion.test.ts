import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiClient, EpisodeView, SignalBatchResponse } from '@fanzha/contracts';
// The shared, pure domain package (no server code): card and ID numbers built as a bank would, the ladder's
// table to say where an outcome leads, and the code generator to make a well-formed code nobody issued.
import {
  formatVerificationCode,
  generateVerificationCode,
  ladderTransitions,
  VERIFICATION_ALPHABET,
  withIdCheckChar,
  withLuhnCheckDigit,
  type LadderStep,
} from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogSettled, drawerSettled, launchBrowser, newContext } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import {
  bootstrapAdmin,
  createAccount,
  liveStreamOpen,
  openSignedIn,
  signInApi,
  type Account,
} from './support/session';
import { canonicalJson, until } from './support/outsider';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const NANMING = '520102'; // 南明区: the payer's county
const YUNYAN = '520103'; // 云岩区: another county
const MULE_CARD = withLuhnCheckDigit('622202' + '400012345678');
const PAYER = {
  phone: '+8613985066666',
  // Born 1990: no age factor; the region is 南明区's.
  idNumber: withIdCheckChar(`${NANMING}19900307123`),
  name: '赵某',
};
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/**
 * Early warning end to end (issue 14): a reported mule account becomes an indicator, a bank's signal of a
 * customer paying it becomes a warning episode routed to the customer's county, a persuader works it on
 * the console through the ladder to a protective hold approved by a colleague and released, and the
 * citizen checks the SMS's verification code on the public page.
 */
describe('early warning: bank signal → persuasion console → verification page', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const admin = bootstrapAdmin();
  const pageErrors: string[] = [];
  type Who = 'callTaker' | 'analyst' | 'nanming' | 'desk' | 'yunyan' | 'icbc' | 'mobile';
  const accounts = {} as Record<Who, Account>;
  const clients = {} as Record<Who, ApiClient>;
  let bankKey = '';
  let bankPrivateKey: KeyObject;
  let console_: Page;
  let episodeId = '';
  let code = '';

  const open = (account: Account, path: string) => {
    if (!browser || !server) throw new Error('not started');
    return openSignedIn(browser, server.url, account, path, { contexts, pageErrors });
  };
  const live = liveStreamOpen;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${resultsDir}${name}.png`, fullPage: true });
  const detail = (page: Page, step?: LadderStep) =>
    page.locator(`[data-testid="episode-detail"]${step ? `[data-step="${step}"]` : ''}`);

  /** Sends one signed batch as ICBC's system does, and answers what the centre said. */
  const sendSignal = async (signalId: string, payer = PAYER): Promise<SignalBatchResponse> => {
    if (!server) throw new Error('not started');
    const body = {
      sentAt: new Date().toISOString(),
      signals: [
        {
          id: signalId,
          at: minutesAgo(0),
          payer,
          payee: { account: MULE_CARD, name: '钱某' },
          amountFen: 3_000_000,
          channel: 'mobile_banking',
          countyCode: NANMING,
        },
      ],
    };
    const signature = sign(null, Buffer.from(canonicalJson({ signalBatch: body })), bankPrivateKey);
    const response = await fetch(`${server.url}/api/bank/signals`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bankKey}`,
        'content-type': 'application/json',
        'x-fanzha-signature': signature.toString('base64'),
      },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as SignalBatchResponse;
  };

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    const users = [
      ['callTaker', { username: 'jiejing.14', displayName: '接警员', role: 'call_taker' }],
      ['analyst', { username: 'fenxi.14', displayName: '研判员', role: 'analyst' }],
      [
        'nanming',
        { username: 'quanzu.nm', displayName: '南明劝阻员', role: 'persuader', countyCode: NANMING },
      ],
      ['desk', { username: 'quanzu.desk', displayName: '中心劝阻席', role: 'persuader' }],
      ['yunyan', { username: 'quanzu.yy', displayName: '云岩劝阻员', role: 'persuader', countyCode: YUNYAN }],
      ['icbc', { username: 'icbc.14', displayName: '工行驻场', role: 'bank_liaison', bankCode: 'ICBC' }],
      [
        'mobile',
        {
          username: 'yidong.14',
          displayName: '移动驻场',
          role: 'telecom_liaison',
          operatorCode: 'china_mobile',
        },
      ],
    ] as const;
    for (const [key, user] of users) accounts[key] = await createAccount(adminApi, user);
    for (const [key] of users) clients[key] = await signInApi(server.url, accounts[key]);

    // ICBC's system: a key pair of its own, the public half registered by an admin.
    const keys = generateKeyPairSync('ed25519');
    bankPrivateKey = keys.privateKey;
    const created = await adminApi.POST('/api/integrations/bank-keys', {
      body: {
        name: 'ICBC 预警信号',
        bankCode: 'ICBC',
        publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    bankKey = created.key;

    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('makes a reported mule account an indicator', async () => {
    const id = randomUUID();
    const draft = await clients.callTaker.PUT('/api/reports/{id}', {
      params: { path: { id } },
      body: {
        version: 0,
        callAnsweredAt: minutesAgo(4),
        victim: { name: '孙某', phone: '13985011111', countyCode: YUNYAN },
        transfers: [
          {
            key: 't1',
            transferredAt: minutesAgo(20),
            amountFen: 8_000_000,
            toAccount: { number: MULE_CARD, name: '钱某' },
          },
        ],
        contacts: [],
        narrative: '对方自称电商客服，以刷单返利为由要求转账做任务。',
        fraudType: 'TASK_REBATE',
      },
    });
    expect(draft.problems).toEqual([]);
    await clients.callTaker.POST('/api/reports/{id}/submit', {
      params: { path: { id } },
      body: { version: draft.version },
    });
    // The indicators consumer hears the submission from the outbox: the account is there once it has.
    const indicator = await until('the mule account as an indicator', async () => {
      try {
        return await clients.analyst.GET('/api/indicators/lookup', {
          params: { query: { kind: 'account', value: MULE_CARD } },
        });
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    });
    expect(indicator.indicator.status).toBe('active');
    expect(indicator.indicator.reportCount).toBe(1);
  });

  it("shows the bank's hit live on the county persuader's console", async () => {
    console_ = await open(accounts.nanming, '/warnings');
    await live(console_);
    await console_.getByTestId('episodes').waitFor();
    expect(await console_.locator('[data-testid^="episode-row-"]').count()).toBe(0);

    // The matcher learns the indicator from its event: until then a signal is screened as no hit. Each try
    // is a new signal (the same id again would be a redelivery, never screened twice).
    let tries = 0;
    const answer = await until(
      'a hit on the mule account',
      async () => {
        const sent = await sendSignal(`icbc-e2e-${++tries}`);
        expect(sent.accepted).toBe(1);
        if (sent.hits !== null) return sent.hits === 1 ? sent : undefined;
        // Scaled out (NATS): the batch went to the signals stream and a worker screens it; the answer
        // cannot say whether it hit. A hit shows as an episode: give the worker a moment to screen it.
        const hit = await until(
          'the worker to screen the batch',
          async () => {
            const open = await clients.desk.GET('/api/episodes', { params: { query: { open: 'true' } } });
            return open.episodes.length > 0 ? sent : undefined;
          },
          3_000,
        ).catch(() => undefined);
        return hit;
      },
      60_000,
    );
    expect(answer.refused).toBe(0);

    const row = console_.locator('[data-testid^="episode-row-"]');
    await row.waitFor();
    episodeId = (await row.getAttribute('data-testid'))!.replace('episode-row-', '');
    // A transfer to a known mule account is 高 whatever else counts.
    expect(await row.getAttribute('data-grade')).toBe('high');
    // The list shows the phone masked, nothing else about the person.
    const text = (await row.textContent()) ?? '';
    expect(text).not.toContain(PAYER.phone);
    expect(text).not.toContain(PAYER.name);
    await shot(console_, 'persuasion-live');
  });

  it('does not show the episode to another county’s persuader, and shows it to the centre’s desk', async () => {
    const other = await clients.yunyan.GET('/api/episodes', { params: { query: { open: 'true' } } });
    expect(other.episodes.map((e) => e.id)).not.toContain(episodeId);
    await expect(
      clients.yunyan.GET('/api/episodes/{id}', { params: { path: { id: episodeId } } }),
    ).rejects.toMatchObject({ status: 404 });
    const desk = await clients.desk.GET('/api/episodes', { params: { query: { open: 'true' } } });
    expect(desk.episodes.find((e) => e.id === episodeId)?.countyCode).toBe(NANMING);
  });

  it('is taken, and its drawer shows the person, the graded warning and a coded contact', async () => {
    await console_.getByTestId(`episode-take-${episodeId}`).click();
    const drawer = console_.getByTestId('episode-drawer');
    await detail(console_).waitFor();
    expect(await detail(console_).getAttribute('data-open')).toBe('true');
    // Taken: the button is gone from the row.
    await console_.getByTestId(`episode-take-${episodeId}`).waitFor({ state: 'detached' });

    // The person in full (the persuader calls them), in the county they were routed to.
    expect(await drawer.getByTestId('episode-phone').textContent()).toBe(PAYER.phone);
    const drawerText = (await drawer.textContent()) ?? '';
    expect(drawerText).toContain(PAYER.name);
    expect(drawerText).toContain(PAYER.idNumber);
    expect(drawerText).toContain('南明区');
    expect(await drawer.getByTestId('episode-grade').getAttribute('data-grade')).toBe('high');

    // The warning: the mule account it hit, and the factors of its grade.
    const warnings = drawer.getByTestId('episode-warnings');
    await warnings.getByText(MULE_CARD).waitFor();
    const factors = await warnings.locator('.ant-tag').allTextContents();
    expect(factors.some((f) => /\d+ 分$/.test(f))).toBe(true);

    // The first SMS went out with a verification code the person can check.
    const codeText = await drawer.getByTestId('episode-verification-code').first().textContent();
    code = /([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(codeText ?? '')?.[1] ?? '';
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await shot(console_, 'persuasion-drawer');
  });

  it('moves down the ladder by the outcomes recorded, to carrier assist and a visit', async () => {
    // `unreachable` moves one step down from wherever the episode is (the 高 ladder's timers may already
    // have moved it on the loaded machine): the answer says from where to where.
    const before = (await detail(console_).getAttribute('data-step')) as LadderStep;
    const unreachable = console_.waitForResponse((r) => r.url().endsWith(`/episodes/${episodeId}/outcome`));
    await console_.getByTestId('episode-outcome-unreachable').click();
    const first = (await (await unreachable).json()) as EpisodeView;
    const recorded = first.ladder.history.findLast((h) => h.event === 'unreachable');
    expect(recorded).toBeDefined();
    const from = first.ladder.history[first.ladder.history.indexOf(recorded!) - 1]?.step ?? before;
    expect(recorded!.step).toBe(ladderTransitions[from].unreachable);
    await detail(console_, first.step).waitFor();

    // `line_busy`: the person is probably on the phone with the fraudster now — the operator is asked to
    // interrupt the line and a visit is sent at once.
    const busy = console_.waitForResponse((r) => r.url().endsWith(`/episodes/${episodeId}/outcome`));
    await console_.getByTestId('episode-outcome-line_busy').click();
    const second = (await (await busy).json()) as EpisodeView;
    expect(second.step).toBe('carrier_assist');
    await detail(console_, 'carrier_assist').waitFor();
    expect(await console_.getByTestId('episode-step').getAttribute('data-step')).toBe('carrier_assist');
    const channels = second.contacts.map((c) => c.channel);
    expect(channels).toContain('carrier_assist');
    expect(channels.filter((c) => c === 'visit')).toHaveLength(1);
    await console_.locator(`[data-testid="episode-row-${episodeId}"][data-step="carrier_assist"]`).waitFor();
  });

  it('asks the person’s operator: its liaison refuses on the operator console, the drawer shows it, a visit stands', async () => {
    // The payer's number (139) is China Mobile's, and no operator signalled: the segment names the operator.
    const requests = await clients.mobile.GET('/api/carrier-requests', {
      params: { query: { status: 'open', limit: 200 } },
    });
    const request = requests.requests.find((r) => r.episodeId === episodeId);
    expect(request).toMatchObject({ operatorCode: 'china_mobile', phone: PAYER.phone });
    const operator = await open(accounts.mobile, '/operator');
    await live(operator);
    const row = operator.locator(`[data-testid="carrier-open"] [data-testid="carrier-row-${request!.id}"]`);
    await row.waitFor();
    await shot(operator, 'operator-console');
    await row.getByTestId('carrier-answer-refused').click();
    await dialogSettled(operator);
    await operator.getByTestId('carrier-refuse-reason').fill('需公安机关出具协查函');
    await operator.getByTestId('carrier-refuse-submit').click();
    await operator
      .locator(`[data-testid="carrier-answered"] [data-testid="carrier-row-${request!.id}"]`)
      .waitFor();
    // The persuader's drawer hears it live: the operator refused, and the ladder stands at the visit.
    await console_.locator('[data-testid="episode-carrier"][data-answer="refused"]').waitFor();
    await detail(console_, 'visit').waitFor();
    const again = await clients.mobile.POST('/api/carrier-requests/{id}/answer', {
      params: { path: { id: request!.id } },
      body: { answer: 'refused', reason: '需公安机关出具协查函' },
    });
    expect(again.status).toBe('answered');
  });

  it('requests a protective hold, approved by the centre’s desk, then released: closed', async () => {
    await console_
      .getByTestId('episode-hold-reason')
      .fill('本人正在按对方指示转账，劝阻无效，申请临时保护性止付');
    // antd gives the number field's test id to its input.
    await console_.getByTestId('episode-hold-hours').fill('24');
    await console_.getByTestId('episode-hold-request').click();
    await detail(console_, 'hold_pending').waitFor();
    // The requester cannot approve their own request.
    expect(await console_.getByTestId('episode-hold-approve').count()).toBe(0);

    // The desk approves in its own console.
    const desk = await open(accounts.desk, '/warnings');
    await live(desk);
    await desk.locator(`[data-testid="episode-row-${episodeId}"][data-step="hold_pending"]`).waitFor();
    await desk.getByTestId(`episode-open-${episodeId}`).click();
    await detail(desk, 'hold_pending').waitFor();
    await desk.getByTestId('episode-hold-approve').click();
    await detail(desk, 'hold').waitFor();

    // The county's console hears it live: the hold runs, with its end shown.
    await detail(console_, 'hold').waitFor();
    await console_.locator(`[data-testid="episode-row-${episodeId}"][data-step="hold"]`).waitFor();
    await console_.getByTestId('episode-hold-until').waitFor();
    // Sent to the payer's bank (the bank of the signal: the request named none).
    await console_.locator('[data-testid="episode-hold-bank"][data-state="sent"]').waitFor();

    // ICBC's liaison has it in the bank console: the person, the reason and the end; and confirms it.
    const bank = await open(accounts.icbc, '/bank');
    const row = bank.locator('[data-kind="protective_hold"]');
    await row.waitFor();
    expect(await row.getByTestId('bank-hold-reason').textContent()).toContain('本人正在按对方指示转账');
    expect(await row.getByTestId('bank-account-name').textContent()).toContain(PAYER.name);
    await row.getByTestId('bank-ends-at').waitFor();
    await shot(bank, 'bank-protective-hold');
    await row.getByTestId('bank-confirm').click();
    await drawerSettled(bank);
    await bank.getByTestId('bank-confirm-submit').click();
    await bank.locator('[data-kind="protective_hold"][data-status="held"]').waitFor();
    // The county's console hears the bank's confirmation live.
    await console_.locator('[data-testid="episode-hold-bank"][data-state="held"]').waitFor();
    await shot(console_, 'persuasion-hold');

    await console_.getByTestId('episode-hold-release').click();
    await console_.locator('[data-testid="episode-detail"][data-step="closed"][data-open="false"]').waitFor();
    // Closed: gone from the open list, on both consoles.
    await console_.getByTestId(`episode-row-${episodeId}`).waitFor({ state: 'detached' });
    await desk.getByTestId(`episode-row-${episodeId}`).waitFor({ state: 'detached' });
    const closed = await clients.nanming.GET('/api/episodes/{id}', { params: { path: { id: episodeId } } });
    expect(closed.isOpen).toBe(false);
    expect(closed.step).toBe('closed');
    // Released early: the bank is told to lift it (the lapse would have told it nothing).
    expect(closed.ladder.hold?.atBank?.state).toBe('releasing');
    const releases = await clients.icbc.GET('/api/bank/instructions', {
      params: { query: { status: 'all', kind: 'protective_hold_release' } },
    });
    expect(releases.instructions).toHaveLength(1);
    expect(releases.instructions[0]?.instruction).toMatchObject({ episodeId, releasedBy: 'quanzu.nm' });
  });

  it("tells a citizen the SMS's code is genuine, without anything personal", async () => {
    if (!browser || !server) throw new Error('not started');
    const context = await newContext(browser, server.url);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`citizen: ${error.message}`));
    await page.goto('/verify');
    expect(new URL(page.url()).pathname).toBe('/verify');

    // Typed as a person might: lower case, without the hyphen.
    await page.getByTestId('verify-code').fill(code.replace('-', '').toLowerCase());
    await page.getByTestId('verify-submit').click();
    const genuine = page.getByTestId('verify-genuine');
    await genuine.waitFor();
    const text = (await genuine.textContent()) ?? '';
    expect(text).toContain('核验通过');
    expect(text).toMatch(/\d{2}:\d{2}/);
    expect(text).toContain('短信');
    for (const personal of [PAYER.phone, PAYER.phone.slice(3), PAYER.name, PAYER.idNumber, MULE_CARD])
      expect(text).not.toContain(personal);
    // The API says the same, and nothing more.
    const answer = (await (await fetch(`${server.url}/api/public/verify/${code}`)).json()) as object;
    expect(Object.keys(answer).sort()).toEqual(['at', 'centre', 'channel', 'isGenuine']);
    expect(answer).toMatchObject({ isGenuine: true, channel: 'sms' });
    await shot(page, 'persuasion-verify-genuine');

    // One character mistyped (the check character): pointed out at once, nothing looked up.
    const last = code.at(-1)!;
    const wrong = code.slice(0, -1) + VERIFICATION_ALPHABET[(VERIFICATION_ALPHABET.indexOf(last) + 1) % 29];
    let looked = 0;
    page.on('request', (r) => void (r.url().includes('/api/public/verify/') && looked++));
    await page.getByTestId('verify-code').fill(wrong);
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('verify-problem').getByText('核验码有误，请核对后重新输入').waitFor();
    expect(await genuine.count()).toBe(0);
    expect(looked).toBe(0);
    const refused = await fetch(`${server.url}/api/public/verify/${wrong}`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ field: 'params.code', reason: 'code.check' }] },
    });

    // A well-formed code the centre never issued: not genuine.
    let unknown = code;
    while (unknown === code)
      unknown = formatVerificationCode(generateVerificationCode((n) => randomBytes(n)));
    await page.getByTestId('verify-code').fill(unknown);
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('verify-not-genuine').waitFor();
    expect(await page.getByTestId('verify-problem').count()).toBe(0);
    await shot(page, 'persuasion-verify-unknown');
  });

  it('puts a person who had already paid in the call-takers’ intake queue; one takes the draft up, prefilled', async () => {
    const intake = await open(accounts.callTaker, '/intake');
    await live(intake);
    const queue = intake.getByTestId('intake-queue');
    await queue.waitFor();
    const payer = {
      phone: '+8613985077777',
      idNumber: withIdCheckChar(`${NANMING}19850611234`),
      name: '周某',
    };
    const sent = await sendSignal(`icbc-e2e-paid-${randomBytes(3).toString('hex')}`, payer);
    expect(sent.accepted).toBe(1);
    const episode = await until('the second payer’s episode', async () => {
      const open = await clients.desk.GET('/api/episodes', { params: { query: { open: 'true' } } });
      return open.episodes.find((e) => e.personPhoneMasked?.endsWith('7777'));
    });
    // The desk calls: the person had paid already. The warning closes and opens an intake draft.
    const paid = await clients.desk.POST('/api/episodes/{id}/outcome', {
      params: { path: { id: episode.id } },
      body: { outcome: 'already_paid' },
    });
    const reportId = paid.intakeReport!.id;
    // Live on the call-taker's intake page, without a reload.
    const take = intake.getByTestId(`intake-queue-take-${reportId}`);
    await take.waitFor();
    await take.click();
    await take.waitFor({ state: 'detached' });
    const number = await intake.getByTestId('intake-report-number').textContent();
    expect(number).toBe(paid.intakeReport!.number);
    // Prefilled from the warning: the mule account the person paid.
    const account = await intake.getByTestId('intake-transfer-0-account').inputValue();
    expect(account.replace(/\s/g, '')).toBe(MULE_CARD);
    await shot(intake, 'intake-queue-taken');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
