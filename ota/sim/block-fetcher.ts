// Downloads one file (or manifest) through the block server: a window of
// blocks in flight, asking for more when half the window has arrived (one
// request per few blocks, not per block), going back to the first missing
// block on a gap, and asking again after a silence (lost messages, broker
// restart). Blocks are handed to `sink` in order as they arrive.

import { BlockFlag, decodeReply, encodeRequest } from '../common/block-codec.js';

export interface FetchTransport {
  request(payload: Buffer): void;
}

export interface FetchOptions {
  blockSize: number;
  window: number;
  /** Silence after which the outstanding blocks are asked for again. */
  timeoutMs: number;
}

export class BlockFetcher {
  private current: {
    tag: Buffer;
    sha: Buffer;
    size: number;
    next: number;
    requestedUpTo: number;
    recoveringAt: number;
    sink: (data: Buffer) => void;
    resolve: () => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout | null;
  } | null = null;

  constructor(private readonly transport: FetchTransport, private readonly opts: FetchOptions) {}

  /** Fetches bytes [from, size) of the file with hex SHA-256 `sha`. */
  fetch(sha: string, size: number, from: number, sink: (data: Buffer) => void): Promise<void> {
    if (this.current) throw new Error('one download at a time');
    if (from >= size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const shaBuf = Buffer.from(sha, 'hex');
      this.current = { tag: shaBuf.subarray(0, 8), sha: shaBuf, size, next: from, requestedUpTo: from, recoveringAt: -1, sink, resolve, reject, timer: null };
      this.requestMore();
    });
  }

  /** Abandons the download in progress (reset, cancel); its promise rejects with `why`. */
  abort(why: Error): void {
    const c = this.current;
    if (!c) return;
    this.finish();
    c.reject(why);
  }

  /** After a reconnect: anything in flight was lost with the old connection. */
  resend(): void {
    const c = this.current;
    if (!c) return;
    c.requestedUpTo = c.next;
    this.requestMore();
  }

  onBlock(payload: Buffer): void {
    const c = this.current;
    if (!c) return;
    let r;
    try {
      r = decodeReply(payload);
    } catch {
      return;
    }
    if (!Buffer.from(r.tag).equals(c.tag)) return; // a reply to an earlier download
    if (r.flag !== BlockFlag.Data) {
      this.finish();
      c.reject(new Error(r.flag === BlockFlag.NotFound ? 'server does not have this file' : `server refused offset ${r.offset}`));
      return;
    }
    if (r.offset !== c.next) {
      // A gap: a block was lost. Ask again from the first missing one (once per gap).
      if (r.offset > c.next && c.recoveringAt !== c.next) {
        c.recoveringAt = c.next;
        c.requestedUpTo = c.next;
        this.requestMore();
      }
      return;
    }
    c.next += r.data.length;
    c.sink(Buffer.from(r.data));
    if (c.next >= c.size) {
      this.finish();
      c.resolve();
      return;
    }
    this.armTimer();
    const inFlight = Math.ceil((c.requestedUpTo - c.next) / this.opts.blockSize);
    if (inFlight <= this.opts.window / 2) this.requestMore();
  }

  private requestMore(): void {
    const c = this.current!;
    const bs = this.opts.blockSize;
    const inFlight = Math.ceil((c.requestedUpTo - c.next) / bs);
    const count = Math.min(this.opts.window - inFlight, Math.ceil((c.size - c.requestedUpTo) / bs));
    if (count > 0) {
      this.transport.request(encodeRequest({ sha256: c.sha, offset: c.requestedUpTo, blockSize: bs, count }));
      c.requestedUpTo = Math.min(c.size, c.requestedUpTo + count * bs);
    }
    this.armTimer();
  }

  private armTimer(): void {
    const c = this.current!;
    if (c.timer) clearTimeout(c.timer);
    c.timer = setTimeout(() => {
      c.timer = null;
      if (this.current === c) this.resend();
    }, this.opts.timeoutMs);
  }

  private finish(): void {
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.current = null;
  }
}
