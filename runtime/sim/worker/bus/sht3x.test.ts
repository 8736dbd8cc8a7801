// The SHT3x model on an I2C bus, against its datasheet: CRC, conversion
// formulas, and the sensor's answers while it measures.
import { describe, expect, it } from 'vitest';
import { I2cBus, I2C_NACK, I2C_TIMEOUT } from './i2c-bus.js';
import { Sht3x, SHT3X_ADDRESS, sht3xCrc } from './sht3x.js';
import { SteppedClock } from './stepped-clock.js';

function setup(t = 22.5, rh = 45) {
  const climate = { t, rh };
  const clock = new SteppedClock();
  const bus = new I2cBus([new Sht3x({ temperature: () => climate.t, humidity: () => climate.rh })], clock);
  return { bus, clock, climate };
}

function decode(d: Uint8Array): { t: number; rh: number } {
  expect(sht3xCrc([d[0], d[1]])).toBe(d[2]);
  expect(sht3xCrc([d[3], d[4]])).toBe(d[5]);
  return { t: -45 + (175 * ((d[0] << 8) | d[1])) / 65535, rh: (100 * ((d[3] << 8) | d[4])) / 65535 };
}

describe('SHT3x model', () => {
  it('computes the datasheet CRC example (0xBEEF -> 0x92)', () => {
    expect(sht3xCrc([0xbe, 0xef])).toBe(0x92);
  });

  it('measures with clock stretching: the read waits for the measurement and returns the inputs', () => {
    const { bus, clock, climate } = setup(22.5, 45);
    expect(bus.write(SHT3X_ADDRESS, Uint8Array.of(0x2c, 0x06), true)).toBe(2);
    const r = bus.read(SHT3X_ADDRESS, 6, true, 50_000) as Uint8Array;
    expect(clock.slept).toEqual([15.5]); // high repeatability, held SCL for the whole measurement
    const m = decode(r);
    expect(m.t).toBeCloseTo(22.5, 2);
    expect(m.rh).toBeCloseTo(45, 2);
    climate.t = -10.25;
    climate.rh = 87.5;
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0x2c, 0x10), true);
    const m2 = decode(bus.read(SHT3X_ADDRESS, 6, true, 50_000) as Uint8Array);
    expect(m2.t).toBeCloseTo(-10.25, 2);
    expect(m2.rh).toBeCloseTo(87.5, 2);
  });

  it('NACKs a read while measuring without stretching, and after the result was read', () => {
    const { bus, clock } = setup();
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0x24, 0x00), true);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 50_000)).toBe(I2C_NACK);
    clock.advance(16);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 50_000)).toBeInstanceOf(Uint8Array);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 50_000)).toBe(I2C_NACK);
  });

  it('times out when the controller will not wait for a stretched clock', () => {
    const { bus } = setup();
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0x2c, 0x06), true);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 255)).toBe(I2C_TIMEOUT);
  });

  it('reports the status register with CRC and the reset flag until cleared', () => {
    const { bus } = setup();
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0xf3, 0x2d), true);
    const s = bus.read(SHT3X_ADDRESS, 3, true, 50_000) as Uint8Array;
    expect(s[2]).toBe(sht3xCrc([s[0], s[1]]));
    expect(((s[0] << 8) | s[1]) & 0x10).toBe(0x10);
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0x30, 0x41), true);
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0xf3, 0x2d), true);
    const s2 = bus.read(SHT3X_ADDRESS, 3, true, 50_000) as Uint8Array;
    expect(((s2[0] << 8) | s2[1]) & 0x10).toBe(0);
  });

  it('delivers one periodic result per period through Fetch Data', () => {
    const { bus, clock } = setup(30, 60);
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0x21, 0x30), true); // 1 measurement per second
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0xe0, 0x00), true);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 50_000)).toBe(I2C_NACK);
    clock.advance(1000);
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0xe0, 0x00), true);
    expect(decode(bus.read(SHT3X_ADDRESS, 6, true, 50_000) as Uint8Array).t).toBeCloseTo(30, 2);
    bus.write(SHT3X_ADDRESS, Uint8Array.of(0xe0, 0x00), true);
    expect(bus.read(SHT3X_ADDRESS, 6, true, 50_000)).toBe(I2C_NACK);
  });
});
