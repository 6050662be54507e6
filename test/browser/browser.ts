/**
 * Real headless Chromium for the browser tests: Debian's chromium (scripts/ensure-chromium.sh
 * installs it; CI runs that first) driven by playwright-core. Playwright's own browser
 * download is never used. Without the browser the tests fail with a message saying how to
 * get it, rather than being skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHub, type RunningHub } from '../../src/server.ts';

export const CHROMIUM = process.env.DATALYFT_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; the browser tests need it. Run \`bash scripts/ensure-chromium.sh\` (as root: apt-get install -y chromium), or set DATALYFT_CHROMIUM to a Chromium binary.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed: keep Chromium from phoning home at every start.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserHub {
  hub: RunningHub;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

/** A hub on port 0 with a fixed "now", and a browser. */
export async function startBrowserHub(now: Date): Promise<BrowserHub> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-browser-'));
  const hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, now: () => now, log: () => {} });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    hub, browser, dataDir,
    async close() {
      await browser.close();
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot when DATALYFT_SCREENSHOTS names a folder (for looking at the pages). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.DATALYFT_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, base: string, token: string, next = '/'): Promise<void> {
  await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}${next}`);
}
