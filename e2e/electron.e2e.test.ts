// The desktop app itself, through Playwright's Electron driver. It needs the
// Electron binary, which `npm install` downloads from GitHub; where it is
// missing (offline machines, this project's CI) the test is skipped and says so.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.warn('[e2e] Electron binary not installed: skipping the desktop-window tests (browser-mode tests still run).');
}

describe.skipIf(!binary)('Electron window', () => {
  it('opens the IDE on the simulated board with a locked-down renderer', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-electron-'));
    const app = await _electron.launch({
      executablePath: binary!,
      args: [path.resolve('.'), '--no-sandbox'],
      env: { ...process.env, HOME: home },
    });
    try {
      const page = await app.firstWindow();
      await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 20000 });
      // No Node in the page, only the contract exposed by the preload.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as { mote?: unknown }).mote)).toBe('object');
    } finally {
      await app.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
