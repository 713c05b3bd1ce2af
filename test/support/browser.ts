import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; tests never download a browser. */
export const CHROMIUM = process.env.CARDTRAIL_CHROMIUM ?? '/usr/bin/chromium';

/** Starts headless Chromium with the flags that keep it quiet and working in containers and CI. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh context (own cookies, cache and storage) and page for one test. Page errors and failed console
 * messages are collected so a test can assert the page ran cleanly.
 */
export async function newPage(
  browser: Browser,
  opts: { baseURL?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL: opts.baseURL, viewport: opts.viewport ?? { width: 1000, height: 700 } });
  context.setDefaultTimeout(5_000);
  context.setDefaultNavigationTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  return { context, page, errors };
}

/** Closes the browser if it was started; safe to call from an after() hook whatever happened. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (browser) await browser.close().catch(() => {});
}
