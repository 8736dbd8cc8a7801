// `_mote_netio`: the door from the board's socket modules to the host's `net`
// service. The hot calls (recv, send) take and return ints, with the data
// read or written in place in the Python buffer (uctypes.addressof): the wasm
// port collects garbage only between commands, so an idle MQTT loop polling
// recv must not allocate on the Python heap. The rare calls (connect,
// resolve, listen, accept, poll, close) take and return JSON. Never throws.

import type { HostReply, PeripheralFactory } from '../bridge-context.js';

/** recv/send results below zero (a TCP recv of 0 is the end of the stream). */
export const enum NetCode {
  /** Nothing within the wait (the socket's mode decides: EAGAIN or ETIMEDOUT). */
  Again = -1,
  /** Data or the end is there now: ask again without waiting. */
  Ready = -2,
  /** Ctrl-C: KeyboardInterrupt is scheduled. */
  Interrupted = -3,
  /** An error; error() names it: an errno name, maybe followed by ": " and the host's explanation. */
  Error = -4,
}

/** The host ends its waits itself; this margin only guards against a host that never answers. */
const MARGIN_MS = 10_000;
const FOREVER_MS = 2 ** 30 - 1;

export const netBridge: PeripheralFactory = (ctx) => {
  let lastError = '';
  // Where the last UDP datagram came from, "ip port", for recvfrom().
  let lastFrom = '';

  const ask = (request: Record<string, unknown>, bytes: Uint8Array | undefined, waitMs: number): HostReply =>
    ctx.hostCall('net', request, bytes, waitMs < 0 ? FOREVER_MS : waitMs + MARGIN_MS);

  /** The reply's value, or the NetCode its failure maps to (the error name kept for error()). */
  const valueOf = (r: HostReply): Record<string, unknown> | NetCode => {
    if (!r.ok) {
      if (r.error === 'interrupted') return NetCode.Interrupted;
      lastError = r.error;
      return NetCode.Error;
    }
    const v = (r.value ?? {}) as Record<string, unknown>;
    if (typeof v.e !== 'string') return v;
    // "EACCES: why" when the host explains (the address policy does).
    lastError = typeof v.msg === 'string' ? `${v.e}: ${v.msg}` : v.e;
    return NetCode.Error;
  };

  const receive = (op: 'recv' | 'udp-recv', h: number, addr: number, cap: number, waitMs: number): number => {
    const r = ask({ op, h, n: cap, waitMs }, undefined, waitMs);
    const v = valueOf(r);
    if (typeof v === 'number') return v;
    if (r.ok && r.bytes) {
      const data = r.bytes.length > cap ? r.bytes.subarray(0, cap) : r.bytes;
      ctx.memory.write(addr, data);
      if (Array.isArray(v.from)) lastFrom = `${String(v.from[0])} ${Number(v.from[1])}`;
      return data.length;
    }
    if (v.eof) return 0;
    if (v.ready) return NetCode.Ready;
    return v.again ? NetCode.Again : NetCode.Error;
  };

  const sent = (r: HostReply): number => {
    const v = valueOf(r);
    if (typeof v === 'number') return v;
    return typeof v.n === 'number' ? v.n : NetCode.Error;
  };
  const send = (h: number, addr: number, len: number, waitMs: number, nonblocking: number): number =>
    sent(ask({ op: 'send', h, waitMs, nonblocking: !!nonblocking }, ctx.memory.read(addr, len), waitMs));
  const sendTo = (h: number, addr: number, len: number, ip: string, port: number): number =>
    sent(ask({ op: 'udp-send', h, ip: String(ip), port }, ctx.memory.read(addr, len), 0));

  const call = (requestJson: string, waitMs: number): string => {
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(String(requestJson)) as Record<string, unknown>;
    } catch {
      return JSON.stringify({ ok: false, error: 'request is not JSON' });
    }
    const r = ask(request, undefined, Number(waitMs) || 0);
    return JSON.stringify(r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error });
  };

  const guarded =
    <A extends unknown[], R>(f: (...a: A) => R, failed: (message: string) => R) =>
    (...a: A): R => {
      lastError = '';
      try {
        return f(...a);
      } catch (e) {
        return failed(`net bridge: ${(e as Error).message}`);
      }
    };
  const failCode = (message: string): number => ((lastError = message), NetCode.Error);

  return {
    name: '_mote_netio',
    module: () => ({
      recv: guarded((h: number, addr: number, cap: number, waitMs: number) => receive('recv', h, addr, cap, waitMs), failCode),
      send: guarded(send, failCode),
      udp_recv: guarded((h: number, addr: number, cap: number, waitMs: number) => receive('udp-recv', h, addr, cap, waitMs), failCode),
      udp_send: guarded(sendTo, failCode),
      peer: () => lastFrom,
      call: guarded(call, (message) => JSON.stringify({ ok: false, error: message })),
      error: () => lastError,
    }),
  };
};
