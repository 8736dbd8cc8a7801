// DTR and RTS for a simulated board served on a pty.
//
// A pseudo-terminal carries bytes only: TIOCMSET on a pty fails with ENOTTY
// ("Inappropriate ioctl for device"), so the ESP auto-reset sequence cannot
// travel through it. The simulated board therefore listens on a Unix socket
// beside its pty (`<pty>.lines`), and Mote's serial adapter sends the two
// lines there when the port itself refuses them. Bytes still go through the
// real pty; only the modem lines take this side path. Each message is one
// byte (bit 0 = DTR, bit 1 = RTS), acknowledged by one byte once applied, so
// the line change is ordered before the host's next write.

import * as fs from 'node:fs';
import * as net from 'node:net';

export function modemLinesPath(ptyPath: string): string {
  return `${ptyPath}.lines`;
}

export interface ModemLinesServer {
  close(): Promise<void>;
}

export async function serveModemLines(ptyPath: string, apply: (dtr: boolean, rts: boolean) => void): Promise<ModemLinesServer> {
  const sockPath = modemLinesPath(ptyPath);
  fs.rmSync(sockPath, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.on('data', (d) => {
      for (const b of d) {
        apply((b & 1) !== 0, (b & 2) !== 0);
        s.write(Uint8Array.of(b));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sockPath, resolve);
  });
  return {
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(sockPath, { force: true });
    },
  };
}

/** The host side: one connection per open port. */
export class ModemLinesClient {
  private waiting: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      for (let i = 0; i < d.length; i++) this.waiting.shift()?.();
    });
    socket.on('error', () => undefined);
  }

  /** Null when nothing listens beside this port (a real serial port, or a pty of another program). */
  static async connect(ptyPath: string): Promise<ModemLinesClient | null> {
    const sockPath = modemLinesPath(ptyPath);
    if (!fs.existsSync(sockPath)) return null;
    return new Promise((resolve) => {
      const s = net.createConnection(sockPath);
      s.once('connect', () => resolve(new ModemLinesClient(s)));
      s.once('error', () => resolve(null));
    });
  }

  set(dtr: boolean, rts: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error('the simulated board went away'));
      this.waiting.push(resolve);
      this.socket.write(Uint8Array.of((dtr ? 1 : 0) | (rts ? 2 : 0)));
    });
  }

  close(): void {
    this.socket.destroy();
    for (const w of this.waiting.splice(0)) w();
  }
}
