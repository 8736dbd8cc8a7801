// Reads a Link as a stream with deadlines: "until these bytes", "n bytes".
// Every wait has an overall timeout, and a timeout error shows what the board
// did send, because "timed out" alone is what users hate most.

import type { Link } from './link.js';

export class BoardTimeoutError extends Error {
  constructor(
    what: string,
    readonly received: Buffer,
  ) {
    super(`${what}; the board sent ${JSON.stringify(received.subarray(-200).toString('latin1'))}`);
    this.name = 'BoardTimeoutError';
  }
}

export class LinkClosedError extends Error {
  constructor() {
    super('the connection to the board was closed');
    this.name = 'LinkClosedError';
  }
}

export class LinkReader {
  private buf: Buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private closed = false;
  private failure: Error | null = null;
  private readonly offs: Array<() => void>;

  constructor(link: Link) {
    this.offs = [
      link.onData((d) => {
        this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
        this.wake?.();
      }),
      link.onClose(() => {
        this.closed = true;
        this.wake?.();
      }),
    ];
  }

  /** Drops what has been received so far. */
  discard(): Buffer {
    const b = this.buf;
    this.buf = Buffer.alloc(0);
    return b;
  }

  /** Takes what has arrived, without waiting. */
  take(max = Infinity): Buffer {
    const n = Math.min(max, this.buf.length);
    const b = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return b;
  }

  /** Puts bytes back at the front, for a reader that looked at more than it needed. */
  unread(b: Uint8Array): void {
    if (b.length) this.buf = Buffer.concat([Buffer.from(b), this.buf]);
  }

  get pending(): number {
    return this.buf.length;
  }

  /** Resolves when any bytes are buffered (or the deadline passes). */
  async waitForData(deadline: number, what: string): Promise<void> {
    while (this.buf.length === 0) await this.sleepUntilData(deadline, what);
  }

  /** Reads up to and including `marker`; returns the bytes before it. */
  async readUntil(marker: string | Uint8Array, timeoutMs: number, what: string): Promise<Buffer> {
    const m = typeof marker === 'string' ? Buffer.from(marker, 'latin1') : Buffer.from(marker);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.buf.indexOf(m);
      if (i >= 0) {
        const before = this.buf.subarray(0, i);
        this.buf = this.buf.subarray(i + m.length);
        return before;
      }
      await this.sleepUntilData(deadline, what);
    }
  }

  async readExactly(n: number, timeoutMs: number, what: string): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n) await this.sleepUntilData(deadline, what);
    return this.take(n);
  }

  /**
   * Streams bytes to `sink` until `marker` (one byte) arrives; returns
   * everything before it. Used for program output, which can be long.
   */
  async streamUntil(marker: number, sink: ((b: Buffer) => void) | undefined, deadline: number, what: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const i = this.buf.indexOf(marker);
      const chunk = i >= 0 ? this.buf.subarray(0, i) : this.buf;
      if (chunk.length) {
        parts.push(chunk);
        sink?.(chunk);
      }
      if (i >= 0) {
        this.buf = this.buf.subarray(i + 1);
        return Buffer.concat(parts);
      }
      this.buf = Buffer.alloc(0);
      await this.sleepUntilData(deadline, what);
    }
  }

  /** Makes the current and every later wait reject with `error` (e.g. the board was reset). */
  fail(error: Error): void {
    this.failure = error;
    this.wake?.();
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.wake?.();
  }

  private sleepUntilData(deadline: number, what: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new LinkClosedError());
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new BoardTimeoutError(`timed out ${what}`, this.buf));
    return new Promise((resolve, reject) => {
      // Programs the user stops themselves have no deadline.
      const timer = Number.isFinite(left)
        ? setTimeout(() => {
            this.wake = null;
            reject(new BoardTimeoutError(`timed out ${what}`, this.buf));
          }, left)
        : undefined;
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        if (this.failure) reject(this.failure);
        else if (this.closed && this.buf.length === 0) reject(new LinkClosedError());
        else resolve();
      };
    });
  }
}
