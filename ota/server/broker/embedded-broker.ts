// The embedded broker: aedes on a TCP port, in-memory. It forgets retained
// messages when it stops; the fleet service republishes what devices need
// (desired releases still in progress) whenever it reconnects.

import { Aedes, type Client } from 'aedes';
import * as net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { FleetTopics, isDeviceId } from '../../common/topics.js';
import type { BrokerEndpoint, EmbeddedBrokerConfig } from './broker-config.js';
import { deviceSubscribeAllowed, devicePublishAllowed } from './device-acl.js';
import { deviceBrokerPassword } from './device-login.js';

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
    if (cfg.username !== undefined) guard(broker, cfg.username, cfg.password ?? '', cfg.devicePrefix);
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

/**
 * Logins: the configured user may do everything (the IDE's own service, and
 * boards provisioned before device logins existed, which carry that
 * credential). With `devicePrefix`, a board may also log in as itself (user =
 * client id = its device id, its derived password) and is then held to its
 * own topics; and a client with no login at all (a lesson's umqtt program,
 * mosquitto_sub) is a guest: everything outside the fleet's prefix is its to
 * use, while the fleet's topics are neither written by it nor shown to it.
 * A wrong login is refused as a bad user name or password, never made a guest.
 */
function guard(broker: Aedes, username: string, password: string, devicePrefix: string | undefined): void {
  const user = Buffer.from(username);
  const pass = Buffer.from(password);
  const same = (a: Buffer, b: Buffer | undefined) => !!b && a.length === b.length && timingSafeEqual(a, b);
  const prefix = devicePrefix === undefined ? undefined : new FleetTopics(devicePrefix).prefix;
  /** The device id of each client that logged in as a board; admin clients are not in it. */
  const deviceOf = new WeakMap<Client, string>();
  const guests = new WeakSet<Client>();
  /** The boards and service clients connected now, by client id. */
  const held = new Map<string, Client>();
  broker.on('client', (c) => void (guests.has(c) || held.set(c.id, c)));
  broker.on('clientDisconnect', (c) => void (held.get(c.id) === c && held.delete(c.id)));
  const inFleet = (topic: string) => prefix !== undefined && (topic === prefix || topic.startsWith(`${prefix}/`));
  const isDevice = (client: Client, name: string | undefined, given: Buffer | undefined): boolean =>
    prefix !== undefined && name !== undefined && isDeviceId(name) && client.id === name
    && same(Buffer.from(deviceBrokerPassword(password, name)), given);

  broker.authenticate = (client, name, given, done) => {
    if (same(user, name === undefined ? undefined : Buffer.from(name)) && same(pass, given ?? undefined)) return done(null, true);
    if (isDevice(client, name, given ?? undefined)) {
      deviceOf.set(client, name!);
      return done(null, true);
    }
    if (prefix !== undefined && name === undefined && !given) {
      // Taking a connected board's or the service's client id would make aedes drop that client.
      if (held.has(client.id)) return done(Object.assign(new Error('client id in use'), { returnCode: 2 }), false);
      guests.add(client);
      return done(null, true);
    }
    done(Object.assign(new Error('bad username or password'), { returnCode: 4 }), false);
  };
  if (prefix === undefined) return;

  const { authorizePublish, authorizeSubscribe, authorizeForward } = broker;
  // A refused publish makes aedes close the board's connection (MQTT 3.1.1 has no negative PUBACK).
  broker.authorizePublish = (client, packet, done) => {
    const id = client ? deviceOf.get(client) : undefined;
    if (id !== undefined && !devicePublishAllowed(prefix, id, packet.topic)) {
      return done(new Error(`device ${id} may not publish to ${packet.topic}`));
    }
    if (client && guests.has(client) && inFleet(packet.topic)) return done(new Error(`a client with no login may not publish to ${packet.topic}`));
    authorizePublish.call(broker, client, packet, done);
  };
  // A guest may subscribe to anything ('#' included), but the fleet's messages never reach it, retained ones neither.
  broker.authorizeForward = (client, packet) => (guests.has(client) && inFleet(packet.topic) ? null : authorizeForward.call(broker, client, packet));
  // A refused filter gets a negative SUBACK (128); the board stays connected.
  broker.authorizeSubscribe = (client, sub, done) => {
    const id = deviceOf.get(client);
    if (id !== undefined && !deviceSubscribeAllowed(prefix, id, sub.topic)) return done(null, null);
    authorizeSubscribe.call(broker, client, sub, done);
  };
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
