import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { killAllServers, restartServer, startServer, type ServerProcess } from './server-process.ts';

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
  collectErrors(page, errors);
  return { context, page, errors };
}

/** Pushes the page's uncaught errors and console errors onto `errors`, each tagged with `where` (" (second tab)"). */
export function collectErrors(page: Page, errors: string[], where = ''): void {
  page.on('pageerror', (err) => errors.push(`pageerror${where}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error${where}: ${msg.text()}`);
  });
}

/** Goes home and starts a workflow with its button; resolves once the new session's current card is shown. */
export async function startWorkflow(page: Page, title: string): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: `Start ${title}`, exact: true }).click();
  await page.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
  await page.locator('#trail [data-current]').waitFor();
  return page.url();
}

/**
 * Takes out of `errors` (from index `from` on) what htmx logs while the server is down on purpose: the network
 * errors of its requests and streams. Anything else stays, for the suite's check.
 */
export function forgiveDowntime(errors: string[], from: number): void {
  const downtime = errors.splice(from);
  errors.push(...downtime.filter((e) => !/htmx:(sse:)?error: (network error|Failed to fetch)/.test(e)));
}

/** Closes the browser if it was started; safe to call from an after() hook whatever happened. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (browser) await browser.close().catch(() => {});
}

/** What a browser suite's tests use; each accessor throws if read outside the suite's tests. */
export type BrowserSuite = {
  /** The `cardtrail serve` child the pages talk to (another one after restartServer()). */
  readonly server: ServerProcess;
  /** The current test's context (own cookies, cache and storage) and page. */
  readonly context: BrowserContext;
  readonly page: Page;
  /**
   * The current test's page errors so far: the very array the afterEach hook checks, so a test may take out
   * errors it caused on purpose.
   */
  readonly errors: string[];
  /** Kills the server without warning and starts it again on the same port and data; the suite uses the new one. */
  restartServer(): Promise<ServerProcess>;
};

/**
 * Registers, in the describe() it is called in, the hooks of a real-browser suite: before all, a fresh data folder
 * (named by `tempPrefix`), `cardtrail serve` on it and headless Chromium; after all, the browser and every server
 * stopped and the folder removed; before each test, a fresh context and page on the server; after each, the
 * context closed and an assertion that the page reported no script errors. A status the server meant (422 for a
 * bad value) shows as a failed resource in the console: that is not a script error.
 */
export function browserSuite(opts: { tempPrefix: string; viewport: { width: number; height: number } }): BrowserSuite {
  let dataDir: string | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let current: { context: BrowserContext; page: Page; errors: string[] } | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), opts.tempPrefix));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
  });

  after(async () => {
    await closeBrowser(browser);
    await killAllServers();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    current = await newPage(browser!, { baseURL: server!.url, viewport: opts.viewport });
  });

  afterEach(async () => {
    const ended = current;
    current = undefined;
    await ended?.context.close();
    const scriptErrors = (ended?.errors ?? []).filter((e) => !e.includes('Failed to load resource'));
    assert.deepEqual(scriptErrors, [], `the page reported script errors:\n${scriptErrors.join('\n')}\n${server?.output()}`);
  });

  const inTest = () => {
    if (!current) throw new Error('No page: browser suite accessors are for use inside its tests.');
    return current;
  };
  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error('No server: the browser suite has not started one.');
      return server;
    },
    get context() {
      return inTest().context;
    },
    get page() {
      return inTest().page;
    },
    get errors() {
      return inTest().errors;
    },
    async restartServer() {
      server = await restartServer(suite.server);
      return server;
    },
  };
  return suite;
}
