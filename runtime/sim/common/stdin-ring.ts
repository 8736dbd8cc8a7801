// The board's RX line: a single-producer (host) single-consumer (worker) byte
// ring in shared memory. Head and Tail are running counts; their difference is
// the fill level, so wrap-around needs no extra flag.

import { Ctl, RING_SIZE, type SharedState } from './sim-protocol.js';

export class RingWriter {
  private readonly ctl: Int32Array;
  private readonly ring: Uint8Array;

  constructor(shared: SharedState) {
    this.ctl = new Int32Array(shared.control);
    this.ring = new Uint8Array(shared.ring);
  }

  /** Copies as many bytes as fit; returns how many were taken. */
  write(data: Uint8Array): number {
    const head = Atomics.load(this.ctl, Ctl.Head);
    const tail = Atomics.load(this.ctl, Ctl.Tail);
    const free = RING_SIZE - ((head - tail) | 0);
    const n = Math.min(free, data.length);
    for (let i = 0; i < n; i++) this.ring[(head + i) & (RING_SIZE - 1)] = data[i];
    if (n > 0) {
      Atomics.store(this.ctl, Ctl.Head, (head + n) | 0);
      wake(this.ctl);
    }
    return n;
  }
}

export function wake(ctl: Int32Array): void {
  Atomics.add(ctl, Ctl.Wake, 1);
  Atomics.notify(ctl, Ctl.Wake);
}

export class RingReader {
  readonly ctl: Int32Array;
  private readonly ring: Uint8Array;

  constructor(shared: SharedState) {
    this.ctl = new Int32Array(shared.control);
    this.ring = new Uint8Array(shared.ring);
  }

  available(): number {
    return (Atomics.load(this.ctl, Ctl.Head) - Atomics.load(this.ctl, Ctl.Tail)) | 0;
  }

  /** Next byte, or -1 when empty. */
  read(): number {
    const tail = Atomics.load(this.ctl, Ctl.Tail);
    if (((Atomics.load(this.ctl, Ctl.Head) - tail) | 0) === 0) return -1;
    const b = this.ring[tail & (RING_SIZE - 1)];
    Atomics.store(this.ctl, Ctl.Tail, (tail + 1) | 0);
    return b;
  }

  /** Discards input up to and including the first Ctrl-C (it became an interrupt). */
  dropThroughInterrupt(): void {
    for (let b = this.read(); b >= 0; b = this.read()) if (b === 0x03) return;
  }

  /** Blocks until the host signals anything, or `timeoutMs` passes. */
  waitForWake(seen: number, timeoutMs: number): void {
    Atomics.wait(this.ctl, Ctl.Wake, seen, timeoutMs);
  }

  wakeCount(): number {
    return Atomics.load(this.ctl, Ctl.Wake);
  }
}
