// A Sensirion SHT3x temperature and humidity sensor on I2C (address 0x44,
// ADDR pin low), from its datasheet: 16-bit commands, single-shot and
// periodic measurements, each 16-bit word followed by a CRC-8. Readings come
// from the board view's sliders.

import type { I2cDevice } from './i2c-bus.js';

export const SHT3X_ADDRESS = 0x44;

/** Single-shot commands: [clock stretching, repeatability's max duration in ms]. */
const SINGLE_SHOT: Record<number, [boolean, number]> = {
  0x2c06: [true, 15.5],
  0x2c0d: [true, 6.5],
  0x2c10: [true, 4.5],
  0x2400: [false, 15.5],
  0x240b: [false, 6.5],
  0x2416: [false, 4.5],
};
/** Periodic modes by MSB: measurements per second. */
const PERIODIC_MPS: Record<number, number> = { 0x20: 0.5, 0x21: 1, 0x22: 2, 0x23: 4, 0x27: 10 };
const FETCH_DATA = 0xe000;
const BREAK = 0x3093;
const SOFT_RESET = 0x30a2;
const READ_STATUS = 0xf32d;
const CLEAR_STATUS = 0x3041;
const HEATER_ON = 0x306d;
const HEATER_OFF = 0x3066;
const STATUS_HEATER = 1 << 13;
const STATUS_RESET_DETECTED = 1 << 4;

/** CRC-8 of the SHT3x: polynomial 0x31, init 0xFF, no reflection, no final XOR. */
export function sht3xCrc(bytes: ArrayLike<number>): number {
  let crc = 0xff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i];
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

export interface Climate {
  /** Degrees C. */
  temperature(): number;
  /** %RH. */
  humidity(): number;
}

export class Sht3x implements I2cDevice {
  readonly address = SHT3X_ADDRESS;
  private command: number[] = [];
  /** Bytes the next read returns, once `readyAt` has passed. */
  private output: Uint8Array | null = null;
  private readyAt = 0;
  private stretching = false;
  private readPos = 0;
  private periodicMs = 0;
  private periodicStart = 0;
  private lastFetch = 0;
  private status = STATUS_RESET_DETECTED;

  constructor(private readonly climate: Climate) {}

  start(read: boolean, now: number): boolean {
    this.command = [];
    if (!read) return true;
    // No data, or a measurement still running without clock stretching: NACK.
    if (!this.output) return false;
    if (!this.stretching && now < this.readyAt) return false;
    this.readPos = 0;
    return true;
  }

  stretchMs(now: number): number {
    return this.stretching ? Math.max(0, this.readyAt - now) : 0;
  }

  write(data: Uint8Array, now: number): number {
    for (const b of data) this.command.push(b);
    if (this.command.length === 2) this.run((this.command[0] << 8) | this.command[1], now);
    return data.length;
  }

  read(n: number): Uint8Array {
    const out = new Uint8Array(n).fill(0xff);
    const src = this.output ?? new Uint8Array();
    for (let i = 0; i < n && this.readPos < src.length; i++) out[i] = src[this.readPos++];
    return out;
  }

  stop(): void {
    // A read consumed the result; the sensor answers NACK until the next command.
    if (this.readPos > 0 && this.periodicMs === 0) this.output = null;
    this.readPos = 0;
    this.command = [];
  }

  private run(cmd: number, now: number): void {
    const single = SINGLE_SHOT[cmd];
    if (single && this.periodicMs === 0) {
      [this.stretching] = single;
      this.readyAt = now + single[1];
      this.output = this.measurement();
      return;
    }
    const mps = PERIODIC_MPS[cmd >> 8];
    if (mps !== undefined && this.periodicMs === 0) {
      this.periodicMs = 1000 / mps;
      this.periodicStart = this.lastFetch = now;
      this.output = null;
      return;
    }
    switch (cmd) {
      case FETCH_DATA:
        this.fetch(now);
        break;
      case BREAK:
        this.periodicMs = 0;
        this.output = null;
        break;
      case SOFT_RESET:
        this.periodicMs = 0;
        this.output = null;
        this.status = STATUS_RESET_DETECTED;
        break;
      case READ_STATUS:
        this.reply([this.status >> 8, this.status & 0xff], now);
        break;
      case CLEAR_STATUS:
        this.status &= ~STATUS_RESET_DETECTED;
        break;
      case HEATER_ON:
        this.status |= STATUS_HEATER;
        break;
      case HEATER_OFF:
        this.status &= ~STATUS_HEATER;
        break;
    }
  }

  /** Periodic mode: a fresh result once per period, otherwise NACK. */
  private fetch(now: number): void {
    const periods = Math.floor((now - this.periodicStart) / this.periodicMs);
    const fetched = Math.floor((this.lastFetch - this.periodicStart) / this.periodicMs);
    if (this.periodicMs === 0 || periods === 0 || periods === fetched) {
      this.output = null;
      return;
    }
    this.lastFetch = now;
    this.stretching = false;
    this.readyAt = now;
    this.output = this.measurement();
  }

  private reply(words: number[], now: number): void {
    this.stretching = false;
    this.readyAt = now;
    this.output = withCrc(words);
  }

  private measurement(): Uint8Array {
    const t = Math.min(130, Math.max(-45, this.climate.temperature()));
    const rh = Math.min(100, Math.max(0, this.climate.humidity()));
    // Datasheet conversion: T = -45 + 175 * raw / 65535, RH = 100 * raw / 65535.
    const rawT = Math.round(((t + 45) * 65535) / 175);
    const rawRh = Math.round((rh * 65535) / 100);
    return withCrc([rawT >> 8, rawT & 0xff, rawRh >> 8, rawRh & 0xff]);
  }
}

/** Byte pairs, each followed by its CRC, as the sensor sends them. */
function withCrc(bytes: number[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push(bytes[i], bytes[i + 1], sht3xCrc([bytes[i], bytes[i + 1]]));
  return Uint8Array.from(out);
}
