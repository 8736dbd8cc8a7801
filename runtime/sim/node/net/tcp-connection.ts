// One board socket's real TCP connection on the host. Received bytes wait
// here until the board's Python asks for them (it cannot be called back), and
// every state change wakes whoever waits for one (a blocked recv, poll or
// connect on the board).

import * as net from 'node:net';
import { boardErrno, type BoardErrno } from './board-errno.js';
import { ChangeSignal } from './change-signal.js';

/** Above this much unread data the host stops reading, so TCP pushes back on the sender. */
const READ_HIGH_WATER = 1 << 20;
/** Above this much unsent data a send blocks (or says EAGAIN when non-blocking). */
export const WRITE_HIGH_WATER = 256 * 1024;

export type ConnState = 'connecting' | 'open' | 'failed';

export class TcpConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private eof = false;
  private _state: ConnState = 'connecting';
  private _error: BoardErrno | null = null;
  /** Removes each listener this object added to the socket (see detach). */
  private readonly offs: Array<() => void> = [];
  /** Fires on data, connect, drain, end and error. */
  readonly signal = new ChangeSignal();

  constructor(
    readonly socket: net.Socket,
    initial: ConnState = 'connecting',
    /** A TLS socket over an open connection is open at 'secureConnect', not at 'connect'. */
    openEvent: 'connect' | 'secureConnect' = 'connect',
  ) {
    this._state = initial;
    this.listen(openEvent, () => {
      this._state = 'open';
      this.changed();
    });
    this.listen('data', (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      if (this.buffered > READ_HIGH_WATER) socket.pause();
      this.changed();
    });
    this.listen('end', () => {
      this.eof = true;
      this.changed();
    });
    this.listen('drain', () => this.changed());
    this.listen('error', (e: NodeJS.ErrnoException) => {
      if (this._state === 'connecting') this._state = 'failed';
      this._error ??= boardErrno(e.code);
      this.changed();
    });
    this.listen('close', () => {
      this.eof = true;
      this.changed();
    });
  }

  get state(): ConnState {
    return this._state;
  }

  get error(): BoardErrno | null {
    return this._error;
  }

  /** recv would return at once: data, end of stream, or an error to report. */
  get readable(): boolean {
    return this.buffered > 0 || this.eof || this._error !== null;
  }

  get unread(): number {
    return this.buffered;
  }

  get atEof(): boolean {
    return this.buffered === 0 && this.eof;
  }

  get writable(): boolean {
    return this._state === 'open' && this._error === null && !this.socket.destroyed && this.socket.writableLength < WRITE_HIGH_WATER;
  }

  /** Takes up to `n` buffered bytes. */
  take(n: number): Buffer {
    const parts: Buffer[] = [];
    let want = Math.min(n, this.buffered);
    while (want > 0) {
      const head = this.chunks[0];
      if (head.length <= want) {
        parts.push(head);
        this.chunks.shift();
        want -= head.length;
      } else {
        parts.push(head.subarray(0, want));
        this.chunks[0] = head.subarray(want);
        want = 0;
      }
    }
    const out = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.buffered -= out.length;
    if (this.socket.isPaused() && this.buffered < READ_HIGH_WATER / 2) this.socket.resume();
    return out;
  }

  /** Closes as a board's close() does: a FIN after the unsent data; the peer sees the end. */
  close(): void {
    this.socket.destroySoon();
    // A peer that never reads must not keep the host socket forever.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  destroy(): void {
    this.socket.destroy();
    this.changed();
  }

  /**
   * Hands the socket over (to a TLS layer wrapped around it): this object
   * stops listening and the socket is the new owner's. An error the raw
   * socket still emits is the TLS socket's to report.
   */
  detach(): net.Socket {
    for (const off of this.offs.splice(0)) off();
    this.socket.on('error', () => undefined);
    return this.socket;
  }

  private listen<A extends unknown[]>(event: string, typed: (...args: A) => void): void {
    // Each event's arguments are what Node documents for it.
    const fn = typed as unknown as (...args: unknown[]) => void;
    this.socket.on(event, fn);
    this.offs.push(() => this.socket.off(event, fn));
  }

  private changed(): void {
    this.signal.fire();
  }
}
