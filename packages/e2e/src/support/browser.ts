import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

// Debian's Chromium, not a downloaded Playwright build: the machine has it from apt, and it is the
// browser a centre running Debian desktops would use. The flags keep it quiet and offline-friendly.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A desktop-sized, Chinese-locale context: what a centre workstation looks like. `options` sets what
 * differs (a smaller screen, another zone or locale).
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    viewport: { width: 1440, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  // Whatever the server's Content-Security-Policy blocks becomes an uncaught error in the page, so the
  // tests that already refuse page errors also refuse a policy that breaks the app.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      throw new Error(
        `Content-Security-Policy blocked ${event.blockedURI || 'inline code'} (${event.violatedDirective})`,
      );
    });
  });
  return context;
}

/**
 * Waits until the open dialog has finished its opening animation. A click aimed at a button of a dialog
 * still zooming in can land on the mask beside it (the button has moved by the time the click is sent),
 * and the mask closes the dialog without a word: on a loaded machine that is a lost click.
 */
export const dialogSettled = (page: Page): Promise<void> => settled(page, '.ant-modal', '.ant-modal');

/** Waits until the open drawer has finished sliding in: the same lost click as `dialogSettled`'s. */
export const drawerSettled = (page: Page): Promise<void> =>
  settled(page, '.ant-drawer-open', '.ant-drawer-open .ant-drawer-content-wrapper');

/** Waits for `shown` to be on the page, then for every `moving` (and what it holds) to have no animation left. */
async function settled(page: Page, moving: string, shown: string): Promise<void> {
  await page.locator(shown).first().waitFor();
  await page.waitForFunction(
    (selector) =>
      [...document.querySelectorAll(selector)].every((e) => e.getAnimations({ subtree: true }).length === 0),
    moving,
  );
}
