// Services the host offers to a simulated board's Python (real TCP sockets,
// name lookups...). The worker asks with a 'host-call' message and blocks;
// the answer goes back through the board's shared mailbox. A board gets fresh
// service instances for each interpreter life: a reset disposes them, which
// is how a reset closes the board's sockets.

import { writeReply, type HostReply } from '../common/host-mailbox.js';
import { wake } from '../common/stdin-ring.js';

export interface HostService {
  readonly name: string;
  /** The value must be JSON-serialisable; a throw becomes an error reply carrying its message. */
  call(request: unknown, bytes: Uint8Array | undefined): Promise<{ value: unknown; bytes?: Uint8Array }>;
  /** The interpreter that used this instance is gone (reset or close): release everything. */
  dispose(): void;
}

export interface HostServiceBoard {
  profileId: string;
  /** Per-board settings a service reads (e.g. which addresses a socket may reach). */
  settings?: Readonly<Record<string, unknown>>;
}

export type HostServiceFactory = (board: HostServiceBoard) => HostService;

export interface HostCallRequest {
  id: number;
  service: string;
  request: unknown;
  bytes?: Uint8Array;
}

/** Answers one interpreter life's host calls; disposed when that life ends. */
export class HostCallRouter {
  private readonly services = new Map<string, HostService>();
  /** The worker calls one at a time, so only the newest id can still be waited for. */
  private newestId = 0;
  private disposed = false;

  constructor(
    factories: readonly HostServiceFactory[],
    board: HostServiceBoard,
    private readonly mailbox: SharedArrayBuffer,
    private readonly ctl: Int32Array,
  ) {
    for (const make of factories) {
      const s = make(board);
      if (this.services.has(s.name)) throw new Error(`two host services are named "${s.name}"`);
      this.services.set(s.name, s);
    }
  }

  handle(m: HostCallRequest): void {
    this.newestId = Math.max(this.newestId, m.id);
    const service = this.services.get(m.service);
    if (!service) return this.reply(m.id, { ok: false, error: `no host service "${m.service}"` });
    let pending: Promise<{ value: unknown; bytes?: Uint8Array }>;
    try {
      pending = service.call(m.request, m.bytes);
    } catch (e) {
      return this.reply(m.id, { ok: false, error: message(e) });
    }
    pending.then(
      (r) => this.reply(m.id, { ok: true, value: r.value, ...(r.bytes ? { bytes: r.bytes } : {}) }),
      (e: unknown) => this.reply(m.id, { ok: false, error: message(e) }),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.services.values()) {
      try {
        s.dispose();
      } catch {
        // One service failing to clean up must not keep the others open.
      }
    }
  }

  private reply(id: number, reply: HostReply): void {
    // A reply the worker gave up on (timeout, Ctrl-C) would overwrite the
    // mailbox while it reads a newer one: drop it.
    if (this.disposed || id !== this.newestId) return;
    writeReply(this.mailbox, id, reply);
    wake(this.ctl);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
