import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); the browser tests drive it with playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
/** CI sets OPENCLAW_REQUIRE_BROWSER=1: there a missing chromium fails instead of skipping. */
export const skipBrowserTests = chromiumMissing && process.env.OPENCLAW_REQUIRE_BROWSER !== '1';

if (skipBrowserTests) {
  console.warn(`SKIPPED browser tests: ${CHROMIUM} not found (apt-get install chromium)`);
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile (its --user-data-dir, removed after), no side traffic. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'openclaw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
