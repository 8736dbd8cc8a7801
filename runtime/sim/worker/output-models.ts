// What the program drives besides plain GPIO levels: PWM outputs (LED
// brightness, hobby servos) and NeoPixel strips written with machine.bitstream.

import type { PwmView, ServoView, StripView } from '../common/board-view.js';

/** A hobby servo expects a pulse every 20 ms; rp2 cannot hit 50 Hz exactly, so allow some slack. */
const SERVO_FREQ = { min: 45, max: 55 };
const SERVO_PULSE_MS = { min: 0.5, max: 2.5 };
/** duty_u16 steps are 0.3 µs at 50 Hz: a pulse set to exactly 0.5 ms may read a hair under. */
const PULSE_SLACK_MS = 0.005;

export class PwmModel {
  private readonly channels = new Map<number, PwmView>();

  set(pin: number, freq: number, dutyU16: number): void {
    this.channels.set(pin, { freq, dutyU16 });
  }

  stop(pin: number): boolean {
    return this.channels.delete(pin);
  }

  has(pin: number): boolean {
    return this.channels.has(pin);
  }

  view(): Record<number, PwmView> {
    return Object.fromEntries([...this.channels].map(([pin, p]) => [pin, { ...p }]));
  }

  servos(): ServoView[] {
    const out: ServoView[] = [];
    for (const [pin, p] of this.channels) {
      if (p.freq < SERVO_FREQ.min || p.freq > SERVO_FREQ.max) continue;
      const pulseMs = (p.dutyU16 / 65536) * (1000 / p.freq);
      const inRange = pulseMs >= SERVO_PULSE_MS.min - PULSE_SLACK_MS && pulseMs <= SERVO_PULSE_MS.max + PULSE_SLACK_MS;
      const angle = ((pulseMs - SERVO_PULSE_MS.min) / (SERVO_PULSE_MS.max - SERVO_PULSE_MS.min)) * 180;
      out.push({ pin, angle: inRange ? Math.round(Math.min(180, Math.max(0, angle))) : null });
    }
    return out;
  }
}

export class StripModel {
  private readonly strips = new Map<number, number[]>();
  private readonly bpp = new Map<number, number>();

  /** What neopixel.NeoPixel tells about its strip (bytes per LED), before it writes. */
  setBpp(pin: number, bpp: number): void {
    this.bpp.set(pin, bpp === 4 ? 4 : 3);
  }

  /** The bytes machine.bitstream sent: WS2812 order G, R, B (and W). */
  write(pin: number, data: Uint8Array): void {
    const bpp = this.bpp.get(pin) ?? 3;
    const colors: number[] = [];
    for (let i = 0; i + bpp <= data.length; i += bpp) colors.push((data[i + 1] << 16) | (data[i] << 8) | data[i + 2]);
    this.strips.set(pin, colors);
  }

  view(): StripView[] {
    return [...this.strips].map(([pin, colors]) => ({ pin, colors: [...colors] }));
  }
}
