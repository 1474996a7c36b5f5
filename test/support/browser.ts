import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: the tests never download a browser (.ci/run installs this one). */
export const CHROMIUM = '/usr/bin/chromium';

/** Bundles web/src into web/dist, as `npm run build:web` does (without its type check, to stay fast). */
export function buildWebPage(): void {
  execFileSync(process.execPath, ['web/build.mjs'], { stdio: 'inherit' });
}

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium"`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Records what would make a page quietly wrong: script errors, console errors (CSP refusals
 * among them) and any request that leaves the app's own origin.
 */
export function watchPage(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) problems.push(`request outside the app: ${url}`);
  });
  return problems;
}
