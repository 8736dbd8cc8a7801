// Uploads and downloads over the raw REPL, fast and safe.
//
// Upload: the data travels as bytes literals (8-bit or base64, deflated when
// the board can inflate and it helps; see upload-segments.ts) in execs of up
// to 16 KB, which raw-paste's flow control lets us send without pacing. Every
// exec appends to a hidden temporary file; the last one hashes that file on
// the board and renames it over the target only if the SHA-256 matches. An
// interrupted upload therefore never leaves a truncated file under the real name.
//
// Download: one line per 768-byte slice, repr() or base64, whichever is
// shorter; the board's SHA-256 of the file is checked against the bytes received.
//
// Firmware without os.rename (the micro:bit's flat filesystem) cannot do the
// temp-file dance: there the upload writes the target in place, then checks
// its size and (with hashlib) its SHA-256; without hashlib the file is read
// back and compared byte for byte on the host. A failed check removes the
// damaged file. Without os.stat sizes come from os.size; without binascii
// downloads are repr() only, read front to back in one exec (no seek).
//
// Cancelling takes effect between execs (at most ~1.5 s at 115200 baud): an
// exec already sent runs to its end, so the board is never cut off mid-program
// and is always left at the prompt, with the temporary file removed.

import type { BoardFeatures } from './board-features.js';
import { TransferCheckError } from './board-errors.js';
import { parentDirs, tempNameFor } from './board-path.js';
import { pyStr } from './py-literal.js';
import { BoardError, type ExecOptions, type RawRepl } from './raw-repl.js';
import { BOARD_SHA256_PY, boardHashMatches, sha256Hex } from './sha256-check.js';
import { parseBytesRepr } from './py-bytes-repr.js';
import { compactPy } from './py-compact.js';
import { BOARD_WRITER_PY, batchSource, encodeSegments, needsWriter, packBatches, type LiteralEncoding } from './upload-segments.js';

export interface TransferProgress {
  /** Bytes of the file done so far (not wire bytes). */
  done: number;
  total: number;
  bytesPerSecond: number;
}

export interface TransferOptions {
  onProgress?: (p: TransferProgress) => void;
  /** Cancels between execs; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Deflate when the board has DeflateIO and it shrinks the data (default true). */
  compress?: boolean;
  /** Literal bytes per exec (default: 16 KB, less on boards with little free RAM). */
  execBytes?: number;
}

export interface UploadEncoding {
  literals: LiteralEncoding;
}

/** One exec carries at most ~16 KB; even at 9600 baud that is well inside a minute. */
const EXEC_TIMEOUT_MS = 60000;
/** File bytes per download exec: 12 slices of 768 bytes, ~9-12 KB on the wire. */
const DOWNLOAD_SLICE = 768;
const DOWNLOAD_SLICES_PER_EXEC = 12;

class RateMeter {
  private readonly t0 = performance.now();
  done = 0;
  constructor(
    private readonly total: number,
    private readonly sink?: (p: TransferProgress) => void,
  ) {}

  report(done: number): void {
    this.done = Math.min(done, this.total);
    const secs = (performance.now() - this.t0) / 1000;
    this.sink?.({ done: this.done, total: this.total, bytesPerSecond: secs > 0 ? this.done / secs : 0 });
  }
}

// The exec's literal sits in the board's heap while it runs (raw-paste
// compiles as it streams, but the constant is whole): an eighth of free RAM.
function execBudget(f: BoardFeatures, requested: number | undefined): number {
  const cap = f.memFree === null ? 8192 : Math.floor(f.memFree / 8);
  return Math.max(1024, Math.min(requested ?? 16384, cap));
}

/**
 * Deflate window: bigger compresses better (text: 0.36 of its size in 4 KiB
 * segments, 0.28 in 32 KiB) but costs 2^wbits of heap: at most a sixteenth
 * of free RAM. A segment that does not fit the exec budget travels alone.
 */
function windowBits(f: BoardFeatures, compress: boolean | undefined): number {
  if (compress === false || !f.deflate) return 0;
  const ram = f.memFree === null ? 4096 : f.memFree / 16;
  let w = 0;
  for (let b = 9; b <= 15; b++) if (1 << b <= ram) w = b;
  return w;
}

/** exec of a source that may not be UTF-8; raises BoardError like execChecked. */
async function execBytes(repl: RawRepl, src: Buffer, opts: ExecOptions): Promise<Buffer> {
  const r = await repl.exec(src, opts);
  if (r.stderr.length) {
    const tb = r.stderr.toString('utf8');
    throw new BoardError(tb.trim().split(/\r?\n/).pop() ?? tb, tb);
  }
  return r.stdout;
}

/** Writes `data` to `path` on the board atomically and verifies it. */
export async function putFile(
  repl: RawRepl,
  f: BoardFeatures,
  path: string,
  data: Uint8Array,
  opts: TransferOptions & UploadEncoding,
): Promise<void> {
  opts.signal?.throwIfAborted();
  // No rename: write in place (not atomic; verified below).
  const direct = !f.rename;
  const tmp = direct ? path : tempNameFor(path);
  const hostHash = await sha256Hex(data);
  const budget = execBudget(f, opts.execBytes);
  const segments = await encodeSegments(data, windowBits(f, opts.compress), opts.literals, Math.floor(budget / 4));
  const batches = packBatches(segments, budget);
  if (batches.length === 0) batches.push([]);
  const meter = new RateMeter(data.length, opts.onProgress);
  meter.report(0);

  let out = '';
  // Between execs the board sits at the raw prompt; only then (or after the
  // board raised, which also ends at the prompt) may a cleanup exec be sent.
  // After a timeout, a reset or a closed link it could land anywhere, e.g. as
  // Ctrl-E (paste mode) on a freshly reset board's friendly REPL.
  let atPrompt = true;
  try {
    for (let i = 0; i < batches.length; i++) {
      opts.signal?.throwIfAborted();
      const last = i === batches.length - 1;
      // Each exec closes the file so a lost link never leaves it open, and the
      // next reopens it to append; firmware without rename (micro:bit) has no
      // 'ab' mode either, so there the handle stays open between execs.
      const reopen = i === 0 ? prelude(path, tmp, needsWriter(segments)) : direct ? '' : `_mote_f = open(${pyStr(tmp)}, 'ab')\n`;
      const close = direct && !last ? '' : '_mote_f.close()\n';
      const src = Buffer.concat([
        Buffer.from(reopen),
        batchSource(batches[i]),
        Buffer.from(close + (last ? (direct ? directFinale(f, path) : finale(f, path, tmp, data.length, hostHash)) : '')),
      ]);
      atPrompt = false;
      out = (await execBytes(repl, src, { timeoutMs: EXEC_TIMEOUT_MS })).toString('latin1');
      atPrompt = true;
      meter.report(meter.done + batches[i].reduce((n, s) => n + s.rawLength, 0));
    }
  } catch (e) {
    // Otherwise the hidden temp file stays until the next upload of this file replaces it.
    if (atPrompt || e instanceof BoardError) await repl.execChecked(cleanup(tmp)).catch(() => undefined);
    throw e;
  }
  const [size, boardHash] = out.trim().split(/\s+/);
  if (!direct) {
    if (Number(size) !== data.length || !boardHashMatches(boardHash ?? '', hostHash)) {
      throw new TransferCheckError(path, `board has ${size} bytes, SHA-256 ${boardHash}; sent ${data.length} bytes, SHA-256 ${hostHash}`, true);
    }
    return;
  }
  // Written in place: the size first, then the board's SHA-256 if it has
  // hashlib; if not, the file is read back and compared on the host (costs
  // a download, but nothing else proves what reached flash).
  let detail: string | null = null;
  if (Number(size) !== data.length || !boardHashMatches(boardHash ?? '', hostHash)) {
    detail = `board has ${size} bytes, SHA-256 ${boardHash}; sent ${data.length} bytes, SHA-256 ${hostHash}`;
  } else if (boardHash === '-' || boardHash === undefined) {
    const back = await getFile(repl, path, { signal: opts.signal }, f);
    if (Buffer.compare(back, Buffer.from(data)) !== 0) detail = `read back ${back.length} bytes that differ from the ${data.length} sent`;
  }
  if (detail !== null) {
    await repl.execChecked(cleanup(path)).catch(() => undefined);
    const e = new TransferCheckError(path, detail, true);
    e.message = `${path}: the copy does not match the original (${detail}); this firmware cannot rename, so the file was written in place and has been removed`;
    throw e;
  }
}

// First exec: folders, a stale temp file or handle from an interrupted upload,
// the writer function if needed, and the temp file opened empty.
export function prelude(path: string, tmp: string, writer: boolean): string {
  const dirs = parentDirs(path).map(pyStr);
  return compactPy(`import os
try:
    _mote_f.close()
except Exception:
    pass
for _d in (${dirs.join(', ')}${dirs.length === 1 ? ',' : ''}):
    try:
        os.mkdir(_d)
    except OSError:
        pass
${writer ? BOARD_WRITER_PY : '_mote_w = None\n'}_mote_f = open(${pyStr(tmp)}, 'wb')
`);
}

// Last exec: hash what is on flash (not what we meant to write), and rename
// into place only if it matches. FAT refuses to rename onto an existing file,
// so only then the target is removed first; a power loss in that moment
// leaves the verified copy under the temporary name.
export function finale(f: BoardFeatures, path: string, tmp: string, size: number, hash: string): string {
  const p = pyStr(path);
  const t = pyStr(tmp);
  return compactPy(`import os
${BOARD_SHA256_PY}_s = ${sizeOf(f, t)}
_h = _mote_sha(${t})
print(_s, _h)
if _s == ${size} and _h in ('-', '${hash}'):
    try:
        os.rename(${t}, ${p})
    except OSError as e:
        try:
            os.stat(${p})
        except OSError:
            raise e
        os.remove(${p})
        os.rename(${t}, ${p})
else:
    os.remove(${t})
del _mote_f, _mote_w, _mote_sha, _s, _h
`);
}

// Last exec of an in-place upload: report size and hash; the host decides.
function directFinale(f: BoardFeatures, path: string): string {
  const p = pyStr(path);
  return compactPy(`import os
${f.sha256 ? BOARD_SHA256_PY : "_mote_sha = lambda p: '-'\n"}print(${sizeOf(f, p)}, _mote_sha(${p}))
del _mote_f, _mote_w, _mote_sha
`);
}

/** Python expression for the size of the file at the quoted path `q`. */
function sizeOf(f: Pick<BoardFeatures, 'stat'>, q: string): string {
  return f.stat ? `os.stat(${q})[6]` : `os.size(${q})`;
}

export function cleanup(tmp: string): string {
  return compactPy(`import os
try:
    _mote_f.close()
except Exception:
    pass
try:
    os.remove(${pyStr(tmp)})
except OSError:
    pass
for _n in ('_mote_f', '_mote_w', '_mote_sha'):
    globals().pop(_n, None)
`);
}

/** What getFile assumes without probing: a modern firmware. */
const MODERN: Pick<BoardFeatures, 'stat' | 'binascii' | 'sha256'> = { stat: true, binascii: true, sha256: true };

/**
 * Reads `path` from the board and verifies it against the board's own
 * SHA-256. Without hashlib only the size is checked (the host hash is of
 * the received data only, nothing to compare it with).
 */
export async function getFile(
  repl: RawRepl,
  path: string,
  opts: TransferOptions = {},
  f: Pick<BoardFeatures, 'stat' | 'binascii' | 'sha256'> = MODERN,
): Promise<Buffer> {
  opts.signal?.throwIfAborted();
  const p = pyStr(path);
  const sha = f.sha256 ? BOARD_SHA256_PY : `_mote_sha = lambda p: '-'\n`;
  // open() first so a folder or missing file fails with the board's own errno.
  const head = (await repl.execChecked(compactPy(`import os\n${sha}open(${p}, 'rb').close()\nprint(${sizeOf(f, p)}, _mote_sha(${p}))\ndel _mote_sha\n`)))
    .toString('latin1')
    .trim()
    .split(/\s+/);
  const total = Number(head[0]);
  const boardHash = head[1] ?? '-';
  const meter = new RateMeter(total, opts.onProgress);
  meter.report(0);
  const parts: Buffer[] = [];
  let received = 0;
  // Old firmware (no os.stat): no seek either, so one exec reads it all.
  const step = f.stat ? DOWNLOAD_SLICE * DOWNLOAD_SLICES_PER_EXEC : Math.max(total, 1);
  for (let offset = 0; offset < total; offset += step) {
    opts.signal?.throwIfAborted();
    let pending = '';
    await repl.execChecked(f.stat ? downloadSource(p, offset, f.binascii) : sequentialSource(p), {
      timeoutMs: EXEC_TIMEOUT_MS,
      // Decode each complete line as it streams, for exact progress.
      onStdout: (b) => {
        const lines = (pending + b.toString('latin1')).split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line) continue;
          const bytes = /^b['"]/.test(line) ? parseBytesRepr(line) : Buffer.from(line, 'base64');
          parts.push(bytes);
          received += bytes.length;
        }
        meter.report(received);
      },
    });
  }
  const data = Buffer.concat(parts);
  const hostHash = await sha256Hex(data);
  if (data.length !== total || !boardHashMatches(boardHash, hostHash)) {
    throw new TransferCheckError(path, `board has ${total} bytes, SHA-256 ${boardHash}; received ${data.length} bytes, SHA-256 ${hostHash}`, false);
  }
  return data;
}

// One slice per line: repr() when that is shorter than base64 (text, where
// repr is ~1 byte per byte), base64 otherwise (binary, 4 per 3). Base64 has
// no quotes, so a line starting b' or b" is a repr.
function downloadSource(p: string, offset: number, b64: boolean): string {
  return compactPy(`${b64 ? 'import binascii\n' : ''}with open(${p}, 'rb') as _f:
    _f.seek(${offset})
    _b = bytearray(${DOWNLOAD_SLICE})
    _m = memoryview(_b)
    _r = None
    for _i in range(${DOWNLOAD_SLICES_PER_EXEC}):
        _n = _f.readinto(_b)
        if not _n:
            break
        _r = repr(bytes(_m[:_n]))
        if ${b64 ? 'len(_r) <= _n + _n // 3' : 'True'}:
            print(_r)
        else:
            print(binascii.b2a_base64(_m[:_n]).decode(), end='')
del _f, _b, _m, _i, _n, _r
`);
}

// Front to back in small reads, repr() only: for firmware with no seek,
// no binascii and a few KB of heap.
function sequentialSource(p: string): string {
  return compactPy(`with open(${p}, 'rb') as _f:
    while True:
        _b = _f.read(128)
        if not _b:
            break
        print(repr(_b))
del _f, _b
`);
}
