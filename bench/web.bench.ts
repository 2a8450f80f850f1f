/**
 * The consoles in Chromium against a started server (embedded, built web app), as a person opens them:
 *  - web_<console>_cold_load_ms: a browser with an empty cache opens the console until its work is on
 *    screen (loopback), and _cold_load_wan_ms the same over an emulated 20 Mbit/s, 40 ms link (a county
 *    station on the province's network);
 *  - web_<console>_js_bytes: script bytes transferred on that cold load, and _js_bytes_identity what they
 *    are when the browser takes no compression (the figure before compressed serving), with the load time
 *    over the same link then (_cold_load_wan_identity_ms);
 *  - web_<console>_warm_js_bytes: script bytes transferred on the next load (hashed assets are cached);
 *  - web_intake_keystroke_ms: main-thread time per keystroke typing into the intake form (p50, p95);
 *  - web_desk_rows_in_dom / web_bank_rows_in_dom: table rows the page holds with hundreds of requests open.
 * Needs `npm run build:web` first. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { SessionInfo, SignInResponse, StopPaymentList } from '../packages/contracts/src/index';
import type { Role } from '../packages/domain/src/index';
import { loadConfig } from '../packages/server/src/config';
import { totpCode, totpStep } from '../packages/server/src/platform/crypto/totp';
import { start } from '../packages/server/src/start';
import { cardOf, draft } from '../packages/server/testing/core-loop-fixtures';
import { machine, percentile, report } from './support';

const OPEN_REQUESTS = Number(process.env.BENCH_OPEN_REQUESTS ?? 300);
const SENT_TO_BANK = Math.floor(OPEN_REQUESTS / 2);
const KEYSTROKES = 40;
const PASSWORD = 'Bench-Passw0rd-2026';
const WAN = { offline: false, latency: 40, downloadThroughput: 2_500_000, uploadThroughput: 2_500_000 };

const dist = fileURLToPath(new URL('../packages/web/dist/index.html', import.meta.url));
if (!existsSync(dist)) throw new Error('packages/web/dist is missing: run `npm run build:web` first');

async function signIn(url: string, username: string): Promise<string> {
  const step1 = (await (
    await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
  ).json()) as SignInResponse;
  const code = totpCode(step1.enrolment!.secret, totpStep(new Date()));
  const res = await fetch(`${url}/api/auth/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challengeId: step1.challengeId, code }),
  });
  (await res.json()) as SessionInfo;
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

interface Console {
  name: string;
  user: string | undefined;
  path: string;
  /** On screen once the console shows its work, not only its frame. */
  ready: string;
}

const CONSOLES: Console[] = [
  { name: 'sign_in', user: undefined, path: '/sign-in', ready: '[data-testid="signin-username"]' },
  { name: 'intake', user: 'taker', path: '/intake', ready: '[data-testid="intake-answer"]' },
  { name: 'desk', user: 'desk', path: '/stop-payment', ready: '[data-testid^="desk-row-"]' },
  { name: 'bank', user: 'icbc', path: '/bank', ready: '[data-testid="bank-open"] tr[data-kind]' },
  { name: 'wall', user: 'chief', path: '/wall', ready: '[data-testid="wall"] canvas' },
];

/** Script bytes of one page load: as transferred (encoded) and as decoded. */
function scriptBytes(cdp: CDPSession) {
  const scripts = new Set<string>();
  const totals = { transferred: 0, decoded: 0 };
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.add(e.requestId);
  });
  cdp.on('Network.dataReceived', (e) => {
    if (scripts.has(e.requestId)) totals.decoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (scripts.has(e.requestId)) totals.transferred += e.encodedDataLength;
  });
  return totals;
}

async function open(
  browser: Browser,
  url: string,
  cookies: Record<string, string>,
  c: Console,
  opts: { wan?: boolean; identity?: boolean } = {},
) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  if (c.user) {
    const [name, value] = cookies[c.user]!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (opts.wan) await cdp.send('Network.emulateNetworkConditions', WAN);
  if (opts.identity)
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  const bytes = scriptBytes(cdp);
  const t0 = performance.now();
  await page.goto(`${url}${c.path}`, { waitUntil: 'commit' });
  await page.locator(c.ready).first().waitFor({ timeout: 60_000 });
  const ms = performance.now() - t0;
  await page.waitForLoadState('networkidle').catch(() => undefined);
  return { context, page, cdp, bytes, ms };
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Main-thread time of each keystroke: the browser's task time from the key until the next frame is drawn. */
async function keystrokes(page: Page, cdp: CDPSession, testId: string, text: string): Promise<number[]> {
  const field = page.getByTestId(testId);
  await field.click();
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const out: number[] = [];
  for (const ch of text) {
    await frame();
    const before = await taskSeconds(cdp);
    await page.keyboard.type(ch);
    await frame();
    out.push((await taskSeconds(cdp)) - before);
  }
  // What the measuring itself costs (two frames and two metric reads), taken off each keystroke.
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) {
    await frame();
    const before = await taskSeconds(cdp);
    await frame();
    idle.push((await taskSeconds(cdp)) - before);
  }
  const overhead = [...idle].sort((a, b) => a - b)[5]!;
  return out.map((s) => Math.max(0, (s - overhead) * 1000));
}

console.log(`# machine: ${machine()}`);
const dir = await mkdtemp(join(tmpdir(), 'fanzha-bench-'));
const running = await start(
  loadConfig({
    FANZHA_PORT: '0',
    FANZHA_HOST: '127.0.0.1',
    FANZHA_DEMO: 'off',
    FANZHA_LOG_LEVEL: 'silent',
    FANZHA_DATA_DIR: dir,
  }),
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const { url } = running;
  const ctx = { at: new Date(), requestId: null, actor: null, origin: 'bench' };
  const users: Array<[string, Role, { bankCode?: string }]> = [
    ['filer', 'call_taker', {}],
    ['taker', 'call_taker', {}],
    ['desk', 'stop_payment_officer', {}],
    ['icbc', 'bank_liaison', { bankCode: 'ICBC' }],
    ['chief', 'supervisor', {}],
  ];
  for (const [username, role, scope] of users)
    await running.app.services.users.create(ctx, {
      username,
      displayName: username,
      role,
      password: PASSWORD,
      ...scope,
    });
  const cookies: Record<string, string> = {};
  for (const [username] of users) cookies[username] = await signIn(url, username);

  // Hundreds of open requests: the desk's pending queue, half of them sent and open at ICBC.
  for (let i = 0; i < OPEN_REQUESTS; i++) {
    const res = await fetch(`${url}/api/reports/${randomUUID()}`, {
      method: 'PUT',
      headers: { cookie: cookies.filer!, 'content-type': 'application/json' },
      body: JSON.stringify(
        draft({ at: new Date(), transfers: [{ number: cardOf('ICBC', 50_000 + i), amountFen: 100_000 }] }),
      ),
    });
    if (!res.ok) throw new Error(`draft ${res.status} ${await res.text()}`);
  }
  const queue = (await (
    await fetch(`${url}/api/stop-payments?status=pending&limit=${SENT_TO_BANK}`, {
      headers: { cookie: cookies.desk! },
    })
  ).json()) as StopPaymentList;
  for (const request of queue.requests.slice(0, SENT_TO_BANK)) {
    const res = await fetch(`${url}/api/stop-payments/${request.id}/send`, {
      method: 'POST',
      headers: { cookie: cookies.desk!, 'content-type': 'application/json' },
      body: JSON.stringify({ legalDocNumber: '黔公反诈止字〔2026〕1号' }),
    });
    if (!res.ok) throw new Error(`send ${res.status} ${await res.text()}`);
  }
  console.log(`# ${OPEN_REQUESTS} requests filed, ${SENT_TO_BANK} sent to ICBC`);

  for (const c of CONSOLES) {
    const identity = await open(browser, url, cookies, c, { identity: true, wan: true });
    report(`web_${c.name}_js_bytes_identity`, identity.bytes.transferred, 'bytes');
    report(`web_${c.name}_cold_load_wan_identity_ms`, identity.ms, 'ms');
    await identity.context.close();

    const wan = await open(browser, url, cookies, c, { wan: true });
    report(`web_${c.name}_cold_load_wan_ms`, wan.ms, 'ms');
    await wan.context.close();

    const cold = await open(browser, url, cookies, c);
    report(`web_${c.name}_cold_load_ms`, cold.ms, 'ms');
    report(`web_${c.name}_js_bytes`, cold.bytes.transferred, 'bytes');
    report(`web_${c.name}_js_decoded_bytes`, cold.bytes.decoded, 'bytes');
    // The next load in the same browser: hashed scripts come from the cache, only index.html is asked.
    const warm = scriptBytes(cold.cdp);
    warm.transferred = 0;
    const t0 = performance.now();
    await cold.page.reload({ waitUntil: 'commit' });
    await cold.page.locator(c.ready).first().waitFor({ timeout: 60_000 });
    report(`web_${c.name}_warm_load_ms`, performance.now() - t0, 'ms');
    report(`web_${c.name}_warm_js_bytes`, warm.transferred, 'bytes');
    if (c.name === 'desk' || c.name === 'bank') {
      const rows = await cold.page.locator('tbody tr[data-row-key]').count();
      report(`web_${c.name}_rows_in_dom`, rows, 'rows');
    }
    await cold.context.close();
  }

  // Typing into the intake form during a call.
  const intake = await open(
    browser,
    url,
    cookies,
    CONSOLES.find((c) => c.name === 'intake')!,
  );
  await intake.cdp.send('Performance.enable');
  await intake.page.getByTestId('intake-answer').click();
  await intake.page.getByTestId('intake-victim-name').waitFor();
  const all: number[] = [];
  for (const [testId, text] of [
    ['intake-narrative', '对方自称电商客服说快递丢件要理赔让我下载会议软件共享屏幕然后转账到安全账户'],
    ['intake-victim-address', '贵阳市南明区花果园社区第三期十二栋二单元一零二号'],
    ['intake-transfer-0-account', cardOf('ICBC', 987_654)],
  ] as const) {
    const ms = await keystrokes(intake.page, intake.cdp, testId, text.slice(0, KEYSTROKES));
    all.push(...ms);
  }
  all.sort((a, b) => a - b);
  report('web_intake_keystroke_p50_ms', percentile(all, 50), 'ms');
  report('web_intake_keystroke_p95_ms', percentile(all, 95), 'ms');
  report('web_intake_keystroke_mean_ms', all.reduce((s, v) => s + v, 0) / all.length, 'ms');
  await intake.context.close();
} finally {
  await browser.close();
  await running.stop();
  await rm(dir, { recursive: true, force: true });
}
