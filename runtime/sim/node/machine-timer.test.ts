// machine.Timer on the real interpreter: callbacks on time, between
// bytecodes, never inside each other, and still running at the idle REPL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileById } from '../common/profiles.js';
import { startTestBoard, type TestBoard } from './sim-test-kit.js';

describe('machine.Timer on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('a periodic 100 Hz timer fires on schedule while the program sleeps', async () => {
    const r = await tb.exec(`from machine import Timer
import time
stamps = []
t0 = time.ticks_us()
t = Timer(freq=100, mode=Timer.PERIODIC, callback=lambda t: stamps.append(time.ticks_us()))
time.sleep_ms(505)
slept = time.ticks_diff(time.ticks_us(), t0)
t.deinit()
late = sorted(time.ticks_diff(s, t0) - (i + 1) * 10000 for i, s in enumerate(stamps))
print(slept // 10000 - 4 <= len(stamps) <= slept // 10000 + 1, late[0] >= 0)`);
    // One call per period of the time that passed (a few may still be queued
    // when the sleep ends), none early. How late they run depends on the
    // machine's load: bench/sim measures that.
    expect(r.out).toBe('True True\n');
  });

  it('a one-shot timer fires once, after its period', async () => {
    const r = await tb.exec(`t0 = time.ticks_ms()
fired = []
Timer(period=50, mode=Timer.ONE_SHOT, callback=lambda t: fired.append(time.ticks_diff(time.ticks_ms(), t0)))
time.sleep_ms(200)
print(len(fired), fired[0] >= 50)`);
    expect(r.out).toBe('1 True\n');
  });

  it('callbacks never run inside each other, even when one sleeps longer than the period', async () => {
    const r = await tb.exec(`depth = [0, 0]
def slow(t):
    depth[0] += 1
    depth[1] = max(depth[1], depth[0])
    time.sleep_ms(15)
    depth[0] -= 1
t = Timer(period=5, callback=slow)
time.sleep_ms(100)
t.deinit()
print(depth[1])`);
    expect(r.out).toBe('1\n');
  });

  it('keeps blinking after the program ends, as the REPL idles', async () => {
    await tb.exec(`from machine import Pin
led = Pin(25, Pin.OUT, value=0)
blink = Timer(period=20, callback=lambda t: led.toggle())`);
    await tb.view((v) => v.outputs[25] === 1, 'the LED on');
    await tb.view((v) => v.outputs[25] === 0, 'the LED off again');
    await tb.exec('blink.deinit()');
  });

  it('an exception in a callback prints its traceback and the program carries on', async () => {
    const r = await tb.exec(`Timer(period=10, mode=Timer.ONE_SHOT, callback=lambda t: 1 / 0)
time.sleep_ms(50)
print('still running')`);
    expect(r.out).toMatch(/Traceback \(most recent call last\):\n.*\nZeroDivisionError: divide by zero\nstill running\n/);
  });

  it('callbacks also run in a loop that only polls the hardware (here the ADC), without sleeping', async () => {
    const r = await tb.exec(`from machine import ADC
n = []
t = Timer(period=5, callback=lambda t: n.append(1))
a = ADC(26)
t0 = time.ticks_ms()
while time.ticks_diff(time.ticks_ms(), t0) < 60:
    a.read_u16()
t.deinit()
print(len(n) >= 3)`);
    expect(r.out).toBe('True\n');
  });

  it('a soft reset stops every timer', async () => {
    await tb.exec(`led = Pin(25, Pin.OUT, value=0)
Timer(period=10, callback=lambda t: led.toggle())`);
    await tb.view((v) => v.outputs[25] === 1, 'the LED blinking');
    await tb.softReset();
    const r = await tb.exec('import time\ntime.sleep_ms(100)\nfrom machine import Pin\nprint(Pin(25).value())');
    expect(r.out).toBe('0\n');
    expect(tb.board.view.outputs[25]).toBeUndefined();
  });

  it('refuses a hardware timer id the RP2040 port does not have', async () => {
    const r = await tb.exec(`from machine import Timer
try:
    Timer(0)
except ValueError as e:
    print(e)`);
    expect(r.out).toBe("Timer doesn't exist\n");
  });
});

describe('machine.Timer on the simulated ESP32', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('esp32-devkitc') })));
  afterAll(() => tb.close());

  it('has hardware timers 0 to 3', async () => {
    const r = await tb.exec(`from machine import Timer
import time
n = []
t = Timer(0)
t0 = time.ticks_ms()
t.init(period=10, mode=Timer.PERIODIC, callback=lambda t: n.append(1))
time.sleep_ms(55)
slept = time.ticks_diff(time.ticks_ms(), t0)
t.deinit()
print(3 <= len(n) <= slept // 10 + 1)
try:
    Timer(4)
except ValueError as e:
    print(e)`);
    expect(r.out).toBe('True\ninvalid Timer number\n');
  });
});
