// The `net` host service: real TCP sockets for the simulated board's
// `socket` module, addressed by small integer handles. Python blocks in a
// host call while this side waits, so every wait here ends by itself (the
// board asked for at most `waitMs`) and nothing is consumed for a caller that
// may have given up: after a wait the board asks again to take the data.

import * as dns from 'node:dns';
import * as net from 'node:net';
import type { HostService, HostServiceFactory } from '../host-services.js';
import { networkSettings, refusal } from './address-policy.js';
import { boardErrno } from './board-errno.js';
import { ChangeSignal, waitFor } from './change-signal.js';
import { TcpConnection, WRITE_HIGH_WATER } from './tcp-connection.js';
import { TcpListener } from './tcp-listener.js';
import { certPem, keyPem, upgradeToTls } from './tls-upgrade.js';
import { UdpSocket } from './udp-socket.js';

/** Largest recv answer: well inside the host-call mailbox, large enough for full speed. */
export const MAX_RECV = 64 * 1024;
/** setTimeout's ceiling: "wait without limit" (Ctrl-C on the board still ends the wait). */
const FOREVER = 2 ** 31 - 1;
/** select.poll event bits, as MicroPython's `select` defines them. */
const POLLIN = 0x01;
const POLLOUT = 0x04;
const POLLERR = 0x08;
const POLLHUP = 0x10;

type Reply = { value: unknown; bytes?: Uint8Array };

class NetService implements HostService {
  readonly name = 'net';
  private readonly conns = new Map<number, TcpConnection>();
  private readonly listeners = new Map<number, TcpListener>();
  private readonly udps = new Map<number, UdpSocket>();
  private nextHandle = 1;
  private disposed = false;
  /** Fired on dispose: every wait ends (its reply is dropped by the router anyway). */
  private readonly gone = new ChangeSignal();

  constructor(private readonly allowPublic: boolean) {}

  async call(request: unknown, bytes: Uint8Array | undefined): Promise<Reply> {
    const r = (request ?? {}) as Record<string, unknown>;
    switch (r.op) {
      case 'resolve':
        return this.resolve(str(r.host, 'host'));
      case 'connect':
        return this.connect(str(r.ip, 'ip'), int(r.port, 'port'), wait(r.waitMs), r.pending === true);
      case 'send':
        return this.send(int(r.h, 'h'), bytes ?? new Uint8Array(0), wait(r.waitMs), r.nonblocking === true);
      case 'recv':
        return this.recv(int(r.h, 'h'), int(r.n, 'n'), wait(r.waitMs));
      case 'poll':
        return this.poll(pollList(r.hs), wait(r.waitMs));
      case 'listen':
        return this.listen(int(r.port, 'port'), int(r.backlog ?? 2, 'backlog'));
      case 'accept':
        return this.accept(int(r.h, 'h'), wait(r.waitMs));
      case 'udp-open':
        return this.udpOpen(int(r.port ?? -1, 'port'));
      case 'udp-send':
        return this.udpSend(int(r.h, 'h'), str(r.ip, 'ip'), int(r.port, 'port'), bytes ?? new Uint8Array(0));
      case 'udp-recv':
        return this.udpRecv(int(r.h, 'h'), int(r.n, 'n'), wait(r.waitMs));
      case 'close':
        return this.close(int(r.h, 'h'));
      case 'tls':
        return this.tls(int(r.h, 'h'), r, wait(r.waitMs));
      case 'tls-check':
        return { value: { ok: r.key === true ? keyPem(hexBytes(r.data)) !== null : certPem(hexBytes(r.data)) !== null } };
      default:
        throw new Error(`net: unknown operation ${JSON.stringify(r.op)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.conns.values()) c.destroy();
    this.conns.clear();
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
    for (const u of this.udps.values()) u.close();
    this.udps.clear();
    this.gone.fire();
  }

  private wait(signals: ChangeSignal[], ready: () => boolean, ms: number): Promise<boolean> {
    return waitFor([...signals, this.gone], () => this.disposed || ready(), ms);
  }

  private async resolve(host: string): Promise<Reply> {
    if (net.isIPv4(host)) return { value: { addrs: [host] } };
    try {
      // The board's stack speaks IPv4 only, as lwIP builds on boards do.
      const found = await dns.promises.lookup(host, { all: true, family: 4 });
      return { value: { addrs: found.map((a) => a.address) } };
    } catch {
      return { value: { e: 'ENOTFOUND' } };
    }
  }

  private async connect(ip: string, port: number, waitMs: number, keepPending: boolean): Promise<Reply> {
    if (!net.isIPv4(ip)) return { value: { e: 'EINVAL', msg: `not an IPv4 address: ${ip}` } };
    if (port < 0 || port > 65535) return { value: { e: 'EINVAL', msg: `port out of range: ${port}` } };
    const why = refusal(ip, { allowPublic: this.allowPublic });
    if (why) return { value: { e: 'EACCES', msg: why } };
    if (this.disposed) return { value: { e: 'EBADF' } };
    // Half-open as on a board: after the peer's FIN the board may still send (an HTTP/1.0 upload, an echo).
    const conn = new TcpConnection(net.createConnection({ host: ip, port, noDelay: true, allowHalfOpen: true }));
    const h = this.nextHandle++;
    this.conns.set(h, conn);
    await this.wait([conn.signal], () => conn.state !== 'connecting', waitMs);
    if (conn.state === 'open') return { value: { h } };
    if (conn.state === 'connecting' && keepPending) return { value: { h, pending: true } };
    this.conns.delete(h);
    conn.destroy();
    return { value: { e: conn.error ?? 'ETIMEDOUT' } };
  }

  private async send(h: number, data: Uint8Array, waitMs: number, nonblocking: boolean): Promise<Reply> {
    const conn = this.conns.get(h);
    if (!conn) return { value: { e: 'EBADF' } };
    const over = () => conn.socket.destroyed || conn.socket.writableEnded;
    if (!nonblocking) await this.wait([conn.signal], () => conn.writable || conn.error !== null || conn.state === 'failed' || over(), waitMs);
    if (conn.error) return { value: { e: conn.error } };
    if (conn.state === 'connecting') return { value: { e: nonblocking ? 'EAGAIN' : 'ETIMEDOUT' } };
    if (over()) return { value: { e: 'ECONNRESET' } };
    if (!conn.writable) return { value: { e: nonblocking ? 'EAGAIN' : 'ETIMEDOUT' } };
    // Node queues the whole buffer; the high-water check above is what makes
    // a fast sender wait for a slow peer, as a board's TCP window does.
    const room = Math.max(1, WRITE_HIGH_WATER - conn.socket.writableLength);
    const n = Math.min(data.length, room);
    conn.socket.write(data.subarray(0, n));
    return { value: { n } };
  }

  private async recv(h: number, n: number, waitMs: number): Promise<Reply> {
    const conn = this.conns.get(h);
    if (!conn) return { value: { e: 'EBADF' } };
    const now = this.takeNow(conn, n);
    if (now) return now;
    if (waitMs === 0) return { value: { again: true } };
    const ready = await this.wait([conn.signal], () => conn.readable, waitMs);
    return { value: ready ? { ready: true } : { again: true } };
  }

  private takeNow(conn: TcpConnection, n: number): Reply | null {
    // Data that arrived before an error or the end is still delivered first, as on a board.
    if (conn.unread > 0) {
      const data = conn.take(Math.max(1, Math.min(n, MAX_RECV)));
      return { value: { n: data.length }, bytes: data };
    }
    if (conn.error) return { value: { e: conn.error } };
    if (conn.atEof) return { value: { eof: true } };
    return null;
  }

  private async poll(list: Array<[number, number]>, waitMs: number): Promise<Reply> {
    const signals = list
      .map(([h]) => (this.conns.get(h) ?? this.listeners.get(h) ?? this.udps.get(h))?.signal)
      .filter((s) => s !== undefined);
    const events = () =>
      list.map(([h, mask]): [number, number] => {
        const l = this.listeners.get(h) ?? this.udps.get(h);
        if (l) return [h, (mask & POLLIN && l.pending ? POLLIN : 0) | (l instanceof UdpSocket ? mask & POLLOUT : 0)];
        const c = this.conns.get(h);
        if (!c) return [h, POLLHUP | POLLERR];
        let ev = 0;
        if (mask & POLLIN && c.readable) ev |= POLLIN;
        if (mask & POLLOUT && c.writable) ev |= POLLOUT;
        if (c.error) ev |= POLLERR;
        if (c.atEof || c.state === 'failed') ev |= POLLHUP;
        return [h, ev];
      });
    await this.wait(signals, () => events().some(([, ev]) => ev !== 0), waitMs);
    return { value: { ready: events().filter(([, ev]) => ev !== 0) } };
  }

  private async listen(port: number, backlog: number): Promise<Reply> {
    if (port < 0 || port > 65535) return { value: { e: 'EINVAL', msg: `port out of range: ${port}` } };
    if (this.disposed) return { value: { e: 'EBADF' } };
    const l = await TcpListener.open(port, backlog);
    if (this.disposed) {
      l.close();
      return { value: { e: 'EBADF' } };
    }
    const h = this.nextHandle++;
    this.listeners.set(h, l);
    return { value: { h, hostPort: l.hostPort } };
  }

  /** Like recv: takes a waiting connection at once, otherwise only says when one is there. */
  private async accept(h: number, waitMs: number): Promise<Reply> {
    const l = this.listeners.get(h);
    if (!l) return { value: { e: 'EINVAL' } };
    const s = l.take();
    if (s) {
      const conn = new TcpConnection(s, 'open');
      s.setNoDelay(true);
      s.resume();
      const ch = this.nextHandle++;
      this.conns.set(ch, conn);
      return { value: { h: ch, addr: [s.remoteAddress ?? '127.0.0.1', s.remotePort ?? 0] } };
    }
    if (waitMs === 0) return { value: { again: true } };
    const ready = await this.wait([l.signal], () => l.pending, waitMs);
    return { value: ready ? { ready: true } : { again: true } };
  }

  /** ssl's wrap_socket: the connection of handle `h` goes on as TLS, under the same handle. */
  private async tls(h: number, r: Record<string, unknown>, waitMs: number): Promise<Reply> {
    const conn = this.conns.get(h);
    if (!conn) return { value: { e: 'EBADF' } };
    const req = {
      hostname: typeof r.hostname === 'string' ? r.hostname : null,
      verifyMode: int(r.verify, 'verify'),
      ca: r.ca === undefined ? null : hexBytes(r.ca),
      cert: r.cert === undefined ? null : hexBytes(r.cert),
      key: r.key === undefined ? null : hexBytes(r.key),
    };
    const out = await upgradeToTls(conn, req, (signals, ready, ms) => this.wait(signals, ready, ms), waitMs);
    if ('failure' in out) {
      this.conns.delete(h);
      return { value: { tls: out.failure } };
    }
    this.conns.set(h, out.conn);
    return { value: { h } };
  }

  private close(h: number): Reply {
    const conn = this.conns.get(h);
    this.conns.delete(h);
    conn?.close();
    this.listeners.get(h)?.close();
    this.listeners.delete(h);
    this.udps.get(h)?.close();
    this.udps.delete(h);
    return { value: {} };
  }

  /** A UDP socket; bound to the board's `port` when it is not negative. */
  private async udpOpen(port: number): Promise<Reply> {
    if (this.disposed) return { value: { e: 'EBADF' } };
    const u = new UdpSocket();
    const h = this.nextHandle++;
    this.udps.set(h, u);
    if (port < 0) return { value: { h } };
    try {
      return { value: { h, hostPort: await u.bind(port) } };
    } catch {
      this.udps.delete(h);
      u.close();
      return { value: { e: 'EADDRINUSE' } };
    }
  }

  private async udpSend(h: number, ip: string, port: number, data: Uint8Array): Promise<Reply> {
    const u = this.udps.get(h);
    if (!u) return { value: { e: 'EBADF' } };
    if (!net.isIPv4(ip) || port <= 0 || port > 65535) return { value: { e: 'EINVAL' } };
    const why = refusal(ip, { allowPublic: this.allowPublic });
    if (why) return { value: { e: 'EACCES', msg: why } };
    try {
      await u.send(data, ip, port);
    } catch (e) {
      return { value: { e: boardErrno((e as NodeJS.ErrnoException).code) } };
    }
    return { value: { n: data.length } };
  }

  /** Like recv; one datagram, cut to `n` bytes as UDP does. */
  private async udpRecv(h: number, n: number, waitMs: number): Promise<Reply> {
    const u = this.udps.get(h);
    if (!u) return { value: { e: 'EBADF' } };
    const d = u.take();
    if (d) return { value: { n: Math.min(n, d.data.length), from: [d.ip, d.port] }, bytes: d.data.subarray(0, Math.max(0, n)) };
    if (waitMs === 0) return { value: { again: true } };
    const ready = await this.wait([u.signal], () => u.pending, waitMs);
    return { value: ready ? { ready: true } : { again: true } };
  }
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 253) throw new Error(`net: ${what} must be a non-empty string`);
  return v;
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`net: ${what} must be an integer`);
  return v;
}

/** Milliseconds to wait; a negative value means without limit. */
function wait(v: unknown): number {
  const ms = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  return ms < 0 ? FOREVER : Math.min(ms, FOREVER);
}

function hexBytes(v: unknown): Buffer {
  if (typeof v !== 'string' || !/^(?:[0-9a-f]{2})*$/i.test(v)) throw new Error('net: certificate data must be hex');
  return Buffer.from(v, 'hex');
}

function pollList(v: unknown): Array<[number, number]> {
  if (!Array.isArray(v)) throw new Error('net: hs must be a list of [handle, events]');
  return v.map((e) => {
    if (!Array.isArray(e) || e.length !== 2) throw new Error('net: hs must be a list of [handle, events]');
    return [int(e[0], 'handle'), int(e[1], 'events')];
  });
}

/** The `net` host service; SimBoard's `hostSettings.network` (NetworkSettings) sets its policy. */
export const netService: HostServiceFactory = (board) => new NetService(networkSettings(board.settings).allowPublic === true);
