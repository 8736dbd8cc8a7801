// A beginner's first session, end to end: the real back end and simulated
// board in browser mode, the built UI in Chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdePage, type IdePage } from './ide-page.js';
import { waitForTerminal as waitForTerminalOn } from './terminal-wait.js';
import { artifact } from './artifacts.js';

const BLINK = `from machine import Pin
import time

led = Pin("LED", Pin.OUT)
button = Pin(14, Pin.IN, Pin.PULL_UP)
button.irq(lambda p: print("button pressed!"), Pin.IRQ_FALLING)

while True:
    led.toggle()
    time.sleep(0.25)
`;

let ide: IdePage;
let tmp: string;
let page: Page;

const terminalText = () => page.evaluate(() => window.__moteTerminalText?.() ?? '');

const waitForTerminal = (pattern: RegExp, timeout?: number) => waitForTerminalOn(page, pattern, timeout);

beforeAll(async () => {
  ide = await openIdePage();
  ({ tmp, page } = ide);
});

afterAll(() => ide?.close());

describe('IDE in Chromium on the simulated board', () => {
  it('shows the board banner in the terminal when the window opens', async () => {
    await waitForTerminal(/MicroPython v1\.27\.0 on [\d-]+; Mote Simulated Pico with RP2040-sim\s*\nType "help\(\)" for more information\.\s*\n>>> $/);
  });

  it('runs a typed blink program: the LED blinks, the button IRQ prints, Stop interrupts, the REPL adds', async () => {
    // 2. type the program into the editor
    const editor = page.getByTestId('editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(BLINK);

    // 3. Run
    await page.getByTestId('run').click();

    // 4. the LED in the board view turns on, then off
    const led = page.getByTestId('led');
    await expect.poll(() => led.getAttribute('data-on'), { timeout: 5000 }).toBe('true');
    await expect.poll(() => led.getAttribute('data-on'), { timeout: 5000 }).toBe('false');
    await expect.poll(() => led.getAttribute('data-on'), { timeout: 5000 }).toBe('true');

    // 5. press the simulated button: the IRQ handler prints in the terminal
    const button = page.getByTestId('board-button');
    await button.hover();
    await page.mouse.down();
    await waitForTerminal(/button pressed!/);
    await page.mouse.up();

    await page.screenshot({ path: artifact('ide-blink.png') });

    // 6. Stop: KeyboardInterrupt
    await page.getByTestId('stop').click();
    await waitForTerminal(/KeyboardInterrupt/);

    // 7. 1+1 at the REPL
    await page.getByTestId('terminal').click();
    await waitForTerminal(/>>> $/);
    await page.keyboard.type('1+1');
    await page.keyboard.press('Enter');
    await waitForTerminal(/1\+1\s*\n2\s*\n>>> $/);
    expect(await terminalText()).toMatch(/KeyboardInterrupt/);
  });

  it('marks the failing line in the editor when the program raises', async () => {
    const editor = page.getByTestId('editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('x = 1\ny = 0\nprint(x / y)\n');
    await page.getByTestId('run').click();
    await waitForTerminal(/ZeroDivisionError/);
    const marked = page.locator('.cm-line.cm-mote-error-line');
    await expect.poll(() => marked.count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(await marked.first().textContent()).toContain('print(x / y)');
  });

  it('previews a sync (main.py to upload), applies it, and the board lists main.py', async () => {
    await page.getByTestId('sync').click();
    const dialog = page.getByTestId('sync-dialog');
    await dialog.getByTestId('sync-upload').getByText('/main.py').waitFor({ timeout: 10000 });
    await dialog.getByTestId('sync-apply').click();
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 10000 }).toBe('done');
    await dialog.getByTestId('sync-close').click();
    await page.locator('[data-testid="board-file"][data-path="/main.py"]').waitFor({ timeout: 10000 });
    expect(await page.getByTestId('connect-picker').inputValue()).toBe('sim');
  });

  it('manages board files: new folder, rename into it, download into the project', async () => {
    const answer = async (text: string) => {
      const input = page.getByTestId('dialog-input');
      await input.fill(text);
      await page.getByTestId('dialog-ok').click();
    };
    await page.getByTestId('board-new-folder').click();
    await answer('lib');
    await page.locator('[data-testid="board-file"][data-path="/lib"]').waitFor({ timeout: 10000 });

    const row = page.locator('li', { has: page.locator('[data-testid="board-file"][data-path="/main.py"]') });
    await row.hover();
    await row.getByTestId('board-file-rename').click();
    await answer('lib/blink.py');
    await page.locator('[data-testid="board-file"][data-path="/lib/blink.py"]').waitFor({ timeout: 10000 });

    const moved = page.locator('li', { has: page.locator('[data-testid="board-file"][data-path="/lib/blink.py"]') });
    await moved.hover();
    await moved.getByTestId('board-file-download').click();
    await answer('copy.py');
    await expect.poll(() => fs.existsSync(path.join(tmp, 'project', 'copy.py')), { timeout: 10000 }).toBe(true);
    expect(fs.readFileSync(path.join(tmp, 'project', 'copy.py'), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'project', 'main.py'), 'utf8'));
  });

  it('uploads a project file dragged onto the board files panel', async () => {
    const source = page.locator('[data-testid="project-file"][data-path="main.py"]');
    const list = page.getByTestId('board-files');
    const box = await list.boundingBox();
    if (!box) throw new Error('board file list is not visible');
    // Drop on the panel's empty space (below the rows): the top level of the board.
    await source.dragTo(list, { targetPosition: { x: box.width / 2, y: box.height - 8 } });
    await page.locator('[data-testid="board-file"][data-path="/main.py"]').waitFor({ timeout: 10000 });

    // Drop on a folder row: into that folder.
    const lib = page.locator('li', { has: page.locator('[data-testid="board-file"][data-path="/lib"]') });
    await source.dragTo(lib);
    await page.locator('[data-testid="board-file"][data-path="/lib/main.py"]').waitFor({ timeout: 10000 });
  });
});
