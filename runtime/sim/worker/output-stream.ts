// The worker's side of the board's TX line. The webassembly port writes bare
// "\n" where a board sends "\r\n" and names itself "JS with Emscripten"; this
// stream fixes both, and batches bytes so a printing loop does not flood the
// host with one message per print.

const LF = 0x0a;
const CR = 0x0d;
const FLUSH_AFTER_MS = 8;
const FLUSH_AFTER_BYTES = 16 * 1024;

export class OutputStream {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private firstAt = 0;
  private lastByte = 0;
  private stripPrefix: Uint8Array | null = null;
  /** While set, output is discarded (e.g. the wasm banner when we boot straight into raw mode). */
  muted = false;
  private readonly bannerFrom = Buffer.from('; JS with Emscripten');
  private bannerTo = this.bannerFrom;

  constructor(private readonly send: (data: Uint8Array) => void) {}

  /** The board name the banner shows instead of the port's own. */
  setMachine(machine: string): void {
    this.bannerTo = Buffer.from(`; ${machine}`);
  }

  /** Drop `prefix` if it is the next thing written (raw-paste has no "OK"). */
  dropNext(prefix: string): void {
    this.stripPrefix = Buffer.from(prefix);
  }

  write(data: Uint8Array | string): void {
    if (this.muted) return;
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.stripPrefix) {
      const p = this.stripPrefix;
      const n = Math.min(p.length, bytes.length);
      let i = 0;
      while (i < n && bytes[i] === p[i]) i++;
      this.stripPrefix = i === p.length ? null : i === n ? p.subarray(n) : null;
      bytes = bytes.subarray(i);
      if (bytes.length === 0) return;
    }
    const fixed = this.fixLineEnds(bytes);
    if (this.size === 0) this.firstAt = performance.now();
    this.chunks.push(fixed);
    this.size += fixed.length;
    if (this.size >= FLUSH_AFTER_BYTES || performance.now() - this.firstAt >= FLUSH_AFTER_MS) this.flushWhole();
  }

  /** Bytes that must pass untouched (raw-paste flow control, echo). */
  writeRaw(bytes: Uint8Array): void {
    if (this.size === 0) this.firstAt = performance.now();
    this.chunks.push(bytes);
    this.size += bytes.length;
    if (bytes.length > 0) this.lastByte = bytes[bytes.length - 1];
  }

  flush(): void {
    const out = this.take();
    if (out.length) this.send(out);
  }

  /**
   * The batching flush in the middle of a write: the port writes byte by
   * byte, so it may fall inside the banner or a traceback line that must be
   * rewritten whole. Such a tail waits for the next flush. (Explicit flushes
   * come between the port's calls, never inside one, so they send everything.)
   */
  private flushWhole(): void {
    const all = this.take();
    const keep = unfinishedTail(all, this.bannerFrom);
    if (keep < all.length) this.send(all.subarray(0, all.length - keep));
    if (keep > 0) {
      this.chunks = [all.subarray(all.length - keep)];
      this.size = keep;
      this.firstAt = performance.now();
    }
  }

  /** The pending bytes, ready to send, without sending them. */
  take(): Buffer {
    if (this.size === 0) return Buffer.alloc(0);
    let out: Buffer = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    if (out.includes(this.bannerFrom)) out = replaceAll(out, this.bannerFrom, this.bannerTo);
    if (out.includes(PRIVATE_FRAME)) out = dropPrivateFrames(out);
    return out;
  }

  private fixLineEnds(bytes: Uint8Array): Uint8Array {
    let extra = 0;
    let prev = this.lastByte;
    for (const b of bytes) {
      if (b === LF && prev !== CR) extra++;
      prev = b;
    }
    const out = new Uint8Array(bytes.length + extra);
    let j = 0;
    prev = this.lastByte;
    for (const b of bytes) {
      if (b === LF && prev !== CR) out[j++] = CR;
      out[j++] = b;
      prev = b;
    }
    if (bytes.length) this.lastByte = bytes[bytes.length - 1];
    return out;
  }
}

// Traceback lines of the simulator's own Python helpers (sleep, IRQ dispatch):
// on a board those are C functions and never show up in a traceback.
const PRIVATE_FRAME = Buffer.from('  File "/.mote/');
const PRIVATE_FRAME_LINE = /  File "\/\.mote\/[^\r\n]*\r\n/g;

/** How many trailing bytes of `buf` may still become the port's banner name or a private traceback line. */
function unfinishedTail(buf: Buffer, banner: Buffer): number {
  const lineStart = buf.lastIndexOf(LF) + 1;
  const line = buf.subarray(lineStart);
  const n = Math.min(line.length, PRIVATE_FRAME.length);
  if (line.length > 0 && line.subarray(0, n).equals(PRIVATE_FRAME.subarray(0, n))) return line.length;
  for (let k = Math.min(banner.length - 1, buf.length); k > 0; k--) {
    if (buf.subarray(buf.length - k).equals(banner.subarray(0, k))) return k;
  }
  return 0;
}

function dropPrivateFrames(buf: Buffer): Buffer {
  return Buffer.from(buf.toString('latin1').replace(PRIVATE_FRAME_LINE, ''), 'latin1');
}

function replaceAll(buf: Buffer, from: Buffer, to: Buffer): Buffer {
  // Banner text only; the rest of the stream passes through unchanged.
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = buf.indexOf(from); i >= 0; i = buf.indexOf(from, at)) {
    parts.push(buf.subarray(at, i), to);
    at = i + from.length;
  }
  parts.push(buf.subarray(at));
  return Buffer.concat(parts);
}
