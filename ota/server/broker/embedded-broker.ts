// The embedded broker: aedes on a TCP port, in-memory. It forgets retained
// messages when it stops; the fleet service republishes what devices need
// (desired releases still in progress) whenever it reconnects.

import { Aedes } from 'aedes';
import * as net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { BrokerEndpoint, EmbeddedBrokerConfig } from './broker-config.js';

export class EmbeddedBroker {
  private constructor(
    private readonly broker: Aedes,
    private readonly server: net.Server,
    readonly endpoint: BrokerEndpoint,
    readonly port: number,
    private readonly sockets: Set<net.Socket>,
  ) {}

  static async start(cfg: EmbeddedBrokerConfig): Promise<EmbeddedBroker> {
    const broker = await Aedes.createBroker();
    if (cfg.username !== undefined) {
      const user = Buffer.from(cfg.username);
      const pass = Buffer.from(cfg.password ?? '');
      const same = (a: Buffer, b: Buffer | undefined) => !!b && a.length === b.length && timingSafeEqual(a, b);
      broker.authenticate = (_client, username, password, done) => {
        const ok = same(user, username === undefined ? undefined : Buffer.from(username)) && same(pass, password ?? undefined);
        if (ok) done(null, true);
        else done(Object.assign(new Error('bad username or password'), { returnCode: 4 }), false);
      };
    }
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      broker.handle(socket);
    });
    const host = cfg.host ?? '127.0.0.1';
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(cfg.port ?? 0, host, () => resolve());
      });
    } catch (e) {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      throw listenError(e as NodeJS.ErrnoException, host, cfg.port ?? 0);
    }
    const port = (server.address() as net.AddressInfo).port;
    // A client cannot dial "every interface": the IDE's own clients use loopback.
    const dial = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    const urlHost = dial.includes(':') ? `[${dial}]` : dial;
    return new EmbeddedBroker(broker, server, { url: `mqtt://${urlHost}:${port}`, username: cfg.username, password: cfg.password }, port, sockets);
  }

  /** Stops listening and drops every client (they see the connection close, as in a broker crash). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Marks a listen failure, so the IDE can add where the address and port are changed. */
export const LISTEN_FAILED = 'EMBEDDED_BROKER_LISTEN';

/** The listen failure in words a user can act on; the port is never silently changed. */
function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const text =
    e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (another MQTT broker, or another copy of the app?)`
    : e.code === 'EACCES' ? `not allowed to listen on ${where} (ports below 1024 need administrator rights)`
    : e.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this computer`
    : e.code === 'ENOTFOUND' ? `${host} is not a known host name`
    : `the embedded broker cannot listen on ${where}: ${e.message}`;
  return Object.assign(new Error(text), { code: LISTEN_FAILED });
}
