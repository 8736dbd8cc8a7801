// The WebSocket wire format as a MicroPython board's server speaks it: the
// bare 101 response (only Upgrade, Connection and Accept headers), unmasked
// frames to the client, and client frames taken masked or not (the official
// webrepl_cli.py sends unmasked frames, which strict servers reject).

import { createHash } from 'node:crypto';

export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/**
 * Parses the upgrade request as the board's webrepl.py does: it needs the
 * key, "Upgrade" in Connection and Upgrade: websocket; anything else is not
 * a WebSocket client. Returns null until the header is complete.
 */
export function parseUpgrade(head: Buffer): { complete: false } | { complete: true; key: string | null; length: number } {
  const end = head.indexOf('\r\n\r\n');
  if (end < 0) return { complete: false };
  const lines = head.subarray(0, end).toString('latin1').split('\r\n').slice(1);
  let key: string | null = null;
  let upgrade = false;
  let websocket = false;
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const name = l.slice(0, i).trim();
    const value = l.slice(i + 1).trim();
    if (name === 'Sec-WebSocket-Key') key = value;
    else if (name === 'Connection' && value.includes('Upgrade')) upgrade = true;
    else if (name === 'Upgrade' && value === 'websocket') websocket = true;
  }
  return { complete: true, key: upgrade && websocket ? key : null, length: end + 4 };
}

export function upgradeResponse(key: string): Buffer {
  return Buffer.from(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    'latin1',
  );
}

/** One server frame, never masked, FIN set. */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126) {
    head[0] = 0x80 | opcode;
    if (n < 0x10000) {
      head[1] = 126;
      head.writeUInt16BE(n, 2);
    } else {
      head[1] = 127;
      head.writeBigUInt64BE(BigInt(n), 2);
    }
  }
  return Buffer.concat([head, payload]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Incremental parser of client frames; `maxPayload` guards the board's small RAM. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload: number) {}

  /** Frames complete so far; throws on a frame at or above the size limit. */
  push(data: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    const frames: Frame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) return frames;
      frames.push(f);
    }
  }

  private next(): Frame | null {
    const b = this.buf;
    if (b.length < 2) return null;
    const masked = (b[1] & 0x80) !== 0;
    let len = b[1] & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      len = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
      off = 10;
    }
    if (len >= this.maxPayload) throw new Error(`a frame of ${len} bytes is too large for the board`);
    const maskOff = off;
    if (masked) off += 4;
    if (b.length < off + len) return null;
    const payload = Buffer.from(b.subarray(off, off + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] ^= b[maskOff + (i & 3)];
    this.buf = b.subarray(off + len);
    return { fin: (b[0] & 0x80) !== 0, opcode: b[0] & 0x0f, payload };
  }
}
