import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WallSummary } from '@fanzha/contracts';
import { listCounties } from '@fanzha/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { assertWebBuilt, startServer, type RunningServer } from './support/server';
import { bootstrapAdmin, createAccount, signInApi, signInBrowser, type Account } from './support/session';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
/** Text read from 5 m on a 1920×1080 screen. */
const MIN_TEXT_PX = 20;

const zero = {
  reports: 0,
  lossFen: 0,
  stoppedAccounts: 0,
  stoppedFen: 0,
  frozenFen: 0,
  returnedFen: 0,
  warnings: 0,
  persuasions: 0,
  blockedNumbers: 0,
};

/**
 * A busy month, as the wall's own API would describe it: every county with reports (three far ahead of
 * the rest), more overdue counties and lapsing stops than the panels hold, long bank names.
 */
function busyMonth(): WallSummary {
  const now = Date.now();
  const counties = listCounties().map((c, i) => ({
    code: c.code,
    reportsToday: i % 3,
    lossTodayFen: 0,
    reportsMonth: i < 3 ? 900 + i : 1 + (i % 20),
    lossMonthFen: (i < 3 ? 90_000_000_000 : 100_000 * (1 + (i % 20))) + i,
  }));
  return {
    at: new Date(now).toISOString(),
    today: { ...zero, reports: 123, lossFen: 1_234_567_800, stoppedAccounts: 45, stoppedFen: 98_765_400 },
    month: {
      ...zero,
      reports: 3456,
      lossFen: 98_765_432_100,
      stoppedAccounts: 987,
      stoppedFen: 1_234_567_800,
    },
    capabilities: { freezes: true, warnings: false, blockedNumbers: false },
    clock: {
      reports: 123,
      reached: 100,
      medianS: 96.5,
      p90S: 240,
      withinTarget: 80,
      withinTargetShare: 0.65,
      targetS: 180,
    },
    counties,
    fraudTypes: {
      month: [
        { code: 'TASK_REBATE', reports: 40, lossFen: 1 },
        { code: 'ROMANCE', reports: 30, lossFen: 1 },
        { code: 'FAKE_INVESTMENT', reports: 20, lossFen: 1 },
        { code: 'FAKE_CREDIT_REPAIR', reports: 10, lossFen: 1 },
        { code: null, reports: 5, lossFen: 1 },
      ],
      trend: {
        days: Array.from({ length: 30 }, (_, i) =>
          new Date(now - (29 - i) * 86_400_000).toISOString().slice(0, 10),
        ),
        series: ['TASK_REBATE', 'ROMANCE', 'FAKE_INVESTMENT'].map((code, k) => ({
          code,
          reports: Array.from({ length: 30 }, (_, i) => (i * (k + 1)) % 9),
        })),
      },
    },
    hourly: Array.from({ length: 24 }, (_, i) => ({
      hour: new Date(now - (23 - i) * 3_600_000).toISOString(),
      reports: i % 7,
      lossFen: i * 1_000_000,
    })),
    banks: ['ICBC', 'CCB', 'ABC', 'BOC', 'PSBC', 'CMB'].map((bankCode, i) => ({
      bankCode,
      bankName: `${bankCode}贵州省分行营业部（测试用很长的名称）`,
      answered: 20 - i,
      stopped: 10,
      medianS: 40 + i * 9,
      p90S: 200,
    })),
    lapse: {
      windowH: 12,
      inForce: 77,
      count: 9,
      stoppedFen: 45_600_000,
      next: Array.from({ length: 8 }, (_, i) => ({
        bankCode: 'PSBC',
        bankName: '中国邮政储蓄银行股份有限公司贵州省分行',
        layer: 1 + (i % 3),
        stoppedFen: 12_345_600 * (i + 1),
        expiresAt: new Date(now + (i + 1) * 3_600_000).toISOString(),
      })),
    },
    handoffs: {
      open: 42,
      overdue: 17,
      byCounty: listCounties()
        .slice(0, 9)
        .map((c, i) => ({ code: c.code, overdue: 9 - i })),
    },
    callbacks: {
      today: { closed: 128, reached: 97, reachRate: 0.758, meanSatisfaction: 4.26, complaints: 3 },
      month: { closed: 3_456, reached: 2_901, reachRate: 0.839, meanSatisfaction: 4.41, complaints: 27 },
    },
    tasks: {
      open: 1_234,
      overdue: 87,
      byKind: [
        { kind: 'carrier-request', open: 456, overdue: 41 },
        { kind: 'stop-payment', open: 321, overdue: 30 },
        { kind: 'investigation', open: 210, overdue: 16 },
      ],
    },
    investigation: { openClusters: 1_234, alertedClusters: 56, linkedToday: 789 },
    ticker: Array.from({ length: 6 }, (_, i) => ({
      id: `t${i}`,
      at: new Date(now - i * 60_000).toISOString(),
      kind: 'received' as const,
      countyCode: '520102',
      fraudType: 'TASK_REBATE',
      lossFen: 5_000_000,
      stoppedFen: 0,
      frozenFen: 0,
      returnedFen: 0,
      text: '贵阳市南明区 · 刷单返利 · ¥50,000',
    })),
  };
}

/** Every piece of visible text on the wall with the font size it is drawn at. */
function textSizes(page: Page) {
  return page.evaluate(() => {
    const wall = document.querySelector('[data-testid="wall"]');
    const out: { text: string; px: number; isCut: boolean }[] = [];
    if (!wall) return out;
    const walker = document.createTreeWalker(wall, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || el.closest('style')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Text in a panel shows whole: not cut off at the panel's bottom edge.
      const panel = el.closest('section')?.getBoundingClientRect();
      out.push({
        text,
        px: parseFloat(getComputedStyle(el).fontSize),
        isCut: !!panel && box.bottom > panel.bottom + 1,
      });
    }
    return out;
  });
}

/** Boxes of the panels, their rows and the ticker, to check that nothing spills into anything else. */
function layout(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element | null) => {
      const r = el?.getBoundingClientRect();
      return r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
    };
    const rows = (testId: string) =>
      [...document.querySelectorAll(`[data-testid="${testId}"] [data-testid="wall-row"]`)].map((row) => ({
        ...box(row)!,
        isClipped: [...row.querySelectorAll('span')].some(
          (s) => s.scrollWidth > s.clientWidth + 1 && getComputedStyle(s).textOverflow !== 'ellipsis',
        ),
      }));
    const panels = [...document.querySelectorAll('[data-testid="wall"] section')].map((el) => ({
      name: el.getAttribute('data-testid'),
      ...box(el)!,
    }));
    return {
      panels,
      ticker: box(document.querySelector('[data-testid="wall-ticker"]')),
      handoffs: box(document.querySelector('[data-testid="wall-handoffs"]')),
      lapse: box(document.querySelector('[data-testid="wall-lapse"]')),
      handoffRows: rows('wall-handoffs'),
      lapseRows: rows('wall-lapse'),
      callbacks: box(document.querySelector('[data-testid="wall-callbacks"]')),
      callbackRows: rows('wall-callbacks'),
      tasks: box(document.querySelector('[data-testid="wall-tasks"]')),
      taskRows: rows('wall-tasks'),
      investigation: box(document.querySelector('[data-testid="wall-investigation"]')),
      investigationRows: rows('wall-investigation'),
    };
  });
}

/**
 * The wall read from 5 m on a 1920×1080 screen, on a busy month: every piece of text at least 20 px,
 * lists that stop at their panel's edge (ellipsis, fixed rows) instead of running into the ticker, the
 * map's leading counties named beside it rather than over it, and a wall that is not live says so big.
 * Chart text drawn on canvas is checked in the option builders' unit tests.
 */
describe('the wall, readable across the room', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const admin = bootstrapAdmin();
  let wallAccount: Account;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer({ env: admin.env });
    const adminApi = await signInApi(server.url, admin.account);
    wallAccount = await createAccount(adminApi, { username: 'dapin.02', displayName: '大屏', role: 'wall' });
    browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
    context = await browser.newContext({
      baseURL: server.url,
      locale: 'zh-CN',
      viewport: { width: 1920, height: 1080 },
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/sign-in');
    await signInBrowser(page, wallAccount);
    const body = JSON.stringify(busyMonth());
    await page.route('**/api/wall/summary', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
    await page.goto('/wall');
    await page.locator('[data-testid="wall"][data-loaded="true"]').waitFor();
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  for (const locale of ['zh-CN', 'en-US'] as const)
    it(`draws every piece of text at ${MIN_TEXT_PX} px or more (${locale})`, async () => {
      if (locale === 'en-US') {
        await page.evaluate(() => localStorage.setItem('fanzha.locale', 'en-US'));
        await page.reload();
        await page.locator('[data-testid="wall"][data-loaded="true"]').waitFor();
        await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('Command wall');
      }
      const sizes = await textSizes(page);
      expect(sizes.length).toBeGreaterThan(40);
      expect(sizes.filter((s) => s.px < MIN_TEXT_PX)).toEqual([]);
      expect(sizes.filter((s) => s.isCut)).toEqual([]);
      await page.screenshot({ path: `${resultsDir}wall-readable-${locale}.png` });
    });

  it('keeps every panel in its own place: none runs into another, whatever the language', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      await page.evaluate((l) => localStorage.setItem('fanzha.locale', l), locale);
      await page.reload();
      await page.locator('[data-testid="wall"][data-loaded="true"]').waitFor();
      const { panels } = await layout(page);
      expect(panels.length).toBeGreaterThanOrEqual(8);
      for (const a of panels) {
        expect(a.right, `${a.name} (${locale})`).toBeLessThanOrEqual(1920);
        for (const b of panels)
          if (a !== b) {
            const overlaps =
              a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
            expect(overlaps, `${a.name} over ${b.name} (${locale})`).toBe(false);
          }
      }
    }
  });

  it('keeps the lists inside their panels: fixed rows, cut with an ellipsis, clear of the ticker', async () => {
    const box = await layout(page);
    expect(box.handoffRows.length).toBeGreaterThan(0);
    expect(box.lapseRows.length).toBeGreaterThan(0);
    expect(box.callbackRows.length).toBe(2);
    expect(box.taskRows.length).toBe(3);
    expect(box.investigationRows.length).toBe(1);
    for (const [panel, rows] of [
      [box.handoffs, box.handoffRows],
      [box.lapse, box.lapseRows],
      [box.callbacks, box.callbackRows],
      [box.tasks, box.taskRows],
      [box.investigation, box.investigationRows],
    ] as const) {
      expect(panel!.bottom).toBeLessThanOrEqual(box.ticker!.top);
      for (const row of rows) {
        expect(row.bottom).toBeLessThanOrEqual(panel!.bottom);
        expect(row.right).toBeLessThanOrEqual(panel!.right);
        expect(row.isClipped).toBe(false);
      }
    }
  });

  it('names the leading counties beside the map, in a list and not over the shapes', async () => {
    const leaders = page.getByTestId('wall-map-leader');
    await expect.poll(() => leaders.count()).toBeGreaterThanOrEqual(3);
    expect(await leaders.first().textContent()).toMatch(/\d/);
  });

  it('says it is not live, large, when the stream is gone', async () => {
    await page.route('**/api/stream', (route) => route.abort());
    await page.reload();
    await page.locator('[data-testid="wall"][data-loaded="true"]').waitFor();
    const badge = page.locator('[data-testid="live-status"]:not([data-status="open"])');
    await badge.waitFor();
    const size = await badge.evaluate((el) => ({
      px: parseFloat(getComputedStyle(el).fontSize),
      width: el.getBoundingClientRect().width,
    }));
    expect(size.px).toBeGreaterThanOrEqual(40);
    // A band across the wall, not a tag in a corner.
    expect(size.width).toBeGreaterThanOrEqual(1920 / 2);
    await page.screenshot({ path: `${resultsDir}wall-not-live.png` });
    await page.unroute('**/api/stream');
    expect(pageErrors).toEqual([]);
  });
});
