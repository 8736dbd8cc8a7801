// Collects what a Link receives and lets tests wait on a condition of the
// bytes, with a deadline, instead of sleeping.

import type { Link } from '../common/link.js';

export class ByteCollector {
  private chunks: Buffer[] = [];
  private waiters = new Set<() => void>();
  private readonly off: () => void;

  constructor(link: Pick<Link, 'onData'>) {
    this.off = link.onData((d) => {
      this.chunks.push(Buffer.from(d));
      for (const w of this.waiters) w();
    });
  }

  bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  text(): string {
    return this.bytes().toString('utf8');
  }

  clear(): void {
    this.chunks = [];
  }

  /** Resolves with all bytes so far once `done(bytes)` holds; rejects after `timeoutMs`. */
  waitFor(done: (all: Buffer) => boolean, timeoutMs: number, what = 'bytes'): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const b = this.bytes();
        if (!done(b)) return false;
        cleanup();
        resolve(b);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms ${what}; received ${JSON.stringify(this.bytes().toString('latin1'))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(onData);
      };
      const onData = () => void check();
      if (check()) return;
      this.waiters.add(onData);
    });
  }

  /** Waits until the received text contains `needle` (searching from `from`). */
  waitForText(needle: string, timeoutMs = 5000, from = 0): Promise<string> {
    return this.waitFor((b) => b.toString('latin1').includes(needle, from), timeoutMs, `for ${JSON.stringify(needle)}`).then((b) =>
      b.toString('utf8'),
    );
  }

  dispose(): void {
    this.off();
    this.waiters.clear();
  }
}
