// A UART whose TX pin is jumpered to its own RX pin: every byte written is
// received back one character time after it started on the wire (start bit,
// data bits, parity, stop bits at the configured baud rate), into a receive
// buffer that drops bytes when full, as the ports' ring buffers do.
//
// Nothing here blocks: waiting (read timeouts, a full TX buffer, flush) is
// done by the Python side with time.sleep_us, so Timer callbacks, pin IRQs
// and Ctrl-C keep working while a program waits for serial data.

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
  /** Bytes written and not yet received: [value, arrival time in ms], in order. */
  private inFlight: Array<[number, number]> = [];
  private rx: number[] = [];
  private lineFreeAt = 0;

  constructor(private readonly now: () => number) {}

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

  /** Queues what fits in the TX buffer; returns how many bytes were taken. */
  write(data: Uint8Array): number {
    const char = this.charMs();
    const now = this.now();
    let n = 0;
    for (; n < data.length && this.waitingToSend(now) < this.format.txbuf; n++) {
      this.lineFreeAt = Math.max(now, this.lineFreeAt) + char;
      this.inFlight.push([data[n], this.lineFreeAt]);
    }
    return n;
  }

  /** Bytes received and not read yet. */
  any(): number {
    this.settle();
    return this.rx.length;
  }

  /** Up to n received bytes, without waiting; stops after a \n when asked (readline). */
  read(n: number, untilNewline = false): number[] {
    this.settle();
    const out: number[] = [];
    while (out.length < n && this.rx.length) {
      const b = this.rx.shift()!;
      out.push(b);
      if (untilNewline && b === 0x0a) break;
    }
    return out;
  }

  /** Everything written has left the TX pin. */
  txdone(): boolean {
    return this.now() >= this.lineFreeAt;
  }

  /** Microseconds until the next byte reaches RX, or -1 when none is on its way. */
  nextArrivalUs(): number {
    this.settle();
    if (!this.inFlight.length) return -1;
    return Math.max(0, Math.ceil((this.inFlight[0][1] - this.now()) * 1000));
  }

  /** Microseconds until the line is idle (flush), or until the TX buffer has room (write). */
  txWaitUs(forRoom: boolean): number {
    const now = this.now();
    const until = forRoom ? this.lineFreeAt - this.format.txbuf * this.charMs() : this.lineFreeAt;
    return Math.max(0, Math.ceil((until - now) * 1000));
  }

  /** Bytes accepted but not yet started on the wire. */
  private waitingToSend(now: number): number {
    return Math.max(0, Math.ceil((this.lineFreeAt - now) / this.charMs() - 1e-9) - 1);
  }

  private settle(): void {
    const now = this.now();
    while (this.inFlight.length && this.inFlight[0][1] <= now) {
      const [b] = this.inFlight.shift()!;
      if (this.rx.length < this.format.rxbuf) this.rx.push(b);
    }
  }
}
