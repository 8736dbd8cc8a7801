// Emulates a serial line's speed: bytes leave no faster than baud / 10 per
// second (8N1 framing), in small slices, the way a UART drains its FIFO.

export class BytePacer {
  private queue: Uint8Array[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextFree = 0;
  private readonly bytesPerMs: number;

  constructor(
    baud: number,
    private readonly deliver: (b: Uint8Array) => void,
  ) {
    this.bytesPerMs = baud / 10 / 1000;
  }

  push(b: Uint8Array): void {
    this.queue.push(b);
    if (!this.timer) this.pump();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }

  private pump(): void {
    this.timer = null;
    const now = performance.now();
    if (this.nextFree < now) this.nextFree = now;
    // Send what the line could have carried by now, at most ~4 ms worth at a time.
    while (this.queue.length && this.nextFree <= now + 4) {
      const head = this.queue[0];
      const n = Math.max(1, Math.min(head.length, Math.floor(this.bytesPerMs * 4)));
      this.deliver(head.subarray(0, n));
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
      this.nextFree += n / this.bytesPerMs;
    }
    if (this.queue.length) this.timer = setTimeout(() => this.pump(), Math.max(1, this.nextFree - now - 4));
  }
}
