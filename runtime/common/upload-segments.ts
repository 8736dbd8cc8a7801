// How upload data travels inside Python source: as bytes-literal segments,
// each optionally raw-deflated, grouped into batches that fill one exec.
//
// Two literal encodings:
// - 'bytes': the data as it is, escaping only what the raw REPL or the lexer
//   would take for something else (NUL, Ctrl-A..E, CR, LF, XON/XOFF, quote,
//   backslash). MicroPython's raw REPL passes any other 8-bit value, and its
//   lexer keeps string literals 8-bit clean, so random data costs ~1.125
//   wire bytes per byte and nothing to decode on the board. Only for links
//   that carry all 256 byte values (serial, USB, the simulator).
// - 'base64': ASCII only, ~1.333 per byte, for text-only transports.
// - 'ascii': escaped bytes literals (pyBytes: printable ASCII as is, the rest
//   as \xNN), for text-only links to firmware without binascii (old
//   micro:bit builds): up to 4 wire bytes per byte, nothing to decode.
//
// Why segments: each deflated segment is an independent stream of at most
// 2^wbits input bytes, so no back-reference reaches further than the window
// the board allocates (DeflateIO(..., RAW, wbits)). The host compressor
// (CompressionStream, 32 KiB window) cannot be told a smaller window, but a
// stream that short cannot refer further back. Data that deflate does not
// shrink (random, already compressed) travels plain.

import { pyBytes } from './py-literal.js';

export type LiteralEncoding = 'bytes' | 'base64' | 'ascii';

export interface Segment {
  /** A complete Python bytes literal, b'...'. */
  literal: Buffer;
  /** Window bits the board must inflate with; 0 means not deflated. */
  wbits: number;
  base64: boolean;
  /** Bytes this segment adds to the file. */
  rawLength: number;
}

/** Plain base64 decodes on the board in slices of this many chars (768 bytes). */
export const B64_SLICE = 1024;
/** Plain data is cut this fine so batches fill evenly. */
const PLAIN_SEGMENT = 3072;
/** Deflate must save at least this share to be worth the board's time. */
const MIN_SAVING = 0.1;

/** Raw DEFLATE (no zlib header), as DeflateIO's RAW format expects. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(data)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Bytes that must not appear raw: NUL and Ctrl-A..E are raw-REPL commands
// (Ctrl-C interrupts even mid-paste), CR/LF end the literal's line (and the
// lexer turns CR into LF), XON/XOFF could be eaten by software flow control.
const MUST_ESCAPE = new Uint8Array(256);
for (const c of [0, 1, 2, 3, 4, 5, 0x0a, 0x0d, 0x11, 0x13]) MUST_ESCAPE[c] = 1;
MUST_ESCAPE[0x27] = 2; // \'
MUST_ESCAPE[0x5c] = 2; // \\
const HEX = '0123456789abcdef';

/** b'...' holding `data` with only the necessary escapes; not valid UTF-8, so send as bytes. */
export function eightBitLiteral(data: Uint8Array): Buffer {
  let size = 3;
  for (const c of data) size += MUST_ESCAPE[c] === 1 ? 4 : MUST_ESCAPE[c] === 2 ? 2 : 1;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  out[o++] = 0x62; // b
  out[o++] = 0x27; // '
  for (const c of data) {
    const e = MUST_ESCAPE[c];
    if (e === 0) out[o++] = c;
    else if (e === 2) (out[o++] = 0x5c), (out[o++] = c);
    else (out[o++] = 0x5c), (out[o++] = 0x78), (out[o++] = HEX.charCodeAt(c >> 4)), (out[o++] = HEX.charCodeAt(c & 15));
  }
  out[o++] = 0x27;
  return out;
}

function literal(data: Uint8Array, enc: LiteralEncoding): Buffer {
  if (enc === 'ascii') return Buffer.from(pyBytes(data), 'latin1');
  return enc === 'bytes' ? eightBitLiteral(data) : Buffer.from(`b'${Buffer.from(data).toString('base64')}'`, 'latin1');
}

/**
 * Splits `data` into segments; wbits 0 = the board cannot inflate. `plain`
 * caps plain segments (boards with little RAM need literals smaller than
 * the default 3 KB; a literal can be 4 times its data).
 */
export async function encodeSegments(data: Uint8Array, wbits: number, enc: LiteralEncoding, plain = PLAIN_SEGMENT): Promise<Segment[]> {
  const base64 = enc === 'base64';
  const PLAIN = Math.max(48, Math.min(PLAIN_SEGMENT, plain - (plain % 3)));
  const size = wbits ? 1 << wbits : PLAIN;
  const segments: Segment[] = [];
  for (let i = 0; i < data.length; i += size) {
    const raw = data.subarray(i, i + size);
    const packed = wbits ? await deflateRaw(raw) : null;
    if (packed && packed.length <= raw.length * (1 - MIN_SAVING)) {
      segments.push({ literal: literal(packed, enc), wbits, base64, rawLength: raw.length });
      continue;
    }
    for (let j = 0; j < raw.length; j += PLAIN) {
      const part = raw.subarray(j, j + PLAIN);
      segments.push({ literal: literal(part, enc), wbits: 0, base64, rawLength: part.length });
    }
  }
  return segments;
}

/**
 * Groups segments so one exec carries about `budget` literal bytes: big
 * enough that round trips are rare, small enough for the board's RAM (the
 * literal sits in the heap while the exec runs) and for a timely cancel.
 */
export function packBatches(segments: Segment[], budget: number): Segment[][] {
  const batches: Segment[][] = [];
  let current: Segment[] = [];
  let used = 0;
  for (const s of segments) {
    if (current.length && used + s.literal.length > budget) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(s);
    used += s.literal.length;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** True when the board needs the `_mote_w` helper: plain 8-bit data is written as it is. */
export function needsWriter(segments: Segment[]): boolean {
  return segments.some((s) => s.wbits || s.base64);
}

/**
 * Board-side writer for one segment, defined once per upload when needed:
 * appends the data to the open file `_mote_f`. Deflated data is inflated
 * and base64 decoded in slices, so a segment never sits in RAM twice over.
 * binascii is imported only for base64 (some firmware has none).
 */
export const BOARD_WRITER_PY = `def _mote_w(d, w, a):
    f = _mote_f
    if a:
        import binascii
    if w:
        import io, deflate
        z = deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(d) if a else d), deflate.RAW, w)
        b = bytearray(512)
        m = memoryview(b)
        while True:
            n = z.readinto(b)
            if not n:
                break
            f.write(m[:n])
    else:
        m = memoryview(d)
        for i in range(0, len(d), ${B64_SLICE}):
            f.write(binascii.a2b_base64(m[i:i + ${B64_SLICE}]))
`;

/** Python lines (as bytes: 8-bit literals are not UTF-8) that append a batch to `_mote_f`. */
export function batchSource(batch: Segment[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of batch) {
    if (!s.wbits && !s.base64) parts.push(Buffer.from('_mote_f.write('), s.literal, Buffer.from(')\n'));
    else parts.push(Buffer.from('_mote_w('), s.literal, Buffer.from(`, ${s.wbits}, ${s.base64 ? 1 : 0})\n`));
  }
  return Buffer.concat(parts);
}
