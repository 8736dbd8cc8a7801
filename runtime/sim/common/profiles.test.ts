// Each board profile, as a program on the real interpreter sees it: identity,
// pins the board lacks, and free memory that moves like a board's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBoard, type TestBoard } from '../node/sim-test-kit.js';
import { bannerFor, boardModuleSource, SIM_PICO } from './board-profile.js';
import { BOARD_PROFILES, profileById } from './profiles.js';

const IDENTITY = `import sys, os
u = os.uname()
print(sys.platform)
print(u.sysname, u.nodename, u.release, sep='|')
print(u.version)
print(u.machine)
print(sys.implementation._machine)
print(sys.implementation._build)
`;

async function raises(tb: TestBoard, code: string): Promise<string> {
  const r = await tb.exec(code);
  return r.err.trim().split('\n').pop() ?? '';
}

async function memFree(tb: TestBoard): Promise<number> {
  return Number((await tb.exec('import gc\nprint(gc.mem_free())')).out);
}

/** Free memory once the garbage of earlier commands is gone: the wasm port collects when a command returns. */
async function settledFree(tb: TestBoard): Promise<number> {
  await tb.exec('import gc\ngc.collect()');
  return memFree(tb);
}

describe('profile data', () => {
  it('every profile is consistent: LEDs, buttons, ADC and bus pins are pins it has', () => {
    for (const p of BOARD_PROFILES) {
      const known = new Set([...p.gpios, ...Object.values(p.pinNames)]);
      for (const led of p.leds) expect(known.has(led.gpio) || led.gpio >= 64, `${p.id} LED ${led.name}`).toBe(true);
      for (const g of Object.keys(p.adcPins).map(Number)) expect(p.gpios, `${p.id} ADC pin ${g}`).toContain(g);
      for (const g of p.inputOnly) expect(p.gpios).toContain(g);
      for (const bus of [...Object.values(p.i2c), ...Object.values(p.spi), ...Object.values(p.uart)])
        for (const g of Object.values(bus)) expect(p.gpios, `${p.id} bus pin ${g}`).toContain(g);
      expect(boardModuleSource(p)).toContain(`MEM_FREE = ${p.memFree}`);
    }
  });

  it('refuses an unknown profile by name, listing the known ones', () => {
    expect(() => profileById('arduino-uno')).toThrow(/unknown board profile "arduino-uno" \(known: pico-w, esp32-devkitc, sim-pico\)/);
  });
});

describe('Raspberry Pi Pico W', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('pico-w') })));
  afterAll(() => tb?.close());

  it('names itself like the rp2 port on a Pico W', async () => {
    const r = await tb.exec(IDENTITY);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'rp2',
      'rp2|rp2|1.27.0',
      expect.stringMatching(/^v1\.27\.0 on \d{4}-\d\d-\d\d$/),
      'Raspberry Pi Pico W with RP2040',
      'Raspberry Pi Pico W with RP2040',
      'RPI_PICO_W',
      '',
    ]);
    expect(bannerFor(profileById('pico-w'))).toMatch(/; Raspberry Pi Pico W with RP2040$/);
  });

  it('raises ValueError for pins the RP2040 lacks, and for unknown names', async () => {
    expect(await raises(tb, 'from machine import Pin\nPin(40)')).toBe('ValueError: invalid pin');
    expect(await raises(tb, 'from machine import Pin\nPin(30, Pin.OUT)')).toBe('ValueError: invalid pin');
    expect(await raises(tb, 'from machine import Pin\nPin("LED2")')).toMatch(/^ValueError: unknown named pin "LED2"$/);
  });

  it('has the LED on the wireless chip (by name only) and GPIO 25 as a plain pin', async () => {
    const r = await tb.exec('from machine import Pin\nled = Pin("LED", Pin.OUT)\nled.on()\nPin(25, Pin.OUT).off()\nprint("ok")');
    expect(r).toEqual({ out: 'ok\n', err: '' });
    expect(await raises(tb, 'from machine import Pin\nPin(64)')).toBe('ValueError: invalid pin');
  });

  it('reads BOOTSEL with rp2.bootsel_button(), as on the board', async () => {
    expect((await tb.exec('import rp2\nprint(rp2.bootsel_button())')).out).toBe('0\n');
    tb.board.setButton(true);
    expect((await tb.exec('import rp2\nprint(rp2.bootsel_button())')).out).toBe('1\n');
    tb.board.setButton(false);
    expect((await tb.exec('import rp2\nprint(rp2.bootsel_button())')).out).toBe('0\n');
  });

  it('reports about 190 KB free, less after allocating, more again after gc.collect()', async () => {
    const fresh = await settledFree(tb);
    expect(fresh).toBeGreaterThan(150_000);
    expect(fresh).toBeLessThanOrEqual(profileById('pico-w').memFree);
    await tb.exec('buf = bytearray(50000)');
    const used = await settledFree(tb);
    // A few hundred bytes of other garbage come and go around the buffer's 50 000.
    expect(fresh - used).toBeGreaterThan(49_500);
    expect(fresh - used).toBeLessThan(52_000);
    // The collection runs when the command returns to the prompt, as the wasm port does.
    await tb.exec('del buf\ngc.collect()');
    const back = await memFree(tb);
    expect(back - used).toBeGreaterThan(49_500);
    const r = await tb.exec('import gc\nprint(gc.mem_free() + gc.mem_alloc())');
    expect(Number(r.out)).toBe(profileById('pico-w').memFree + 4096);
  });

  it('prints mem_info() with the board heap', async () => {
    const r = await tb.exec('import micropython\nmicropython.mem_info()');
    expect(r.out).toMatch(/^stack: \d+ out of \d+\nGC: total: 196096, used: \d+, free: \d+\n/);
  });
});

describe('ESP32-DevKitC', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('esp32-devkitc') })));
  afterAll(() => tb?.close());

  it('names itself like the esp32 port on a generic module', async () => {
    const r = await tb.exec(IDENTITY);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'esp32',
      'esp32|esp32|1.27.0',
      expect.stringMatching(/^v1\.27\.0 on \d{4}-\d\d-\d\d$/),
      'Generic ESP32 module with ESP32',
      'Generic ESP32 module with ESP32',
      'ESP32_GENERIC',
      '',
    ]);
  });

  it('raises as the esp32 port does for missing and input-only pins', async () => {
    expect(await raises(tb, 'from machine import Pin\nPin(34, Pin.OUT)')).toBe('ValueError: pin can only be input');
    expect(await raises(tb, 'from machine import Pin\nPin(20)')).toBe('ValueError: invalid pin');
    expect(await raises(tb, 'from machine import Pin\nPin(40)')).toBe('ValueError: invalid pin');
    expect(await raises(tb, 'import rp2')).toBe("ImportError: no module named 'rp2'");
    // The generic ESP32 board has no named pins: not even the LED.
    expect(await raises(tb, 'from machine import Pin\nPin("LED")')).toBe('ValueError: invalid pin');
    const r = await tb.exec('from machine import Pin\np = Pin(34, Pin.IN)\nled = Pin(2, Pin.OUT)\nled.value(1)\nprint(p.value() in (0, 1))');
    expect(r).toEqual({ out: 'True\n', err: '' });
  });

  it('reports an ESP32-sized heap that falls as the program allocates', async () => {
    const fresh = await settledFree(tb);
    expect(fresh).toBeGreaterThan(110_000);
    expect(fresh).toBeLessThanOrEqual(160_000);
    const r = await tb.exec('import gc\na = gc.mem_free()\nx = [bytearray(100) for i in range(200)]\nprint(a - gc.mem_free())');
    expect(Number(r.out)).toBeGreaterThan(200 * 100);
  });
});

describe('the simulated Pico keeps its identity', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: SIM_PICO })));
  afterAll(() => tb?.close());

  it('is rp2 with the LED on GPIO 25', async () => {
    const r = await tb.exec('import sys\nprint(sys.platform, sys.implementation._machine)\nfrom machine import Pin\nPin("LED", Pin.OUT).on()');
    expect(r).toEqual({ out: 'rp2 Mote Simulated Pico with RP2040-sim\n', err: '' });
    expect(tb.board.outputs[25]).toBe(1);
  });
});
