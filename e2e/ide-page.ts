// The IDE for a Chromium end-to-end test file: a temp folder holding the
// project and the data folder, the real back end in browser mode on it, and
// the built UI open in Chromium at the status bar's "Ready". One close() takes
// it all down again, in the reverse order.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowserMode, type BrowserModeOptions } from '../main/node/browser-mode.js';
import { launchChromium } from './chromium.js';

/** What the page is served from: browser mode's handle, or a test's own browser server. */
export interface IdeServer {
  url: string;
  close(): Promise<void>;
}

export interface IdeDirs {
  /** The temp folder everything lives in; removed by close(). */
  tmp: string;
  projectDir: string;
  dataDir: string;
}

export interface IdePageOptions {
  /** Names the temp folder: mote-e2e-<name>-XXXXXX (mote-e2e-XXXXXX without one). */
  name?: string;
  /** The project folder, relative to the temp folder; 'project' unless given. */
  project?: string;
  /** Files written into the project before the back end starts (path relative to the project: contents). */
  files?: Record<string, string>;
  /** Further launchBrowserMode options (port, rendererDir). */
  launch?: Omit<BrowserModeOptions, 'projectDir' | 'dataDir'>;
  /**
   * Starts what the back end needs to find already running (a simulated board on a pty, say), in the
   * temp folder. What it returns runs at close(), after the back end stops and before the folder goes.
   */
  beforeLaunch?: (dirs: IdeDirs) => Promise<(() => Promise<void>) | void>;
  /** Serves the IDE some other way than launchBrowserMode (a back end with its own port list, say). */
  serve?: (dirs: IdeDirs) => Promise<IdeServer>;
  viewport?: { width: number; height: number };
}

export interface IdePage extends IdeDirs {
  app: IdeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openIdePage(options: IdePageOptions = {}): Promise<IdePage> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), options.name ? `mote-e2e-${options.name}-` : 'mote-e2e-'));
  const dirs: IdeDirs = { tmp, projectDir: path.join(tmp, options.project ?? 'project'), dataDir: path.join(tmp, 'data') };
  let afterApp: (() => Promise<void>) | void = undefined;
  let app: IdeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    if (afterApp) await afterApp();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    for (const [name, text] of Object.entries(options.files ?? {})) {
      const file = path.join(dirs.projectDir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    afterApp = await options.beforeLaunch?.(dirs);
    app = options.serve
      ? await options.serve(dirs)
      : await launchBrowserMode({ ...options.launch, projectDir: dirs.projectDir, dataDir: dirs.dataDir });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 860 } });
    await page.goto(app.url);
    await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 15000 });
    return { ...dirs, app, browser, page, close };
  } catch (e) {
    // The set-up's own failure is the one to report, not a follow-on one while tidying up.
    await close().catch(() => undefined);
    throw e;
  }
}
