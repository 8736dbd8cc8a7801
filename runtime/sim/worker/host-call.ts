// The worker's side of a host call: post the request, then block on shared
// memory until the host's reply lands in the mailbox, the time runs out, or
// the user presses Ctrl-C. Blocking is what lets a Python socket's recv() or
// connect() look synchronous, as on a board.

import { readReply, type HostReply } from '../common/host-mailbox.js';
import type { RingReader } from '../common/stdin-ring.js';
import type { WorkerToHost } from '../common/sim-protocol.js';

export class HostCaller {
  private lastId = 0;

  constructor(
    private readonly mailbox: SharedArrayBuffer,
    private readonly ring: RingReader,
    private readonly post: (m: WorkerToHost) => void,
    /** Schedules KeyboardInterrupt if a Ctrl-C is pending; true if it did. */
    private readonly checkInterrupt: () => boolean,
  ) {}

  call(service: string, request: unknown, bytes: Uint8Array | undefined, timeoutMs: number): HostReply {
    if (this.checkInterrupt()) return { ok: false, error: 'interrupted' };
    const id = ++this.lastId;
    try {
      this.post({ type: 'host-call', id, service, request, ...(bytes ? { bytes } : {}) });
    } catch (e) {
      // e.g. a request that cannot be cloned: the caller gets an error, never a throw.
      return { ok: false, error: `bad host call: ${(e as Error).message}` };
    }
    const deadline = performance.now() + Math.max(0, timeoutMs);
    for (;;) {
      const seen = this.ring.wakeCount();
      const reply = readReply(this.mailbox, id);
      if (reply) return reply;
      if (this.checkInterrupt()) return { ok: false, error: 'interrupted' };
      const left = deadline - performance.now();
      if (left <= 0) return { ok: false, error: 'timeout' };
      this.ring.waitForWake(seen, left);
    }
  }
}
