// The I2C wires: scan, NACKs, a held bus, and transactions left open for a
// repeated START (readfrom_mem's register write then read).
import { describe, expect, it } from 'vitest';
import { I2cBus, I2C_NACK, I2C_TIMEOUT, type I2cDevice } from './i2c-bus.js';
import { SteppedClock } from './stepped-clock.js';

/** A register-file device that logs the bus events it sees. */
class Registers implements I2cDevice {
  log: string[] = [];
  reg = 0;
  mem = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  private first = true;
  constructor(readonly address: number) {}
  start(read: boolean) {
    this.log.push(read ? 'S+R' : 'S+W');
    this.first = true;
    return true;
  }
  write(data: Uint8Array) {
    for (const b of data) {
      if (this.first) this.reg = b;
      else this.mem[this.reg++ & 15] = b;
      this.first = false;
    }
    return data.length;
  }
  read(n: number) {
    return Uint8Array.from({ length: n }, () => this.mem[this.reg++ & 15]);
  }
  stop() {
    this.log.push('P');
  }
}

describe('I2C bus', () => {
  it('lists ACKing addresses in scan order and NACKs others', () => {
    const bus = new I2cBus([new Registers(0x44), new Registers(0x3c)], new SteppedClock());
    expect(bus.scan()).toEqual([0x3c, 0x44]);
    expect(bus.write(0x50, Uint8Array.of(1), true)).toBe(I2C_NACK);
    expect(bus.read(0x50, 1, true, 50_000)).toBe(I2C_NACK);
  });

  it('keeps a transaction open without STOP, so the read follows a repeated START', () => {
    const dev = new Registers(0x50);
    const bus = new I2cBus([dev], new SteppedClock());
    expect(bus.write(0x50, Uint8Array.of(3), false)).toBe(1);
    expect([...(bus.read(0x50, 2, true, 50_000) as Uint8Array)]).toEqual([0xa3, 0xa4]);
    expect(dev.log).toEqual(['S+W', 'S+R', 'P']);
  });

  it('ends an open transaction when the next START goes to another device', () => {
    const a = new Registers(0x50);
    const b = new Registers(0x51);
    const bus = new I2cBus([a, b], new SteppedClock());
    bus.write(0x50, Uint8Array.of(1), false);
    bus.write(0x51, Uint8Array.of(1), true);
    expect(a.log).toEqual(['S+W', 'P']);
  });

  it('times out on every transfer while a line is held low, and scans nothing', () => {
    let held = true;
    const bus = new I2cBus([new Registers(0x3c)], new SteppedClock(), () => held);
    expect(bus.scan()).toEqual([]);
    expect(bus.write(0x3c, Uint8Array.of(0), true)).toBe(I2C_TIMEOUT);
    expect(bus.read(0x3c, 1, true, 50_000)).toBe(I2C_TIMEOUT);
    held = false;
    expect(bus.write(0x3c, Uint8Array.of(0), true)).toBe(1);
  });

  it('runs SoftI2C primitives: the byte after START is the address, data stops at the first NACK', () => {
    const dev = new Registers(0x50);
    const bus = new I2cBus([dev], new SteppedClock());
    bus.rawStart();
    expect(bus.rawWrite(Uint8Array.of(0x50 << 1, 2, 0x11, 0x22))).toBe(4);
    bus.rawStart();
    expect(bus.rawWrite(Uint8Array.of((0x50 << 1) | 1))).toBe(1);
    bus.rawWrite(new Uint8Array()); // nothing more to send before reading
    expect([...(bus.rawRead(2, 50_000) as Uint8Array)]).toEqual([0xa4, 0xa5]);
    bus.rawStop();
    expect(dev.mem[2]).toBe(0x11);
    expect(dev.log).toEqual(['S+W', 'S+R', 'P']);
    bus.rawStart();
    expect(bus.rawWrite(Uint8Array.of(0x51 << 1, 0))).toBe(0); // nobody at 0x51
    expect([...(bus.rawRead(1, 50_000) as Uint8Array)]).toEqual([0xff]);
    bus.rawStop();
  });
});
