import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROFILES, TestApp } from '../support/test-app';
import { TEST_PASSWORD } from '../support/web-http';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides. Never downloaded by the tests. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, 'screenshots', 'out');

/** Headless Chromium with a fresh, throw-away profile. Fails (never skips) when Chromium is missing, in CI or not. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. Install it with "apt-get install -y chromium" ` +
        '(or set CHROMIUM_PATH).',
    );
  }
  // Playwright gives every launch its own new user-data directory and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The council every browser spec's pages are titled with, unless a spec says otherwise. */
export const TEST_ORG = { ORG_NAME: 'Northshire County Council' };

/** What a browser spec starts from: Casetrail on a fresh SQLite store, listening on a free local port. */
export async function servedApp(
  env: Record<string, string> = TEST_ORG,
): Promise<{ app: TestApp; base: string; drop: () => Promise<void> }> {
  const profile = await PROFILES[0].create();
  const app = await TestApp.start({ ...profile.env, ...env });
  const server = (await app.app.listen(0, '127.0.0.1')) as Server;
  return { app, drop: profile.drop, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One person at one browser: their own cookies. */
export function newPerson(browser: Browser, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    javaScriptEnabled: options.javaScript ?? true,
  });
}

export interface AxeProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is now: the serious and critical violations (WCAG 2.0-2.2 A and AA rules). */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A new person (their own cookies) on a new page; `people` collects the contexts for the spec to close. */
export async function person(browser: Browser, people: BrowserContext[]): Promise<Page> {
  const context = await newPerson(browser);
  people.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000); // waits are for what the page shows; the cap only matters when it never shows
  return page;
}

/** Signs in through the sign-in page, as a person would; waits for `landing`, or else for leaving the sign-in page. */
export async function signInThroughPage(
  page: Page,
  base: string,
  username: string,
  options: { password?: string; landing?: string } = {},
): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(options.password ?? TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => (options.landing ? url.pathname === options.landing : url.pathname !== '/sign-in'));
}

/** A new person, signed in through the page. */
export async function signedInPerson(
  browser: Browser,
  people: BrowserContext[],
  base: string,
  username: string,
  landing?: string,
): Promise<Page> {
  const page = await person(browser, people);
  await signInThroughPage(page, base, username, { landing });
  return page;
}

/** Runs in the page: each table in <main> wider than <main>, and each cell whose content overflows its box. */
const TABLES_THAT_DO_NOT_FIT = `(() => {
  const main = document.querySelector('main') || document.body;
  const limit = main.getBoundingClientRect().right + 1;
  const problems = [];
  main.querySelectorAll('table').forEach((table, i) => {
    const caption = table.querySelector('caption');
    const name = table.id || (caption && caption.textContent.trim()) || 'table ' + (i + 1);
    if (table.getBoundingClientRect().right > limit) problems.push(name + ' is wider than the page');
    table.querySelectorAll('td, th').forEach((cell) => {
      if (cell.scrollWidth > cell.clientWidth + 1) problems.push(name + ': "' + cell.textContent.trim().slice(0, 40) + '" overflows its cell');
    });
  });
  return problems;
})()`;

/** Tables fit the page at `width` px (a small laptop): none wider than the page, no cell spilling over its neighbour. */
export async function tablesThatDoNotFit(page: Page, width = 1024): Promise<string[]> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width, height: viewport.height });
  try {
    return await page.evaluate<string[]>(TABLES_THAT_DO_NOT_FIT);
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Keeps a screenshot of the page and expects no serious or critical axe-core violation on it, and tables that fit at 1,024 px. */
export async function check(page: Page, name: string, screenshotName = name): Promise<void> {
  await screenshot(page, screenshotName);
  expect({ page: name, problems: await seriousAccessibilityProblems(page) }).toEqual({ page: name, problems: [] });
  expect({ page: name, tablesThatDoNotFit: await tablesThatDoNotFit(page) }).toEqual({ page: name, tablesThatDoNotFit: [] });
}
