// Helpers for the network tests: real TCP servers on loopback, and the lines
// a board program starts with to join the simulated Wi-Fi.

import * as net from 'node:net';

/** Python that joins the simulated access point and waits for the address, as a board program does. */
export const JOIN_WIFI = `import network, socket, time, errno
_w = network.WLAN(network.STA_IF)
_w.active(True)
_w.connect('MoteNet', 'secret')
while not _w.isconnected():
    time.sleep_ms(20)
`;

export interface TestServer {
  server: net.Server;
  port: number;
  /** Every connection the server accepted, in order. */
  sockets: net.Socket[];
  /** Calls `l` on each new connection or byte, so tests wait on events instead of sleeping. */
  onEvent(l: () => void): () => void;
  close(): Promise<void>;
}

export async function startServer(handler: (s: net.Socket, changed: () => void) => void): Promise<TestServer> {
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.on('close', changed);
    handler(s, changed);
    changed();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    sockets,
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port nobody listens on (a server was there and closed). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
