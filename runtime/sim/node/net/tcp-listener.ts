// A board's listening socket, served on the host's loopback interface only:
// the board's port P becomes 127.0.0.1:P on the computer (ports below 1024,
// which need privileges there, become 8000 + P; a port already taken becomes
// any free one). Accepted connections wait here until the board accepts them.

import * as net from 'node:net';
import { ChangeSignal } from './change-signal.js';

const PRIVILEGED_OFFSET = 8000;

export class TcpListener {
  readonly signal = new ChangeSignal();
  private readonly queue: net.Socket[] = [];
  private closed = false;

  private constructor(
    private readonly server: net.Server,
    /** The port on the host's 127.0.0.1 that reaches this listener. */
    readonly hostPort: number,
    private readonly backlog: number,
  ) {
    server.on('connection', (s) => {
      // A full backlog refuses, as a board's TCP stack does.
      if (this.queue.length >= this.backlog) return void s.destroy();
      s.on('error', () => undefined);
      this.queue.push(s);
      this.signal.fire();
    });
  }

  static async open(boardPort: number, backlog: number): Promise<TcpListener> {
    const wanted = boardPort === 0 ? 0 : boardPort < 1024 ? PRIVILEGED_OFFSET + boardPort : boardPort;
    // allowHalfOpen: the board may answer after the client's FIN, as on a board.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await listen(wanted);
    } catch {
      await listen(0);
    }
    return new TcpListener(server, (server.address() as net.AddressInfo).port, Math.max(1, backlog));
  }

  get pending(): boolean {
    return this.queue.length > 0;
  }

  /** The oldest connection waiting to be accepted, or null. */
  take(): net.Socket | null {
    return this.queue.shift() ?? null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.queue) s.destroy();
    this.queue.length = 0;
    this.server.close();
    this.signal.fire();
  }
}
