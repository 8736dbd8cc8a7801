// The Flash firmware dialog end to end, in Chromium on the real back end:
// the serial port offered is a socat pty with the simulated ESP32's ROM
// bootloader behind it (see runtime/flash/esp/esp-flash.test.ts for the
// DTR/RTS stand-in); the port list is handed to the back end because a pty
// is not a USB device the OS would enumerate.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBrowserServer } from '../main/node/browser-server.js';
import { createBackend } from '../main/node/ide-backend.js';
import { makeEspImage } from '../runtime/flash/testing/esp-test-image.js';
import { ESP32_DEVKITC } from '../runtime/sim/common/profiles/esp32-devkitc.js';
import { serveEspSimOnPty, type EspSimPtyServer } from '../runtime/sim/esp-rom/esp-sim-pty.js';
import { openIdePage, type IdePage } from './ide-page.js';
import { artifact } from './artifacts.js';


let ide: IdePage;
let tmp: string;
let esp: EspSimPtyServer;
let page: Page;

beforeAll(async () => {
  ide = await openIdePage({
    name: 'flash',
    files: { 'main.py': 'print(1)\n' },
    viewport: { width: 1280, height: 800 },
    async beforeLaunch({ tmp }) {
      esp = await serveEspSimOnPty({ ptyPath: path.join(tmp, 'ttyUSB9'), filesDir: path.join(tmp, 'esp', 'files'), profile: ESP32_DEVKITC });
      return () => esp.close();
    },
    serve({ projectDir, dataDir }) {
      const port = { path: esp.ptyPath, vid: '10c4', pid: 'ea60', kind: 'board' as const, description: 'CP2102 USB to UART', manufacturer: null, serialNumber: null, busy: null };
      return startBrowserServer({
        rendererDir: path.resolve('dist/renderer'),
        backendFactory: (emit) => createBackend({ projectDir, dataDir, listPorts: async () => [port] }, emit),
      });
    },
  });
  ({ tmp, page } = ide);
}, 30_000);

afterAll(() => ide?.close());

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
  await page.screenshot({ path: artifact('flash-dialog.png') });
}, 60_000);
