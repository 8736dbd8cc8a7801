// What the board's firmware offers for file transfer, asked once per
// connection: firmware does not change while connected, and one exec costs a
// round trip.
//
// Old or tiny firmware (e.g. MicroPython 1.9.2 for the BBC micro:bit) has a
// flat filesystem with only os.listdir/os.size/os.remove: no os.stat,
// ilistdir, rename, mkdir or statvfs, and no binascii or hashlib. BoardFs
// reads these flags and falls back (see board-fs.ts and file-transfer.ts).

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
  /** binascii (or ubinascii) exists: base64 literals, hexlify. */
  binascii: boolean;
  /** os.stat exists; without it sizes come from os.size. */
  stat: boolean;
  /** os.ilistdir exists; without it listings use os.listdir. */
  ilistdir: boolean;
  /** os.rename exists; without it uploads are written in place (no temp file). */
  rename: boolean;
  /** os.statvfs exists (free space). */
  statvfs: boolean;
  /** No os.mkdir: the filesystem has no folders (the micro:bit's). */
  flat: boolean;
  /** sys.implementation._mpy: the .mpy ABI the board loads; null on old firmware. */
  mpy: number | null;
}

// Provoking an ENOENT tells us the port's errno numbering: MicroPython's own
// table says 2, the webassembly port passes Emscripten's 44 through. Kept
// small: it must run in the micro:bit's 9 KB heap.
const PROBE = `import os, gc, sys
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
try:
    import binascii
    _b = 1
except ImportError:
    try:
        import ubinascii
        _b = 1
    except ImportError:
        _b = 0
_o = 0
for _i, _a in enumerate(('stat', 'ilistdir', 'rename', 'statvfs', 'mkdir')):
    if hasattr(os, _a):
        _o |= 1 << _i
_n = 0
try:
    if _o & 1:
        os.stat('/.mote-no-such-file/x')
    else:
        open('.mote-no-such-file', 'rb')
except OSError as e:
    _n = e.args[0] if e.args else 0
gc.collect()
try:
    _m = gc.mem_free()
except AttributeError:
    _m = -1
print(_d, _h, _m, _n, _b, _o, getattr(sys.implementation, '_mpy', -1))
del _d, _h, _m, _n, _b, _o, _i, _a
`;

export async function probeFeatures(repl: RawRepl): Promise<BoardFeatures> {
  const out = (await repl.execChecked(PROBE)).toString('latin1').trim();
  const [d, h, m, n, b, o, y] = out.split(/\s+/).map(Number);
  return {
    deflate: d === 1,
    sha256: h === 1,
    memFree: m >= 0 ? m : null,
    errnoStyle: n === 44 ? 'emscripten' : 'micropython',
    binascii: b === 1,
    stat: (o & 1) !== 0,
    ilistdir: (o & 2) !== 0,
    rename: (o & 4) !== 0,
    statvfs: (o & 8) !== 0,
    flat: (o & 16) === 0,
    mpy: y >= 0 ? y : null,
  };
}
