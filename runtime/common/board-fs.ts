// The board's filesystem, written once in terms of exec over the raw REPL.
// Paths always reach Python through pyStr(), never by concatenation, and come
// back hex-encoded (UTF-8), so names with quotes, newlines or non-ASCII
// characters survive both ways. Board exceptions become BoardFsError with an
// errno name (see board-errors.ts).
//
// Old firmware degrades gracefully (see board-features.ts): without
// os.stat/ilistdir, listings use os.listdir + os.size; a filesystem with no
// os.mkdir is flat (the micro:bit's), so board paths are bare names ("/x.py"
// is "x.py" there) and mkdir/rename/df fail with code 'ENOTSUP'. Without
// binascii, hex is formatted by hand and non-8-bit uploads use escaped
// bytes literals (pyBytes) instead of base64.

import { BoardFsError, TransferCheckError, toFsError } from './board-errors.js';
import { probeFeatures, type BoardFeatures } from './board-features.js';
import { baseName, isTempName, normPath, parentDirs } from './board-path.js';
import type { BoardSession } from './board-session.js';
import { getFile, putFile, type TransferOptions } from './file-transfer.js';
import { pyStr } from './py-literal.js';
import { BoardError, type RawRepl } from './raw-repl.js';
import { BOARD_SHA256_PY } from './sha256-check.js';
import { fileTransportOf } from './webrepl/link-traits.js';

export interface BoardEntry {
  path: string;
  size: number;
  isDir: boolean;
}

export interface BoardFileHash {
  path: string;
  size: number;
  /** Hex SHA-256, or '-' when the firmware has no hashlib.sha256. */
  sha256: string;
}

export interface DiskUsage {
  /** Bytes, from os.statvfs: fragment size times block counts. */
  total: number;
  free: number;
}

// Prints one line per entry: kind, size, SHA-256 (or '-'), hex of the UTF-8
// path. Hashing is optional and streamed by _mote_sha, one file at a time.
// Without ilistdir, entries come from listdir + stat; without binascii, hex
// is formatted by hand.
const walkPy = (f: BoardFeatures): string => `import os
${f.binascii ? 'from binascii import hexlify as _mote_hex\n' : "_mote_hex = lambda b: ''.join('%02x' % c for c in b)\n"}${BOARD_SHA256_PY}def _mote_line(p, d, s, h):
    print('d' if d else 'f', s, h, ${f.binascii ? "_mote_hex(bytes(p, 'utf8')).decode()" : "_mote_hex(bytes(p, 'utf8'))"})
def _mote_ls(d, r, h):
    for e in ${f.ilistdir ? 'list(os.ilistdir(d))' : "[(n, os.stat(d.rstrip('/') + '/' + n)[0], 0, -1) for n in os.listdir(d)]"}:
        p = d.rstrip('/') + '/' + e[0]
        if e[1] & 0x4000:
            _mote_line(p, 1, 0, '-')
            if r:
                _mote_ls(p, r, h)
        else:
            s = e[3] if len(e) > 3 and e[3] >= 0 else os.stat(p)[6]
            _mote_line(p, 0, s, _mote_sha(p) if h else '-')
`;

const WALK_CLEANUP = `del _mote_sha, _mote_line, _mote_ls, _mote_hex\n`;

// The flat filesystem (no os.stat): every file at the top, sizes by os.size.
// `only` is a bare name, or None for all files.
const flatWalkPy = (f: BoardFeatures, only: string | null, hash: boolean): string => `import os
${f.sha256 && hash ? BOARD_SHA256_PY : "_mote_sha = lambda p: '-'\n"}for _n in ${only === null ? 'os.listdir()' : `(${pyStr(only)},)`}:
    print('f', os.size(_n), _mote_sha(_n) if ${hash ? 1 : 0} else '-', ''.join('%02x' % c for c in bytes('/' + _n, 'utf8')))
del _mote_sha
`;

export interface BoardFsOptions {
  /**
   * The link carries all 256 byte values (serial, USB, the simulator): uploads
   * send 8-bit bytes literals, ~15% fewer bytes than base64. Set false for
   * text-only transports such as WebREPL text frames. Default true; if an
   * upload fails its check it is retried once in base64, which then sticks.
   */
  eightBitClean?: boolean;
}

export class BoardFs {
  private features: BoardFeatures | null = null;
  private eightBit: boolean;

  constructor(
    private readonly session: BoardSession,
    opts: BoardFsOptions = {},
  ) {
    this.eightBit = opts.eightBitClean ?? true;
  }

  /** Entries in a folder (or the file itself), sorted by path; upload temp files are hidden. */
  async ls(path = '/', opts: { recursive?: boolean } = {}): Promise<BoardEntry[]> {
    const f = await this.capabilities();
    if (!f.stat) {
      const name = this.flatName(f, path);
      const out = await this.run(path, (r) => r.execChecked(flatWalkPy(f, name || null, false)));
      return parseWalk(out).map(({ path, size, isDir }) => ({ path, size, isDir }));
    }
    const p = pyStr(normPath(path));
    const code = `${walkPy(f)}_s = os.stat(${p})
if _s[0] & 0x4000:
    _mote_ls(${p}, ${opts.recursive ? 1 : 0}, 0)
else:
    _mote_line(${p}, 0, _s[6], '-')
del _s
${WALK_CLEANUP}`;
    const out = await this.run(path, (r) => r.execChecked(code));
    return parseWalk(out).map(({ path, size, isDir }) => ({ path, size, isDir }));
  }

  async stat(path: string): Promise<BoardEntry> {
    const f = await this.capabilities();
    if (!f.stat) {
      const name = this.flatName(f, path);
      if (!name) return { path: '/', size: 0, isDir: true };
      const out = await this.run(path, (r) => r.execChecked(`import os\nprint(os.size(${pyStr(name)}))\n`));
      return { path: normPath(path), size: Number(out.toString('latin1').trim()), isDir: false };
    }
    const p = pyStr(normPath(path));
    const out = await this.run(path, (r) =>
      r.execChecked(`import os\n_s = os.stat(${p})\nprint(1 if _s[0] & 0x4000 else 0, _s[6])\ndel _s\n`),
    );
    const [d, size] = out.toString('latin1').trim().split(/\s+/);
    return { path: normPath(path), size: d === '1' ? 0 : Number(size), isDir: d === '1' };
  }

  /** Every file under `root` with its SHA-256, computed on the board in one exec. A missing root is empty. */
  async hashTree(root = '/'): Promise<BoardFileHash[]> {
    const f = await this.capabilities();
    if (!f.stat) {
      // A flat filesystem has no folders: only the root holds files.
      if (normPath(root) !== '/') return [];
      const out = await this.run(root, (r) => r.execChecked(flatWalkPy(f, null, true), { timeoutMs: 120000 }));
      return parseWalk(out).map(({ path, size, sha256 }) => ({ path, size, sha256 }));
    }
    const p = pyStr(normPath(root));
    const code = `${walkPy(f)}try:
    _s = os.stat(${p})[0] & 0x4000
except OSError:
    _s = 0
if _s:
    _mote_ls(${p}, 1, 1)
del _s
${WALK_CLEANUP}`;
    const out = await this.run(root, (r) => r.execChecked(code, { timeoutMs: 120000 }));
    return parseWalk(out)
      .filter((e) => !e.isDir)
      .map(({ path, size, sha256 }) => ({ path, size, sha256 }));
  }

  /** Downloads a file, verified against the board's SHA-256 (only its size without hashlib). */
  get(path: string, opts: TransferOptions = {}): Promise<Buffer> {
    return this.run(path, async (r) => {
      const f = await this.featuresIn(r);
      // A link with its own file protocol (WebREPL) moves the bytes; the REPL still verifies.
      const own = fileTransportOf(this.session.link);
      if (own) return own.get(r, f, this.boardPath(f, path), opts);
      return getFile(r, this.boardPath(f, path), opts, f);
    });
  }

  /**
   * Uploads atomically: temp name, SHA-256 check on the board, rename. Creates parent folders.
   * Firmware without os.rename gets the file written in place and verified
   * afterwards (by reading it back when there is no hashlib).
   */
  put(path: string, data: Uint8Array, opts: TransferOptions = {}): Promise<void> {
    return this.run(path, async (r) => {
      const f = await this.featuresIn(r);
      const target = this.boardPath(f, path);
      const own = fileTransportOf(this.session.link);
      if (own) return own.put(r, f, target, data, opts);
      // Text-only literals: base64 needs binascii on the board; escaped bytes literals do not.
      const text = f.binascii ? 'base64' : 'ascii';
      if (!this.eightBit) return putFile(r, f, target, data, { ...opts, literals: text });
      try {
        return await putFile(r, f, target, data, { ...opts, literals: 'bytes' });
      } catch (e) {
        // A link that mangles 8-bit bytes shows up as a checksum or syntax error.
        const mangled = e instanceof TransferCheckError || (e instanceof BoardError && /^SyntaxError/.test(e.message));
        if (!mangled) throw e;
        this.eightBit = false;
        return putFile(r, f, target, data, { ...opts, literals: text });
      }
    });
  }

  /** Removes a file or an empty folder; with `recursive`, a folder and everything in it. */
  async rm(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    const f = await this.capabilities();
    if (!f.stat) {
      const name = this.flatName(f, path);
      const code = name
        ? `import os\nos.remove(${pyStr(name)})\n`
        : opts.recursive
          ? `import os\nfor _n in os.listdir():\n    os.remove(_n)\n`
          : '';
      if (code) await this.run(path, (r) => r.execChecked(code));
      return;
    }
    const p = pyStr(normPath(path));
    const code = `import os
def _mote_rm(p, r):
    if os.stat(p)[0] & 0x4000:
        if r:
            for e in list(os.ilistdir(p)):
                _mote_rm(p.rstrip('/') + '/' + e[0], r)
        if p != '/':
            os.rmdir(p)
    else:
        os.remove(p)
_mote_rm(${p}, ${opts.recursive ? 1 : 0})
del _mote_rm
`;
    await this.run(path, (r) => r.execChecked(code));
  }

  /** Creates a folder; with `parents` (the default) also its parents, and an existing folder is fine. */
  async mkdir(path: string, opts: { parents?: boolean } = {}): Promise<void> {
    const f = await this.capabilities();
    if (f.flat) throw notSupported(path, `cannot create folder ${normPath(path)}: the board's filesystem is flat (no folders)`);
    const p = pyStr(normPath(path));
    const code =
      opts.parents === false
        ? `import os\nos.mkdir(${p})\n`
        : `import os
for _d in (${parentDirs(path).map((d) => pyStr(d) + ', ').join('')}):
    try:
        os.mkdir(_d)
    except OSError:
        pass
try:
    os.mkdir(${p})
except OSError:
    if not os.stat(${p})[0] & 0x4000:
        raise
`;
    await this.run(path, (r) => r.execChecked(code));
  }

  async rename(from: string, to: string): Promise<void> {
    const f = await this.capabilities();
    if (!f.rename) {
      throw notSupported(
        from,
        `cannot rename ${normPath(from)}: the board's filesystem is ${f.flat ? 'flat and ' : ''}without os.rename on this firmware`,
        to,
      );
    }
    await this.run(from, (r) => r.execChecked(`import os\nos.rename(${pyStr(normPath(from))}, ${pyStr(normPath(to))})\n`), to);
  }

  /** Size and free space of the filesystem holding `path`. */
  async df(path = '/'): Promise<DiskUsage> {
    const f = await this.capabilities();
    if (!f.statvfs) throw notSupported(path, `this firmware cannot report free space (no os.statvfs)${f.flat ? "; the board's filesystem is flat" : ''}`);
    const out = await this.run(path, (r) =>
      r.execChecked(`import os\n_v = os.statvfs(${pyStr(normPath(path))})\nprint(_v[0], _v[1], _v[2], _v[4])\ndel _v\n`),
    );
    const [bsize, frsize, blocks, bavail] = out.toString('latin1').trim().split(/\s+/).map(Number);
    const unit = frsize || bsize;
    return { total: unit * blocks, free: unit * bavail };
  }

  /** What the firmware offers (deflate, hashlib, free RAM); asked once. */
  capabilities(): Promise<BoardFeatures> {
    return this.features ? Promise.resolve(this.features) : this.session.exclusive((r) => this.featuresIn(r));
  }

  // The names the IDE back end has always used.
  list(root = '/'): Promise<BoardEntry[]> {
    return this.ls(root, { recursive: true });
  }
  read(path: string): Promise<Buffer> {
    return this.get(path);
  }
  write(path: string, data: Uint8Array, opts: TransferOptions = {}): Promise<void> {
    return this.put(path, data, opts);
  }
  remove(path: string): Promise<void> {
    return this.rm(path, { recursive: true });
  }

  /** Where `path` is on the board: the absolute path, or on a flat filesystem the bare name. */
  private boardPath(f: BoardFeatures, path: string): string {
    return f.flat ? this.flatName(f, path) : normPath(path);
  }

  /** The bare name on a flat filesystem ('' for the root); a path with folders is refused. */
  private flatName(f: BoardFeatures, path: string): string {
    const name = normPath(path).slice(1);
    if (f.flat && name.includes('/')) {
      throw notSupported(path, `${normPath(path)}: the board's filesystem is flat (no folders), so a path can only be a file name`);
    }
    return name;
  }

  private async featuresIn(r: RawRepl): Promise<BoardFeatures> {
    return (this.features ??= await probeFeatures(r));
  }

  /** Runs `fn` in raw mode; a board OSError becomes a BoardFsError naming `path` (and `dest`). */
  private run<T>(path: string, fn: (r: RawRepl) => Promise<T>, dest?: string): Promise<T> {
    return this.session.exclusive(async (r) => {
      try {
        return await fn(r);
      } catch (e) {
        if (!(e instanceof BoardError)) throw e;
        // The errno numbering is needed only now; the board is at the raw prompt.
        const style = (await this.featuresIn(r).catch(() => null))?.errnoStyle ?? 'micropython';
        const to = dest === undefined ? undefined : normPath(dest);
        // The micro:bit's filesystem says "OSError: file not found", with no errno.
        if (!(e instanceof BoardFsError) && /^OSError: file not found$/.test(e.message.trim())) {
          throw new BoardFsError(`ENOENT: no such file or folder: ${normPath(path)} (on the board)`, e.traceback, 'ENOENT', null, normPath(path), to);
        }
        throw toFsError(e, style, normPath(path), to);
      }
    });
  }
}

/** An operation the board's firmware cannot do; code 'ENOTSUP'. */
function notSupported(path: string, message: string, dest?: string): BoardFsError {
  return new BoardFsError(message, '', 'ENOTSUP', null, normPath(path), dest === undefined ? undefined : normPath(dest));
}

interface WalkEntry extends BoardEntry {
  sha256: string;
}

function parseWalk(out: Buffer): WalkEntry[] {
  const entries: WalkEntry[] = [];
  for (const line of out.toString('latin1').split(/\r?\n/)) {
    if (!line) continue;
    const m = /^([df]) (\d+) (\S+) ([0-9a-f]*)$/.exec(line);
    if (!m) throw new BoardError(`unexpected listing line ${JSON.stringify(line)}`, line);
    const path = Buffer.from(m[4], 'hex').toString('utf8');
    if (m[1] === 'f' && isTempName(baseName(path))) continue;
    entries.push({ path, size: Number(m[2]), isDir: m[1] === 'd', sha256: m[3] });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
