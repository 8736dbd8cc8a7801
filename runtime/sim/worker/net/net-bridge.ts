// `_mote_netio`: the door from the board's socket modules to the host's `net`
// service. Requests are JSON; data travels as hex beside it, never inside the
// JSON: MicroPython's json.loads takes ~85 ms for a 128 KB string (measured),
// which capped downloads near 600 KB/s, while a plain str crosses in well
// under a millisecond. Never throws: errors come back as JSON.

import type { PeripheralFactory } from '../bridge-context.js';
import { bytesToHex, hexToBytes } from './hex.js';

export const netBridge: PeripheralFactory = (ctx) => {
  // The data of the last reply, taken by the Python side with data().
  let pending = '';
  const call = (requestJson: string, hex: string, timeoutMs: number): string => {
    pending = '';
    let request: unknown;
    try {
      request = JSON.parse(String(requestJson));
    } catch {
      return JSON.stringify({ ok: false, error: 'request is not JSON' });
    }
    const bytes = hex ? hexToBytes(String(hex)) : undefined;
    if (bytes === null) return JSON.stringify({ ok: false, error: 'data is not hex' });
    const r = ctx.hostCall('net', request, bytes, Number(timeoutMs) || 0);
    if (!r.ok) return JSON.stringify({ ok: false, error: r.error });
    if (r.bytes) pending = bytesToHex(r.bytes);
    return JSON.stringify({ ok: true, value: r.value });
  };
  return {
    name: '_mote_netio',
    module: () => ({
      call: (requestJson: string, hex: string, timeoutMs: number) => {
        try {
          return call(requestJson, hex, timeoutMs);
        } catch (e) {
          return JSON.stringify({ ok: false, error: `net bridge: ${(e as Error).message}` });
        }
      },
      data: () => {
        const h = pending;
        pending = '';
        return h;
      },
    }),
  };
};
