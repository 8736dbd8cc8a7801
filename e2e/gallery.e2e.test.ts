// The examples gallery end to end, in Chromium on the real back end and
// simulator: open it from the toolbar, open the OLED lesson in one click (the
// user's own file of that name is left alone), find its driver in the project
// and on the board, press Run and see the OLED light up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdePage, type IdePage } from './ide-page.js';

// window.__moteTerminalText and __moteOledRows: set by the renderer.
import type {} from '../renderer/src/test-hooks.js';
import { artifact } from './artifacts.js';

const EXAMPLES = path.resolve('resources/examples');
const MY_OWN = '# my own OLED experiment\nprint("mine")\n';

let ide: IdePage;
let project: string;
let dataDir: string;
let page: Page;

beforeAll(async () => {
  ide = await openIdePage({ name: 'gallery', files: { 'oled_hello.py': MY_OWN }, viewport: { width: 1440, height: 900 } });
  ({ projectDir: project, dataDir, page } = ide);
}, 30_000);

afterAll(() => ide?.close());

describe('the examples gallery, in Chromium', () => {
  it('is offered in the welcome state and on the toolbar, and lists every lesson with its description', async () => {
    // The first project file opens by itself; with no file open, the editor offers the examples.
    await page.getByTestId('tab-close').first().click();
    await page.getByTestId('welcome-examples').waitFor({ timeout: 5000 });
    await page.getByTestId('examples').click();
    const cards = page.getByTestId('example-card');
    await expect.poll(() => cards.count(), { timeout: 5000 }).toBe(13);
    await expect.poll(() => cards.first().textContent()).toContain('Blink');
    await expect.poll(() => cards.first().textContent()).toContain('Turn the on-board LED on and off');
    const oled = page.locator('[data-testid="example-card"][data-id="oled_hello"]');
    expect(await oled.textContent()).toContain('driver: ssd1306.py');
    await page.screenshot({ path: artifact('gallery.png') });
  });

  it('opens Blink in one click and runs it', async () => {
    await page.locator('[data-testid="example-card"][data-id="blink"]').click();
    await page.getByTestId('gallery').waitFor({ state: 'detached', timeout: 10000 });
    await expect.poll(() => page.getByTestId('editor').locator('.cm-content').textContent(), { timeout: 5000 }).toContain('led.toggle()');
    expect(fs.readFileSync(path.join(project, 'blink.py'), 'utf8')).toBe(fs.readFileSync(path.join(EXAMPLES, 'blink.py'), 'utf8'));
    await page.getByTestId('run').click();
    await page.locator('[data-testid="run"][data-running="true"]').waitFor({ timeout: 10000 });
  });

  it('opens the OLED lesson next to the user\'s own oled_hello.py while Blink runs, installs its driver, and runs it', async () => {
    // Blink still holds the board: opening a lesson with a driver stops it to install the driver.
    await page.getByTestId('examples').click();
    await page.locator('[data-testid="example-card"][data-id="oled_hello"]').click();
    await page.getByTestId('gallery').waitFor({ state: 'detached', timeout: 10000 });
    await expect
      .poll(() => page.getByTestId('editor').locator('.cm-content').textContent(), { timeout: 5000 })
      .toContain('from ssd1306 import SSD1306_I2C');

    // The user's file is untouched; the lesson and its driver are in the project...
    expect(fs.readFileSync(path.join(project, 'oled_hello.py'), 'utf8')).toBe(MY_OWN);
    expect(fs.readFileSync(path.join(project, 'oled_hello_2.py'), 'utf8')).toBe(fs.readFileSync(path.join(EXAMPLES, 'oled_hello.py'), 'utf8'));
    const driver = fs.readFileSync(path.join(EXAMPLES, 'lib', 'ssd1306.py'), 'utf8');
    expect(fs.readFileSync(path.join(project, 'lib', 'ssd1306.py'), 'utf8')).toBe(driver);
    await page.locator('[data-testid="project-file"][data-path="oled_hello_2.py"]').waitFor({ timeout: 5000 });
    // ...and the driver is on the simulated board, where `import ssd1306` looks.
    const onBoard = fs.readdirSync(path.join(dataDir, 'boards')).map((p) => path.join(dataDir, 'boards', p, 'lib', 'ssd1306.py'));
    expect(onBoard.some((f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8') === driver)).toBe(true);

    await page.getByTestId('run').click();
    await page.waitForFunction(() => /done\r?\n/.test(window.__moteTerminalText?.() ?? ''), undefined, { timeout: 15000 });
    const terminal = await page.evaluate(() => window.__moteTerminalText?.() ?? '');
    // Blink ended by the interrupt; the OLED lesson ran without an error.
    expect(terminal).toContain('KeyboardInterrupt');
    expect(terminal.slice(terminal.lastIndexOf('devices on the bus'))).not.toContain('Traceback');
    await page.getByTestId('oled').waitFor({ timeout: 5000 });
    const rows = await page.evaluate(() => window.__moteOledRows?.(0) ?? null);
    expect(rows).not.toBeNull();
    // The frame the lesson draws around the screen.
    expect(rows![0]).toBe('#'.repeat(128));
    expect(rows![63]).toBe('#'.repeat(128));
    await page.screenshot({ path: artifact('gallery-oled-run.png') });
  });
});
