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
  const tmp = tempNameFor(path);
  const hostHash = await sha256Hex(data);
  const budget = execBudget(f, opts.execBytes);
  const segments = await encodeSegments(data, windowBits(f, opts.compress), opts.literals);
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
      const src = Buffer.concat([
        Buffer.from(i === 0 ? prelude(path, tmp, needsWriter(segments)) : `_mote_f = open(${pyStr(tmp)}, 'ab')\n`),
        batchSource(batches[i]),
        Buffer.from('_mote_f.close()\n' + (i === batches.length - 1 ? finale(path, tmp, data.length, hostHash) : '')),
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
  if (Number(size) !== data.length || !boardHashMatches(boardHash ?? '', hostHash)) {
    throw new TransferCheckError(path, `board has ${size} bytes, SHA-256 ${boardHash}; sent ${data.length} bytes, SHA-256 ${hostHash}`, true);
  }
}

// First exec: folders, a stale temp file or handle from an interrupted upload,
// the writer function if needed, and the temp file opened empty.
function prelude(path: string, tmp: string, writer: boolean): string {
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
function finale(path: string, tmp: string, size: number, hash: string): string {
  const p = pyStr(path);
  const t = pyStr(tmp);
  return compactPy(`import os
${BOARD_SHA256_PY}_s = os.stat(${t})[6]
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

function cleanup(tmp: string): string {
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

/** Reads `path` from the board and verifies it against the board's own SHA-256. */
export async function getFile(repl: RawRepl, path: string, opts: TransferOptions = {}): Promise<Buffer> {
  opts.signal?.throwIfAborted();
  const p = pyStr(path);
  // open() first so a folder or missing file fails with the board's own errno.
  const head = (await repl.execChecked(compactPy(`import os\n${BOARD_SHA256_PY}open(${p}, 'rb').close()\nprint(os.stat(${p})[6], _mote_sha(${p}))\ndel _mote_sha\n`)))
    .toString('latin1')
    .trim()
    .split(/\s+/);
  const total = Number(head[0]);
  const boardHash = head[1] ?? '-';
  const meter = new RateMeter(total, opts.onProgress);
  meter.report(0);
  const parts: Buffer[] = [];
  let received = 0;
  const step = DOWNLOAD_SLICE * DOWNLOAD_SLICES_PER_EXEC;
  for (let offset = 0; offset < total; offset += step) {
    opts.signal?.throwIfAborted();
    let pending = '';
    await repl.execChecked(downloadSource(p, offset), {
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
function downloadSource(p: string, offset: number): string {
  return compactPy(`import binascii
with open(${p}, 'rb') as _f:
    _f.seek(${offset})
    _b = bytearray(${DOWNLOAD_SLICE})
    _m = memoryview(_b)
    _r = None
    for _i in range(${DOWNLOAD_SLICES_PER_EXEC}):
        _n = _f.readinto(_b)
        if not _n:
            break
        _r = repr(bytes(_m[:_n]))
        if len(_r) <= _n + _n // 3:
            print(_r)
        else:
            print(binascii.b2a_base64(_m[:_n]).decode(), end='')
del _f, _b, _m, _i, _n, _r
`);
}
