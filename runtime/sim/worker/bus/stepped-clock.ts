// A BusClock for unit tests of the device models: time moves only when a
// model sleeps or the test advances it, so timing rules (an SHT3x still
// measuring, a UART character on the wire) are checked exactly, not raced.

import type { BusClock } from './i2c-bus.js';

export class SteppedClock implements BusClock {
  t = 1000;
  /** Sleeps the models asked for, in ms. */
  readonly slept: number[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): boolean {
    this.slept.push(ms);
    this.t += ms;
    return true;
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
