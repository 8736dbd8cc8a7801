// A Link over a serial port (USB CDC, UART bridge, or a pty), using the real
// `serialport` package. No protocol code here: bytes in, bytes out.

import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { Drainable, Link } from '../common/link.js';
import { Listeners } from '../common/listeners.js';

type Binding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export interface SerialLinkOptions {
  path: string;
  baudRate?: number;
  /**
   * DTR/RTS after opening. Many ESP boards reset when these change, so by
   * default both are left deasserted... and set explicitly, never implicitly.
   */
  dtr?: boolean;
  rts?: boolean;
  /** Test seam: the binding to open the port with (e.g. @serialport/binding-mock); the OS's by default. */
  binding?: Binding;
}

export class PortBusyError extends Error {
  constructor(path: string, detail: string) {
    super(`${path} is busy: another program (a serial monitor, Thonny, mpremote, another Mote window) has it open. Close it and try again. (${detail})`);
    this.name = 'PortBusyError';
  }
}

export class SerialLink implements Link, Drainable {
  private readonly dataListeners = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[Error | null]>();
  private closing = false;

  private constructor(
    private readonly port: SerialPortStream,
    readonly name: string,
  ) {
    port.on('data', (d: Buffer) => {
      this.dataListeners.emit(d);
    });
    port.on('close', (err: Error | null) => {
      const e = this.closing ? null : (err ?? new Error(`${name} was disconnected`));
      this.closeListeners.emit(e);
    });
  }

  static async open(opts: SerialLinkOptions): Promise<SerialLink> {
    // Never open at 1200 baud: on some boards that means "enter the bootloader".
    const baudRate = opts.baudRate ?? 115200;
    if (baudRate === 1200) throw new Error('1200 baud would reset some boards into their bootloader; use another rate');
    const portOpts = { path: opts.path, baudRate, autoOpen: false, lock: true, hupcl: false };
    const port = opts.binding ? new SerialPortStream({ ...portOpts, binding: opts.binding }) : new SerialPort(portOpts);
    await new Promise<void>((resolve, reject) =>
      port.open((err) => {
        if (!err) return resolve();
        const msg = err.message;
        if (/lock|busy|EBUSY|Resource temporarily unavailable|Access denied/i.test(msg)) reject(new PortBusyError(opts.path, msg));
        else if (/ENOENT|No such file|cannot find/i.test(msg)) reject(new Error(`${opts.path} does not exist (was the board unplugged?)`));
        else if (/EACCES|Permission denied/i.test(msg))
          reject(new Error(`no permission to open ${opts.path}: on Linux add yourself to the dialout group and log in again`));
        else reject(err);
      }),
    );
    const link = new SerialLink(port, opts.path);
    if (opts.dtr !== undefined || opts.rts !== undefined) await link.setSignals(opts.dtr ?? false, opts.rts ?? false);
    return link;
  }

  /** Sets DTR and RTS together; ESP auto-reset circuits need both defined at every step. */
  setSignals(dtr: boolean, rts: boolean): Promise<void> {
    return new Promise((resolve, reject) => this.port.set({ dtr, rts }, (err) => (err ? reject(err) : resolve())));
  }

  /** Changes the line speed without closing the port (closing may reset a board or lose a pty). */
  setBaudRate(baudRate: number): Promise<void> {
    if (baudRate === 1200) return Promise.reject(new Error('1200 baud would reset some boards into their bootloader; use another rate'));
    return new Promise((resolve, reject) => this.port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.port.isOpen) return Promise.reject(new Error(`${this.name} is closed`));
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Waits until the OS has sent every written byte (tcdrain); see Drainable. */
  drain(): Promise<void> {
    if (!this.port.isOpen) return Promise.reject(new Error(`${this.name} is closed`));
    return new Promise((resolve, reject) => this.port.drain((err) => (err ? reject(err) : resolve())));
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onClose(listener: (error: Error | null) => void): () => void {
    return this.closeListeners.add(listener);
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    this.closing = true;
    // A pending write throws "Canceled" if the port closes under it, so drain
    // first; but a pty nobody reads never drains, so do not wait forever.
    await Promise.race([new Promise<void>((r) => this.port.drain(() => r())), new Promise((r) => setTimeout(r, 500))]);
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
