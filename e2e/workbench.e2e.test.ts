// The simulated board as a workbench, end to end: the real back end and
// simulator in browser mode, the built UI in Chromium.
//   1. open the OLED example from the gallery, 2. run it, 3. read the OLED pixels back from the
//   board view's canvas and check them against the framebuffer the program
//   drew, 4. move the ADC slider and see the plotted value follow.
//
// The expected framebuffer is computed apart from everything under test: a
// second simulated board runs the same example with an `ssd1306` module whose
// SSD1306_I2C is a plain MicroPython framebuf (MONO_HLSB) that prints its bytes
// on show(). So the real driver -> I2C -> SSD1306 model -> IPC -> canvas path
// is compared with MicroPython's own drawing of the same calls.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawRepl } from '../runtime/common/raw-repl.js';
import { SimBoard } from '../runtime/sim/node/sim-board.js';
import { ByteCollector } from '../runtime/testing/byte-collector.js';
import { openIdePage, type IdePage } from './ide-page.js';
import { waitForTerminal as waitForTerminalOn } from './terminal-wait.js';
import { artifact } from './artifacts.js';

// window.__moteTerminalText, __moteOledRows and __motePlot: set by the renderer.
import type {} from '../renderer/src/test-hooks.js';

const EXAMPLES = path.resolve('resources/examples');
/** How far a reading may stray from the slider: the simulated ADC quantises to 12 bits, as the real converters do. */
const ADC_NOISE = 16;

/** Stands in for the driver on the reference board: draws into a MONO_HLSB framebuf and prints it. */
const REFERENCE_SSD1306 = `import framebuf, binascii
class SSD1306_I2C(framebuf.FrameBuffer):
    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False):
        self.width = width
        self.height = height
        self.buffer = bytearray(width * height // 8)
        super().__init__(self.buffer, width, height, framebuf.MONO_HLSB)
    def show(self):
        print("FB:" + binascii.hexlify(self.buffer).decode())
    def poweron(self):
        pass
    def contrast(self, c):
        pass
`;

let ide: IdePage;
let tmp: string;
let page: Page;

const waitForTerminal = (pattern: RegExp, timeout?: number) => waitForTerminalOn(page, pattern, timeout);

/** MONO_HLSB bytes (hex) as rows of '#' and '.'. */
function hlsbRows(hex: string, width: number, height: number): string[] {
  const bytes = Buffer.from(hex, 'hex');
  const stride = width / 8;
  return Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => ((bytes[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? '#' : '.')).join(''),
  );
}

/** What the example draws, according to MicroPython's framebuf on a board of its own. */
async function referenceFramebuffer(source: string): Promise<string[]> {
  const filesDir = path.join(tmp, 'reference-board');
  fs.mkdirSync(filesDir, { recursive: true });
  fs.writeFileSync(path.join(filesDir, 'ssd1306.py'), REFERENCE_SSD1306);
  const board = await SimBoard.start({ filesDir });
  // Ctrl-C before the first prompt would land in the boot, not in the REPL: wait for it.
  const banner = new ByteCollector(board);
  await banner.waitForText('>>> ', 15000);
  banner.dispose();
  const repl = new RawRepl(board);
  try {
    await repl.enter();
    const out = (await repl.execChecked(source)).toString('utf8');
    const shown = out.split(/\r?\n/).filter((l) => l.startsWith('FB:'));
    if (shown.length === 0) throw new Error(`the example never called show():\n${out}`);
    return hlsbRows(shown[shown.length - 1].slice(3), 128, 64);
  } finally {
    repl.dispose();
    await board.close();
  }
}

/** Opens an example in one click from the gallery, as a beginner does; resolves once it is in the editor. */
async function openFromGallery(id: string): Promise<void> {
  await page.getByTestId('examples').click();
  await page.locator(`[data-testid="example-card"][data-id="${id}"]`).click();
  await page.getByTestId('gallery').waitFor({ state: 'detached', timeout: 10000 });
  const firstImport = fs.readFileSync(path.join(EXAMPLES, `${id}.py`), 'utf8').split('\n').find((l) => l.startsWith('from'))!;
  await expect.poll(() => page.getByTestId('editor').locator('.cm-content').textContent(), { timeout: 5000 }).toContain(firstImport);
}

beforeAll(async () => {
  ide = await openIdePage({ name: 'workbench', viewport: { width: 1440, height: 900 } });
  ({ tmp, page } = ide);
}, 60_000); // the back end, the simulator and Chromium start on a busy 2-core machine

afterAll(() => ide?.close());

describe('the simulated board as a workbench, in Chromium', () => {
  it('draws the OLED example on the board view exactly as the program drew its framebuffer', async () => {
    const source = fs.readFileSync(path.join(EXAMPLES, 'oled_hello.py'), 'utf8');
    const expected = await referenceFramebuffer(source);
    expect(expected.join('').includes('#')).toBe(true);

    // One click: the example lands in the project and the editor, its driver on the board.
    await openFromGallery('oled_hello');
    await page.locator('[data-testid="board-file"][data-path="/lib/ssd1306.py"]').waitFor({ timeout: 10000 });
    await page.getByTestId('run').click();
    await waitForTerminal(/\ndone\s*\n/, 15000);

    const oled = page.getByTestId('oled');
    await oled.waitFor({ timeout: 5000 });
    await expect.poll(() => page.evaluate(() => window.__moteOledRows?.(0)?.join('\n') ?? ''), { timeout: 5000 }).toBe(expected.join('\n'));

    await page.screenshot({ path: artifact('workbench-oled.png') });
  });

  it('plots the ADC example, and the plotted reading follows the potentiometer slider', async () => {
    await openFromGallery('adc_plotter');
    await page.getByTestId('plotter-toggle').click();
    await page.getByTestId('plotter').waitFor();
    await page.getByTestId('run').click();

    const slider = page.getByTestId('adc-slider-26');
    const plotted = () => page.evaluate(() => window.__motePlot?.() ?? null);
    const follows = async (target: number) => {
      const before = (await plotted())?.received ?? 0;
      await expect
        .poll(
          async () => {
            const p = await plotted();
            // A reading printed after the move, within the ADC's resolution of the slider.
            return p !== null && p.received > before && Math.abs(p.latest[0] - target) <= ADC_NOISE;
          },
          { timeout: 5000 },
        )
        .toBe(true);
    };

    await slider.focus();
    await page.keyboard.press('End');
    expect(Number(await slider.inputValue())).toBe(65535);
    await follows(65535);

    await page.keyboard.press('Home');
    expect(Number(await slider.inputValue())).toBe(0);
    await follows(0);

    // Drag-free move: a click a quarter of the way along the track.
    const box = await slider.boundingBox();
    if (!box) throw new Error('the ADC slider is not visible');
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
    const quarter = Number(await slider.inputValue());
    expect(quarter).toBeGreaterThan(65535 * 0.15);
    expect(quarter).toBeLessThan(65535 * 0.35);
    await follows(quarter);

    // The second series is the voltage the example computes from the reading.
    const p = (await plotted())!;
    expect(p.names).toHaveLength(2);
    expect(p.latest[1]).toBeCloseTo((p.latest[0] * 3.3) / 65535, 1);

    await page.screenshot({ path: artifact('workbench-plotter.png') });

    // Pause: the program keeps printing, the plot holds still; Resume: it records again.
    const printedLines = () => page.evaluate(() => (window.__moteTerminalText?.() ?? '').split('\n').filter((l) => /^\(\d+, [\d.]+\)$/.test(l.trim())).length);
    await page.getByTestId('plot-pause').click();
    const held = (await plotted())!.received;
    const linesAtPause = await printedLines();
    await expect.poll(printedLines, { timeout: 5000 }).toBeGreaterThan(linesAtPause + 3);
    expect((await plotted())!).toMatchObject({ received: held, paused: true });
    await page.getByTestId('plot-pause').click();
    await expect.poll(async () => (await plotted())!.received, { timeout: 5000 }).toBeGreaterThan(held);

    // Export CSV: a download with a header row and the held samples, newest last.
    await page.getByTestId('plot-pause').click();
    const final = (await plotted())!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('plot-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^plot-\d{8}-\d{6}\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('sample,value 1,value 2');
    expect(csv).toHaveLength(final.received + 1);
    expect(csv[csv.length - 1]).toBe(`${final.received - 1},${final.latest[0]},${final.latest[1]}`);

    await page.getByTestId('stop').click();
    await waitForTerminal(/KeyboardInterrupt/);
  });

  it('feeds a pin switch and the temperature slider to the running program', async () => {
    // Reads GP3 (pulled down, so 0 until switched) and the SHT3x at 0x44 with a single-shot measurement.
    const program = `from machine import Pin, I2C
import time
sw = Pin(3, Pin.IN, Pin.PULL_DOWN)
i2c = I2C(0, scl=Pin(9), sda=Pin(8))
while True:
    i2c.writeto(0x44, b"\\x24\\x00")
    time.sleep_ms(20)
    d = i2c.readfrom(0x44, 6)
    print("sw=%d temp=%.1f" % (sw.value(), -45 + 175 * ((d[0] << 8) | d[1]) / 65535))
    time.sleep_ms(50)
`;
    const editor = page.getByTestId('editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(program);
    await page.getByTestId('terminal-clear').click();
    await page.getByTestId('run').click();
    await waitForTerminal(/sw=0 temp=22\.5/);

    await page.getByText('Pin switches').click();
    const gp3 = page.locator('[data-testid="pin-switch"][data-gpio="3"]');
    await gp3.click();
    await expect.poll(() => gp3.getAttribute('data-level')).toBe('1');
    await waitForTerminal(/sw=1 temp=22\.5/);

    const temperature = page.getByTestId('sensor-temperature');
    await temperature.focus();
    await page.keyboard.press('End');
    expect(Number(await temperature.inputValue())).toBe(125);
    await waitForTerminal(/sw=1 temp=125\.0/);

    await page.getByTestId('stop').click();
    await waitForTerminal(/KeyboardInterrupt/);
  });
});
