// Board files over WebREPL: the bytes travel in the binary file protocol,
// everything else goes through the raw REPL as over USB. An upload goes to a
// hidden temporary name, is hashed on the board, and only a matching copy is
// renamed over the target (the same board-side steps as a serial upload, see
// file-transfer.ts), so a dropped connection never leaves a truncated file.

import type { BoardFeatures } from '../board-features.js';
import { TransferCheckError } from '../board-errors.js';
import { baseName, dirName, joinPath, tempNameFor } from '../board-path.js';
import { cleanup, finale, prelude, type TransferOptions } from '../file-transfer.js';
import { compactPy } from '../py-compact.js';
import { pyStr } from '../py-literal.js';
import type { RawRepl } from '../raw-repl.js';
import { BOARD_SHA256_PY, boardHashMatches, sha256Hex } from '../sha256-check.js';
import { getBytes, putBytes, type BinaryPort } from './file-client.js';
import { MAX_NAME_BYTES, checkName } from './frames.js';
import type { FileTransport } from './link-traits.js';

/**
 * The temporary name for an upload of `path` that still fits the protocol's
 * 63 bytes: the usual sibling name, or a short hashed one in the same folder.
 */
export async function webReplTempName(path: string): Promise<string> {
  const usual = tempNameFor(path);
  if (Buffer.byteLength(usual) <= MAX_NAME_BYTES) return usual;
  const tag = (await sha256Hex(Buffer.from(baseName(path)))).slice(0, 8);
  // isTempName() hides it from listings like any upload in progress.
  return joinPath(dirName(path), `.${tag}.mote-part`);
}

class Meter {
  private readonly t0 = performance.now();
  constructor(private readonly sink?: TransferOptions['onProgress']) {}
  report(done: number, total: number): void {
    const secs = (performance.now() - this.t0) / 1000;
    this.sink?.({ done, total, bytesPerSecond: secs > 0 ? done / secs : 0 });
  }
}

export class WebReplFiles implements FileTransport {
  constructor(private readonly port: BinaryPort) {}

  async put(repl: RawRepl, f: BoardFeatures, path: string, data: Uint8Array, opts: TransferOptions): Promise<void> {
    opts.signal?.throwIfAborted();
    checkName(path);
    const tmp = await webReplTempName(path);
    checkName(tmp);
    const hash = await sha256Hex(data);
    // Folders, a stale temp file; the handle it opens is closed at once (the board's WebREPL writes the file).
    await repl.execChecked(prelude(path, tmp, false) + '_mote_f.close()\n');
    const meter = new Meter(opts.onProgress);
    try {
      await putBytes(this.port, tmp, data, { signal: opts.signal, onProgress: (d, t) => meter.report(d, t) });
    } catch (e) {
      // After a dropped connection the board is unreachable here; the next upload replaces the temp file.
      if (this.port.isOpen) await repl.execChecked(cleanup(tmp)).catch(() => undefined);
      throw e;
    }
    const out = (await repl.execChecked(finale(f, path, tmp, data.length, hash))).toString('latin1').trim();
    const [size, boardHash] = out.split(/\s+/);
    if (Number(size) !== data.length || !boardHashMatches(boardHash ?? '', hash)) {
      throw new TransferCheckError(path, `board has ${size} bytes, SHA-256 ${boardHash}; sent ${data.length} bytes, SHA-256 ${hash}`, true);
    }
  }

  async get(repl: RawRepl, f: BoardFeatures, path: string, opts: TransferOptions): Promise<Buffer> {
    opts.signal?.throwIfAborted();
    checkName(path);
    const p = pyStr(path);
    // Open it through the REPL first: a missing file then fails with the board's own errno,
    // where the WebREPL server would just drop the connection.
    const head = (
      await repl.execChecked(
        compactPy(`import os\n${f.sha256 ? BOARD_SHA256_PY : "_mote_sha = lambda p: '-'\n"}open(${p}, 'rb').close()\nprint(os.stat(${p})[6], _mote_sha(${p}))\ndel _mote_sha\n`),
      )
    )
      .toString('latin1')
      .trim()
      .split(/\s+/);
    const total = Number(head[0]);
    const boardHash = head[1] ?? '-';
    const meter = new Meter(opts.onProgress);
    meter.report(0, total);
    const data = await getBytes(this.port, path, { signal: opts.signal, onProgress: (d) => meter.report(d, total) });
    const hash = await sha256Hex(data);
    if (data.length !== total || !boardHashMatches(boardHash, hash)) {
      throw new TransferCheckError(path, `board has ${total} bytes, SHA-256 ${boardHash}; received ${data.length} bytes, SHA-256 ${hash}`, false);
    }
    return data;
  }
}
