// A UART whose TX pin is jumpered to its own RX pin: every byte written is
// received back one character time later (start bit, data bits, parity,
// stop bits at the configured baud rate), into a receive buffer that drops
// bytes when full, as the ports' ring buffers do.

import type { BusClock } from './i2c-bus.js';

export interface UartFormat {
  baudrate: number;
  bits: number;
  /** 0 = none, 1 = odd, 2 = even (only whether a parity bit is sent matters here). */
  parity: number;
  stop: number;
  rxbuf: number;
  txbuf: number;
}

export const UART_DEFAULTS: UartFormat = { baudrate: 115200, bits: 8, parity: 0, stop: 1, rxbuf: 256, txbuf: 256 };

export class UartLoopback {
  private format: UartFormat = UART_DEFAULTS;
  /** Bytes on the wire: [value, arrival time in ms]. */
  private inFlight: Array<[number, number]> = [];
  private rx: number[] = [];
  private lineFreeAt = 0;

  constructor(private readonly clock: BusClock) {}

  init(format: UartFormat): void {
    this.format = format;
    this.inFlight = [];
    this.rx = [];
    this.lineFreeAt = 0;
  }

  /** Milliseconds one character occupies the line. */
  charMs(): number {
    const f = this.format;
    return ((1 + f.bits + (f.parity ? 1 : 0) + f.stop) * 1000) / f.baudrate;
  }

  /** Queues bytes for sending; blocks while more than txbuf bytes are waiting, as write() does. Returns bytes accepted. */
  write(data: Uint8Array): number {
    const char = this.charMs();
    let sent = 0;
    for (const b of data) {
      const now = this.clock.now();
      const waiting = Math.max(0, this.lineFreeAt - now) / char;
      if (waiting >= this.format.txbuf && !this.clock.sleep((waiting - this.format.txbuf + 1) * char)) break;
      const start = Math.max(this.clock.now(), this.lineFreeAt);
      this.lineFreeAt = start + char;
      this.inFlight.push([b, this.lineFreeAt]);
      sent++;
    }
    return sent;
  }

  /** Bytes received and not read yet. */
  any(): number {
    this.settle();
    return this.rx.length;
  }

  /** Everything written has left the TX pin. */
  txdone(): boolean {
    return this.clock.now() >= this.lineFreeAt;
  }

  /** Waits until txdone(); false if interrupted. */
  flush(): boolean {
    const left = this.lineFreeAt - this.clock.now();
    return left <= 0 || this.clock.sleep(left);
  }

  /**
   * Up to n bytes: waits up to timeoutMs for the first and timeoutCharMs
   * between the next ones, as the ports' stream reads do. `untilNewline`
   * stops after a \n (readline).
   */
  read(n: number, timeoutMs: number, timeoutCharMs: number, untilNewline = false): number[] {
    const out: number[] = [];
    let deadline = this.clock.now() + timeoutMs;
    while (out.length < n) {
      this.settle();
      if (this.rx.length) {
        const b = this.rx.shift()!;
        out.push(b);
        if (untilNewline && b === 0x0a) break;
        deadline = this.clock.now() + Math.max(timeoutCharMs, this.charMs());
        continue;
      }
      const now = this.clock.now();
      const next = this.inFlight.length ? this.inFlight[0][1] : Infinity;
      if (now >= deadline && next > deadline) break;
      if (!this.clock.sleep(Math.max(0, Math.min(deadline, next) - now))) break;
    }
    return out;
  }

  private settle(): void {
    const now = this.clock.now();
    while (this.inFlight.length && this.inFlight[0][1] <= now) {
      const [b] = this.inFlight.shift()!;
      if (this.rx.length < this.format.rxbuf) this.rx.push(b);
    }
  }
}
