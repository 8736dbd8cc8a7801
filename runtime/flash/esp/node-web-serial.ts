// A Web-Serial-shaped port over Node's `serialport` (through SerialLink, so
// "port busy" and friends are reported in one place), for esptool-js's
// Transport. Its contract, as esptool-js uses it: open/close, a `readable`
// that stays the same stream while open, a `writable`, setSignals, getInfo.
//
// DTR and RTS are always set together: Web Serial lets a caller change one
// line alone, but an ESP auto-reset circuit reads the pair, and some drivers
// (Windows usbser) reset the other line when one changes.

import { ReadableStream, WritableStream } from 'node:stream/web';
import { ModemLinesClient } from '../../sim/esp-rom/modem-lines.js';
import { SerialLink } from '../../node/serial-link.js';
import { Listeners } from '../../common/listeners.js';

export interface WebSerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

export interface NodeWebSerialOptions {
  path: string;
  usbVendorId?: number;
  usbProductId?: number;
}

export class NodeWebSerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  private link: SerialLink | null = null;
  private endReadable: (() => void) | null = null;
  private readonly lostListeners = new Listeners<[Error]>();
  private lines: ModemLinesClient | null = null;
  private dtr = false;
  private rts = false;
  /** Bytes counted both ways, for throughput figures. */
  bytesOut = 0;
  bytesIn = 0;

  constructor(private readonly opts: NodeWebSerialOptions) {}

  get path(): string {
    return this.opts.path;
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { usbVendorId: this.opts.usbVendorId, usbProductId: this.opts.usbProductId };
  }

  async open(options: { baudRate: number }): Promise<void> {
    if (this.link) throw new Error(`${this.opts.path} is already open`);
    const link = await SerialLink.open({ path: this.opts.path, baudRate: options.baudRate });
    this.link = link;
    let unsubscribe: (() => void) | null = null;
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.endReadable = () => {
          unsubscribe?.();
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        };
        unsubscribe = link.onData((d) => {
          this.bytesIn += d.length;
          controller.enqueue(new Uint8Array(d));
        });
        link.onClose((err) => {
          unsubscribe?.();
          if (err) this.lostListeners.emit(err);
          if (err) controller.error(err);
          else {
            try {
              controller.close();
            } catch {
              // already cancelled by the reader
            }
          }
        });
      },
      cancel: () => {
        unsubscribe?.();
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: async (chunk) => {
        this.bytesOut += chunk.length;
        await link.write(chunk);
      },
    });
    // The lines are re-asserted after every open: never left to the driver's defaults.
    await this.applySignals();
  }

  /** The port went away under us (board unplugged, pty closed). */
  onLost(l: (e: Error) => void): () => void {
    return this.lostListeners.add(l);
  }

  /** esptool-js changes speed through this when present, instead of closing and reopening the port. */
  async setBaudRate(baud: number): Promise<void> {
    if (!this.link) throw new Error(`${this.opts.path} is not open`);
    await this.link.setBaudRate(baud);
  }

  /**
   * Ends the streams esptool-js reads and hands over the still-open port, so
   * the new MicroPython is reached without closing the port: closing a port
   * can reset a board, and reopening races a board that just re-enumerated.
   */
  detach(): SerialLink {
    if (!this.link) throw new Error(`${this.opts.path} is not open`);
    return this.release()!;
  }

  /** Ends the streams and the modem-line side channel and forgets the port, which the caller now owns. */
  private release(): SerialLink | null {
    const link = this.link;
    this.endReadable?.();
    this.link = null;
    this.readable = null;
    this.writable = null;
    this.lines?.close();
    this.lines = null;
    return link;
  }

  async setSignals(s: WebSerialSignals): Promise<void> {
    if (s.dataTerminalReady !== undefined) this.dtr = s.dataTerminalReady;
    if (s.requestToSend !== undefined) this.rts = s.requestToSend;
    await this.applySignals();
  }

  private async applySignals(): Promise<void> {
    const link = this.link;
    if (!link) throw new Error(`${this.opts.path} is not open`);
    try {
      await link.setSignals(this.dtr, this.rts);
    } catch (e) {
      // A pty has no modem lines (ENOTTY). A simulated board on a pty takes them on its side socket.
      if (!/Inappropriate ioctl|ENOTTY/i.test((e as Error).message)) throw e;
      this.lines ??= await ModemLinesClient.connect(this.opts.path);
      await this.lines?.set(this.dtr, this.rts);
    }
  }

  private closing: Promise<void> | null = null;

  /** Safe to call twice (a cancel and the flow's own cleanup): both wait for the one close. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const link = this.release();
    this.closing = (link?.close() ?? Promise.resolve()).finally(() => {
      this.closing = null;
    });
    return this.closing;
  }
}
