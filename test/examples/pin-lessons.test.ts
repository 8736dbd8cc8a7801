// The LED and button lessons on the simulated board: blink, button with IRQ,
// timer-driven blink, asyncio with two tasks. Each asserts what the board view
// shows over time and what the program prints.
import { afterEach, describe, expect, it } from 'vitest';
import { ExampleBoard, intervals, levelChanges, median } from './example-board.js';

/** The LED each profile's examples blink: Pin("LED") on the Picos, GPIO 2 on the ESP32. */
const LED_GPIO: Record<string, number> = { 'sim-pico': 25, 'pico-w': 64, 'esp32-devkitc': 2 };

let b: ExampleBoard | null = null;
afterEach(async () => {
  await b?.close();
  b = null;
});

/** Waits for `n` changes of the LED and returns them, checking they alternate. */
async function ledChanges(board: ExampleBoard, gpio: number, n: number, timeoutMs: number) {
  await board.waitForView(() => levelChanges(board.views, gpio).length >= n, `${n} changes of GPIO${gpio}`, timeoutMs);
  const changes = levelChanges(board.views, gpio);
  changes.slice(1).forEach((c, i) => expect(c.level).not.toBe(changes[i].level));
  return changes;
}

describe('blink', () => {
  for (const profile of ['sim-pico', 'pico-w', 'esp32-devkitc']) {
    it(`toggles the on-board LED every 500 ms on ${profile}, and stops on Ctrl-C`, async () => {
      b = await ExampleBoard.start(profile);
      await b.start('blink');
      const changes = await ledChanges(b, LED_GPIO[profile], 7, 8000);
      // Pin(..., Pin.OUT) makes the pin an output at 0; the first toggle turns
      // the LED on, and every toggle after it comes half a second later.
      expect(changes[0].level).toBe(0);
      expect(changes[1].level).toBe(1);
      const gaps = intervals(changes.slice(1));
      expect(median(gaps)).toBeGreaterThan(470);
      expect(median(gaps)).toBeLessThan(560);
      for (const g of gaps) expect(g).toBeGreaterThan(400);
      const r = await b.stop();
      expect(r.interrupted).toBe(true);
      expect(r.stderr.toString()).toContain('KeyboardInterrupt');
    });
  }
});

/** How the button lesson's button is pressed in each profile: the sim Pico's and the ESP32's own
 *  button (BUTTON on GP14, BOOT on GPIO 0); on a Pico W (whose BOOTSEL is not a GPIO) one wired to GP14. */
const BUTTONS: Record<string, (b: ExampleBoard, pressed: boolean) => void> = {
  'sim-pico': (b, pressed) => b.board.setButton(pressed),
  'esp32-devkitc': (b, pressed) => b.board.setButton(pressed),
  'pico-w': (b, pressed) => b.setInput({ kind: 'pin', pin: 14, level: pressed ? 0 : null }),
};

describe('button with IRQ', () => {
  for (const profile of Object.keys(BUTTONS)) {
    it(`each press toggles the LED through the interrupt handler, and a bouncing press counts once (${profile})`, async () => {
      b = await ExampleBoard.start(profile);
      const board = b;
      const led = LED_GPIO[profile];
      const setButton = (pressed: boolean) => BUTTONS[profile](board, pressed);
      await b.start('button_irq');
      await b.waitForOutput(/Press the button/);
      const press = async (n: number) => {
        setButton(true);
        await board.waitForOutput(new RegExp(`pressed ${n} LED (on|off)`));
        setButton(false);
        // The lesson ignores presses within 50 ms of the last one (debouncing);
        // this is the pause between a person's two presses, not a wait for the board.
        await new Promise((r) => setTimeout(r, 80));
      };
      await press(1);
      expect(b.board.view.outputs[led]).toBe(1);
      await press(2);
      expect(b.board.view.outputs[led]).toBe(0);
      // A bouncing contact: down, up, down within a few milliseconds is one press.
      setButton(true);
      setButton(false);
      setButton(true);
      await b.waitForOutput(/pressed 3 LED on/);
      setButton(false);
      expect(b.board.view.outputs[led]).toBe(1);
      const r = await b.stop();
      expect(r.stdout.toString()).not.toContain('pressed 4');
      expect(b.text.match(/pressed \d/g)).toEqual(['pressed 1', 'pressed 2', 'pressed 3']);
    });
  }
});

describe('timer-driven blink', () => {
  it('a periodic Timer toggles the LED every 250 ms while the main loop counts, and deinit stops it', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('timer_blink');
    await b.waitForOutput(/main program still free after 2 s/, 1, 8000);
    const changes = await ledChanges(b, 25, 8, 8000);
    const gaps = intervals(changes);
    expect(median(gaps)).toBeGreaterThan(235);
    expect(median(gaps)).toBeLessThan(285);
    // Stopping runs the lesson's finally: the timer is deinitialised.
    await b.stop();
    const count = levelChanges(b.views, 25).length;
    // A full second on the board, with the timer still alive it would toggle 4 times.
    const after = await b.exec('import time\ntime.sleep_ms(1000)\nprint("waited")\n');
    expect(after.stdout.toString()).toContain('waited');
    expect(levelChanges(b.views, 25).length).toBe(count);
  });
});

describe('asyncio with two tasks', () => {
  it('the blink task runs four times for each count, interleaved, and the LED follows it', async () => {
    b = await ExampleBoard.start('sim-pico');
    await b.start('asyncio_tasks');
    await b.waitForOutput(/count 3\b/, 1, 8000);
    await b.stop();
    const lines = b.text.split(/\r?\n/).filter((l) => /^(blink [01]|count \d+)$/.test(l));
    // Between "count 1" and "count 2" (one second), blink ran every 250 ms.
    const c1 = lines.indexOf('count 1');
    const c2 = lines.indexOf('count 2');
    const c3 = lines.indexOf('count 3');
    expect(c1).toBeGreaterThanOrEqual(0);
    for (const [from, to] of [
      [c1, c2],
      [c2, c3],
    ]) {
      const blinks = lines.slice(from + 1, to);
      expect(blinks.length).toBeGreaterThanOrEqual(3);
      expect(blinks.length).toBeLessThanOrEqual(5);
      expect(blinks.every((l) => l.startsWith('blink'))).toBe(true);
    }
    // Each printed blink value is what the LED showed: they alternate.
    const printed = lines.filter((l) => l.startsWith('blink')).map((l) => Number(l.slice(6)));
    printed.slice(1).forEach((v, i) => expect(v).not.toBe(printed[i]));
    const gaps = intervals(levelChanges(b.views, 25));
    expect(median(gaps)).toBeGreaterThan(235);
    expect(median(gaps)).toBeLessThan(285);
  });
});
