// A board on Wi-Fi, end to end: the simulated board served over WebREPL on a
// loopback port stands in for an ESP32; the IDE (browser mode, built UI in
// Chromium) connects to it from the connection picker, runs a program and
// uploads a project file from the board file manager.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSimWebRepl, type SimWebRepl } from '../runtime/sim/node/webrepl-server/serve-sim.js';
import { openIdePage, type IdePage } from './ide-page.js';
import { waitForTerminal as waitForTerminalOn } from './terminal-wait.js';
import { artifact } from './artifacts.js';

let ide: IdePage;
let tmp: string;
let wifi: SimWebRepl;
let page: Page;

const waitForTerminal = (pattern: RegExp, timeout?: number) => waitForTerminalOn(page, pattern, timeout);

beforeAll(async () => {
  ide = await openIdePage({
    name: 'webrepl',
    files: { 'sensor.py': 'READINGS = [1, 2, 3]\n' },
    async beforeLaunch(dirs) {
      wifi = await serveSimWebRepl({ filesDir: path.join(dirs.tmp, 'wifi-board'), password: 'esp32pw', port: 0 });
      return () => wifi.close();
    },
  });
  ({ tmp, page } = ide);
}, 30000);

afterAll(() => ide?.close());

describe('IDE in Chromium on a board over WebREPL', () => {
  it('sets up Wi-Fi and WebREPL on the board by cable: shows the boot.py diff, writes, reports the address', async () => {
    await page.getByTestId('connect-picker').selectOption('webrepl-setup');
    const wizard = page.getByTestId('webrepl-wizard');
    await wizard.getByTestId('wizard-ssid').fill('Workshop');
    await wizard.getByTestId('wizard-wifi-password').fill('solder123');
    await wizard.getByTestId('wizard-webrepl-password').fill('abc');
    await wizard.getByRole('alert').getByText(/4 to 9 characters/).waitFor();
    await wizard.getByTestId('wizard-webrepl-password').fill('pico42');
    await wizard.getByTestId('wizard-preview').click();
    await wizard.getByTestId('wizard-diff').getByText('+ webrepl.start()', { exact: false }).waitFor({ timeout: 15000 });
    await page.screenshot({ path: artifact('webrepl-wizard.png') });
    await wizard.getByTestId('wizard-apply').click();
    await wizard.getByTestId('wizard-done').getByText(/ws:\/\/\d+\.\d+\.\d+\.\d+:8266\//).waitFor({ timeout: 30000 });
    await wizard.getByRole('button', { name: 'Close' }).click();
  });

  it('connects from the connection picker with the address and password', async () => {
    await page.getByTestId('connect-picker').selectOption('webrepl-form');
    const form = page.getByTestId('webrepl-form');
    await form.getByTestId('webrepl-address').fill(wifi.url);
    // Too short: the form says so before anything is sent.
    await form.getByTestId('webrepl-password').fill('abc');
    await form.getByTestId('webrepl-connect').click();
    await form.getByRole('alert').getByText(/4 to 9 characters/).waitFor();
    await form.getByTestId('webrepl-password').fill('esp32pw');
    await form.getByTestId('webrepl-connect').click();
    await form.waitFor({ state: 'detached', timeout: 15000 });
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 10000 }).toBe(wifi.url);
    expect(wifi.stats.sessions).toBeGreaterThanOrEqual(1);
  });

  it('runs a program on the board and shows its output', async () => {
    const editor = page.getByTestId('editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText("import sys\nprint('hello over wifi from', sys.platform)\n");
    await page.getByTestId('run').click();
    await waitForTerminal(/hello over wifi from rp2/);
  });

  it('uploads a project file from the file manager, verified on the board', async () => {
    const source = page.locator('[data-testid="project-file"][data-path="sensor.py"]');
    const list = page.getByTestId('board-files');
    const box = await list.boundingBox();
    if (!box) throw new Error('board file list is not visible');
    await source.dragTo(list, { targetPosition: { x: box.width / 2, y: box.height - 8 } });
    await page.locator('[data-testid="board-file"][data-path="/sensor.py"]').waitFor({ timeout: 15000 });
    expect(fs.readFileSync(path.join(tmp, 'wifi-board', 'sensor.py'), 'utf8')).toBe('READINGS = [1, 2, 3]\n');
    await page.screenshot({ path: artifact('ide-webrepl.png') });
  });
});
