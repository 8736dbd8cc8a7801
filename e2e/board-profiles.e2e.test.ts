// New project for an ESP32, end to end: the real back end in browser mode,
// the built UI in Chromium. The board view must show the ESP32 picture, the
// simulator must answer as an ESP32, and switching the board model from the
// board panel must bring the Pico W picture.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdePage, type IdePage } from './ide-page.js';
import { waitForTerminal as waitForTerminalOn } from './terminal-wait.js';
import { artifact } from './artifacts.js';

let ide: IdePage;
let tmp: string;
let page: Page;

const waitForTerminal = (pattern: RegExp, timeout?: number) => waitForTerminalOn(page, pattern, timeout);

beforeAll(async () => {
  ide = await openIdePage({ name: 'profiles', project: path.join('projects', 'first') });
  ({ tmp, page } = ide);
});

afterAll(() => ide?.close());

describe('board profiles in Chromium', () => {
  it('creates a project for the ESP32-DevKitC and shows the ESP32 picture', async () => {
    await page.getByTestId('new-project').click();
    const dialog = page.getByTestId('new-project-dialog');
    await dialog.waitFor();
    // A name that is not a folder name is refused before it reaches the back end.
    await dialog.getByTestId('new-project-name').fill('../oops');
    await expect.poll(() => dialog.getByTestId('new-project-problem').textContent()).toMatch(/^Project name must be/);
    await dialog.getByTestId('new-project-name').fill('weather-station');
    await dialog.locator('[data-profile="esp32-devkitc"]').click();
    expect(await dialog.locator('[data-profile="esp32-devkitc"]').getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: artifact('new-project-dialog.png') });
    await dialog.getByTestId('new-project-create').click();
    await dialog.waitFor({ state: 'detached', timeout: 15000 });

    // The board view now shows the ESP32 picture: its title, its LED on GPIO 2, BOOT on GPIO 0, pins up to 39.
    const board = page.getByRole('region', { name: 'Board' });
    await expect.poll(() => board.locator('svg.mote-board title').first().textContent(), { timeout: 10000 }).toBe('ESP32-DevKitC');
    expect(await board.getByTestId('led').getAttribute('data-gpio-led')).toBe('2');
    expect(await board.getByTestId('board-button').getAttribute('data-gpio-button')).toBe('0');
    expect(await board.locator('.mote-pin-dot[data-gpio="39"]').count()).toBe(1);
    expect(await page.getByTestId('board-model').textContent()).toContain('ESP32-DevKitC');
    expect(fs.existsSync(path.join(tmp, 'projects', 'weather-station', 'main.py'))).toBe(true);

    // The editor opened the starter main.py; running it blinks the LED on GPIO 2.
    await expect.poll(() => page.getByTestId('editor').locator('.cm-content').textContent(), { timeout: 10000 }).toContain('Pin(2, Pin.OUT)');
    await page.getByTestId('run').click();
    const led = board.getByTestId('led');
    await expect.poll(() => led.getAttribute('data-on'), { timeout: 5000 }).toBe('true');
    await page.screenshot({ path: artifact('esp32-project.png') });
    await page.getByTestId('stop').click();
    await waitForTerminal(/KeyboardInterrupt/);
  });

  it('switches the project to the Pico W from the board panel', async () => {
    await page.getByTestId('board-model').click();
    expect(await page.getByTestId('board-model-esp32-devkitc').getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: artifact('board-model-menu.png') });
    await page.getByTestId('board-model-pico-w').click();
    const board = page.getByRole('region', { name: 'Board' });
    await expect.poll(() => board.locator('svg.mote-board title').first().textContent(), { timeout: 15000 }).toBe('Raspberry Pi Pico W');
    await waitForTerminal(/MicroPython v1\.27\.0 on [\d-]+; Raspberry Pi Pico W with RP2040/);
    expect(await board.getByTestId('led').getAttribute('data-gpio-led')).toBe('64');
    const settings = JSON.parse(fs.readFileSync(path.join(tmp, 'projects', 'weather-station', '.mote', 'project.json'), 'utf8'));
    expect(settings).toEqual({ boardProfile: 'pico-w' });
    await page.screenshot({ path: artifact('pico-w-project.png') });
  });
});
