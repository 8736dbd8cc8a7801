// The PWM, servo, ADC and NeoPixel lessons on the simulated board, checked
// through the board view (what the user sees) and the printed output.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlotLine } from '../../renderer/src/plotter/plot-parser.js';
import { ExampleBoard } from './example-board.js';

let b: ExampleBoard | null = null;
afterEach(async () => {
  await b?.close();
  b = null;
});

/** Values in order, with repeats (the same duty seen in two views) merged. */
function distinctRuns<T>(xs: readonly T[]): T[] {
  return xs.filter((x, i) => i === 0 || x !== xs[i - 1]);
}

describe('PWM fade', () => {
  it('ramps the duty of GP15 up from 0 to full in steps of 2048 at 1 kHz, then back down', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('pwm_fade');
    const board = b;
    const duties = () => distinctRuns(board.views.map((s) => s.view.pwm[15]?.dutyU16).filter((d): d is number => d !== undefined));
    // Wait for the way up and most of the way down (about 1.3 s on the board).
    await b.waitForView(() => duties().some((d, i, all) => d < 8192 && all.slice(0, i).includes(65535)), 'a full ramp up then down', 8000);
    await b.stop();
    expect(b.board.view.pwm[15]?.freq).toBe(1000);
    const seen = duties();
    // Up by 2048 to 63488, then the way down starts at full (65535).
    const top = seen.indexOf(65535);
    const up = seen.slice(0, top);
    const down = seen.slice(top);
    // The view is refreshed about 60 times a second and the lesson steps 50 times
    // a second, so a step may be missed; but it only ever rises, then only falls.
    for (let i = 1; i < up.length; i++) expect(up[i]).toBeGreaterThan(up[i - 1]);
    for (let i = 1; i < down.length; i++) expect(down[i]).toBeLessThan(down[i - 1]);
    expect(up.length).toBeGreaterThan(16);
    // Every duty is a step of the lesson: 0, 2048, ... on the way up, 65535 - k*2048 down.
    for (const d of up) expect(d % 2048).toBe(0);
    for (const d of down) expect((65535 - d) % 2048).toBe(0);
  });
});

describe('servo sweep', () => {
  it('moves the servo on GP16 to each printed angle, 0 to 180 degrees and back', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('servo_sweep');
    const board = b;
    const angleSeen = (a: number) => board.views.some((s) => s.view.servos.some((v) => v.pin === 16 && v.angle !== null && Math.abs(v.angle - a) <= 1));
    await b.waitForOutput(/angle 180\r?\n/, 1, 8000);
    await b.waitForOutput(/angle 90\r?\n/, 2, 8000);
    await b.stop();
    const printed = [...b.text.matchAll(/angle (\d+)/g)].map((m) => Number(m[1]));
    expect(printed.slice(0, 19)).toEqual(Array.from({ length: 19 }, (_, i) => i * 10));
    expect(printed.slice(19, 28)).toEqual([170, 160, 150, 140, 130, 120, 110, 100, 90]);
    // Each angle is held 100 ms, so the view shows every one of them.
    for (const a of printed) expect(angleSeen(a), `servo at ${a} degrees; seen ${JSON.stringify(distinctRuns(board.views.map((s) => JSON.stringify(s.view.servos))))}`).toBe(true);
    expect(b.board.view.pwm[16]?.freq).toBe(50);
    // And the last thing printed is where the horn points now.
    const servo = b.board.view.servos.find((s) => s.pin === 16);
    expect(servo?.angle).toBeCloseTo(printed[printed.length - 1], 0);
  });
});

/** The knob's pin in the ADC lesson: GP26 on the Picos, GPIO 34 on the ESP32. */
const KNOB: Record<string, number> = { 'sim-pico': 26, 'pico-w': 26, 'esp32-devkitc': 34 };

describe('ADC reading with the plotter', () => {
  for (const [profile, pin] of Object.entries(KNOB)) {
    it(`prints (raw, volts) tuples that follow the knob, in a form the plotter parses (${profile})`, async () => {
      b = await ExampleBoard.start(profile);
      b.setInput({ kind: 'adc', pin, value: 30000 });
      await b.start('adc_plotter');
      const board = b;
      /** The samples the plotter would draw from the output so far. */
      const samples = () =>
        board.text
          .split(/\r?\n/)
          .map((l) => parsePlotLine(l))
          .filter((s) => s !== null);
      await b.waitForOutput(/^\(\d+, [\d.]+\)\r?$/m, 2);
      const first = samples()[0].values;
      // A 12-bit converter scaled to 16 bits: within one 12-bit step of the slider.
      expect(Math.abs(first[0] - 30000)).toBeLessThanOrEqual(16);
      expect(first[1]).toBeCloseTo((first[0] * 3.3) / 65535, 2);
      const before = samples().length;
      b.setInput({ kind: 'adc', pin, value: 62000 });
      await b.waitUntil(() => samples().slice(before).some((s) => Math.abs(s.values[0] - 62000) <= 16), 'a sample near 62000', 5000);
      await b.stop();
      const last = samples().at(-1)!.values;
      expect(Math.abs(last[0] - 62000)).toBeLessThanOrEqual(16);
      expect(last[1]).toBeCloseTo(3.12, 2);
      // Every line the lesson prints is a plot sample of two series.
      expect(samples().every((s) => s.values.length === 2 && s.names === null)).toBe(true);
    });
  }
});

/** The lesson's colour wheel, written again here to compute the expected strip. */
function wheel(pos: number): [number, number, number] {
  pos %= 256;
  if (pos < 85) return [255 - pos * 3, pos * 3, 0];
  if (pos < 170) return [0, 255 - (pos - 85) * 3, (pos - 85) * 3];
  return [(pos - 170) * 3, 0, 255 - (pos - 170) * 3];
}

function rainbow(offset: number): number[] {
  return Array.from({ length: 8 }, (_, i) => {
    const [r, g, b] = wheel(offset + Math.floor((i * 256) / 8)).map((c) => Math.trunc(c * 0.2));
    return (r << 16) | (g << 8) | b;
  });
}

describe('NeoPixel rainbow', () => {
  it('shows 8 dimmed rainbow colours on GP22 that move along the strip', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('neopixel_rainbow');
    const frames = new Map<string, number>();
    for (let offset = 0; offset < 256; offset += 4) frames.set(rainbow(offset).join(), offset);
    const board = b;
    const offsetsSeen = () =>
      distinctRuns(
        board.views
          .map((s) => s.view.strips.find((st) => st.pin === 22))
          .filter((st) => st !== undefined)
          .map((st) => frames.get(st.colors.join()) ?? -1),
      );
    await b.waitForView(() => offsetsSeen().filter((o) => o >= 0).length >= 10, 'ten rainbow frames', 8000);
    await b.stop();
    const seen = offsetsSeen();
    // Every frame on the strip is one the lesson computes, and they advance.
    expect(seen).not.toContain(-1);
    for (let i = 1; i < seen.length; i++) expect((seen[i] - seen[i - 1] + 256) % 256).toBeGreaterThan(0);
    expect(b.board.view.strips.find((s) => s.pin === 22)?.colors).toHaveLength(8);
    // Dimmed to 20%: no channel above 51, and the first LED of the first frame is pure red.
    const channels = (c: number) => [c >> 16, (c >> 8) & 0xff, c & 0xff];
    for (const c of b.board.view.strips.find((s) => s.pin === 22)!.colors) expect(Math.max(...channels(c))).toBeLessThanOrEqual(51);
    expect(rainbow(0)[0]).toBe(0x330000);
  });
});
