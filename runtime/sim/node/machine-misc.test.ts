// machine's board-level functions, RTC and the time functions that read it,
// and neopixel strips, on the real interpreter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBoard, waitUntil, type TestBoard } from './sim-test-kit.js';

describe('RTC and time on the simulated board', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('starts at the host wall-clock time in its own time zone, as an IDE sets a board on connect', async () => {
    const r = await tb.exec('from machine import RTC\nimport time\nprint(RTC().datetime())\nprint(time.time(), time.localtime())');
    const [dt, rest] = r.out.trim().split('\n');
    const now = new Date();
    const [y, mo, d] = dt.slice(1, -1).split(', ').map(Number);
    expect([y, mo, d]).toEqual([now.getFullYear(), now.getMonth() + 1, now.getDate()]);
    const secs = Number(rest.split(' ')[0]);
    const hostLocal = (now.getTime() - now.getTimezoneOffset() * 60_000) / 1000;
    expect(Number.isInteger(secs)).toBe(true);
    expect(Math.abs(secs - hostLocal)).toBeLessThan(5);
  });

  it('RTC.datetime(...) sets the clock that time.localtime() and time.time() read; the weekday is computed', async () => {
    const r = await tb.exec(`rtc = RTC()
rtc.datetime((2024, 2, 29, 0, 23, 59, 58, 0))
print(rtc.datetime()[:7])
print(time.localtime()[:6], time.localtime()[6])
print(time.time() - time.mktime((2024, 2, 29, 23, 59, 58, 0, 0)) < 3)
print(time.localtime(0), time.gmtime(86400))`);
    expect(r.out).toBe(
      '(2024, 2, 29, 3, 23, 59, 58)\n(2024, 2, 29, 23, 59, 58) 3\nTrue\n(1970, 1, 1, 0, 0, 0, 3, 1) (1970, 1, 2, 0, 0, 0, 4, 2)\n',
    );
  });
});

describe('machine functions of the simulated board', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('unique_id, freq get and set, idle and lightsleep', async () => {
    const r = await tb.exec(`import machine, time
print(machine.unique_id() == bytes(${JSON.stringify(tb.board.profile.uniqueId)}))
print(machine.freq())
machine.freq(200_000_000)
print(machine.freq())
try:
    machine.freq(1000)
except ValueError as e:
    print(e)
machine.idle()
t = time.ticks_ms()
machine.lightsleep(30)
print(time.ticks_diff(time.ticks_ms(), t) >= 30)`);
    expect(r.out).toBe(`True\n${tb.board.profile.freqHz}\n200000000\ncannot change frequency\nTrue\n`);
  });

  async function resetCauseAfter(code: string): Promise<string> {
    const resetting = waitUntil((l) => tb.board.onState(l), () => tb.board.state === 'resetting', 3000, 'the reset');
    void tb.session.run(code);
    await resetting;
    await waitUntil((l) => tb.board.onState(l), () => tb.board.state === 'ready', 5000, 'the board to boot');
    return (await tb.exec('import machine\nprint(machine.reset_cause())')).out.trim();
  }

  it('machine.reset() is a hard reset, soft_reset() a soft one, and waking from deepsleep() resets with its own cause', async () => {
    expect(await resetCauseAfter('import machine\nmachine.reset()')).toBe('2');
    expect(await resetCauseAfter('import machine\nmachine.soft_reset()')).toBe('5');
    expect(await resetCauseAfter('import machine\nmachine.deepsleep(20)')).toBe('4');
  });
});

describe('neopixel on the simulated board', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('draws the strip it is written to, in RGB, and reads back what was set', async () => {
    const r = await tb.exec(`from machine import Pin
import neopixel
np = neopixel.NeoPixel(Pin(16), 3)
np.fill((0, 0, 40))
np[0] = (255, 128, 1)
print(len(np), np[0], np[2], bytes(np.buf[:3]))
np.write()`);
    expect(r.out).toBe("3 (255, 128, 1) (0, 0, 40) b'\\x80\\xff\\x01'\n");
    const v = await tb.view((v) => v.strips.some((s) => s.pin === 16), 'the strip on GPIO16');
    expect(v.strips).toEqual([{ pin: 16, colors: [0xff8001, 0x000028, 0x000028] }]);
    expect(v.outputs[16]).toBeUndefined();
  });

  it('an RGBW strip (bpp=4) keeps its white channel out of the colour', async () => {
    await tb.exec('w = neopixel.NeoPixel(Pin(17), 2, bpp=4)\nw[1] = (1, 2, 3, 255)\nw.write()');
    const v = await tb.view((v) => v.strips.some((s) => s.pin === 17), 'the RGBW strip');
    expect(v.strips.find((s) => s.pin === 17)!.colors).toEqual([0, 0x010203]);
  });
});
