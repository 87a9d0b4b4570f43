// Debian's Chromium, headless, driven by playwright-core (which downloads no browser).
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Rig } from './rig';

/** The flags verified with code-server in headless Chromium on this kind of machine. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(rig: Rig): Promise<Browser> {
  // Each launch gets a fresh temporary profile, deleted on close.
  return chromium.launch({
    executablePath: rig.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}
