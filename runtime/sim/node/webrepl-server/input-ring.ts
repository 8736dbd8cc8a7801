// Emulates the small REPL input buffer of a Wi-Fi board. On an ESP board the
// WebREPL socket's bytes land in a ring of about 256 bytes that the REPL
// drains one character at a time; what arrives while the ring is full is
// lost, silently. The simulated interpreter itself has a 1 MiB ring, so this
// sits in front of it: bytes move on only while the interpreter is reading
// (it has taken everything given so far, so a running program that does not
// read stdin stops the flow, as on a board) and no faster than `bytesPerSecond`,
// the pace of a small board's REPL loop.

export interface InputSink {
  write(data: Uint8Array): Promise<void>;
  /** Bytes given to the interpreter that it has not read yet. */
  readonly inputPending: number;
}

/** How often the emulated REPL loop looks at the ring. */
const TICK_MS = 2;

export class InputRing {
  private ring: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | null = null;
  private last = performance.now();
  private credit = 0;
  /** Bytes lost to overflow since the start. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly bytesPerSecond: number,
    private readonly sink: InputSink,
  ) {}

  push(data: Uint8Array): void {
    // Ctrl-C is caught as it arrives (the board checks each received byte for
    // the interrupt character), so it and what is queued go through at once.
    if (data.includes(0x03)) {
      const all = Buffer.concat([this.ring, data]);
      this.ring = Buffer.alloc(0);
      void this.sink.write(all).catch(() => undefined);
      return;
    }
    const room = this.capacity - this.ring.length;
    if (data.length > room) this.dropped += data.length - Math.max(0, room);
    if (room > 0) this.ring = Buffer.concat([this.ring, data.subarray(0, room)]);
    this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ring = Buffer.alloc(0);
  }

  private schedule(): void {
    if (this.timer || this.ring.length === 0) return;
    this.last = performance.now();
    this.credit = 0;
    this.timer = setTimeout(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    this.timer = null;
    const now = performance.now();
    this.credit = Math.min(this.capacity, this.credit + ((now - this.last) * this.bytesPerSecond) / 1000);
    this.last = now;
    const n = Math.min(this.ring.length, Math.floor(this.credit));
    if (n > 0 && this.sink.inputPending === 0) {
      const slice = this.ring.subarray(0, n);
      this.ring = this.ring.subarray(n);
      this.credit -= n;
      void this.sink.write(slice).catch(() => undefined);
    }
    if (this.ring.length) this.timer = setTimeout(() => this.tick(), TICK_MS);
  }
}
