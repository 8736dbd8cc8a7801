// The IDE for the fleet's end-to-end tests: browser mode on the real back end,
// opened in Chromium and at its prompt, with the embedded broker saved on a
// free port of its own (other test files' back ends may hold 1883).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowserMode, type BrowserModeHandle } from '../main/node/browser-mode.js';
import { useFreeBrokerPort } from '../main/node/fleet/broker-test-port.js';
import { launchChromium } from './chromium.js';

/** Where the fleet tests put their screenshots. */
export const ARTIFACTS = path.resolve('test-results');

export interface FleetIde {
  app: BrowserModeHandle;
  browser: Browser;
  page: Page;
  /** The embedded broker's port. */
  brokerPort: number;
  close(): Promise<void>;
}

export async function openFleetIde(projectDir: string, dataDir: string, viewport: { width: number; height: number }): Promise<FleetIde> {
  const brokerPort = await useFreeBrokerPort(dataDir);
  const app = await launchBrowserMode({ projectDir, dataDir });
  const browser = await launchChromium().catch(async (e: Error) => {
    await app.close();
    throw e;
  });
  const page = await browser.newPage({ viewport });
  await page.goto(app.url);
  await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 15000 });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    app, browser, page, brokerPort,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}
