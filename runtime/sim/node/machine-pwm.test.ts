// machine.PWM on the real interpreter: the board view shows each channel's
// frequency and duty, and a 50 Hz pulse of 0.5..2.5 ms as a servo angle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileById } from '../common/profiles.js';
import { startTestBoard, type TestBoard } from './sim-test-kit.js';

describe('machine.PWM on the simulated Pico', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('drives LED brightness: frequency and duty reach the view, and the pin leaves the plain outputs', async () => {
    await tb.exec('from machine import Pin, PWM\nPin(25, Pin.OUT).on()\nled = PWM(Pin(25), freq=1000, duty_u16=16384)');
    const v = await tb.view((v) => v.pwm[25]?.dutyU16 === 16384, 'PWM on GPIO25');
    expect(v.pwm[25]).toEqual({ freq: 1000, dutyU16: 16384 });
    expect(v.outputs[25]).toBeUndefined();
    await tb.exec('led.deinit()');
    await tb.view((v) => !(25 in v.pwm), 'PWM stopped');
  });

  it('a 50 Hz pulse becomes a servo angle: 0.5 ms is 0 degrees, 1.5 ms is 90, 2.5 ms is 180', async () => {
    await tb.exec('servo = PWM(Pin(15), freq=50)');
    for (const [ns, angle] of [
      [500_000, 0],
      [1_500_000, 90],
      [2_500_000, 180],
    ] as const) {
      await tb.exec(`servo.duty_ns(${ns})`);
      await tb.view((v) => v.servos.some((s) => s.pin === 15 && s.angle === angle), `servo at ${angle} degrees`);
    }
    await tb.exec('servo.duty_ns(100_000)');
    await tb.view((v) => v.servos.some((s) => s.pin === 15 && s.angle === null), 'a pulse out of servo range');
    await tb.exec('servo.deinit()');
  });

  it('duty_ns and duty_u16 agree, and a duty given in ns is kept when the frequency changes', async () => {
    const r = await tb.exec(`p = PWM(Pin(16), freq=50, duty_ns=1_500_000)
print(p.duty_u16(), p.duty_ns())
p.freq(100)
print(p.duty_u16(), p.duty_ns())
p.duty_u16(32768)
print(p.duty_ns())
p.deinit()`);
    expect(r.out).toBe('4915 1500000\n9830 1500000\n5000000\n');
  });

  it('two pins of one RP2040 slice share their frequency', async () => {
    const r = await tb.exec(`a = PWM(Pin(0), freq=1000)
b = PWM(Pin(1), freq=2000)
print(a.freq(), b.freq())
a.deinit(); b.deinit()`);
    expect(r.out).toBe('2000 2000\n');
  });

  it('refuses frequencies and duties out of range with ValueError, as rp2 does', async () => {
    const r = await tb.exec(`for kw in ({'freq': 1}, {'freq': 100_000_000}, {'duty_u16': 70000}):
    try:
        PWM(Pin(17), **kw)
    except ValueError as e:
        print(e)`);
    expect(r.out).toBe('freq too small\nfreq too large\nduty_u16 must be from 0 to 65535\n');
  });
});

describe('machine.PWM on the simulated ESP32', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard({ profile: profileById('esp32-devkitc') })));
  afterAll(() => tb.close());

  it('has the esp32 frequency range and refuses input-only pins', async () => {
    const r = await tb.exec(`from machine import Pin, PWM
p = PWM(Pin(2), freq=1)
print(p.freq())
for args, kw in (((Pin(2),), {'freq': 50_000_000}), ((Pin(35),), {})):
    try:
        PWM(*args, **kw)
    except ValueError as e:
        print(e)
p.deinit()`);
    expect(r.out).toBe('1\nfreq must be between 1Hz and 40MHz\npin can only be input\n');
  });
});
