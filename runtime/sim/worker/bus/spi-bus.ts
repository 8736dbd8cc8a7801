// SCK, MOSI and MISO wires with devices that each have their own chip-select
// GPIO. A device takes part in a transfer only while its CS is low; it sees
// a new frame at every falling CS edge, and program/erase run at the rising
// edge. CS edges come from pin writes when the core reports them
// (pinChanged) and, in any case, from the CS level sampled at each transfer.

import type { SpiDevice } from './spi-flash.js';

export interface SpiFormat {
  /** 0..3: (polarity << 1) | phase. */
  mode: number;
  bits: number;
  lsbFirst: boolean;
}

export class SpiBus {
  private readonly level = new Map<number, 0 | 1>();

  constructor(readonly devices: readonly SpiDevice[]) {
    for (const d of devices) this.level.set(d.cs, 1);
  }

  /** GPIOs that select a device on these wires. */
  csPins(): number[] {
    return this.devices.map((d) => d.cs);
  }

  /** A chip-select GPIO changed level. */
  pinChanged(gpio: number, level: 0 | 1, now: number): void {
    const before = this.level.get(gpio);
    if (before === undefined || before === level) return;
    this.level.set(gpio, level);
    for (const d of this.devices) {
      if (d.cs !== gpio) continue;
      if (level === 0) d.select(now);
      else d.deselect(now);
    }
  }

  /** Clocks out `mosi`, returning what MISO carried. */
  transfer(mosi: Uint8Array, format: SpiFormat, now: number): Uint8Array {
    const active = this.devices.filter((d) => this.level.get(d.cs) === 0);
    const miso = new Uint8Array(mosi.length).fill(0xff); // MISO idles high with nobody driving it
    // These devices (like the W25Q) sample in modes 0 and 3 with 8-bit words only;
    // in other formats they see noise and stay silent.
    if (!active.length || format.bits !== 8 || format.mode === 1 || format.mode === 2) return miso;
    for (let i = 0; i < mosi.length; i++) {
      const out = format.lsbFirst ? reverseBits(mosi[i]) : mosi[i];
      let m = 0xff;
      for (const d of active) m &= d.exchange(out, now); // open MISO lines: a 0 wins
      miso[i] = format.lsbFirst ? reverseBits(m) : m;
    }
    return miso;
  }
}

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i;
  return r;
}
