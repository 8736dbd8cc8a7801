// The Flash firmware dialog end to end, in Chromium on the real back end:
// the serial port offered is a socat pty with the simulated ESP32's ROM
// bootloader behind it (see runtime/flash/esp/esp-flash.test.ts for the
// DTR/RTS stand-in); the port list is handed to the back end because a pty
// is not a USB device the OS would enumerate.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../main/node/browser-server.js';
import { createBackend } from '../main/node/ide-backend.js';
import { makeEspImage } from '../runtime/flash/testing/esp-test-image.js';
import { ESP32_DEVKITC } from '../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../runtime/sim/esp-rom/esp-sim-pty.js';
import { launchChromium } from './chromium.js';

const ARTIFACTS = path.resolve('test-results');

let tmp: string;
let esp: EspSimPtyServer;
let server: BrowserServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-e2e-flash-'));
  fs.mkdirSync(path.join(tmp, 'project'));
  fs.writeFileSync(path.join(tmp, 'project', 'main.py'), 'print(1)\n');
  esp = await serveEspSimOnPty({ ptyPath: path.join(tmp, 'ttyUSB9'), filesDir: path.join(tmp, 'esp', 'files'), profile: ESP32_DEVKITC });
  const port = { path: esp.ptyPath, vid: '10c4', pid: 'ea60', kind: 'board' as const, description: 'CP2102 USB to UART', manufacturer: null, serialNumber: null, busy: null };
  server = await startBrowserServer({
    rendererDir: path.resolve('dist/renderer'),
    backendFactory: (emit) => createBackend({ projectDir: path.join(tmp, 'project'), dataDir: path.join(tmp, 'data'), listPorts: async () => [port] }, emit),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByTestId('status').getByText('Ready').waitFor({ timeout: 15000 });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await esp?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it('flashes an image file onto the ESP32 from the board picker, with progress, then reports the verified MD5', async () => {
  const image = makeEspImage(256 * 1024, 0, 21);
  const file = path.join(tmp, 'ESP32_TEST.bin');
  fs.writeFileSync(file, image);

  await page.getByTestId('connect-picker').selectOption('flash-firmware');
  const dialog = page.getByTestId('flash-dialog');
  await dialog.waitFor();
  await expect.poll(() => page.getByTestId('flash-port').inputValue()).toBe(esp.ptyPath);
  await page.getByTestId('flash-file').fill(path.join(tmp, 'notes.txt'));
  expect(await page.getByTestId('flash-problem').textContent()).toMatch(/\.bin file/);
  await page.getByTestId('flash-file').fill(file);
  await page.getByTestId('flash-start').click();
  await page.getByTestId('flash-progress').getByText(/writing \d+%/).waitFor({ timeout: 15000 });
  await page.locator('[data-testid="flash-dialog"][data-phase="done"]').waitFor({ timeout: 30000 });
  const md5 = createHash('md5').update(image).digest('hex');
  expect(await page.getByTestId('flash-result').textContent()).toContain(`MD5 ${md5} verified`);
  expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'flash-dialog.png') });
}, 60_000);
