// What the board's firmware offers for file transfer, asked once per
// connection: firmware does not change while connected, and one exec costs a
// round trip.

import type { ErrnoStyle } from './board-errors.js';
import type { RawRepl } from './raw-repl.js';

export interface BoardFeatures {
  /** deflate.DeflateIO (v1.21+) can decompress a stream on the board. */
  deflate: boolean;
  /** hashlib.sha256 can verify transfers; without it only sizes are checked. */
  sha256: boolean;
  /** Free heap after a collection, in bytes; null if the port cannot say. */
  memFree: number | null;
  errnoStyle: ErrnoStyle;
}

// Provoking an ENOENT tells us the port's errno numbering: MicroPython's own
// table says 2, the webassembly port passes Emscripten's 44 through.
const PROBE = `import os, gc
try:
    import deflate
    _d = 1 if hasattr(deflate, 'DeflateIO') else 0
except ImportError:
    _d = 0
try:
    import hashlib
    _h = 1 if hasattr(hashlib, 'sha256') else 0
except ImportError:
    _h = 0
_n = 0
try:
    os.stat('/.mote-no-such-file/x')
except OSError as e:
    _n = e.errno
gc.collect()
try:
    _m = gc.mem_free()
except AttributeError:
    _m = -1
print(_d, _h, _m, _n)
del _d, _h, _m, _n
`;

export async function probeFeatures(repl: RawRepl): Promise<BoardFeatures> {
  const out = (await repl.execChecked(PROBE)).toString('latin1').trim();
  const [d, h, m, n] = out.split(/\s+/).map(Number);
  return {
    deflate: d === 1,
    sha256: h === 1,
    memFree: m >= 0 ? m : null,
    errnoStyle: n === 44 ? 'emscripten' : 'micropython',
  };
}
