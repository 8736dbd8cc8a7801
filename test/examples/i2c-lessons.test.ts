// The I2C lessons on the simulated board, through our own drivers in
// resources/examples/lib: the OLED's pixels (decoded by the simulated SSD1306
// from the bytes the driver sent) against pictures computed without the
// driver, and the temperature logger's CSV file on the board's flash.
import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayView } from '../../runtime/sim/common/board-view.js';
import { ExampleBoard } from './example-board.js';

let b: ExampleBoard | null = null;
afterEach(async () => {
  await b?.close();
  b = null;
});

function pixel(d: DisplayView, x: number, y: number): 0 | 1 {
  return ((d.pixels[y * (d.width / 8) + (x >> 3)] >> (7 - (x & 7))) & 1) as 0 | 1;
}

function litPixels(d: DisplayView): Set<string> {
  const lit = new Set<string>();
  for (let y = 0; y < d.height; y++) for (let x = 0; x < d.width; x++) if (pixel(d, x, y)) lit.add(`${x},${y}`);
  return lit;
}

function rectOutline(x: number, y: number, w: number, h: number): string[] {
  const out: string[] = [];
  for (let i = x; i < x + w; i++) out.push(`${i},${y}`, `${i},${y + h - 1}`);
  for (let j = y; j < y + h; j++) out.push(`${x},${j}`, `${x + w - 1},${j}`);
  return out;
}

function filledRect(x: number, y: number, w: number, h: number): string[] {
  const out: string[] = [];
  for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) out.push(`${i},${j}`);
  return out;
}

async function oledOf(board: ExampleBoard): Promise<DisplayView> {
  return (await board.waitForView((v) => v.displays.some((d) => d.on), 'the OLED switched on', 5000)).displays[0];
}

describe('OLED hello', () => {
  for (const profile of ['sim-pico', 'pico-w', 'esp32-devkitc']) {
    it(`shows exactly the picture framebuf draws for the same calls, sent through our SSD1306 driver (${profile})`, async () => {
      b = await ExampleBoard.start(profile);
      await b.start('oled_hello');
      const r = await b.finished();
      expect(r.stderr.toString()).toBe('');
      expect(b.text).toContain("devices on the bus: ['0x3c', '0x44']");
      const display = (await oledOf(b)) as DisplayView;
      expect(display).toMatchObject({ kind: 'ssd1306', address: 0x3c, width: 128, height: 64, on: true, inverted: false, contrast: 255 });

      // The reference: the same drawing on a plain MONO_HLSB FrameBuffer, no driver, no bus, no display model.
      const ref = await b.exec(
        [
          'import framebuf, binascii',
          'buf = bytearray(128 * 64 // 8)',
          'fb = framebuf.FrameBuffer(buf, 128, 64, framebuf.MONO_HLSB)',
          'fb.rect(0, 0, 128, 64, 1)',
          'fb.text("Hello, Mote!", 16, 12, 1)',
          'fb.text("MicroPython", 20, 28, 1)',
          'fb.hline(20, 40, 88, 1)',
          'fb.fill_rect(56, 46, 16, 10, 1)',
          'print(binascii.hexlify(buf).decode())',
        ].join('\n'),
      );
      const expected = Buffer.from(ref.stdout.toString().trim(), 'hex');
      expect(expected).toHaveLength(1024);
      expect(Buffer.from(display.pixels).equals(expected)).toBe(true);

      // And the shapes, computed here from their definitions.
      const lit = litPixels(display);
      for (const p of [...rectOutline(0, 0, 128, 64), ...filledRect(20, 40, 88, 1), ...filledRect(56, 46, 16, 10)]) expect(lit.has(p), p).toBe(true);
      // Text lights pixels only inside its two 8-pixel lines (12 and 11 characters wide).
      const inText = (x: number, y: number) => (y >= 12 && y < 20 && x >= 16 && x < 16 + 12 * 8) || (y >= 28 && y < 36 && x >= 20 && x < 20 + 11 * 8);
      const shapes = new Set([...rectOutline(0, 0, 128, 64), ...filledRect(20, 40, 88, 1), ...filledRect(56, 46, 16, 10)]);
      const text = [...lit].filter((p) => !shapes.has(p));
      expect(text.length).toBeGreaterThan(100);
      for (const p of text) expect(inText(...(p.split(',').map(Number) as [number, number])), p).toBe(true);
    });
  }
});

describe('our SSD1306 driver', () => {
  it('contrast, invert, rotate, poweroff and poweron reach the display as the datasheet commands', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.installDrivers('oled_hello');
    const board = b;
    const run = async (code: string) => {
      const r = await board.exec(`from machine import I2C\nfrom ssd1306 import SSD1306_I2C\noled = SSD1306_I2C(128, 64, I2C(0))\n${code}`);
      expect(r.stderr.toString()).toBe('');
    };
    await run('oled.contrast(10)\noled.invert(1)');
    await b.waitForView((v) => v.displays[0]?.contrast === 10 && v.displays[0].inverted, 'contrast 10, inverted');
    await run('oled.invert(0)\noled.poweroff()');
    await b.waitForView((v) => v.displays[0]?.inverted === false && !v.displays[0].on, 'normal and off');
    // rotate(False) turns the picture by 180 degrees: the pixel drawn at the top-left shows at the bottom-right.
    await run('oled.rotate(0)\noled.pixel(0, 0, 1)\noled.show()');
    await b.waitForView((v) => v.displays[0]?.on && pixel(v.displays[0], 127, 63) === 1, 'the pixel at the bottom-right');
    expect(pixel(b.board.view.displays[0], 0, 0)).toBe(0);
    await run('oled.rotate(1)\noled.pixel(0, 0, 1)\noled.show()');
    await b.waitForView((v) => pixel(v.displays[0], 0, 0) === 1 && pixel(v.displays[0], 127, 63) === 0, 'the pixel back at the top-left');
  });
});

describe('OLED bouncing ball', () => {
  it('moves a 6x6 ball inside the frame, bouncing off the walls, and the screen shows the last frame drawn', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('oled_bounce');
    // 45 frames: enough to bounce off the right wall (x reaches 121 after 37 frames).
    await b.waitForOutput(/ball \d+ \d+\r?\n/, 45, 10_000);
    await b.stop();
    const balls = [...b.text.matchAll(/ball (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(balls[0]).toEqual([13, 22]);
    let bounces = 0;
    for (let i = 1; i < balls.length; i++) {
      const [x0, y0] = balls[i - 1];
      const [x, y] = balls[i];
      // Every frame moves 3 across and 2 down or up, except where it is pushed back inside at a wall.
      expect(Math.abs(x - x0) === 3 || x === 1 || x === 121).toBe(true);
      expect(Math.abs(y - y0) === 2 || y === 1 || y === 57).toBe(true);
      if (x === 121 || y === 57 || x === 1 || y === 1) bounces++;
      expect(x).toBeGreaterThanOrEqual(1);
      expect(x + 6).toBeLessThanOrEqual(127);
      expect(y).toBeGreaterThanOrEqual(1);
      expect(y + 6).toBeLessThanOrEqual(63);
    }
    expect(bounces).toBeGreaterThan(0);
    // The screen: the frame and the ball where it was printed last, nothing else;
    // or one frame on, if Ctrl-C came between a show() and its print.
    const picture = ([x, y]: readonly [number, number]) => [...new Set([...rectOutline(0, 0, 128, 64), ...filledRect(x, y, 6, 6)])].sort().join(' ');
    const [x, y] = balls[balls.length - 1];
    const [px, py] = balls[balls.length - 2];
    const next = [Math.max(1, Math.min(x + (x - px), 121)), Math.max(1, Math.min(y + (y - py), 57))] as const;
    const shown = [...litPixels(b.board.view.displays[0])].sort().join(' ');
    expect([picture([x, y]), picture(next)]).toContain(shown);
  });
});

describe('temperature logger', () => {
  it('appends readings that follow the sensor to temperature.csv on the board, which survives the program', async () => {
    b = await ExampleBoard.start('sim-pico');
    b.setInput({ kind: 'sensor', quantity: 'temperature', value: 30.5 });
    b.setInput({ kind: 'sensor', quantity: 'humidity', value: 60 });
    await b.start('temperature_logger');
    const row = /^(\d+),(-?\d+\.\d\d),(\d+\.\d)\r?$/gm;
    await b.waitForOutput(row, 2, 8000);
    b.setInput({ kind: 'sensor', quantity: 'temperature', value: 18.25 });
    b.setInput({ kind: 'sensor', quantity: 'humidity', value: 35.5 });
    await b.waitUntil(() => /^\d+,18\.2\d,35\.5\r?$/m.test(b!.text), 'a reading of the new temperature', 8000);
    await b.stop();

    const printed = [...b.text.matchAll(row)].map((m) => m[0].trim());
    const csv = (await b.fs.get('/temperature.csv')).toString('utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('seconds,temperature_c,humidity_percent');
    // Every printed reading is in the file, in order (a row written just before Ctrl-C may be unprinted).
    expect(lines.slice(1, 1 + printed.length)).toEqual(printed);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    // The sensor's 16-bit readings come back within 0.01 degree and 0.1 %RH of the sliders.
    expect(rows[0][1]).toBeCloseTo(30.5, 1);
    expect(rows[0][2]).toBeCloseTo(60, 0);
    const last = rows[printed.length - 1];
    expect(Math.abs(last[1] - 18.25)).toBeLessThanOrEqual(0.01);
    expect(last[2]).toBeCloseTo(35.5, 1);
    // A reading every 2 seconds.
    expect(rows.slice(1, printed.length).every((r, i) => r[0] - rows[i][0] === 2)).toBe(true);

    // Running it again keeps the file and adds to it, with no second header.
    await b.start('temperature_logger');
    await b.waitForOutput(row, 1, 8000);
    await b.stop();
    const again = (await b.fs.get('/temperature.csv')).toString('utf8').trimEnd().split('\n');
    expect(again.length).toBeGreaterThan(lines.length);
    expect(again.filter((l) => l.startsWith('seconds')).length).toBe(1);
  });

  it('the driver checks each reading with the datasheet CRC-8 (0xBEEF -> 0x92) and rejects a corrupted one', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.installDrivers('temperature_logger');
    const r = await b.exec(
      [
        'import sht3x',
        'print("crc", hex(sht3x.crc8(b"\\xbe\\xef")))',
        'class Noisy:',
        '    def writeto(self, addr, buf): pass',
        '    def readfrom(self, addr, n): return bytes([0x66, 0x66, 0x00, 0x80, 0x00, 0xa2])',
        'try:',
        '    sht3x.SHT3x(Noisy()).measure()',
        'except OSError as e:',
        '    print("rejected:", e)',
      ].join('\n'),
    );
    expect(r.stdout.toString()).toContain('crc 0x92');
    expect(r.stdout.toString()).toContain('rejected: SHT3x: CRC mismatch');
  });
});
