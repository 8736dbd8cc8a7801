// Every board's starter main.py runs on that board's simulator: it blinks the
// LED the profile names, and reads the button when the button is a GPIO.
import { describe, expect, it } from 'vitest';
import { startTestBoard } from '../../../runtime/sim/node/sim-test-kit.js';
import { BOARD_PROFILES } from '../../../runtime/sim/common/profiles.js';
import { starterMain } from './starter-main.js';

describe('starter main.py', () => {
  for (const profile of BOARD_PROFILES) {
    it(`runs on the ${profile.id} and lights its LED`, async () => {
      const tb = await startTestBoard({ profile });
      try {
        const src = starterMain(profile);
        // One round instead of forever: the LED toggles on.
        const r = await tb.exec(src.replace('while True:', 'for _ in range(1):').replace('time.sleep(0.5)', 'time.sleep(0)'));
        expect(r).toEqual({ out: '', err: '' });
        expect(tb.board.outputs[profile.leds[0].gpio]).toBe(1);
      } finally {
        await tb.close();
      }
    });
  }

  it('says which pin the LED is on, and uses the name only where the port knows it', () => {
    const byId = Object.fromEntries(BOARD_PROFILES.map((p) => [p.id, starterMain(p)]));
    expect(byId['pico-w']).toContain('led = Pin("LED", Pin.OUT)');
    expect(byId['pico-w']).not.toContain('button');
    expect(byId['esp32-devkitc']).toContain('led = Pin(2, Pin.OUT)');
    expect(byId['esp32-devkitc']).toContain('button = Pin(0, Pin.IN, Pin.PULL_UP)');
    expect(byId['sim-pico']).toContain('led = Pin("LED", Pin.OUT)  # the onboard LED, on GPIO 25');
  });
});
