// A board's UDP socket on the host. Datagrams wait here until the board asks
// (it cannot be called back); a full queue drops new ones, as a board's small
// buffers do. Unbound sockets send from any interface on a free port, as a
// client does; a board's bind(port) listens on the host's loopback only
// (ports below 1024 become 8000 + port, like TCP listeners).

import * as dgram from 'node:dgram';
import { ChangeSignal } from './change-signal.js';

const MAX_QUEUED = 64;
const PRIVILEGED_OFFSET = 8000;

export interface Datagram {
  data: Buffer;
  ip: string;
  port: number;
}

export class UdpSocket {
  readonly signal = new ChangeSignal();
  private readonly queue: Datagram[] = [];
  private readonly socket = dgram.createSocket('udp4');
  private bound: Promise<number> | null = null;

  constructor() {
    this.socket.on('message', (data, rinfo) => {
      if (this.queue.length >= MAX_QUEUED) return;
      this.queue.push({ data, ip: rinfo.address, port: rinfo.port });
      this.signal.fire();
    });
    this.socket.on('error', () => this.signal.fire());
  }

  /** Binds for the board's bind(port); returns the host port that reaches it. */
  bind(boardPort: number): Promise<number> {
    const wanted = boardPort === 0 ? 0 : boardPort < 1024 ? PRIVILEGED_OFFSET + boardPort : boardPort;
    this.bound ??= this.listen(wanted, '127.0.0.1').catch(() => this.listen(0, '127.0.0.1'));
    return this.bound;
  }

  async send(data: Uint8Array, ip: string, port: number): Promise<void> {
    this.bound ??= this.listen(0, '0.0.0.0');
    await this.bound;
    await new Promise<void>((resolve, reject) => this.socket.send(data, port, ip, (e) => (e ? reject(e) : resolve())));
  }

  get pending(): boolean {
    return this.queue.length > 0;
  }

  take(): Datagram | null {
    return this.queue.shift() ?? null;
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
    this.signal.fire();
  }

  private listen(port: number, address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind({ port, address, exclusive: true }, () => {
        this.socket.off('error', reject);
        resolve(this.socket.address().port);
      });
    });
  }
}
